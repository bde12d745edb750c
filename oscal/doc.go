// Package oscal validates OSCAL 1.1.x documents (JSON or YAML) against the
// official NIST OSCAL 1.1.3 complete JSON schema, which it embeds and
// compiles once per process. Problems come back sorted by JSON pointer, one
// line each ("/assessment-results/results/0/uuid: ..."), so that two runs
// over the same document print the same report.
//
// Validation walks the document's JSON bytes once, against a validator
// compiled from the schema for the keywords the OSCAL schema uses; it
// allocates next to nothing, and validates the items of long arrays on
// every core when the caller says where they are (ValidateJSONChunked).
// santhosh-tekuri/jsonschema compiles the schema first and remains the
// reference: the fast validator is built from its compiled form and tested
// to report exactly what it reports.
//
// The embedded oscal_complete_schema.json is the NIST release artifact
// (public domain), copied byte for byte.
package oscal
