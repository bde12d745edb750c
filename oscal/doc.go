// Package oscal validates OSCAL 1.1.x documents (JSON or YAML) against the
// official NIST OSCAL 1.1.3 complete JSON schema, which it embeds and
// compiles once per process. Problems come back sorted by JSON pointer, one
// line each ("/assessment-results/results/0/uuid: ..."), so that two runs
// over the same document print the same report.
//
// The embedded oscal_complete_schema.json is the NIST release artifact
// (public domain), copied byte for byte.
package oscal
