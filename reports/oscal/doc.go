// Package oscal writes an assessment as OSCAL 1.1.3 documents: the
// assessment results (oscal-ar), the assessment plan (oscal-ap) and the plan
// of action and milestones (oscal-poam). Every document is validated against
// the embedded OSCAL schema before a byte is written; an invalid document is
// a bug and fails the run.
//
// UUIDs of things that persist between runs (observations, findings, risks,
// POA&M items, components, resources) are UUIDv5 of stable keys, so two runs
// over unchanged input differ only in the run's own UUID (and what derives
// from it: the documents' UUIDs) and in timestamps.
package oscal
