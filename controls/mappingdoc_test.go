package controls

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/catalogs"
)

// TestMappingDocUpToDate keeps docs/mapping.md in step with the embedded
// mapping. PEDIGREE_UPDATE_GOLDEN=1 rewrites its generated part.
func TestMappingDocUpToDate(t *testing.T) {
	m, err := DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	const path = "../docs/mapping.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := bytes.Index(doc, []byte(DocBegin)), bytes.Index(doc, []byte(DocEnd))
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the generated-section markers", path)
	}
	got := doc[begin+len(DocBegin)+1 : end]
	want := m.Markdown(idx)
	if bytes.Equal(got, want) {
		return
	}
	if os.Getenv("PEDIGREE_UPDATE_GOLDEN") != "" {
		out := append(append(append([]byte{}, doc[:begin+len(DocBegin)+1]...), want...), doc[end:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of step with controls/mapping/*.yaml: run PEDIGREE_UPDATE_GOLDEN=1 go test ./controls -run TestMappingDocUpToDate", path)
}

// TestRationalesQuoteTheirPart: every embedded pair carries an explicit
// strength, and its rationale opens with the label of the first part it
// names and a quotation of that part's text, so that a reader can check the
// claim against the catalog.
func TestRationalesQuoteTheirPart(t *testing.T) {
	m, err := DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]bool{}
	files, _ := embeddedMapping.ReadDir("mapping")
	for _, f := range files {
		b, _ := embeddedMapping.ReadFile("mapping/" + f.Name())
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "strength:") {
				raw[f.Name()] = true
			}
		}
	}
	quoted := regexp.MustCompile(`^(\S+) "([^"]+)": \S`)
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, e := range m.Sorted() {
		for _, c := range e.Controls {
			ctl, _ := idx.Control(c.Control)
			q := quoted.FindStringSubmatch(c.Rationale)
			if q == nil {
				t.Errorf("%s: %s → %s: rationale does not open with a quoted part: %q", e.Source, e.Check, ctl.Label, c.Rationale)
				continue
			}
			if !strings.HasPrefix(q[1], ctl.Label) {
				t.Errorf("%s: %s → %s: rationale quotes %s", e.Source, e.Check, ctl.Label, q[1])
			}
			p, _ := ctl.Part(c.Parts[0])
			text := p.Text
			if text == "" {
				text = ctl.Statement
			}
			if quote := strings.TrimSuffix(q[2], " …"); !strings.Contains(norm(text), norm(quote)) {
				t.Errorf("%s: %s → %s: %q is not in the text of %s", e.Source, e.Check, ctl.Label, quote, c.Parts[0])
			}
		}
	}
	for _, f := range files {
		if f.Name() != "process.yaml" && !raw[f.Name()] {
			t.Errorf("mapping/%s gives no explicit strength", f.Name())
		}
	}
}
