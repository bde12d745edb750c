package sbom

import "testing"

// decodeGeneric refuses anything but space after the top-level value,
// a stray closing bracket included (found by FuzzSchemaDifferential: the
// byte walker called it invalid JSON, the decoder did not).
func TestDecodeGenericTrailing(t *testing.T) {
	for doc, ok := range map[string]bool{
		`{"a":1}`:        true,
		"{\"a\":1} \n\t": true,
		`{"a":1}}`:       false,
		`{"a":1}]`:       false,
		`{"a":1} x`:      false,
		`{"a":1}{}`:      false,
		`[1]]`:           false,
	} {
		if _, err := decodeGeneric([]byte(doc)); (err == nil) != ok {
			t.Errorf("%q: %v", doc, err)
		}
	}
}
