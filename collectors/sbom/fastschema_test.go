package sbom

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/internal/sharedtest"
	"github.com/pedigree-dev/pedigree/oscal"
)

// The byte-walking schema check is held to the reference validator
// (santhosh-tekuri/jsonschema over the decoded document): the same
// problems, pointer and message, on every JSON SBOM of the shared corpus,
// on mutations of them and on whatever the fuzzer makes of them.

// jsonSBOMs are the JSON CycloneDX and SPDX 2 documents to compare on,
// with the schema each is checked against.
func jsonSBOMs(t testing.TB) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	dir := sharedtest.Dir(t, "corpus", "sbom")
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if k, ok := Detect(b); ok && k.Encoding == EncodingJSON && schemaFileOf(b) != "" {
			docs[p] = b
		}
		return nil
	})
	if len(docs) < 20 {
		t.Fatalf("only %d JSON SBOMs to compare on", len(docs))
	}
	return docs
}

// schemaFileOf is the embedded schema a JSON SBOM is checked against.
func schemaFileOf(b []byte) string {
	k, ok := Detect(b)
	if !ok {
		return ""
	}
	if k.Format == FormatCycloneDX && k.SpecVersion == "" {
		k.SpecVersion = cdxVersionAnywhere(b)
	}
	return schemaFile(k.Format, k.Encoding, k.SpecVersion)
}

// agreeOn validates raw with both validators against file's schema and
// reports a difference; it returns the reference's problems.
func agreeOn(t testing.TB, name, file string, raw []byte) []string {
	t.Helper()
	c, err := compiledFor(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	fast, err := oscal.CompileFast(c.sch)
	if err != nil {
		t.Fatalf("%s: compile fast: %v", file, err)
	}
	g, derr := decodeGeneric(raw)
	got, ferr := fast.Validate(raw)
	if derr != nil {
		if ferr == nil {
			t.Errorf("%s: not JSON (%v) but the fast validator found no syntax error", name, derr)
		}
		return nil
	}
	if ferr == oscal.ErrNeedsDecode {
		return nil // the caller decodes: the reference decides
	}
	if ferr != nil {
		t.Fatalf("%s: fast: %v (the decoder read it)", name, ferr)
	}
	want, err := oscal.ReferenceProblems(c.sch, g)
	if err != nil {
		t.Fatalf("%s: reference: %v", name, err)
	}
	gl, wl := problemStrings(got), problemStrings(want)
	if strings.Join(gl, "\n") != strings.Join(wl, "\n") {
		t.Errorf("%s: fast and reference differ\nfast:\n  %s\nreference:\n  %s", name, strings.Join(gl, "\n  "), strings.Join(wl, "\n  "))
	}
	return wl
}

func problemStrings(ps []oscal.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func TestFastSchemaAgreesOnCorpus(t *testing.T) {
	invalid := 0
	for name, raw := range jsonSBOMs(t) {
		if len(agreeOn(t, filepath.Base(name), schemaFileOf(raw), raw)) > 0 {
			invalid++
		}
	}
	t.Logf("%d corpus documents, %d invalid against their schema", len(jsonSBOMs(t)), invalid)
}

// TestFastSchemaAgreesOnMutations breaks valid documents the ways real
// SBOMs are broken (a wrong type, an unknown enum value, a missing required
// key, an extra key, a duplicated array item, a string for a number) and
// compares the validators on each.
func TestFastSchemaAgreesOnMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 17))
	docs := jsonSBOMs(t)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sortStrings(names)
	mutated, invalid := 0, 0
	for _, name := range names {
		raw := docs[name]
		file := schemaFileOf(raw)
		var doc any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&doc) != nil {
			continue
		}
		for i := 0; i < 12; i++ {
			m := mutate(rng, deepCopy(doc))
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			mutated++
			if len(agreeOn(t, filepath.Base(name)+" mutation", file, b)) > 0 {
				invalid++
			}
		}
	}
	if invalid < mutated/3 {
		t.Errorf("only %d of %d mutations are invalid: the mutations do not exercise the validators", invalid, mutated)
	}
	t.Logf("%d mutations, %d invalid", mutated, invalid)
}

// TestFastSchemaUniqueItems: duplicated components are found whatever
// their key order, spacing or number spelling, as the reference finds them.
func TestFastSchemaUniqueItems(t *testing.T) {
	for _, tc := range []string{
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","version":"1"},{"name":"a","type":"library","version":"1"}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a"},{"type":"library","name":"b"},{"type" : "library" , "name":"\u0061"}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"dependencies":[{"ref":"x","dependsOn":["a","a"]}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","hashes":[{"alg":"SHA-256","content":"` + strings.Repeat("a", 64) + `"}]},{"type":"library","name":"a","hashes":[{"content":"` + strings.Repeat("a", 64) + `","alg":"SHA-256"}]}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a"},{"type":"library","name":"b"}]}`,
	} {
		agreeOn(t, tc[:60], "bom-1.6.schema.json", []byte(tc))
	}
	c, _ := compiledFor("bom-1.6.schema.json")
	fast, _ := oscal.CompileFast(c.sch)
	ps, _ := fast.Validate([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a"},{"name":"a","type":"library"}]}`))
	if len(ps) != 1 || ps[0].Pointer != "/components" {
		t.Errorf("duplicate components: %v", ps)
	}
}

// TestFastSchemaLargeSBOM compares the validators on the real 15,952-
// component SBOM with its first component duplicated: every component
// walked, and the one violation found by both.
func TestFastSchemaLargeSBOM(t *testing.T) {
	if testing.Short() {
		t.Skip("large SBOM: skipped in -short")
	}
	raw := largeSBOM(t)
	i := bytes.Index(raw, []byte(`"components":[`)) + len(`"components":[`)
	var first json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(raw[i:])).Decode(&first); err != nil {
		t.Fatal(err)
	}
	dup := append(append(append([]byte{}, raw[:i]...), first...), ',')
	dup = append(dup, raw[i:]...)
	if len(agreeOn(t, "gomodcache-syft duplicated", "bom-1.7.schema.json", dup)) == 0 {
		t.Error("a duplicated component is not a violation")
	}
}

func largeSBOM(t testing.TB) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedtest.Dir(t, "corpus", "sbom-large"), "gomodcache-syft.cdx.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// mutate changes one random node of doc.
func mutate(rng *rand.Rand, doc any) any {
	var nodes []any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			nodes = append(nodes, x)
			for _, e := range x {
				walk(e)
			}
		case []any:
			nodes = append(nodes, x)
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	if len(nodes) == 0 {
		return doc
	}
	switch n := nodes[rng.IntN(len(nodes))].(type) {
	case map[string]any:
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		sortStrings(keys)
		if len(keys) == 0 {
			n["unexpected"] = true
			return doc
		}
		k := keys[rng.IntN(len(keys))]
		switch rng.IntN(6) {
		case 0:
			delete(n, k)
		case 1:
			n[k] = json.Number("42")
		case 2:
			n[k] = "not-an-enum-value"
		case 3:
			n["x-unknown"] = "extra"
		case 4:
			n[k] = []any{n[k], n[k]}
		case 5:
			n[k] = map[string]any{}
		}
	case []any:
		if len(n) > 0 {
			switch rng.IntN(3) {
			case 0:
				n[0] = deepCopy(n[len(n)-1])
			case 1:
				n[len(n)-1] = "string item"
			case 2:
				n[0] = nil
			}
		}
	}
	return doc
}

// FuzzSchemaDifferential holds the fast validator to the reference on any
// bytes, starting from the corpus's documents.
func FuzzSchemaDifferential(f *testing.F) {
	for _, raw := range jsonSBOMs(f) {
		if len(raw) < 64<<10 {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		file := schemaFileOf(raw)
		if file == "" || strings.HasPrefix(file, "spdx-3") {
			return
		}
		agreeOn(t, "fuzz", file, raw)
	})
}

// TestFastSchemaKeywords: the keywords CycloneDX 1.7 adds to components
// (not, if/then/else with const) and the string lengths of refs and
// versions are judged as the reference judges them, valid and not.
func TestFastSchemaKeywords(t *testing.T) {
	const head = `{"bomFormat":"CycloneDX","specVersion":"1.7","components":[`
	for _, tc := range []struct {
		comp    string
		invalid bool
	}{
		{`{"type":"library","name":"a","version":"1"}`, false},
		{`{"type":"library","name":"a","version":"1","versionRange":"vers:npm/>1"}`, true},      // not: both
		{`{"type":"library","name":"a","isExternal":false,"versionRange":"vers:npm/>1"}`, true}, // if/then
		{`{"type":"library","name":"a","isExternal":true,"versionRange":"vers:npm/>1"}`, false},
		{`{"type":"library","name":"a","bom-ref":""}`, true},                                  // minLength
		{`{"type":"library","name":"a","version":"` + strings.Repeat("é", 1025) + `"}`, true}, // maxLength, in runes
		{`{"type":"library","name":"a","version":"` + strings.Repeat("é", 1024) + `"}`, false},
		{`{"type":"library","name":"a","licenses":[{"license":{"id":"MIT"}}]}`, false},
		{`{"type":"library","name":"a","licenses":[{"license":{"url":"https://x"}}]}`, true}, // oneOf of required-only branches
	} {
		raw := []byte(head + tc.comp + `]}`)
		want := agreeOn(t, tc.comp, "bom-1.7.schema.json", raw)
		if (len(want) > 0) != tc.invalid {
			t.Errorf("%s: reference problems %v, want invalid=%v", tc.comp, want, tc.invalid)
		}
	}
}

// TestFastSchemaHugeNumbers: numbers with exponents near big.Rat's bound
// (1e999999 is a million-digit integer once expanded) are judged as the
// reference judges them, in unique arrays, integer fields and under a
// minimum, and a small document of thousands of them validates in
// moments, not the minutes expanding each would take.
func TestFastSchemaHugeNumbers(t *testing.T) {
	for _, tc := range []string{
		`{"bomFormat":"CycloneDX","specVersion":"1.6","version":-1e999999}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1e999999}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1e-999999}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","version":-1e99999999}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","x":1e999999},{"type":"library","name":"a","x":10e999998}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","x":1e999999},{"type":"library","name":"a","x":1e999998}]}`,
	} {
		agreeOn(t, tc[50:], "bom-1.6.schema.json", []byte(tc))
	}
	var b strings.Builder
	b.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[`)
	for i := range 3000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"type":"library","name":"c%d","x":1e999999}`, i)
	}
	b.WriteString("]}")
	start := time.Now()
	if _, err := ValidateJSON([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("%d bytes of huge numbers took %v to validate", b.Len(), d)
	}
}

// TestFastSchemaUniquePair: of several duplicated items, the pair named is
// the reference's (the first item equal to an earlier one, with the first
// such earlier one), whatever the order the duplicates come in, and
// items equal by value but spelt differently count as equal.
func TestFastSchemaUniquePair(t *testing.T) {
	const head = `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[`
	c := func(name string) string { return `{"type":"library","name":"` + name + `"}` }
	for _, items := range [][]string{
		{c("a"), c("b"), c("c"), c("b"), c("a")},
		{c("a"), c("b"), c("a"), c("b"), c("b")},
		{c("x"), c("y"), c("z"), c("z"), c("y"), c("x")},
		{c("a"), `{"name":"a","type":"library"}`, c("a")},
		{c("a"), c("b"), c("c"), c("d")},
		{c("q"), c("q"), c("q")},
	} {
		raw := head + strings.Join(items, ",") + `]}`
		probs := agreeOn(t, raw, "bom-1.6.schema.json", []byte(raw))
		if dup := len(items) != 4; dup != (len(probs) > 0) {
			t.Errorf("%s: problems %q", raw, probs)
		}
	}
}
