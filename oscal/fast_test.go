package oscal

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fast validator is held to the reference (santhosh-tekuri/jsonschema
// over the decoded document): the same verdict and the same problems,
// pointer and message, on valid documents, on mutated ones and on whatever
// the fuzzer makes of them.

// differentialDocs are the documents the differential tests start from:
// the NIST examples, this package's test documents and the report
// writers' golden files.
func differentialDocs(t testing.TB) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	add := func(glob string) {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[f] = b
		}
	}
	add("testdata/*.json")
	add("testdata/*.yaml")
	add("../reports/oscal/testdata/*.json")
	if shared := sharedDirOrEmpty(); shared != "" {
		add(filepath.Join(shared, "catalogs", "examples", "*.json"))
		add(filepath.Join(shared, "catalogs", "nist-sp800-53-rev5", "NIST_SP-800-53_rev5_LOW-baseline_profile.json"))
	}
	if len(docs) == 0 {
		t.Fatal("no documents to compare on")
	}
	return docs
}

func sharedDirOrEmpty() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(shared); err != nil {
				return ""
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

var addlRe = regexp.MustCompile(`^additional properties (.*) not allowed$`)

// lines renders a validation result as sorted lines; the reference lists
// additional properties in map order, so their names are sorted.
func lines(err error) ([]string, error) {
	if err == nil {
		return nil, nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	var out []string
	for _, p := range ve.Problems {
		msg := p.Message
		if m := addlRe.FindStringSubmatch(msg); m != nil {
			names := strings.Split(m[1], ", ")
			sort.Strings(names)
			msg = "additional properties " + strings.Join(names, ", ") + " not allowed"
		}
		out = append(out, p.Pointer+": "+msg)
	}
	sort.Strings(out)
	return out, nil
}

// reference validates with the reference validator; ok is false when it
// panics (it does on numbers whose exponent big.Rat refuses, against a
// minimum).
func reference(doc any) (ls []string, ok bool, err error) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ls, err = lines(validateReference(doc))
	return ls, true, err
}

// agree validates doc with both validators, and raw (its JSON form, when
// given) with the byte validator, and reports any difference.
func agree(t testing.TB, name string, doc any, raw []byte) (valid bool) {
	t.Helper()
	want, ok, err := reference(doc)
	if err != nil {
		t.Fatalf("%s: reference: %v", name, err)
	}
	if !ok {
		return false
	}
	got, err := lines(Validate(doc))
	if err != nil {
		t.Fatalf("%s: fast: %v", name, err)
	}
	diff(t, name+" (decoded)", got, want)
	if raw != nil {
		got, err := lines(ValidateJSON(raw))
		if err != nil {
			t.Fatalf("%s: fast on bytes: %v", name, err)
		}
		diff(t, name+" (bytes)", got, want)
	}
	return len(want) == 0
}

func diff(t testing.TB, name string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: fast and reference validators differ\nfast:\n  %s\nreference:\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestFastAgreesOnDocuments(t *testing.T) {
	for name, b := range differentialDocs(t) {
		doc, err := Decode(name, b)
		if err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if strings.HasSuffix(name, ".json") {
			raw = b
		}
		agree(t, filepath.Base(name), doc, raw)
	}
}

// Mutations of valid documents: removed, added and retyped members,
// strings that break their datatype, emptied arrays; one to three at a
// time, in every part of the documents.
func TestFastAgreesOnMutations(t *testing.T) {
	rounds := 60
	if testing.Short() {
		rounds = 15
	}
	docs := differentialDocs(t)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	invalid := 0
	for _, name := range names {
		for r := 0; r < rounds; r++ {
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			doc, err := Decode(name, docs[name])
			if err != nil {
				t.Fatal(err)
			}
			var what []string
			for k := 0; k <= rng.IntN(3); k++ {
				what = append(what, mutate(rng, doc))
			}
			raw, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !agree(t, fmt.Sprintf("%s round %d (%s)", filepath.Base(name), r, strings.Join(what, "; ")), doc, raw) {
				invalid++
			}
		}
	}
	t.Logf("%d of %d mutated documents invalid", invalid, len(names)*rounds)
	if invalid < len(names)*rounds/2 {
		t.Errorf("only %d of %d mutated documents are invalid: the mutations are too weak", invalid, len(names)*rounds)
	}
}

var oddValues = []any{
	"", " lead", "trail ", "two\nlines", "not-a-uuid", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
	"2024-02-29T10:00:00+14:00", "2024-02-29", "19-02-29T10:00:00Z", "1996-02-29T00:00:00Z", "19-02-29", "yesterday", "1x", "_ok.token-1", "http://x y", "mailto:a@b",
	"::", "a\\b", "#frag", "//host/p", "0b6f8f0e-7c0a-4c1e-9d7e-3f4a5b6c7d8e", "ü", "\u00a0x", "a@b", "SHA-256",
	"statement-id", "satisfied", "open", "TEST", "http://fedramp.gov/ns/oscal", "dGVzdA==",
	json.Number("0"), json.Number("-1"), json.Number("1.5"), json.Number("1e2"), json.Number("7"),
	true, nil, map[string]any{}, []any{}, []any{"x"}, map[string]any{"x": json.Number("1")},
}

// mutate changes one place of a decoded document at random and says what.
func mutate(rng *rand.Rand, doc any) string {
	var places []func() string
	var walk func(v any, ptr string, set func(any))
	walk = func(v any, ptr string, set func(any)) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			places = append(places, func() string {
				x["x-unknown"] = "1"
				return "add " + ptr + "/x-unknown"
			})
			for _, k := range keys {
				places = append(places, func() string {
					delete(x, k)
					return "delete " + ptr + "/" + k
				})
				walk(x[k], ptr+"/"+k, func(nv any) { x[k] = nv })
			}
		case []any:
			places = append(places, func() string {
				set([]any{})
				return "empty " + ptr
			})
			for i := range x {
				walk(x[i], fmt.Sprintf("%s/%d", ptr, i), func(nv any) { x[i] = nv })
			}
		}
		if set != nil {
			places = append(places, func() string {
				nv := oddValues[rng.IntN(len(oddValues))]
				set(nv)
				return fmt.Sprintf("set %s = %#v", ptr, nv)
			})
		}
	}
	walk(doc, "", nil)
	return places[rng.IntN(len(places))]()
}

func TestFastCompilesWholeSchema(t *testing.T) {
	fs, err := fastSchemas()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.modelBit) != len(Models) {
		t.Fatalf("models: %d", len(fs.modelBit))
	}
	// A keyword the fast validator does not implement is refused.
	c := jsonschema.NewCompiler()
	if err := c.AddResource("x.json", map[string]any{"$schema": "http://json-schema.org/draft-07/schema#", "maxLength": 3}); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("x.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := compileFast(s); err == nil || !strings.Contains(err.Error(), "maxLength") {
		t.Errorf("compileFast accepted maxLength: %v", err)
	}
}

// Syntax errors in bytes are errors, not validation problems, and never a
// panic.
func TestFastSyntaxErrors(t *testing.T) {
	for _, in := range []string{"", "{", `{"catalog": }`, `{"catalog": {"uuid": "x"}} x`, `{"a" 1}`, `{"a": "\x01"}`, `{"a": "\q"}`, `{"a": tru}`, `{"a": -}`, `{"a": 1.}`, `{"a": 1e}`, `[1,]`, strings.Repeat("[", maxDepth+1)} {
		err := ValidateJSON([]byte(in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a syntax error", in, err)
		}
	}
}

// A key given twice keeps its last value, as decoders do.
func TestFastDuplicateKeys(t *testing.T) {
	b, err := os.ReadFile("testdata/doctored-ar.json")
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(b), `"assessment-results": {`, `"assessment-results": {"uuid": "bad",`, 1)
	doc, err := DecodeJSON([]byte(fixed))
	if err != nil {
		t.Fatal(err)
	}
	agree(t, "duplicate key", doc, []byte(fixed))
}

// FuzzDifferential: whatever bytes decode as JSON get the same problems
// from both validators.
func FuzzDifferential(f *testing.F) {
	for name, b := range differentialDocs(f) {
		if strings.HasSuffix(name, ".json") && len(b) < 200_000 {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"catalog": {"uuid": 1, "metadata": {"title": "t", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"}}}`))
	f.Add([]byte(`{"profile": {"imports": [{"href": "x", "include-controls": [{"with-child-controls": "maybe"}]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := DecodeJSON(b)
		if err != nil {
			if ValidateJSON(b) == nil {
				t.Fatalf("malformed JSON validated: %v", err)
			}
			return
		}
		agree(t, "fuzz input", doc, b)
	})
}

// The format fast paths agree with the reference's format functions.
func FuzzFormats(f *testing.F) {
	for _, v := range oddValues {
		if s, ok := v.(string); ok {
			f.Add(s)
		}
	}
	for _, s := range []string{"19-02-29T10:00:00Z", "19-02-29T10:00:00.000Z", "1996-02-29T00:00:00Z", "dist/pkg-00001.tar.gz", "#0b6f8f0e-7c0a-4c1e-9d7e-3f4a5b6c7d8e", "a:b", "./x", "%zz", "https://github.com/pedigree-dev/pedigree/ns/oscal", "2026-03-01T10:00:00.123456789Z", "1999-12-31T23:59:59-12:00"} {
		f.Add(s)
	}
	fs, err := fastSchemas()
	if err != nil {
		f.Fatal(err)
	}
	formats := map[string]*jsonschema.Format{}
	var walk func(n *node, seen map[*node]bool)
	walk = func(n *node, seen map[*node]bool) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.format != nil {
			formats[n.format.Name] = n.format
		}
		for _, c := range n.propNodes {
			walk(c, seen)
		}
		walk(n.items, seen)
		walk(n.addl, seen)
		for _, c := range append(append(append([]*node{}, n.allOf...), n.anyOf...), n.oneOf...) {
			walk(c, seen)
		}
	}
	walk(fs.root, map[*node]bool{})
	for _, name := range []string{"date-time", "uri", "uri-reference"} {
		if formats[name] == nil {
			f.Fatalf("the schema has no %s format", name)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isSimpleURIReference(s) && formats["uri-reference"].Validate(s) != nil {
			t.Errorf("%q: fast path accepts, uri-reference format refuses", s)
		}
		if isValidDateTime(s) && formats["date-time"].Validate(s) != nil {
			t.Errorf("%q: fast path accepts, date-time format refuses", s)
		}
	})
}

// bigAR is the NIST assessment-results example with n observations, some
// of them broken, so that the long-array chunks are exercised.
func bigAR(t testing.TB, n int) map[string]any {
	t.Helper()
	doc, err := ReadFile("testdata/minimal-ar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := doc.(map[string]any)["assessment-results"].(map[string]any)["results"].([]any)[0].(map[string]any)
	obs := make([]any, n)
	for i := range obs {
		o := map[string]any{
			"uuid":        fmt.Sprintf("0b6f8f0e-7c0a-4c1e-9d7e-%012d", i),
			"description": fmt.Sprintf("observation %d", i),
			"methods":     []any{"TEST"},
			"collected":   "2026-03-01T10:00:00Z",
		}
		switch i % 997 {
		case 5:
			o["uuid"] = "not-a-uuid"
		case 77:
			delete(o, "methods")
		case 300:
			o["collected"] = "yesterday"
			o["colour"] = "red"
		}
		obs[i] = o
	}
	res["observations"] = obs
	return doc.(map[string]any)
}

// Long arrays, validated in parallel chunks, give what the reference
// gives; so do chunks that do not match the document.
func TestFastChunkedArrays(t *testing.T) {
	doc := bigAR(t, 3000)
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if agree(t, "3000 observations", doc, raw) {
		t.Fatal("the broken observations were not noticed")
	}
	want, _ := lines(ValidateJSON(raw))
	open := strings.Index(string(raw), `"observations":[`) + len(`"observations":`)
	good := Arrays{}
	e := &encoder{arrays: good}
	e.append(doc, 0)
	if len(e.arrays) != 1 {
		t.Fatalf("chunked arrays: %d, want 1", len(e.arrays))
	}
	// Offsets of every 700th item in raw.
	var items []int
	depth, inStr := 0, false
	for i := open; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 1:
			items = append(items, i+1)
		}
		if depth == 0 {
			break
		}
	}
	chunks := []Chunk{{Offset: open + 1}}
	for k := 699; k < len(items); k += 700 {
		chunks = append(chunks, Chunk{Offset: items[k], Index: k + 1})
	}
	cases := map[string][]Chunk{
		"right":        chunks,
		"wrong index":  append([]Chunk{chunks[0], {Offset: chunks[1].Offset, Index: chunks[1].Index + 1}}, chunks[2:]...),
		"inside item":  append([]Chunk{chunks[0], {Offset: chunks[1].Offset + 9, Index: chunks[1].Index}}, chunks[2:]...),
		"out of order": append([]Chunk{chunks[0], chunks[2], chunks[1]}, chunks[3:]...),
		"past the end": {chunks[0], {Offset: len(raw) + 10, Index: 5}},
	}
	for name, cs := range cases {
		before := arraysSplit.Load()
		got, err := lines(ValidateJSONChunked(raw, Arrays{open: cs}))
		if err != nil {
			t.Fatal(err)
		}
		diff(t, name, got, want)
		if split := arraysSplit.Load() > before; split != (name == "right") {
			t.Errorf("%s: validated in chunks: %v", name, split)
		}
	}
}

// The reference itself runs on the schema with its datatypes inlined and
// with hand-written pattern matchers; the official schema as published,
// with Go's regexp, gives the same problems.
func TestReferenceKeepsSchemaMeaning(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(completeSchema)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	official := map[string]*jsonschema.Schema{}
	for i, m := range Models {
		if official[m], err = c.Compile(fmt.Sprintf("%s#/oneOf/%d", SchemaID, i)); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, v any) {
		model, verr := modelCheck(v)
		if verr != nil {
			return
		}
		var ps []Problem
		if err := official[model].Validate(v); err != nil {
			var ve *jsonschema.ValidationError
			if !errors.As(err, &ve) {
				t.Fatal(err)
			}
			collect(ve, nil, &ps)
		}
		var want error
		if len(ps) > 0 {
			want = &ValidationError{Model: model, Problems: sortProblems(ps)}
		}
		w, _ := lines(want)
		got, err := lines(validateReference(v))
		if err != nil {
			t.Fatal(err)
		}
		diff(t, name+" (reference vs official schema)", got, w)
	}
	rounds := 20
	if testing.Short() {
		rounds = 5
	}
	for name, b := range differentialDocs(t) {
		for r := 0; r < rounds; r++ {
			v, err := Decode(name, b)
			if err != nil {
				t.Fatal(err)
			}
			what := "as is"
			if r > 0 {
				what = mutate(rand.New(rand.NewPCG(uint64(r), 11)), v)
			}
			check(filepath.Base(name)+": "+what, v)
		}
	}
}

// Validating a 20,000-observation document: the fast validator on its
// bytes and on its decoded form, and the reference.
func BenchmarkValidators(b *testing.B) {
	doc := bigAR(b, 20000)
	for _, o := range doc["assessment-results"].(map[string]any)["results"].([]any)[0].(map[string]any)["observations"].([]any) {
		o.(map[string]any)["uuid"] = "0b6f8f0e-7c0a-4c1e-9d7e-3f4a5b6c7d8e"
		o.(map[string]any)["methods"] = []any{"TEST"}
		o.(map[string]any)["collected"] = "2026-03-01T10:00:00Z"
		delete(o.(map[string]any), "colour")
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name string
		fn   func() error
	}{
		{"bytes", func() error { return ValidateJSON(raw) }},
		{"decoded", func() error { return Validate(doc) }},
		{"reference", func() error { return validateReference(doc) }},
	} {
		b.Run(v.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := v.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
