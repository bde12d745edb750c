package sbom

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// splitAgrees decodes raw both ways: part by part (decodeSplit) and whole
// (decodeSlimAs). When the split takes the document, the two documents must
// be the same; when it declines, d must be untouched. It reports whether
// the split took it.
func splitAgrees(t *testing.T, name string, raw []byte) bool {
	t.Helper()
	whole := &Document{File: "f", Format: FormatCycloneDX}
	split := &Document{File: "f", Format: FormatCycloneDX}
	before := *split
	var (
		fpSplit string
		ok      bool
	)
	bsi := bytes.Contains(raw, []byte("bsi:component"))
	if bsi {
		fpSplit, ok = decodeSplit[bsiComponent](split, raw)
	} else {
		fpSplit, ok = decodeSplit[slimComponent](split, raw)
	}
	if !ok {
		if !reflect.DeepEqual(*split, before) {
			t.Errorf("%s: the split declined but changed the document", name)
		}
		return false
	}
	var (
		fpWhole string
		err     error
	)
	if bsi {
		fpWhole, err = decodeSlimAs[bsiComponent](whole, raw)
	} else {
		fpWhole, err = decodeSlimAs[slimComponent](whole, raw)
	}
	if err != nil {
		t.Errorf("%s: the split took a document the whole decode refuses: %v", name, err)
		return true
	}
	if fpSplit != fpWhole {
		t.Errorf("%s: format problem %q split, %q whole", name, fpSplit, fpWhole)
	}
	if len(split.Components) != len(whole.Components) {
		t.Errorf("%s: %d components split, %d whole", name, len(split.Components), len(whole.Components))
	}
	split.Components, whole.Components = clipComponents(split.Components), clipComponents(whole.Components)
	if !reflect.DeepEqual(split, whole) {
		t.Errorf("%s: the documents differ:\nsplit %+v\nwhole %+v", name, split, whole)
	}
	return true
}

// clipComponents drops spare capacity, which the two ways size differently.
func clipComponents(cs []Component) []Component {
	if cs == nil {
		return nil
	}
	return append([]Component{}, cs...)
}

// Every CycloneDX JSON SBOM of the shared corpus, and the large one,
// decodes the same part by part as whole, and the split takes them all.
func TestSplitDecodeCorpus(t *testing.T) {
	n := 0
	for name, raw := range jsonSBOMs(t) {
		if k, _ := Detect(raw); k.Format != FormatCycloneDX {
			continue
		}
		n++
		if !splitAgrees(t, name, raw) {
			t.Logf("%s: declined", name)
		}
	}
	if n == 0 {
		t.Fatal("no CycloneDX JSON in the corpus")
	}
	if !splitAgrees(t, "gomodcache-syft", largeSBOM(t)) {
		t.Error("the split declined the large SBOM: it would be decoded whole, with the copy")
	}
}

// The split takes only the plain case; every other shape goes to the whole
// decode (declined), which words its errors as it always has. Those it
// takes agree with the whole decode.
func TestSplitDecodeShapes(t *testing.T) {
	const comp = `{"type":"library","name":"a","version":"1","purl":"pkg:golang/a@1","components":[{"type":"library","name":"n"}]}`
	for _, tc := range []struct {
		name string
		doc  string
		take bool
	}{
		{"plain", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[` + comp + `,` + comp + `],"dependencies":[{"ref":"a","dependsOn":["b"]}]}`, true},
		{"spaces", " \n{ \"bomFormat\" : \"CycloneDX\" ,\t\"specVersion\":\"1.6\" , \"components\" : [ " + comp + " , {} ] }\r\n", true},
		{"empty components", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}`, true},
		{"null components", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":null,"dependencies":null}`, true},
		{"null item", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[null,` + comp + `]}`, true},
		{"unknown members", `{"bomFormat":"CycloneDX","specVersion":"1.6","services":[{"name":"s","x":[1,{"y":"]}"}]}],"components":[` + comp + `]}`, true},
		{"escaped strings", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a\"]},\\","version":"\u00e9"}]}`, true},
		{"wrong bomFormat", `{"bomFormat":"SPDX","specVersion":"1.6","components":[` + comp + `]}`, true},
		{"signature", `{"bomFormat":"CycloneDX","specVersion":"1.6","signature":{"algorithm":"ES256","value":"x"}}`, true},
		{"empty object", `{}`, false}, // no specVersion: the whole decode words it
		{"unsupported version", `{"bomFormat":"CycloneDX","specVersion":"9.9","components":[` + comp + `]}`, false},
		{"duplicate key", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[` + comp + `],"components":[]}`, false},
		{"key in another case", `{"bomFormat":"CycloneDX","specVersion":"1.6","Components":[` + comp + `]}`, false},
		{"escaped key", `{"bomFormat":"CycloneDX","specVersion":"1.6","comp\u006fnents":[` + comp + `]}`, false},
		{"trailing data", `{"bomFormat":"CycloneDX","specVersion":"1.6"} {}`, false},
		{"trailing comma", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[` + comp + `,]}`, false},
		{"missing comma", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[` + comp + ` ` + comp + `]}`, false},
		{"bad unknown member", `{"bomFormat":"CycloneDX","specVersion":"1.6","services":[1,,2]}`, false},
		{"type error in an item", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":5}]}`, false},
		{"type error in a member", `{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":[]}`, false},
		{"components an object", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":{}}`, false},
		{"not an object", `[{"bomFormat":"CycloneDX"}]`, false},
		{"unterminated", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[` + comp, false},
		{"bsi properties", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","properties":[{"name":"bsi:component:filename","value":"a.jar"}]}]}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitAgrees(t, tc.name, []byte(tc.doc)); got != tc.take {
				t.Errorf("split took it: %v, want %v", got, tc.take)
			}
		})
	}
}

// FuzzSplitDecode: on any bytes, a document the split takes decodes the
// same whole, and one it declines is left untouched.
func FuzzSplitDecode(f *testing.F) {
	for _, raw := range jsonSBOMs(f) {
		if k, _ := Detect(raw); k.Format == FormatCycloneDX && len(raw) < 64<<10 {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"a"},null],"x":[{"]":"["}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 1<<20 || strings.Count(string(raw), "[") > 10000 {
			return
		}
		splitAgrees(t, "fuzz", raw)
	})
}

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
