package cichecks

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/collectors/vuln"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// TestActionSnapshotLoads: every shipped record is an OSV record of the
// GitHub Actions ecosystem that the vuln collector's reader decodes, named
// for its id, counted by snapshot.yaml and listed with its origin in
// SOURCES.md.
func TestActionSnapshotLoads(t *testing.T) {
	db := DefaultActionDB()
	if db.Source == "" || db.Date == "" {
		t.Error("shipped snapshot lacks its source or date")
	}
	files, err := fs.Glob(actionsData, actionsDataDir+"/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded records: %v", err)
	}
	sources, err := os.ReadFile("data/github-actions/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, _ := fs.ReadFile(actionsData, f)
		v, err := vuln.ParseOSV(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if id := v.GetId(); id+".json" != path.Base(f) {
			t.Errorf("%s holds %s", f, id)
		}
		if v.GetPublished() == nil || v.GetModified() == nil || v.GetSummary() == "" || len(v.GetAffected()) == 0 {
			t.Errorf("%s: published, modified, summary or affected missing", f)
		}
		for _, a := range v.GetAffected() {
			if a.GetPackage().GetEcosystem() != actionsEcosystem || a.GetPackage().GetName() == "" {
				t.Errorf("%s: affected package %v is not a GitHub Action", f, a.GetPackage())
			}
		}
		// The record is kept as published: plain JSON, not re-encoded.
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil || raw["database_specific"] == nil {
			t.Errorf("%s: not the published record (database_specific missing): %v", f, err)
		}
		if !bytes.Contains(sources, []byte("| "+v.GetId()+" |")) {
			t.Errorf("SOURCES.md does not list %s", v.GetId())
		}
	}
	ix := db.index()
	if db.ixErr != nil || ix == nil || len(ix.Advisories) != len(files) {
		t.Fatalf("indexed %v advisories of %d: %v", ix, len(files), db.ixErr)
	}
	// A snapshot.yaml whose count disagrees with the folder is refused.
	bad := fstest.MapFS{"d/snapshot.yaml": {Data: []byte("records: 2\n")}, "d/a.json": {Data: []byte("{}")}}
	if _, err := readActionsFS(bad, "d"); err == nil {
		t.Error("a miscounted snapshot was accepted")
	}
}

// TestKnownVulnerableMatching matches references against the shipped
// records: full tags by the advisory's ranges, partial tags and branches by
// the newest release of their line, composite actions and reusable
// workflows by their path and their repository, owner names in any case,
// package names given as URLs, several affected entries per advisory.
func TestKnownVulnerableMatching(t *testing.T) {
	db := DefaultActionDB()
	const und = "?" // marks an advisory that cannot be decided
	for _, tc := range []struct {
		name, ref, ver string
		want           []string
	}{
		{"actions/download-artifact", "v4.1.2", "", []string{"GHSA-cxww-7g56-2vh6"}},
		{"actions/download-artifact", "4.0.0", "", []string{"GHSA-cxww-7g56-2vh6"}},
		{"actions/download-artifact", "v4.1.7", "", nil},
		{"actions/download-artifact", "v3.0.2", "", nil}, // before introduced
		{"actions/download-artifact", "v4", "", nil},     // the v4 line has the fix
		{"actions/download-artifact", "v4.1", "", nil},   // so has v4.1
		{"actions/download-artifact", "v4.0", "", []string{"GHSA-cxww-7g56-2vh6"}},
		{"actions/download-artifact", "main", "", nil}, // the branch carries the fix
		{"tj-actions/changed-files", "v40.1.0", "", []string{"GHSA-mcph-m25j-8j63"}},
		{"tj-actions/changed-files", "v40", "", []string{"GHSA-mcph-m25j-8j63"}},
		{"tj-actions/changed-files", "v41", "", nil},
		{"TJ-Actions/Changed-Files", "v40.1.0", "", []string{"GHSA-mcph-m25j-8j63"}},
		{"azure/setup-kubectl", "v2", "", []string{"GHSA-p756-rfxh-x63h"}},
		{"Azure/setup-kubectl", "v3", "", nil},
		{"rlespinasse/github-slug-action", "v2.1.0", "", []string{"GHSA-7f32-hm4h-w77q"}},
		{"rlespinasse/github-slug-action", "v1.1.1", "", nil},
		{"rlespinasse/github-slug-action", "v3", "", nil},
		{"rlespinasse/github-slug-action", "4.0.1", "", []string{"GHSA-6q4m-7476-932w"}},
		{"rlespinasse/github-slug-action", "v4", "", nil},
		{"rlespinasse/github-slug-action/sub", "4.0.1", "", []string{"GHSA-6q4m-7476-932w"}},
		// A reusable workflow is matched by its repository's advisory.
		{"kartverket/github-workflows/.github/workflows/run-terraform.yml", "v2.7.4", "", []string{"GHSA-f9qj-7gh3-mhj4"}},
		{"kartverket/github-workflows/.github/workflows/run-terraform.yml", "v2.7.5", "", nil},
		// A composite action in a sub-folder, named by its own entry too.
		{"super-linter/super-linter/slim", "v7.0.0", "", []string{"GHSA-r79c-pqj3-577x"}},
		{"super-linter/super-linter/slim", "v8.3.1", "", nil},
		{"super-linter/super-linter", "v5.0.0", "", nil},
		// Named by URL, in a sub-folder, every version affected.
		{"pytorch/pytorch/.github/actions/filter-test-configs", "v2", "", []string{"GHSA-hw6r-g8gj-2987"}},
		{"pytorch/pytorch/.github/actions/filter-test-configs", "main", "", []string{"GHSA-hw6r-g8gj-2987"}},
		{"pytorch/pytorch/.github/actions/filter-test-configs", "ec26947c586dd323d741da80008403664c533f65", "", []string{"GHSA-hw6r-g8gj-2987"}},
		{"pytorch/pytorch", "v2", "", nil}, // the repository root is another action
		// Pinned by commit: the version comment decides, else undecided.
		{"atlassian/gajira-create", "2cd32e0738e2b31717e7119717fed83e482d2a36", "", []string{und + "GHSA-4xqx-pqpj-9fqw"}},
		{"atlassian/gajira-create", "2cd32e0738e2b31717e7119717fed83e482d2a36", "v1.0.1", []string{"GHSA-4xqx-pqpj-9fqw"}},
		{"atlassian/gajira-create", "2cd32e0738e2b31717e7119717fed83e482d2a36", "2.0.1", nil},
		{"actions/download-artifact", "fa0a91b85d4f404e444e00e005971372dc801d16", "v4", nil},
		{"atlassian/gajira-create", "v1.0.1", "", []string{"GHSA-4xqx-pqpj-9fqw"}},
		{"atlassian/gajira-create", "v2.0.1", "", nil},
		{"actions/checkout", "v1", "", nil}, // no advisory names it
	} {
		got := lookupIDs(db, tc.name, tc.ref, tc.ver)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s@%s (%s): %v, want %v", tc.name, tc.ref, tc.ver, got, tc.want)
		}
	}
}

func lookupIDs(db *ActionDB, name, ref, ver string) []string {
	hits, unds := db.lookup(name, ref, ver)
	var got []string
	for _, h := range hits {
		got = append(got, h.ID)
	}
	for _, u := range unds {
		got = append(got, "?"+u.ID)
	}
	slices.Sort(got)
	return got
}

// synthetic OSV records for the range forms GitHub's records rarely use:
// last_affected, GIT ranges by commit, versions lists, SEMVER ranges.
const syntheticOSV = `[
 {"id": "X-LAST", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "o/l"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1.4.0"}]}]}]},
 {"id": "X-GIT", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "o/g"},
   "ranges": [{"type": "GIT", "repo": "https://github.com/o/g", "events": [
     {"introduced": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, {"fixed": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}]}]}]},
 {"id": "X-VERS", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "o/v"},
   "versions": ["v1.2.3", "dddddddddddddddddddddddddddddddddddddddd"]}]},
 {"id": "X-SEMVER", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "O/S"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.5.0"}]}]}]},
 {"id": "X-NPM", "affected": [{"package": {"ecosystem": "npm", "name": "o/n"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
]`

func TestKnownVulnerableRangeForms(t *testing.T) {
	db, err := ParseAdvisories("synthetic.json", []byte(syntheticOSV))
	if err != nil {
		t.Fatal(err)
	}
	const sha = "cccccccccccccccccccccccccccccccccccccccc"
	for _, tc := range []struct {
		name, ref, ver string
		want           []string
	}{
		{"o/l", "v1.4.0", "", []string{"X-LAST"}},
		{"o/l", "v1.4.1", "", nil},
		{"o/l", "v1", "", []string{"?X-LAST"}}, // v1's newest may be 1.4.0 or later
		{"o/l", "v1.3", "", []string{"X-LAST"}},
		{"o/l", "v2", "", nil},
		{"o/l", "main", "", []string{"?X-LAST"}},
		{"o/g", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", []string{"X-GIT"}},
		{"o/g", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "", nil}, // the fixing commit
		{"o/g", sha, "", []string{"?X-GIT"}},
		{"o/g", "v1.0.0", "", []string{"?X-GIT"}}, // commits, not tags
		{"o/g", "v1", "", []string{"?X-GIT"}},
		{"o/v", "dddddddddddddddddddddddddddddddddddddddd", "", []string{"X-VERS"}},
		{"o/v", "v1.2.3", "", []string{"X-VERS"}},
		{"o/v", "1.2.3", "", []string{"X-VERS"}},
		{"o/v", "v1.2.4", "", nil},
		{"o/v", "v1", "", []string{"?X-VERS"}},
		{"o/v", "v2", "", nil},
		{"o/v", sha, "v1.2.3", []string{"X-VERS"}},
		{"o/s", "v1.4.9", "", []string{"X-SEMVER"}},
		{"o/s", "v1.5.0", "", nil},
		{"o/s", "v0.9.0", "", nil},
		{"o/n", "v1.0.0", "", nil}, // another ecosystem's package of that name
	} {
		if got := lookupIDs(db, tc.name, tc.ref, tc.ver); !slices.Equal(got, tc.want) {
			t.Errorf("%s@%s (%s): %v, want %v", tc.name, tc.ref, tc.ver, got, tc.want)
		}
	}
}

// TestAdvisoryFiles: a zip of OSV records (osv.dev's export), the
// hand-written list, and bad files refused with the file named.
func TestAdvisoryFiles(t *testing.T) {
	var recs []json.RawMessage
	if err := json.Unmarshal([]byte(syntheticOSV), &recs); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, r := range recs {
		w, _ := zw.Create("GitHub Actions/" + string(rune('a'+i)) + ".json")
		w.Write(r)
	}
	w, _ := zw.Create("README.txt")
	w.Write([]byte("not a record"))
	zw.Close()
	zdb, err := ParseAdvisories("all.zip", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := lookupIDs(zdb, "o/s", "v1.4.9", ""); !slices.Equal(got, []string{"X-SEMVER"}) {
		t.Errorf("zip: %v", got)
	}
	hand := []byte("source: test\ndate: \"2026-01-01\"\nadvisories:\n  - id: X-1\n    action: o/a\n    introduced: \"4.0.0\"\n    fixed: \"4.4.1\"\n    summary: s\n  - id: X-2\n    action: o/b\n    versions: [\"1.0.1\"]\n    commits: [\"2cd32e0738e2b31717e7119717fed83e482d2a36\"]\n")
	hdb, err := ParseAdvisories("hand.yaml", hand)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ref string
		want      int
	}{
		{"o/a", "v4.3.0", 1}, {"o/a", "v4.4.1", 0}, {"o/a", "v3.9.0", 0}, {"o/a", "v4.3", 1}, {"o/a", "v4", 0},
		{"o/b", "2cd32e0738e2b31717e7119717fed83e482d2a36", 1}, {"o/b", "v1.0.1", 1}, {"o/b", "v1.0.2", 0},
	} {
		if hits, _ := hdb.lookup(tc.name, tc.ref, ""); len(hits) != tc.want {
			t.Errorf("hand-written %s@%s: %d hits, want %d", tc.name, tc.ref, len(hits), tc.want)
		}
	}
	for _, bad := range []struct{ name, body string }{
		{"bad.yaml", "advisories:\n  - id: X\n    action: o/a\n"},
		{"bad.json", `[{"id": "X", "affected": 3}]`},
		{"bad.zip", "PK\x03\x04 truncated"},
		{"empty.zip", string(emptyZip(t))},
		{"many.zip", string(manyMembersZip(t))},
	} {
		if _, err := ParseAdvisories(bad.name, []byte(bad.body)); err == nil || !strings.Contains(err.Error(), bad.name) {
			t.Errorf("%s: %v", bad.name, err)
		}
	}
	// Refused from the end record's count, not archive/zip's directory.
	if _, err := ParseAdvisories("many.zip", manyMembersZip(t)); err == nil || !strings.Contains(err.Error(), "many.zip: 200001 members, more than 200000") {
		t.Errorf("many.zip: %v", err)
	}
}

// manyMembersZip is a one-member zip whose ZIP64 end record claims more
// members than parseAdvisoryZip reads: it must be refused from that
// record, before archive/zip reads the directory.
func manyMembersZip(t *testing.T) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("a.json")
	w.Write([]byte(`{"id": "X"}`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	z := b.Bytes()
	const eocdLen = 22
	end := z[len(z)-eocdLen:]
	if binary.LittleEndian.Uint32(end) != 0x06054b50 {
		t.Fatal("no end of central directory record")
	}
	cdSize, cdOff := binary.LittleEndian.Uint32(end[12:]), binary.LittleEndian.Uint32(end[16:])
	out := slices.Clone(z[:len(z)-eocdLen])
	rec64 := uint64(len(out))
	le := binary.LittleEndian
	// ZIP64 end of central directory record.
	out = le.AppendUint32(out, 0x06064b50)
	out = le.AppendUint64(out, 44)
	out = le.AppendUint16(out, 45)
	out = le.AppendUint16(out, 45)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint64(out, maxZipMembers+1)
	out = le.AppendUint64(out, maxZipMembers+1)
	out = le.AppendUint64(out, uint64(cdSize))
	out = le.AppendUint64(out, uint64(cdOff))
	// ZIP64 end of central directory locator.
	out = le.AppendUint32(out, 0x07064b50)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint64(out, rec64)
	out = le.AppendUint32(out, 1)
	// End of central directory record deferring to the ZIP64 one.
	out = le.AppendUint32(out, 0x06054b50)
	out = le.AppendUint16(out, 0)
	out = le.AppendUint16(out, 0)
	out = le.AppendUint16(out, 0xffff)
	out = le.AppendUint16(out, 0xffff)
	out = le.AppendUint32(out, 0xffffffff)
	out = le.AppendUint32(out, 0xffffffff)
	out = le.AppendUint16(out, 0)
	if n, err := readlimit.ZipEntries(bytes.NewReader(out), int64(len(out))); err != nil || n != maxZipMembers+1 {
		t.Fatalf("ZipEntries = %d, %v", n, err)
	}
	return out
}

func emptyZip(t *testing.T) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("a.txt")
	w.Write([]byte("x"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestKnownVulnerableVerdicts: as a check, a commit pin the advisory data
// cannot decide is not-assessed (never pass), naming the advisory; its
// version comment decides it; a reusable workflow call is judged too.
func TestKnownVulnerableVerdicts(t *testing.T) {
	wf := func(uses string) *ci.Pipeline {
		return ci.ParseWorkflow(".github/workflows/a.yml", []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: "+uses+"\n"))
	}
	chk := NewKnownVulnerableAction().Check(nil)
	for _, tc := range []struct {
		p    *ci.Pipeline
		want evidence.Status
		msg  string
	}{
		{wf("atlassian/gajira-create@2cd32e0738e2b31717e7119717fed83e482d2a36"), evidence.NotAssessed, "GHSA-4xqx-pqpj-9fqw"},
		{wf("atlassian/gajira-create@2cd32e0738e2b31717e7119717fed83e482d2a36 # v1.0.1"), evidence.Fail, "by the version comment v1.0.1"},
		{wf("atlassian/gajira-create@2cd32e0738e2b31717e7119717fed83e482d2a36 # v2.0.1"), evidence.Pass, ""},
		{wf("Atlassian/Gajira-Create@v1.0.1"), evidence.Fail, "atlassian/gajira-create@v1.0.1 is affected by GHSA-4xqx-pqpj-9fqw (by the tag v1.0.1)"},
		{wf("actions/checkout@v4"), evidence.Pass, ""},
		{ci.ParseWorkflow(".github/workflows/b.yml", []byte("on: push\njobs:\n  call:\n    uses: kartverket/github-workflows/.github/workflows/run-terraform.yml@v2.7.4\n")), evidence.Fail, "GHSA-f9qj-7gh3-mhj4"},
	} {
		fs := chk.Run([]evidence.Evidence{{ID: "e", Kind: ci.Kind, Payload: tc.p}})
		if len(fs) != 1 || fs[0].Status != tc.want || !strings.Contains(fs[0].Message, tc.msg) {
			t.Errorf("%s: %+v, want %s with %q", tc.p.Path, fs, tc.want, tc.msg)
		}
	}
	// A failing reference does not hide an undecided one in the same file.
	both := ci.ParseWorkflow(".github/workflows/c.yml", []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: atlassian/gajira-create@v1.0.1\n      - uses: atlassian/gajira-create@2cd32e0738e2b31717e7119717fed83e482d2a36\n      - uses: atlassian/gajira-create@2cd32e0738e2b31717e7119717fed83e482d2a36\n"))
	var st []string
	for _, f := range chk.Run([]evidence.Evidence{{ID: "e", Kind: ci.Kind, Payload: both}}) {
		st = append(st, string(f.Status)+": "+f.Message)
	}
	slices.Sort(st)
	if len(st) != 2 || !strings.HasPrefix(st[0], "fail: ") || !strings.HasPrefix(st[1], "not-assessed: ") || !strings.Contains(st[1], "(lines 8, 9) against GHSA-4xqx-pqpj-9fqw") {
		t.Errorf("fail beside undecided: %q", st)
	}
}

// TestSetupPHPCorpusCase: the shared corpus's setup-php pin (a commit with
// a version comment without "v", # 2.37.0) is decided by its comment once
// an advisory for the action is loaded. The shipped snapshot lacks
// setup-php's advisories (SOURCES.md), so the test gives a record of the
// same range form (introduced 0, fixed 2.37.1) as a user's advisory file.
func TestSetupPHPCorpusCase(t *testing.T) {
	p := sharedDir(t, "corpus/ci/zizmor/known-vulnerable-actions/setup-php.yml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	pl := ci.ParseWorkflow(p, b)
	rec := `{"id": "TEST-SETUP-PHP", "summary": "test record", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "shivammathur/setup-php"},
	  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.37.1"}]}]}]}`
	db, err := ParseAdvisories("user.json", []byte(rec))
	if err != nil {
		t.Fatal(err)
	}
	ps := Run(pl, []*Rule{NewKnownVulnerableActionWith(DefaultActionDB(), db)}, nil)
	if len(ps) != 1 || ps[0].Line != 17 || !strings.Contains(ps[0].Message, "by the version comment 2.37.0") {
		t.Errorf("setup-php: %+v", ps)
	}
	// With the shipped snapshot alone, nothing names the action.
	if ps := Run(pl, []*Rule{NewKnownVulnerableAction()}, nil); len(ps) != 0 {
		t.Errorf("snapshot alone: %+v", ps)
	}
}

// FuzzParseAdvisories: advisory files are user input (zip, JSON, YAML);
// parsing and matching must not panic.
func FuzzParseAdvisories(f *testing.F) {
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("a.json")
	w.Write([]byte(`{"id": "Z", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "o/z"}, "versions": ["v1"]}]}`))
	zw.Close()
	for _, s := range []string{syntheticOSV, zb.String(), "advisories:\n  - id: X\n    action: o/a\n    fixed: \"1\"\n",
		`{"source": "s", "records": [{"id": "R", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "https://github.com/o/r/"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1"}, {"last_affected": "x"}]}]}]}]}`,
		"PK\x05\x06", "[", ""} {
		f.Add([]byte(s), "o/a", "v1")
	}
	f.Fuzz(func(t *testing.T, b []byte, name, ref string) {
		db, err := ParseAdvisories("f", b)
		if err != nil {
			return
		}
		for _, n := range []string{name, "o/l", "o/g", "o/r", "o/z"} {
			db.lookup(n, ref, ref)
			db.lookup(n, "cccccccccccccccccccccccccccccccccccccccc", ref)
		}
	})
}

// BenchmarkKnownVulnerableLookup: the shipped snapshot indexed, then one
// reference per advisory kind looked up (tag, partial tag, commit, none).
func BenchmarkKnownVulnerableLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		db, err := readActionsFS(actionsData, actionsDataDir)
		if err != nil {
			b.Fatal(err)
		}
		db.lookup("actions/download-artifact", "v4.1.2", "")
		db.lookup("tj-actions/changed-files", "v40", "")
		db.lookup("atlassian/gajira-create", "2cd32e0738e2b31717e7119717fed83e482d2a36", "")
		db.lookup("actions/checkout", "v4", "")
	}
}
