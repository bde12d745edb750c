package sbom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// The embedded SPDX 3.0.1 schema is the official file, byte for byte
// (spdx/spdx-spec schemas/spdx-schema-3-0-1.json; see schemas/README.md).
func TestSPDX3SchemaEmbedded(t *testing.T) {
	b, err := schemaFS.ReadFile("schemas/" + spdx3SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "19d65705ee474fb99467b5e006e05cab61b561974da34ff0e4a188bcf039387c" || len(b) != 235595 {
		t.Fatalf("schema is %d bytes, sha256 %s", len(b), got)
	}
	var doc struct {
		Schema string `json:"$schema"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Fatalf("$schema %q (%v)", doc.Schema, err)
	}
	c, err := compiledFor(spdx3SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if c.item == nil || len(c.classes) != 78 {
		t.Fatalf("item schema %v, %d classes", c.item != nil, len(c.classes))
	}
	for name, sch := range c.classes {
		if sch == nil {
			t.Errorf("class %s has no element schema", name)
		}
	}
}

func readSPDX3(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/spdx3/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// mutateSPDX3 decodes raw, lets f change it and encodes it again.
func mutateSPDX3(t testing.TB, raw []byte, f func(doc map[string]any, graph []any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	graph, _ := doc["@graph"].([]any)
	f(doc, graph)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func elem(graph []any, i int) map[string]any { return graph[i].(map[string]any) }

func TestSPDX3ValidDocument(t *testing.T) {
	d, err := Parse("valid.json", readSPDX3(t))
	if err != nil {
		t.Fatal(err)
	}
	if d.Error != "" || !d.SchemaChecked || !d.SchemaValid || len(d.SchemaErrors) != 0 {
		t.Fatalf("error %q checked %v valid %v: %v", d.Error, d.SchemaChecked, d.SchemaValid, d.SchemaErrors)
	}
	if d.SpecVersion != "3.0.1" || d.Encoding != EncodingJSONLD || d.Format != FormatSPDX {
		t.Errorf("kind %s %s %s", d.Format, d.Encoding, d.SpecVersion)
	}
	if len(d.Components) != 3 || d.Primary == nil || d.Primary.Name != "acme-server" || d.Primary.Hashes[0].Algorithm != "SHA-256" {
		t.Fatalf("components %+v primary %+v", d.Components, d.Primary)
	}
	if got := d.Dependencies[d.Primary.Ref]; len(got) != 2 {
		t.Errorf("dependencies %v", d.Dependencies)
	}
	if !slices.Equal(d.Authors, []string{"Jane Doe"}) || !slices.Equal(d.Tools, []string{"sbom-gen 2.4.1"}) || !slices.Equal(d.AuthorContacts, []string{"jane.doe@acme.example"}) {
		t.Errorf("authors %v tools %v contacts %v", d.Authors, d.Tools, d.AuthorContacts)
	}
	if pass, first := d.NTIAMinimum(); !pass {
		t.Errorf("NTIA minimum fails at %s", first)
	}
	if lines, err := ValidateJSON(readSPDX3(t)); err != nil || lines != nil {
		t.Errorf("ValidateJSON = %v, %v", lines, err)
	}
}

// TestSPDX3Invalid: every violation is reported on one line with the JSON
// pointer of the offending value, the way SPDX 2 JSON violations are.
func TestSPDX3Invalid(t *testing.T) {
	raw := readSPDX3(t)
	tests := []struct {
		name   string
		mutate func(doc map[string]any, g []any)
		want   []string // exact lines, or a prefix of the only line when it ends in "..."
	}{
		{"element without type", func(_ map[string]any, g []any) { delete(elem(g, 7), "type") },
			[]string{"/@graph/7: missing property 'type'"}},
		{"type not a class", func(_ map[string]any, g []any) { elem(g, 10)["type"] = "simplelicensing_Expression" },
			[]string{`/@graph/10: type "simplelicensing_Expression" is not a class of SPDX 3.0.1`}},
		{"element without spdxId", func(_ map[string]any, g []any) { delete(elem(g, 3), "spdxId") },
			[]string{"/@graph/3: missing property 'spdxId'"}},
		{"element without creationInfo", func(_ map[string]any, g []any) { delete(elem(g, 2), "creationInfo") },
			[]string{"/@graph/2: missing property 'creationInfo'"}},
		{"specVersion not a semantic version", func(_ map[string]any, g []any) { elem(g, 0)["specVersion"] = "3.0" },
			[]string{"/@graph/0/specVersion: '3.0' does not match pattern '^(0|[1-9]\\\\d*)\\\\.(0|[1-9]\\\\d*)\\\\.(0|[1-9]\\\\d*)..."}},
		{"specVersion a number", func(_ map[string]any, g []any) { elem(g, 0)["specVersion"] = json.Number("3.01") },
			[]string{"/@graph/0/specVersion: got number, want string"}},
		{"CreationInfo without specVersion", func(_ map[string]any, g []any) { delete(elem(g, 0), "specVersion") },
			[]string{"/@graph/0: missing property 'specVersion'"}},
		{"http @context", func(doc map[string]any, _ []any) { doc["@context"] = "http://spdx.org/rdf/3.0.1/spdx-context.jsonld" },
			[]string{`/@context: "http://spdx.org/rdf/3.0.1/spdx-context.jsonld": value must be 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld'`}},
		{"@context with a local context", func(doc map[string]any, _ []any) {
			doc["@context"] = []any{"https://spdx.org/rdf/3.0.1/spdx-context.jsonld", map[string]any{"acme": "https://acme.example/ns#"}}
		}, []string{`/@context: ["https://spdx.org/rdf/3.0.1/spdx-context.jsonld",{"acme":"https://acme.example/ns#"}]: value must be 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld'`}},
		{"top-level property beside @graph", func(doc map[string]any, _ []any) { doc["name"] = "x" },
			[]string{"/name: property not allowed here (not in the SPDX 3.0.1 model of this class)"}},
		{"name a number", func(_ map[string]any, g []any) { elem(g, 8)["name"] = json.Number("7") },
			[]string{"/@graph/8/name: got number, want string"}},
		{"to not an array", func(_ map[string]any, g []any) {
			elem(g, 12)["to"] = "https://spdx.example.com/acme-server/package/x-text"
		},
			[]string{"/@graph/12/to: got string, want array"}},
		{"empty to", func(_ map[string]any, g []any) { elem(g, 12)["to"] = []any{} },
			[]string{"/@graph/12/to: minItems: got 0, want 1"}},
		{"relationship type of SPDX 2", func(_ map[string]any, g []any) { elem(g, 12)["relationshipType"] = "DEPENDS_ON" },
			[]string{`/@graph/12/relationshipType: "DEPENDS_ON" is not one of the 59 allowed values ("affects", "amendedBy", "ancestorOf", "availableFrom", "configures", "contains", "coordinatedBy", "copiedTo", ...)`}},
		{"hash algorithm spelled SHA-256", func(_ map[string]any, g []any) {
			elem(g, 7)["verifiedUsing"].([]any)[0].(map[string]any)["algorithm"] = "SHA-256"
		}, []string{`/@graph/7/verifiedUsing/0/algorithm: "SHA-256" is not one of the 22 allowed values ("adler32", "blake2b256", "blake2b384", "blake2b512", "blake3", "crystalsDilithium", "crystalsKyber", "falcon", ...)`}},
		{"hash without value", func(_ map[string]any, g []any) {
			delete(elem(g, 9)["verifiedUsing"].([]any)[0].(map[string]any), "hashValue")
		}, []string{"/@graph/9/verifiedUsing/0: missing property 'hashValue'"}},
		{"inline object of another class", func(_ map[string]any, g []any) {
			elem(g, 7)["verifiedUsing"] = []any{map[string]any{"type": "Person", "spdxId": "https://x.example/p", "creationInfo": "_:creationinfo"}}
		}, []string{`/@graph/7/verifiedUsing/0: an element of type "Person" is not allowed here`}},
		{"reference that is a name, not an IRI", func(_ map[string]any, g []any) { elem(g, 7)["suppliedBy"] = "Acme Inc." },
			[]string{`/@graph/7/suppliedBy: "Acme Inc." is not "SpdxOrganization", an IRI or a blank node (_:...)`}},
		{"misspelt property", func(_ map[string]any, g []any) {
			e := elem(g, 9)
			e["software_packageURL"] = e["software_packageUrl"]
			delete(e, "software_packageUrl")
		}, []string{"/@graph/9/software_packageURL: property not allowed here (not in the SPDX 3.0.1 model of this class)"}},
		{"purpose not in the vocabulary", func(_ map[string]any, g []any) { elem(g, 8)["software_primaryPurpose"] = "LIBRARY" },
			[]string{`/@graph/8/software_primaryPurpose: "LIBRARY" is not one of the 29 allowed values ("application", "archive", "bom", "configuration", "container", "data", "device", "deviceDriver", ...)`}},
		{"two faults in one element", func(_ map[string]any, g []any) {
			e := elem(g, 11)
			delete(e, "from")
			e["bogus"] = true
		}, []string{"/@graph/11: missing property 'from'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("x.json", mutateSPDX3(t, raw, tt.mutate))
			if err != nil {
				t.Fatal(err)
			}
			if d.Error != "" || !d.SchemaChecked || d.SchemaValid {
				t.Fatalf("error %q checked %v valid %v", d.Error, d.SchemaChecked, d.SchemaValid)
			}
			if !linesMatch(d.SchemaErrors, tt.want) {
				t.Errorf("schema errors:\n  %s\nwant:\n  %s", strings.Join(d.SchemaErrors, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func linesMatch(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if p, ok := strings.CutSuffix(want[i], "..."); ok {
			if !strings.HasPrefix(got[i], p) {
				return false
			}
		} else if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestSPDX3FirstViolations(t *testing.T) {
	raw := mutateSPDX3(t, readSPDX3(t), func(_ map[string]any, g []any) {
		for i := range g {
			delete(elem(g, i), "creationInfo")
		}
	})
	d, err := Parse("x.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.SchemaErrors) != maxSchemaErrors || d.SchemaErrors[0] != "/@graph/1: missing property 'creationInfo'" || d.SchemaErrors[9] != "/@graph/10: missing property 'creationInfo'" {
		t.Errorf("schema errors %q", d.SchemaErrors)
	}
}

func TestSPDX3SchemaOptions(t *testing.T) {
	raw := readSPDX3(t)
	d, _ := ParseWith("x.json", raw, Options{SchemaMaxSize: 1000})
	if d.SchemaChecked || d.SchemaValid || len(d.SchemaErrors) != 1 || !strings.Contains(d.SchemaErrors[0], "above sbom.schema-max-size (1000)") {
		t.Errorf("max size: checked %v valid %v %q", d.SchemaChecked, d.SchemaValid, d.SchemaErrors)
	}
	d, _ = ParseWith("x.json", raw, Options{SkipSchema: true})
	if d.SchemaChecked || d.SchemaValid || !slices.Equal(d.SchemaErrors, []string{"schema validation skipped"}) {
		t.Errorf("skip: checked %v valid %v %q", d.SchemaChecked, d.SchemaValid, d.SchemaErrors)
	}
	if len(d.Components) != 3 {
		t.Errorf("components %d", len(d.Components))
	}
	// SPDX 3.0.0: no schema embedded, checked structurally.
	old := bytes.ReplaceAll(raw, []byte("rdf/3.0.1/"), []byte("rdf/3.0.0/"))
	old = bytes.ReplaceAll(old, []byte(`"specVersion": "3.0.1"`), []byte(`"specVersion": "3.0.0"`))
	d, _ = Parse("x.json", old)
	if !d.SchemaChecked || !d.SchemaValid || d.SpecVersion != "3.0.0" {
		t.Errorf("3.0.0: checked %v valid %v %s %q", d.SchemaChecked, d.SchemaValid, d.SpecVersion, d.SchemaErrors)
	}
}

// TestSPDX3ElementSchemas: validating an element against the schema of its
// class gives the verdict of the official @graph item schema.
func TestSPDX3ElementSchemas(t *testing.T) {
	c, err := compiledFor(spdx3SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	raw := readSPDX3(t)
	var elements []any
	add := func(b []byte) {
		g, err := decodeGeneric(b)
		if err != nil {
			t.Fatal(err)
		}
		elements = append(elements, g.(map[string]any)["@graph"].([]any)...)
	}
	add(raw)
	add(mutateSPDX3(t, raw, func(_ map[string]any, g []any) {
		delete(elem(g, 0), "created")
		elem(g, 1)["name"] = json.Number("1")
		elem(g, 6)["software_sbomType"] = []any{"bogus"}
		elem(g, 7)["unknown"] = "x"
		elem(g, 8)["suppliedBy"] = map[string]any{"type": "Organization", "spdxId": "https://o.example", "creationInfo": "_:c"}
		elem(g, 9)["suppliedBy"] = map[string]any{"type": "Organization", "creationInfo": "_:c"}
		elem(g, 12)["scope"] = "runtime"
		elem(g, 13)["scope"] = "later"
	}))
	invalid := 0
	for i, el := range elements {
		typ := el.(map[string]any)["type"].(string)
		want := c.item.Validate(el) == nil
		got := c.classes[typ].Validate(el) == nil
		if got != want {
			t.Errorf("element %d (%s): class schema says %v, item schema %v", i, typ, got, want)
		}
		if !want {
			invalid++
		}
	}
	if invalid != 7 {
		t.Errorf("%d invalid elements, want 7", invalid)
	}
}

// spdx3Seeds are small documents on both sides of the schema.
var spdx3Seeds = []string{
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[{"type":"CreationInfo","@id":"_:c","created":"2025-01-01T00:00:00Z","createdBy":["https://x.example/p"],"specVersion":"3.0.1"},{"type":"Person","spdxId":"https://x.example/p","creationInfo":"_:c","name":"P"}]}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[{"type":"software_Package","spdxId":"https://x.example/a","creationInfo":"_:c","verifiedUsing":[{"type":"Hash","algorithm":"md5"}]}]}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[{"type":"Relationship","spdxId":"https://x.example/r","creationInfo":"_:c","from":"_:a","to":["NoneElement"],"relationshipType":"contains"}],"x":1}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","type":"software_Package","spdxId":"https://x.example/a","creationInfo":"_:c"}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","type":"software_Package","spdxId":"https://x.example/a","creationInfo":"_:c","@graph":[]}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[{"type":"Tool"},7,{"type":["Tool"]},{"type":"https://x.example/Ext"}]}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":{"type":"Tool"}}`,
	`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}`,
	`{"@graph":[]}`,
	`[]`,
	`"@context"`,
}

// TestSPDX3Verdict: validating element by element gives the verdict of the
// official schema applied to the whole document.
func TestSPDX3Verdict(t *testing.T) {
	c, err := compiledFor(spdx3SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range spdx3Seeds {
		checkSPDX3Verdict(t, c, []byte(s))
	}
}

func checkSPDX3Verdict(t *testing.T, c *compiled, raw []byte) {
	t.Helper()
	g, err := decodeGeneric(raw)
	if err != nil {
		return
	}
	lines, unchecked := validateSPDX3(c, g)
	if unchecked != "" {
		return
	}
	if whole := c.sch.Validate(g) == nil; whole != (len(lines) == 0) {
		t.Errorf("%.200s: schema says valid=%v, element-wise validation says %q", raw, whole, lines)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "/") || strings.Contains(l, "\n") {
			t.Errorf("line %q is not one line starting with a JSON pointer", l)
		}
	}
}

func FuzzSPDX3Schema(f *testing.F) {
	for _, s := range spdx3Seeds {
		f.Add([]byte(s))
	}
	c, err := compiledFor(spdx3SchemaFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4096 {
			return
		}
		checkSPDX3Verdict(t, c, b)
	})
}

func TestIRIPattern(t *testing.T) {
	for s, want := range map[string]bool{
		"https://spdx.example.com/a": true,
		"urn:uuid:1":                 true,
		"a:b":                        true,
		"x_:a":                       true,
		"_:a":                        false,
		"_:a:b":                      false,
		":b":                         false,
		"a:":                         false,
		"ab":                         false,
		"a\n:b":                      false,
		"a:\nb":                      false,
		"a:b\nc":                     true,
		"":                           false,
	} {
		if got := (iriMatcher{}).MatchString(s); got != want {
			t.Errorf("IRI %q: got %v, want %v", s, got, want)
		}
		if got := naiveIRI(s); got != want {
			t.Errorf("naive IRI %q: got %v, want %v", s, got, want)
		}
	}
}

// naiveIRI is ^(?!_:).+:.+ spelled out: not "_:" first, then a colon with
// at least one character other than a newline on each side, none of those
// before it a newline.
func naiveIRI(s string) bool {
	if strings.HasPrefix(s, "_:") {
		return false
	}
	for i := 1; i+1 < len(s); i++ {
		if s[i] == ':' && !strings.Contains(s[:i], "\n") && s[i+1] != '\n' {
			return true
		}
	}
	return false
}

func FuzzIRIPattern(f *testing.F) {
	for _, s := range []string{"https://a", "_:b", "a\n:b", "::", "_::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if (iriMatcher{}).MatchString(s) != naiveIRI(s) {
			t.Errorf("%q: matcher %v, spelled out %v", s, !naiveIRI(s), naiveIRI(s))
		}
	})
}

// nestedSbom writes an SpdxDocument holding software_Sboms inline, depth
// levels deep.
func nestedSbom(depth int) string {
	inner := `"https://x.example/leaf"`
	for i := 0; i < depth; i++ {
		inner = `{"type":"software_Sbom","spdxId":"https://x.example/s` + strings.Repeat("i", i) + `","creationInfo":"_:c","element":[` + inner + `]}`
	}
	return `{"type":"SpdxDocument","spdxId":"https://x.example/doc","creationInfo":"_:c","element":[` + inner + `]}`
}

// TestSPDX3DeepInline: inline objects nested past spdx3MaxInlineDepth make
// the document "not validated", never valid, and cost no time.
func TestSPDX3DeepInline(t *testing.T) {
	const ctx = `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[`
	ci := `{"type":"CreationInfo","@id":"_:c","created":"2025-01-01T00:00:00Z","createdBy":["https://x.example/p"],"specVersion":"3.0.1"}`
	tests := []struct {
		name, doc string
		checked   bool
		want      string
	}{
		{"4 levels: validated", ctx + ci + "," + nestedSbom(4) + `]}`, true, ""},
		{"5 levels: not validated", ctx + ci + "," + nestedSbom(5) + `]}`, false, "not validated against the schema: /@graph/1 nests inline objects more than 4 levels deep"},
		{"30 levels: not validated", ctx + ci + "," + nestedSbom(30) + `]}`, false, "not validated against the schema: /@graph/1 nests inline objects more than 4 levels deep"},
		{"30 levels beside a violation", ctx + `{"type":"Tool"},` + nestedSbom(30) + `]}`, true, "/@graph/0: missing property 'creationInfo'"},
		{"one deep element as the document", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld",` + nestedSbom(30)[1:], false, "not validated against the schema: inline objects nest more than 4 levels deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("x.json", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			first := ""
			if len(d.SchemaErrors) > 0 {
				first = d.SchemaErrors[0]
			}
			if d.SchemaChecked != tt.checked || (tt.want == "") != d.SchemaValid || !strings.HasPrefix(first, tt.want) {
				t.Errorf("checked %v valid %v errors %q", d.SchemaChecked, d.SchemaValid, d.SchemaErrors)
			}
		})
	}
}

func TestSPDX3SchemaBudget(t *testing.T) {
	defer func(b time.Duration) { spdx3SchemaBudget = b }(spdx3SchemaBudget)
	spdx3SchemaBudget = 0
	d, _ := Parse("x.json", readSPDX3(t))
	if d.SchemaChecked || d.SchemaValid || len(d.SchemaErrors) != 1 || d.SchemaErrors[0] != "not validated against the schema: validation stopped after 0s" {
		t.Errorf("checked %v valid %v errors %q", d.SchemaChecked, d.SchemaValid, d.SchemaErrors)
	}
}

// TestSPDX3ManyElements runs the parallel path: violations and the first
// too-deep element are reported in document order.
func TestSPDX3ManyElements(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	raw := syntheticSPDX3(100) // 202 elements
	d, _ := Parse("x.json", raw)
	if !d.SchemaChecked || !d.SchemaValid || len(d.Components) != 100 {
		t.Fatalf("checked %v valid %v components %d: %q", d.SchemaChecked, d.SchemaValid, len(d.Components), d.SchemaErrors)
	}
	bad := mutateSPDX3(t, raw, func(_ map[string]any, g []any) {
		delete(elem(g, 150), "spdxId")
		elem(g, 40)["name"] = false
	})
	d, _ = Parse("x.json", bad)
	if want := []string{"/@graph/40/name: got boolean, want string", "/@graph/150: missing property 'spdxId'"}; !slices.Equal(d.SchemaErrors, want) {
		t.Errorf("schema errors %q, want %q", d.SchemaErrors, want)
	}
	var sbom map[string]any
	if err := json.Unmarshal([]byte(nestedSbom(6)), &sbom); err != nil {
		t.Fatal(err)
	}
	deep := mutateSPDX3(t, raw, func(_ map[string]any, g []any) {
		g[170] = sbom
		g[60] = sbom
	})
	d, _ = Parse("x.json", deep)
	if d.SchemaChecked || len(d.SchemaErrors) != 1 || d.SchemaErrors[0] != "not validated against the schema: /@graph/60 nests inline objects more than 4 levels deep" {
		t.Errorf("checked %v errors %q", d.SchemaChecked, d.SchemaErrors)
	}
}
