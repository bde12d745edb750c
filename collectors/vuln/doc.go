// Package vuln matches SBOM components against an offline OSV vulnerability
// database the user supplies (a folder of OSV JSON records and/or the
// per-ecosystem all.zip exports), scores advisories with CVSS v3.x and v4.0,
// marks CISA Known Exploited Vulnerabilities, and applies VEX statements
// (OpenVEX, CycloneDX VEX, CSAF 2.0 VEX).
//
// The collector records the database, the KEV catalog and VEX documents as
// evidence; the matching itself is pure (Match) and runs in the checks of
// controls/vulnchecks. Nothing here reaches the network.
package vuln
