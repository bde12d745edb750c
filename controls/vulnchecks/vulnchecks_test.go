package vulnchecks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

const demo = "../../examples/demo/vuln"

// collect runs the real sbom and vuln collectors over testdata/release.
func collect(t *testing.T, o vuln.Options) []evidence.Evidence {
	t.Helper()
	tg, err := collectors.OpenTarget("release", "testdata/release")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	tg.Now = time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)
	vc, err := vuln.New(o)
	if err != nil {
		t.Fatal(err)
	}
	var ev []evidence.Evidence
	for _, c := range []collectors.Collector{sbom.NewCollector(0), vc} {
		e, err := c.Collect(context.Background(), tg)
		if err != nil {
			t.Fatalf("%s: %v", c.Name(), err)
		}
		ev = append(ev, e...)
	}
	return ev
}

// run runs one check over the kinds it reads, as the engine does.
func run(c controls.Check, ev []evidence.Evidence) []evidence.Finding {
	var in []evidence.Evidence
	for _, e := range ev {
		for _, k := range c.Reads {
			if e.Kind == k {
				in = append(in, e)
			}
		}
	}
	return c.Run(in)
}

// verdicts renders findings as "status subject: message-fragment" lines.
func verdicts(t *testing.T, fs []evidence.Finding) []string {
	var out []string
	for _, f := range fs {
		if len(f.Evidence) == 0 {
			t.Errorf("finding without evidence: %s", f.Message)
		}
		s := string(f.Status)
		if len(f.Subjects) > 0 {
			s += " " + f.Subjects[0].Ref
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestDemoChecks(t *testing.T) {
	ev := collect(t, vuln.Options{OSV: []string{demo + "/osv"}, KEV: demo + "/known_exploited_vulnerabilities.json"})
	checks := All(Options{MaxAge: 90 * 24 * time.Hour})
	want := map[string][]string{
		"VULN-DB-MISSING":   {"pass " + demo + "/osv"},
		"VULN-DB-MALFORMED": {"pass " + demo + "/osv"},
		"VULN-DB-STALE":     {"pass " + demo + "/osv"},
		"VULN-KNOWN-EXPLOITED": {
			"fail pkg:golang/golang.org/x/net@v0.15.0",
			"fail pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
		},
		"VULN-CRITICAL-HIGH-FIXABLE": {
			"fail pkg:golang/golang.org/x/net@v0.15.0",
			"fail pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
			"fail pkg:npm/lodash@4.17.20",
		},
		"VULN-UNMATCHABLE-COMPONENTS": {"fail release:app.cdx.json"},
		"VULN-UNKNOWN-SUPPLIER":       {"fail release:app.cdx.json"},
		"VULN-VEX-SUPPRESSED": {
			"fail pkg:pypi/requests@2.31.0",
			"pass pkg:golang/golang.org/x/crypto@v0.16.0",
		},
	}
	msgs := map[string]string{}
	for _, c := range checks {
		fs := run(c, ev)
		got := verdicts(t, fs)
		if strings.Join(got, "\n") != strings.Join(want[c.ID], "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", c.ID, strings.Join(got, "\n"), strings.Join(want[c.ID], "\n"))
		}
		for _, f := range fs {
			msgs[c.ID] += f.Message + "\n"
		}
	}
	// Every risk finding names component, version, ids, fix, CVSS, KEV.
	for id, frags := range map[string][]string{
		"VULN-KNOWN-EXPLOITED": {"log4j-core@2.14.1", "GHSA-jfh8-c2jp-5v3q (CVE-2021-44228)", "critical CVSS 10.0 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
			"fixed in 2.15.0", "KEV: yes (added 2021-12-10, due 2021-12-24, known ransomware use)"},
		"VULN-CRITICAL-HIGH-FIXABLE":  {"lodash@4.17.20", "GHSA-35jh-r3h4-6jhm (CVE-2021-23337) high CVSS 7.2", "fixed in 4.17.21", "KEV: no", "under_investigation"},
		"VULN-VEX-SUPPRESSED":         {"justification: vulnerable_code_not_in_execute_path", "impact: pedigree-demo never opens SSH", "without a justification"},
		"VULN-UNMATCHABLE-COMPONENTS": {"1 of 6 components", "no purl or CPE (first: zlib@1.3.1)"},
		"VULN-UNKNOWN-SUPPLIER":       {"1 of 6 components have no supplier", "lodash@4.17.20 [pkg:npm/lodash@4.17.20] (1 open vulnerability)"},
	} {
		for _, f := range frags {
			if !strings.Contains(msgs[id], f) {
				t.Errorf("%s message lacks %q:\n%s", id, f, msgs[id])
			}
		}
	}
}

func TestNoDatabaseIsNeverAPass(t *testing.T) {
	ev := collect(t, vuln.Options{})
	for _, c := range All(Options{}) {
		for _, f := range run(c, ev) {
			if f.Status == evidence.Pass && c.ID != "VULN-UNMATCHABLE-COMPONENTS" && c.ID != "VULN-UNKNOWN-SUPPLIER" {
				t.Errorf("%s passed without a database: %s", c.ID, f.Message)
			}
		}
	}
	fs := run(NewDBMissing(), ev)
	if len(fs) != 1 || fs[0].Status != evidence.NotAssessed || !strings.Contains(fs[0].Message, "6 components") {
		t.Fatalf("VULN-DB-MISSING = %+v", fs)
	}
	for _, c := range []controls.Check{NewKnownExploited(), NewCriticalHighFixable(evidence.High)} {
		fs := run(c, ev)
		if len(fs) != 1 || fs[0].Status != evidence.NotAssessed {
			t.Errorf("%s = %+v", c.ID, fs)
		}
	}
	// The VEX document found in the target is recorded but cannot apply.
	fs = run(NewVEXSuppressed(), ev)
	if len(fs) != 1 || fs[0].Status != evidence.NotAssessed {
		t.Errorf("VULN-VEX-SUPPRESSED = %+v", fs)
	}
}

func TestNoEvidenceNotApplicable(t *testing.T) {
	for _, c := range All(Options{}) {
		if fs := c.Run(nil); fs != nil {
			t.Errorf("%s returned %d findings for no evidence", c.ID, len(fs))
		}
	}
}

func TestKEVMissingAndThreshold(t *testing.T) {
	ev := collect(t, vuln.Options{OSV: []string{demo + "/osv"}})
	fs := run(NewKnownExploited(), ev)
	if len(fs) != 1 || fs[0].Status != evidence.NotAssessed || !strings.Contains(fs[0].Message, "no CISA KEV catalog") {
		t.Errorf("no KEV: %+v", fs)
	}
	// At a medium threshold requests (5.6, VEX not applied) fails too;
	// x/crypto stays suppressed.
	got := verdicts(t, run(NewCriticalHighFixable(evidence.Medium), ev))
	want := "fail pkg:golang/golang.org/x/net@v0.15.0|fail pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1|fail pkg:npm/lodash@4.17.20|fail pkg:pypi/requests@2.31.0"
	if strings.Join(got, "|") != want {
		t.Errorf("medium threshold: %v", got)
	}
}

func TestStaleAndMalformed(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(demo + "/osv/GHSA-35jh-r3h4-6jhm.json")
	os.WriteFile(filepath.Join(dir, "ok.json"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"id": 7}`), 0o644)
	ev := collect(t, vuln.Options{OSV: []string{dir}})
	fs := run(NewDBStale(24*time.Hour), ev)
	if len(fs) != 1 || fs[0].Status != evidence.Fail {
		t.Errorf("stale = %+v", fs)
	}
	fs = run(NewDBMalformed(), ev)
	if len(fs) != 1 || fs[0].Status != evidence.Fail || !strings.Contains(fs[0].Message, "bad.json") || fs[0].Location == nil {
		t.Errorf("malformed = %+v", fs)
	}
}

// TestMapping validates controls/mapping/vuln.yaml against the catalog:
// every VULN- check exists and every control is known and not withdrawn.
func TestMapping(t *testing.T) {
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range All(Options{}) {
		ids[c.ID] = true
		if m.Entries[c.ID] == nil {
			t.Errorf("%s has no mapping entry", c.ID)
		}
	}
	for id := range m.Entries {
		if !strings.HasPrefix(id, "VULN-") {
			delete(m.Entries, id)
		}
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(idx, ids); err != nil {
		t.Fatal(err)
	}
}

// TestEngine runs the real engine over the demo with the sbom and vuln
// collectors: evidence dedupes to one database, findings aggregate into
// control verdicts, and the database index stays out of the JSON.
func TestEngine(t *testing.T) {
	vc, err := vuln.New(vuln.Options{OSV: []string{demo + "/osv"}, KEV: demo + "/known_exploited_vulnerabilities.json",
		Load: vuln.LoadOptions{CacheDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	checks := All(Options{})
	scope := []string{"ra-5", "si-2", "si-2.2", "ra-3.1", "sr-3", "sr-4", "sr-6", "cm-8"}
	a, err := engine.Run(context.Background(), engine.Options{
		Targets:    []engine.TargetSpec{{Name: "release", Path: "testdata/release"}, {Name: "again", Path: "testdata/release"}},
		Collectors: []collectors.Collector{sbom.NewCollector(0), vc},
		Checks:     checks, Mapping: m, Index: idx, Scope: assessment.Scope{ControlIDs: scope},
	})
	if err != nil {
		t.Fatal(err)
	}
	dbs := 0
	for _, e := range a.Evidence {
		if e.Kind == vuln.KindDatabase {
			dbs++
		}
	}
	if dbs != 1 {
		t.Errorf("%d database evidence, want 1", dbs)
	}
	status := map[string]assessment.ControlStatus{}
	related := map[string]int{}
	for _, c := range a.Controls {
		status[c.ID] = c.Status
		related[c.ID] = len(c.RelatedFailures)
	}
	for _, id := range []string{"ra-5", "si-2", "si-2.2"} {
		if status[id] != assessment.NotSatisfied {
			t.Errorf("%s = %s, want not-satisfied", id, status[id])
		}
	}
	// Process controls the vulnerability checks only relate to: their
	// failures are reported with the control and decide nothing.
	for _, id := range []string{"ra-3.1", "sr-3", "sr-6"} {
		if status[id] != assessment.NotAssessed || related[id] == 0 {
			t.Errorf("%s = %s with %d related failures, want not-assessed with some", id, status[id], related[id])
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 200_000 {
		t.Errorf("pedigree.json is %d bytes", len(b))
	}
}
