package oscal

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sharedDir finds ../shared next to the repository root (the folder that
// holds go.mod), where the official NIST files live.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(shared); err != nil {
				t.Skip("../shared (official NIST OSCAL files) is not present next to the repository")
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
}

// The official NIST examples, the NIST baseline profiles, and one resolved
// catalog (FedRAMP 1.0.4 content, 1.7 MB) in ../shared are valid. The other
// resolved catalogs are larger copies of the same shapes; set
// PEDIGREE_ALL_CATALOGS=1 to validate every file.
func TestOfficialDocumentsValidate(t *testing.T) {
	shared := sharedDir(t)
	globs := []string{"catalogs/examples/*.json", "catalogs/nist-sp800-53-rev5/*_profile.json", "catalogs/fedramp-rev5/FedRAMP_rev5_LI-SaaS-baseline-resolved-profile_catalog.json"}
	if os.Getenv("PEDIGREE_ALL_CATALOGS") != "" {
		globs = []string{"catalogs/examples/*.json", "catalogs/nist-sp800-53-rev5/*.json", "catalogs/fedramp-rev5/*.json"}
	}
	var files []string
	for _, g := range globs {
		m, _ := filepath.Glob(filepath.Join(shared, g))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no OSCAL documents in ../shared/catalogs")
	}
	if testing.Short() && len(files) > 5 {
		files = files[:5]
	}
	for _, f := range files {
		doc, err := ReadFile(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if err := Validate(doc); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

// A doctored NIST example gives its problems sorted by JSON pointer, each
// on one line, the same every time.
func TestValidationProblemsSorted(t *testing.T) {
	doc, err := ReadFile("testdata/doctored-ar.json")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for i := 0; i < 3; i++ {
		err := Validate(doc)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("want a ValidationError, got %v", err)
		}
		var lines []string
		for _, p := range ve.Problems {
			if strings.Contains(p.String(), "\n") {
				t.Errorf("problem spans lines: %q", p)
			}
			lines = append(lines, p.String())
		}
		if !sort.SliceIsSorted(ve.Problems, func(i, j int) bool {
			return ComparePointers(ve.Problems[i].Pointer, ve.Problems[j].Pointer) < 0
		}) {
			t.Errorf("problems not sorted by pointer:\n%s", strings.Join(lines, "\n"))
		}
		out := strings.Join(lines, "\n") + "\n"
		if i > 0 && out != got {
			t.Fatalf("second validation differs:\n%s\nvs\n%s", out, got)
		}
		got = out
	}
	golden := "testdata/doctored-ar.out"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("problems differ from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
	for _, ptr := range []string{"/assessment-results/metadata", "/assessment-results/results/0", "/assessment-results/results/0/observations/1/uuid", "/assessment-results/results/0/start"} {
		if !strings.Contains(got, ptr+": ") {
			t.Errorf("no problem reported at %s", ptr)
		}
	}
}

func TestComparePointers(t *testing.T) {
	ps := []string{"/a/10", "/a/2/x", "", "/a/2", "/b", "/a/10/y", "/a/01", "/a/1"}
	sort.Slice(ps, func(i, j int) bool { return ComparePointers(ps[i], ps[j]) < 0 })
	want := []string{"", "/a/01", "/a/1", "/a/2", "/a/2/x", "/a/10", "/a/10/y", "/b"}
	if strings.Join(ps, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", ps, want)
	}
}

func TestYAMLDocuments(t *testing.T) {
	doc, err := ReadFile("testdata/minimal-ar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(doc); err != nil {
		t.Errorf("minimal-ar.yaml: %v", err)
	}
	doc, err = ReadFile("testdata/bad-ar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if err := Validate(doc); !errors.As(err, &ve) {
		t.Fatalf("bad-ar.yaml: want a ValidationError, got %v", err)
	}
	want := []string{
		`/assessment-results/metadata/version: got number, want string`,
		`/assessment-results/results: minItems: got 0, want 1`,
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNotOSCAL(t *testing.T) {
	for name, in := range map[string]string{
		"array":      `[1,2]`,
		"no model":   `{"foo": {}}`,
		"two models": `{"catalog": {}, "profile": {}}`,
	} {
		doc, err := DecodeJSON([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		var ve *ValidationError
		if err := Validate(doc); !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Pointer != "" {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

var offsetRe = regexp.MustCompile(`^invalid JSON at offset \d+, line \d+, column \d+: .+$`)

// Malformed and truncated input gives one line with the offset.
func TestSyntaxErrors(t *testing.T) {
	full, err := os.ReadFile("testdata/doctored-ar.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		in   string
		want string
	}{
		"truncated":      {string(full[:len(full)/2]), "invalid JSON at offset " + itoa(len(full)/2)},
		"bad token":      {"{\n  \"a\": tru\n}", "invalid JSON at offset 12, line 2, column 11: invalid character '\\n' in literal true (expecting 'e')"},
		"trailing data":  {`{"a": 1} {"b": 2}`, "invalid JSON at offset 9, line 1, column 10: unexpected data after the document"},
		"empty":          {"", "invalid JSON at offset 0, line 1, column 1: empty document"},
		"deep":           {strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "invalid JSON at offset"},
		"not utf8 after": {"{\"a\": \"\xff\"}x", "invalid JSON at offset 10, line 1, column 11: unexpected data after the document"},
	}
	for name, c := range cases {
		_, err := DecodeJSON([]byte(c.in))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, c.want) || !offsetRe.MatchString(msg) {
			t.Errorf("%s: got %q, want prefix %q on one line", name, msg, c.want)
		}
	}
	for name, in := range map[string]string{
		"bad indent": "a:\n  b: 1\n c: 2\n",
		"tab":        "a:\n\t- b\n",
		"alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
		"dup key":    "a: 1\na: 2\n",
	} {
		_, err := DecodeYAML([]byte(in))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "invalid YAML") {
			t.Errorf("%s: got %q", name, msg)
		}
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

// The fast matchers answer exactly as Go's regexp does for their patterns.
func FuzzMatchers(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a\nb", "\u00a0x", "_x.1-2", "1x", "x\xff", "ü", "0b6f8f0e-7c0a-4c1e-9d7e-3f4a5b6c7d8e", "0b6f8f0e-7c0a-6c1e-9d7e-3f4a5b6c7d8e", "\r", "a\x0c"} {
		f.Add(s)
	}
	for _, s := range []string{"2026-03-01T10:00:00Z", "2000-02-29T23:59:59.5+14:00", "1900-02-29", "2100-02-29T00:00:00Z", "2024-02-29-03:30", "19-02-29", "19-02-29Z", "19-02-29T00:00:00Z", "1996-02-29", "2104-02-29", "2900-02-29", "2024-04-31", "1999-12-31T24:00:00Z", "2026-01-01T00:00:00+05:45", "2026-01-01T00:00:00.Z", "https://x", "ab:c", "a:b", "a+-.:\n", "x1:\xff"} {
		f.Add(s)
	}
	res := map[string]*regexp.Regexp{}
	for p := range fastMatchers {
		res[p] = regexp.MustCompile(p)
	}
	fast := fastMatchers
	f.Fuzz(func(t *testing.T, s string) {
		for p, re := range res {
			if got, want := fast[p](s), re.MatchString(s); got != want {
				t.Errorf("%q against %s: fast %v, regexp %v", s, p, got, want)
			}
		}
	})
}

// Decoding and validating arbitrary bytes never panics.
func FuzzDecodeValidate(f *testing.F) {
	for _, p := range []string{"testdata/minimal-ar.yaml", "testdata/bad-ar.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, true)
		}
	}
	f.Add([]byte(`{"catalog": {"uuid": "x", "metadata": {}}}`), false)
	f.Add([]byte(`{"assessment-results": {"results": [{"observations": [1, 2]}]}}`), false)
	f.Add([]byte("{\"a\": [1, 2"), false)
	f.Fuzz(func(t *testing.T, b []byte, yaml bool) {
		name := "doc.json"
		if yaml {
			name = "doc.yaml"
		}
		doc, err := Decode(name, b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error: %q", err)
			}
			return
		}
		_ = Validate(doc)
	})
}
