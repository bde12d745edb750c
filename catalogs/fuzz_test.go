package catalogs

import (
	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	"os"
	"path/filepath"
	"testing"
)

func addSeeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzDecodeDocument: malformed, truncated or deeply nested OSCAL input is
// an error, never a panic.
func FuzzDecodeDocument(f *testing.F) {
	addSeeds(f, "testdata/*.json", "testdata/*.yaml", "testdata/profiles/*")
	f.Add([]byte(`{"catalog":{"groups":[{"controls":[{"controls":[{"controls":[]}]}]}]}}`))
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("\xef\xbb\xbf{\"profile\":{}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeDocument("fuzz", b)
		if err == nil && m.Catalog != nil {
			params := paramScope(m.Catalog)
			WalkControls(m.Catalog, func(_ *oscalGroup, _, c *oscalControl) {
				_ = StatementText(c, params)
				_ = paramsOf(c.Params, params)
			})
		}
	})
}

// FuzzResolveProfile resolves arbitrary profiles against the mini catalog.
func FuzzResolveProfile(f *testing.F) {
	addSeeds(f, "testdata/profiles/*")
	catalog, err := filepath.Abs(filepath.Join("testdata", "mini-catalog.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "p.json")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ResolveProfile(p, ResolveOptions{Catalog: catalog, MaxDepth: 4})
		if err == nil && res.Catalog == nil {
			t.Fatal("no catalog and no error")
		}
	})
}

func FuzzRenderProse(f *testing.F) {
	f.Add("Review {{ insert: param, p1 }} ; and {{ insert: param, p2 }}.")
	f.Add("{{ insert: param, p3 }}{{insert:param,p3}}")
	f.Fuzz(func(t *testing.T, s string) {
		choice := []string{s, "{{ insert: param, p3 }}"}
		params := map[string]*oscalParameter{
			"p1": {ID: "p1", Label: s},
			"p3": {ID: "p3", Select: &oscalSelection{Choice: &choice}},
		}
		_ = renderProse(s, params, 0)
	})
}

func FuzzNormalizeID(f *testing.F) {
	for _, s := range []string{"SR-4(3)", "sr-4.3", "SR-04(03)", "ac-2 (1)", "", "x-1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := NormalizeID(s)
		if err != nil {
			return
		}
		again, err := NormalizeID(Label(id))
		if err != nil || again != id {
			t.Fatalf("NormalizeID(Label(%q)) = %q, %v", id, again, err)
		}
	})
}

type (
	oscalGroup     = oscal.Group
	oscalControl   = oscal.Control
	oscalParameter = oscal.Parameter
	oscalSelection = oscal.ParameterSelection
)
