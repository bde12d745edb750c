package config

import (
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/evidence"
)

func TestReportsSection(t *testing.T) {
	c, err := Parse("p.yaml", []byte("reports:\n  organization: Example Corp\n  poam-due-days: {High: 14, low: 200}\n  sarif-include-pass: true\n  bundle: out/e.tar.gz\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Reports
	if r.Organization != "Example Corp" || !r.SARIFIncludePass || r.POAMDueDays[evidence.High] != 14 || r.POAMDueDays[evidence.Low] != 200 {
		t.Fatalf("reports = %+v", r)
	}
	c.Dir = "/cfg"
	c.resolvePaths()
	if c.Reports.Bundle != "/cfg/out/e.tar.gz" {
		t.Errorf("bundle = %q, want it resolved against the config folder", c.Reports.Bundle)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"reports:\n  poam-due-days: {urgent: 3}\n", `line 2: poam-due-days: unknown severity "urgent"`},
		{"reports:\n  poam-due-days: {high: -1}\n", "want 0 or more"},
		{"reports:\n  colour: red\n", `unknown key "colour"`},
	} {
		if _, err := Parse("p.yaml", []byte(tt.yaml)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
