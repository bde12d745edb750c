package sbom

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

// TestSplitDecodeMatchesWhole holds the element-at-a-time decoding of
// CycloneDX components and SPDX 2.3 packages to the documents the whole
// decoding gives, on every JSON SBOM of the shared corpora and of this
// package's tests, and on hand-made edge cases (nesting, hasFiles,
// documentDescribes, escapes in keys, empty and null arrays, malformed
// input).
func TestSplitDecodeMatchesWhole(t *testing.T) {
	type input struct {
		name string
		raw  []byte
	}
	var inputs []input
	for _, sub := range []string{"sbom", "sbom-large"} {
		root := sharedtest.Dir(t, "corpus", sub)
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if strings.HasSuffix(p, ".gz") {
				zr, err := gzip.NewReader(strings.NewReader(string(raw)))
				if err != nil {
					return err
				}
				if raw, err = io.ReadAll(zr); err != nil {
					return err
				}
			}
			if k, ok := Detect(raw); ok && (k.Encoding == EncodingJSON) {
				inputs = append(inputs, input{strings.TrimPrefix(p, root), raw})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	const cdxHead = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,`
	const spdxHead = `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"d","documentNamespace":"https://x/d","creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: t","Organization: O (o@example.com)"]},`
	for name, doc := range map[string]string{
		"cdx nested":        cdxHead + `"metadata":{"component":{"bom-ref":"app","name":"app"}},"components":[{"bom-ref":"a","name":"a","components":[{"bom-ref":"a1","name":"a1","manufacturer":{"name":"M"}}]},{"bom-ref":"b","name":"b","pedigree":{"notes":"n"}}],"dependencies":[{"ref":"app","dependsOn":["a","b"]}]}`,
		"cdx escaped key":   cdxHead + `"\u0063omponents":[{"bom-ref":"a","name":"a \"q\" \\ ]}"}]}`,
		"cdx duplicate key": cdxHead + `"components":[{"name":"first"}],"components":[{"name":"second"}]}`,
		"cdx empty":         cdxHead + `"components":[ ]}`,
		"cdx null":          cdxHead + `"components":null}`,
		"cdx null element":  cdxHead + `"components":[null,{"name":"a"}]}`,
		"cdx bad element":   cdxHead + `"components":[{"name":5}]}`,
		"cdx truncated":     cdxHead + `"components":[{"name":"a"}`,
		"cdx trailing":      cdxHead + `"components":[{"name":"a"},]}`,
		"cdx bsi":           cdxHead + `"components":[{"name":"a","properties":[{"name":"bsi:component:filename","value":"a.jar"}]}]}`,
		"spdx hasFiles":     spdxHead + `"documentDescribes":["SPDXRef-a"],"packages":[{"SPDXID":"SPDXRef-a","name":"a","downloadLocation":"NOASSERTION","hasFiles":["SPDXRef-f"]},{"SPDXID":"SPDXRef-b","name":"b","versionInfo":"1","downloadLocation":"https://b","supplier":"Organization: B","originator":"Person: P","externalRefs":[{"referenceCategory":"PACKAGE_MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/b@1"}],"checksums":[{"algorithm":"SHA256","checksumValue":"00"}],"hasFiles":["SPDXRef-f"]}],"files":[{"SPDXID":"SPDXRef-f","fileName":"./f","checksums":[{"algorithm":"SHA1","checksumValue":"00"}]}],"relationships":[{"spdxElementId":"SPDXRef-a","relatedSpdxElement":"SPDXRef-f","relationshipType":"CONTAINS"},{"spdxElementId":"SPDXRef-b","relatedSpdxElement":"SPDXRef-a","relationshipType":"DEPENDS_ON"}]}`,
		"spdx bad file":     spdxHead + `"packages":[{"SPDXID":"SPDXRef-a","name":"a","downloadLocation":"NONE"}],"files":[{"SPDXID":"SPDXRef-f","fileName":7}]}`,
		"spdx null package": spdxHead + `"packages":[null]}`,
		"spdx no packages":  spdxHead + `"relationships":[]}`,
		"spdx 2.2":          strings.Replace(spdxHead, "SPDX-2.3", "SPDX-2.2", 1) + `"packages":[{"SPDXID":"SPDXRef-a","name":"a","downloadLocation":"NONE"}]}`,
	} {
		inputs = append(inputs, input{name, []byte(doc)})
	}
	if len(inputs) < 20 {
		t.Fatalf("only %d JSON SBOMs found", len(inputs))
	}
	defer func() { wholeDecode = false }()
	before := splitDecodes.Load()
	for _, in := range inputs {
		wholeDecode = false
		split, err := ParseWith(in.name, in.raw, Options{SkipSchema: true})
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		wholeDecode = true
		whole, err := ParseWith(in.name, in.raw, Options{SkipSchema: true})
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		if !reflect.DeepEqual(split, whole) {
			t.Errorf("%s: the split decoding differs from the whole one:\n split %+v\n whole %+v", in.name, split, whole)
		}
	}
	// Most inputs must have gone the split way, or the comparison says
	// nothing of it.
	if n := splitDecodes.Load() - before; n < int64(len(inputs))/2 {
		t.Fatalf("the split decoding read %d of %d documents", n, len(inputs))
	}
}

func TestArrayScanner(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{`[]`, nil, true},
		{` [ 1 , "a,]" , {"k":[1,{"x":"}"}]} , null, true, -1.5e3 ] `, []string{`1`, `"a,]"`, `{"k":[1,{"x":"}"}]}`, `null`, `true`, `-1.5e3`}, true},
		{`["a\"],"]`, []string{`"a\"],"`}, true},
		{`[1,]`, []string{`1`}, false},
		{`[1 2]`, []string{`1`}, false},
		{`[1`, []string{`1`}, false},
		{`["abc`, nil, false},
		{`{}`, nil, false},
		{`[1] x`, []string{`1`}, false},
	} {
		var got []string
		ok := arrayElements([]byte(tt.in), func(s, e int) bool {
			got = append(got, tt.in[s:e])
			return true
		})
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("arrayElements(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		in   string
		key  string
		want string
		ok   bool
	}{
		{`{"a":1,"components":[1,2],"b":{}}`, "components", `[1,2]`, true},
		{`{"components":[1],"x":{"components":[9]},"components":[2]}`, "components", `[2]`, true},
		{`{"\u0063omponents":[3]}`, "components", `[3]`, true},
		{`{"a":1}`, "components", ``, false},
		{`{"components":[1]`, "components", ``, false},
		{`[{"components":[1]}]`, "components", ``, false},
		{`{"components" [1]}`, "components", ``, false},
	} {
		s, e, ok := memberSpan([]byte(tt.in), tt.key)
		got := ""
		if ok {
			got = tt.in[s:e]
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("memberSpan(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	// One walk for several keys finds what one walk per key finds; a key
	// present in another case is given up alone.
	keys := []string{"spdxVersion", "packages", "files", "components", "a", "b"}
	for _, in := range []string{
		`{"a":1,"components":[1,2],"b":{}}`,
		`{"components":[1],"x":{"components":[9]},"components":[2]}`,
		`{"\u0063omponents":[3],"A":1,"b":2}`,
		`{"spdxVersion":"SPDX-2.3","Files":[1],"packages":[2],"files":[3]}`,
		`{"spdxVersion":"SPDX-2.3","packages":[2],"fi\u006ces":[3],"FI\u004cES":[4]}`,
		`{"components":[1]`,
		`{"a":1} `,
		`{}`,
	} {
		got := memberSpans([]byte(in), keys...)
		for i, k := range keys {
			s, e, ok := memberSpan([]byte(in), k)
			if want := (span{s, e, ok}); !ok && got[i].ok || ok && got[i] != want {
				t.Errorf("memberSpans(%q)[%s] = %v; memberSpan: %v", in, k, got[i], want)
			}
		}
	}
	sp := memberSpans([]byte(`{"spdxVersion":"SPDX-2.3","Files":[1],"packages":[2]}`), "spdxVersion", "packages", "files")
	if !sp[0].ok || !sp[1].ok || sp[2].ok {
		t.Errorf("memberSpans with Files: %v", sp)
	}
}

// TestCompactKeepsTheMarshalledForm: a large document marshals as its
// summary before and after Compact drops its components; a small one is
// left whole.
func TestCompactKeepsTheMarshalledForm(t *testing.T) {
	for _, n := range []int{SummaryLimit, SummaryLimit + 1} {
		d, err := Parse("bom.json", largeCycloneDX(n))
		if err != nil || d.Error != "" {
			t.Fatalf("%v %q", err, d.Error)
		}
		before, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		d.Compact()
		after, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("n=%d: marshalled form changed by Compact:\n%.300s\n%.300s", n, before, after)
		}
		if dropped := d.Components == nil; dropped != (n > SummaryLimit) {
			t.Errorf("n=%d: components dropped = %v", n, dropped)
		}
		if !strings.Contains(string(after), fmt.Sprintf(`"componentCount":%d`, n)) {
			t.Errorf("n=%d: componentCount lost: %.300s", n, after)
		}
	}
}

// FuzzSplitDecode: on any input, the split decoding and the whole one give
// the same document (or the same refusal), and neither panics.
func FuzzSplitDecode(f *testing.F) {
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","components":[{"name":"b"}]},null]}`))
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","\u0063omponents":[{"name":"a\"]}"}],"components":[]}`))
	f.Add([]byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","documentDescribes":["SPDXRef-a"],"packages":[{"SPDXID":"SPDXRef-a","name":"a","hasFiles":["SPDXRef-f"]}],"files":[{"SPDXID":"SPDXRef-f","fileName":"f"}]}`))
	f.Add([]byte(`{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-a"}],"relationships":[{"spdxElementId":"SPDXRef-a","relatedSpdxElement":"SPDXRef-f","relationshipType":"CONTAINS"}]} x`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		defer func() { wholeDecode = false }()
		wholeDecode = false
		split, err1 := ParseWith("f.json", raw, Options{SkipSchema: true})
		wholeDecode = true
		whole, err2 := ParseWith("f.json", raw, Options{SkipSchema: true})
		if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(split, whole) {
			t.Fatalf("split and whole decoding differ on %q:\n split %+v (%v)\n whole %+v (%v)", raw, split, err1, whole, err2)
		}
	})
}
