package hdf

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

func TestGolden(t *testing.T) {
	var b bytes.Buffer
	if err := (Writer{}).Write(context.Background(), &b, assessmenttest.Small()); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/exec-json.schema.json", b.Bytes())
	assessmenttest.Golden(t, "testdata/small.hdf.json", b.Bytes())
}

func TestContent(t *testing.T) {
	e, err := Build(context.Background(), assessmenttest.Small())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Control{}
	for _, c := range e.Profiles[0].Controls {
		got[c.ID] = c
	}
	tests := []struct {
		id      string
		impact  float64
		nist    []string
		results []string
	}{
		{"CI-TEMPLATE-INJECTION", 0.7, []string{"SA-11"}, []string{"failed"}},
		{"SBOM-NTIA-MINIMUM", 0.5, []string{"CM-8"}, []string{"failed"}},
		{"SIGN-ARTIFACT-VERIFIED", 0.9, []string{"SI-7", "SR-4 (3)"}, []string{"passed", "skipped"}},
		{"ENGINE-COLLECTOR-ERROR", 0.7, []string{}, []string{"error"}},
	}
	for _, tt := range tests {
		c, ok := got[tt.id]
		if !ok {
			t.Errorf("no HDF control %s", tt.id)
			continue
		}
		if c.Impact != tt.impact {
			t.Errorf("%s impact %v, want %v", tt.id, c.Impact, tt.impact)
		}
		nj, _ := json.Marshal(c.Tags["nist"])
		wj, _ := json.Marshal(tt.nist)
		if string(nj) != string(wj) {
			t.Errorf("%s nist tags %s, want %s", tt.id, nj, wj)
		}
		var st []string
		for _, r := range c.Results {
			st = append(st, r.Status)
		}
		if sj, wj := mustJSON(st), mustJSON(tt.results); sj != wj {
			t.Errorf("%s results %s, want %s", tt.id, sj, wj)
		}
	}
}

func TestRandomValidates(t *testing.T) {
	var b bytes.Buffer
	if err := (Writer{}).Write(context.Background(), &b, assessmenttest.Random(2, 300, 40)); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/exec-json.schema.json", b.Bytes())
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
