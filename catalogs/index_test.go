package catalogs

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustDefault(t testing.TB) *Index {
	t.Helper()
	ix, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestIndexFacts checks the embedded index against the counts SOURCES.md
// gives for the official files.
func TestIndexFacts(t *testing.T) {
	ix := mustDefault(t)
	var base, enh, withdrawn, text511 int
	for _, c := range ix.Controls() {
		if c.Parent == "" {
			base++
		} else {
			enh++
		}
		if c.Withdrawn {
			withdrawn++
		}
		if c.Release == "5.1.1+u4" {
			text511++
		}
	}
	if base != 322 || enh != 867 || withdrawn != 182 {
		t.Errorf("controls: %d base + %d enhancements, %d withdrawn; want 322 + 867, 182", base, enh, withdrawn)
	}
	if text511 != 424 {
		t.Errorf("%d controls carry 5.1.1 text, want 424 (HIGH ∪ PRIVACY resolved catalogs)", text511)
	}
	if n := len(ix.Families()); n != 20 {
		t.Errorf("%d families, want 20", n)
	}
	for name, want := range map[string]int{"low": 149, "moderate": 287, "high": 370, "privacy": 96, "cscrm": 290} {
		ids, err := ix.Baseline(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != want {
			t.Errorf("baseline %s: %d controls, want %d", name, len(ids), want)
		}
	}
	if got := ix.CSCRMNotInCatalog(); !slices.Equal(got, []string{"ma-8", "sr-13"}) {
		t.Errorf("C-SCRM ids not in the catalog: %v, want [ma-8 sr-13]", got)
	}
	high, _ := ix.Baseline("HIGH")
	var sr []string
	for _, id := range high {
		if strings.HasPrefix(id, "sr-") {
			sr = append(sr, id)
		}
	}
	wantSR := []string{"sr-1", "sr-2", "sr-2.1", "sr-3", "sr-5", "sr-6", "sr-8", "sr-9", "sr-9.1", "sr-10", "sr-11", "sr-11.1", "sr-11.2", "sr-12"}
	if !slices.Equal(sr, wantSR) {
		t.Errorf("HIGH SR controls %v, want %v", sr, wantSR)
	}
	if _, err := ix.Baseline("extreme"); err == nil {
		t.Error("unknown baseline accepted")
	}
	if len(ix.SSDFTasks()) != 42 || len(ix.Requirements171()) != 130 {
		t.Errorf("%d SSDF tasks, %d 800-171r3 requirements; want 42, 130", len(ix.SSDFTasks()), len(ix.Requirements171()))
	}
	var l1, l2 int
	for _, p := range ix.CMMCPractices() {
		if !p.Derived {
			t.Errorf("%s: CMMC mapping not marked derived", p.ID)
		}
		if p.Level == 1 {
			l1++
		} else {
			l2++
		}
	}
	// 17 Level 1 requirements, 15 FAR paragraphs (b.1.ix covers three).
	if l1 != 15 || l2 != 110 {
		t.Errorf("CMMC practices: %d Level 1, %d Level 2; want 15, 110", l1, l2)
	}
}

func TestControlRecords(t *testing.T) {
	ix := mustDefault(t)
	tests := []struct {
		id, label, title, release string
		baselines                 []string
		cscrm                     bool
	}{
		{"sr-4.3", "SR-4(3)", "Validate as Genuine and Not Altered", "5.0.1", nil, false},
		{"sr-4", "SR-4", "Provenance", "5.0.1", nil, true},
		{"sr-2.1", "SR-2(1)", "Establish SCRM Team", "5.1.1+u4", []string{"low", "moderate", "high"}, false},
		{"ac-3", "AC-3", "Access Enforcement", "5.1.1+u4", []string{"low", "moderate", "high"}, true},
		{"pt-2", "PT-2", "Authority to Process Personally Identifiable Information", "5.1.1+u4", []string{"privacy"}, false},
	}
	for _, tc := range tests {
		c, ok := ix.Control(tc.id)
		if !ok {
			t.Fatalf("%s missing", tc.id)
		}
		if c.Label != tc.label || c.Title != tc.title || c.Release != tc.release || !slices.Equal(c.Baselines, tc.baselines) || c.CSCRM != tc.cscrm {
			t.Errorf("%s: %+v", tc.id, c)
		}
	}
	ac1, _ := ix.Control("ac-1")
	wantStart := "a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:\n  1. [Selection (one or more): organization-level; mission/business process-level; system-level] access control policy that:"
	if !strings.HasPrefix(ac1.Statement, wantStart) {
		t.Errorf("ac-1 statement:\n%s", ac1.Statement)
	}
	if !slices.Equal(ac1.Methods, []string{"EXAMINE", "INTERVIEW"}) {
		t.Errorf("ac-1 methods %v", ac1.Methods)
	}
	au81, _ := ix.Control("au-8.1")
	if !au81.Withdrawn || !slices.Equal(au81.MovedTo, []string{"sc-45.1"}) {
		t.Errorf("au-8.1: %+v", au81)
	}
	ac210, _ := ix.Control("ac-2.10")
	if !ac210.Withdrawn || !slices.Equal(ac210.IncorporatedInto, []string{"ac-2"}) {
		t.Errorf("ac-2.10: %+v", ac210)
	}
	if _, err := ix.Lookup("SR-04(03)"); err != nil {
		t.Error(err)
	}
	if _, err := ix.Lookup("SR-99"); err == nil || !strings.Contains(err.Error(), "unknown control id") {
		t.Errorf("SR-99: %v", err)
	}
}

func TestCrossReferences(t *testing.T) {
	ix := mustDefault(t)
	if got := ix.SSDFFor("sr-4.3"); !slices.Equal(got, []string{"PW.4.4"}) {
		t.Errorf("SSDF for sr-4.3: %v", got)
	}
	task, ok := ix.SSDFTask("po.1.1")
	if !ok || !slices.Equal(task.Controls, []string{"sa-1", "sa-8", "sa-15", "sr-3"}) {
		t.Errorf("PO.1.1: %+v", task)
	}
	for _, id := range []string{"AC.L1-b.1.i", "ac.l1-3.1.1"} {
		p, ok := ix.CMMCPractice(id)
		if !ok || p.ID != "AC.L1-b.1.i" || p.Level != 1 || !slices.Equal(p.Controls, []string{"ac-2", "ac-3", "ac-17"}) {
			t.Errorf("%s: %+v", id, p)
		}
	}
	p, ok := ix.CMMCPractice("AC.L2-3.1.1")
	if !ok || p.Level != 2 {
		t.Errorf("AC.L2-3.1.1: %+v", p)
	}
	if got := ix.CMMCFor("ac-17"); !slices.Contains(got, "AC.L2-3.1.1") || !slices.Contains(got, "AC.L1-b.1.i") {
		t.Errorf("CMMC for ac-17: %v", got)
	}
	r, ok := ix.Requirement171("3.1.1")
	if !ok || r.ID != "03.01.01" || !slices.Equal(r.Controls, []string{"ac-2", "ac-2.3", "ac-2.5", "ac-2.13"}) {
		t.Errorf("03.01.01: %+v", r)
	}
	if got := ix.Requirements171For("sr-3"); !slices.Equal(got, []string{"03.17.03"}) {
		t.Errorf("800-171r3 for sr-3: %v", got)
	}
}

func TestNormalizeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SR-4(3)", "sr-4.3"},
		{"sr-4.3", "sr-4.3"},
		{"SR-04(03)", "sr-4.3"},
		{"sr-4 (3)", "sr-4.3"},
		{" AC-2 ", "ac-2"},
		{"ac-02", "ac-2"},
		{"AC-2(10)", "ac-2.10"},
		{"pm-30", "pm-30"},
		{"sc-45.1", "sc-45.1"},
		{"Sr-4( 3 )", "sr-4.3"},
	}
	for _, tc := range tests {
		got, err := NormalizeID(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeID(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "SR", "SR-", "SR-4(", "SR-4()", "SR4", "SRX-4", "SR-4(3)(1)", "SR-4.3.1", "SR-1234", "§SR-4", "SR-4(3", "1-2"} {
		if got, err := NormalizeID(bad); err == nil {
			t.Errorf("NormalizeID(%q) = %q, want an error", bad, got)
		}
	}
	if Label("sr-4.3") != "SR-4(3)" || Label("ac-2") != "AC-2" {
		t.Error("Label")
	}
	if !(SortKey("sr-4.3") < SortKey("sr-10") && SortKey("sr-4") < SortKey("sr-4.1")) {
		t.Error("SortKey")
	}
}

// TestIndexUpToDate regenerates the index from ../shared and compares it
// with the embedded one.
func TestIndexUpToDate(t *testing.T) {
	checkUpToDate(t, "index.json.gz", buildIndexJSON, embeddedIndex)
	if len(embeddedIndex) > 2<<20 {
		t.Errorf("embedded index is %d bytes, want well under 2 MB", len(embeddedIndex))
	}
}

// checkUpToDate regenerates the embedded file name with build from
// ../shared and compares it with the one embedded.
func checkUpToDate(t *testing.T, name string, build func(shared string) ([]byte, error), embedded []byte) {
	t.Helper()
	got, err := build(sharedCatalogs(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := gunzip(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("catalogs/%s is out of date: run `go generate ./catalogs`", name)
	}
}

func TestWithCatalog(t *testing.T) {
	shared := sharedCatalogs(t)
	ix := mustDefault(t)
	low := filepath.Join(shared, "nist-sp800-53-rev5/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json")
	ov, err := ix.WithCatalog(low)
	if err != nil {
		t.Fatal(err)
	}
	if ov.CatalogFile != low || !strings.Contains(ov.Release, "5.1.1+u4") {
		t.Errorf("release %q", ov.Release)
	}
	c, _ := ov.Control("ac-2")
	if c.Release != "5.1.1+u4" || !slices.Equal(c.Baselines, []string{"low", "moderate", "high"}) {
		t.Errorf("ac-2 after overlay: %+v", c)
	}
	// The default index is unchanged.
	if c0, _ := ix.Control("sr-4"); c0.Release != "5.0.1" {
		t.Errorf("overlay changed the default index: %+v", c0)
	}
	if _, err := ix.WithCatalog(filepath.Join(shared, "nist-sp800-53-rev5/NIST_SP-800-53_rev5_LOW-baseline_profile.json")); err == nil || !strings.Contains(err.Error(), "profile") {
		t.Errorf("a profile as --catalog: %v", err)
	}
	if _, err := ix.WithCatalog(filepath.Join(t.TempDir(), "absent.json")); err == nil {
		t.Error("absent catalog accepted")
	}
}

// TestWithCatalogAddsControls: a catalog with a control the index lacks
// (IA-13 in 5.1.1) adds it in catalog order.
func TestWithCatalogAddsControls(t *testing.T) {
	ix := mustDefault(t)
	path := filepath.Join("testdata", "catalog-ia13.yaml")
	ov, err := ix.WithCatalog(path)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := ov.Control("ia-13")
	if !ok || c.Release != "5.1.1" || c.Title != "Identity Providers and Authorization Servers" || c.FamilyTitle != "Identification and Authentication" {
		t.Fatalf("ia-13: %+v", c)
	}
	var prev string
	for _, x := range ov.Controls() {
		if x.ID == "ia-13" {
			if prev != "ia-12.6" {
				t.Errorf("ia-13 follows %s, want ia-12.6", prev)
			}
		}
		prev = x.ID
	}
	if _, ok := ix.Control("ia-13"); ok {
		t.Error("overlay changed the default index")
	}
}

func TestDefaultLoadTime(t *testing.T) {
	start := time.Now()
	f, err := decodeIndex(embeddedIndex)
	if err != nil {
		t.Fatal(err)
	}
	_ = newIndex(f)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("decoding the index took %v (aim < 50 ms; see BenchmarkDefault)", d)
	}
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		f, err := decodeIndex(embeddedIndex)
		if err != nil {
			b.Fatal(err)
		}
		_ = newIndex(f)
	}
}

func BenchmarkResolveHigh(b *testing.B) {
	shared := sharedCatalogs(b)
	profile := filepath.Join(shared, "nist-sp800-53-rev5/NIST_SP-800-53_rev5_HIGH-baseline_profile.json")
	opt := ResolveOptions{Catalog: filepath.Join(shared, catalog501), Now: fixedNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ResolveProfile(profile, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveFedRAMPHigh(b *testing.B) {
	shared := sharedCatalogs(b)
	profile := filepath.Join(shared, "fedramp-rev5/FedRAMP_rev5_HIGH-baseline_profile.json")
	opt := ResolveOptions{Catalog: filepath.Join(shared, catalog501), Now: fixedNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ResolveProfile(profile, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStatementParts: every active control carries its statement parts, each
// item with its label and text (restored from the statement when the index
// is decoded), leaves marked, and SP 800-53A objectives where the 5.1.1
// release has them.
func TestStatementParts(t *testing.T) {
	ix := mustDefault(t)
	withObjective := 0
	for _, c := range ix.Controls() {
		if c.Withdrawn {
			continue
		}
		if len(c.Parts) == 0 || c.Parts[0].ID != c.ID+"_smt" {
			t.Errorf("%s: parts %+v", c.ID, c.Parts)
			continue
		}
		leaves := 0
		for i, p := range c.Parts {
			if i > 0 && (p.Label == "" || p.Text == "") {
				t.Errorf("%s: item %s has no label or text", c.ID, p.ID)
			}
			if p.Leaf {
				leaves++
			}
			if p.Objective != "" {
				withObjective++
			}
		}
		if leaves == 0 || (len(c.Parts) == 1 && c.Parts[0].Text == "") {
			t.Errorf("%s: %d leaves, statement part text %q", c.ID, leaves, c.Parts[0].Text)
		}
	}
	c, _ := ix.Control("si-7")
	a, ok := c.Part("si-7_smt.a")
	if !ok || a.Label != "a." || a.Objective != "si-7_obj.a" || !a.Leaf || !strings.HasPrefix(a.Text, "Employ integrity verification tools to detect unauthorized changes") {
		t.Errorf("si-7_smt.a = %+v", a)
	}
	if got := strings.Join(c.LeafParts(), ","); got != "si-7_smt.a,si-7_smt.b" {
		t.Errorf("si-7 leaves %s", got)
	}
	if s, _ := ix.Control("sr-4.3"); len(s.Parts) != 1 || s.Parts[0].Objective != "" || !strings.HasPrefix(s.Parts[0].Text, "Employ the following controls to validate") {
		t.Errorf("sr-4.3 parts %+v (5.0.1 text carries no objectives)", s.Parts)
	}
	if withObjective < 1000 {
		t.Errorf("%d parts with an SP 800-53A objective, want the 5.1.1 controls' (over 1000)", withObjective)
	}
	if !PartCovers("ac-1_smt.a", "ac-1_smt.a.1.b") || PartCovers("ac-1_smt.a", "ac-1_smt.b") || PartCovers("sr-4_smt", "sr-4.3_smt") {
		t.Error("PartCovers")
	}
}
