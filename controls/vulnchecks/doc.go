// Package vulnchecks judges the vulnerability risk of SBOM components:
// matches against the user's offline OSV database, known-exploited
// vulnerabilities (CISA KEV), fixable critical and high vulnerabilities,
// components no database can match, and VEX suppressions with their
// justifications. Every check is a pure function of the evidence.
package vulnchecks
