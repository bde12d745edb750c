// Package schema publishes the JSON Schema of pedigree.json, the native
// result of a run, so that programs reading it can check what they read.
package schema

import _ "embed"

// Pedigree is schema/pedigree.schema.json.
//
//go:embed pedigree.schema.json
var Pedigree []byte

// PedigreeID is the $id of Pedigree.
const PedigreeID = "https://github.com/pedigree-dev/pedigree/schema/pedigree.schema.json"
