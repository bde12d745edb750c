// Package cichecks holds the CI/CD pipeline rules: one file per rule, each a
// constructor carrying its id, title and rationale, each judging the
// pipelines collectors/ci parsed and anchoring every finding at the line and
// column of the offending token. Rules are pure: no I/O.
package cichecks
