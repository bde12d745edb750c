package vuln

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeZip(t *testing.T, file string, members map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedNames(members) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func record(id, eco, name, fixed string) []byte {
	return []byte(`{"id":"` + id + `","modified":"2024-03-01T00:00:00Z","affected":[{"package":{"ecosystem":"` + eco + `","name":"` + name +
		`"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"` + fixed + `"}]}]}]}`)
}

func TestLoadDirectoryAndProblems(t *testing.T) {
	db, err := LoadDatabase(context.Background(), []string{"testdata/osv"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Advisories != 4 || db.Withdrawn != 1 {
		t.Errorf("advisories %d withdrawn %d, want 4 and 1", db.Advisories, db.Withdrawn)
	}
	var where []string
	for _, p := range db.Problems {
		where = append(where, filepath.Base(p.File))
	}
	if strings.Join(where, ",") != "badtype.json,broken.json" {
		t.Errorf("problems = %v", db.Problems)
	}
	// PEP 503: the record says Django_Rest.Framework.
	hits, _ := db.Index.Query(Package{Ecosystem: "PyPI", Name: "django-rest-framework", Version: "3.15.1"})
	if len(hits) != 1 || hits[0].Advisory.ID != "PYSEC-2099-1" {
		t.Fatalf("PyPI hits = %+v", hits)
	}
	if w, _ := Worst(append(hits[0].Advisory.Scores, hits[0].Affected[0].Scores...)); w.Version != "4.0" || w.Base != 9.3 || w.Severity != "critical" {
		t.Errorf("CVSS v4 score = %+v", w)
	}
	// Records from a JSON array file.
	hits, _ = db.Index.Query(Package{Ecosystem: "crates.io", Name: "smallvec", Version: "0.6.10"})
	if len(hits) != 1 || hits[0].Fixed != "0.6.14" {
		t.Fatalf("crates hits = %+v", hits)
	}
	if db.Newest.IsZero() || db.Digest == "" || db.Cache != "off" {
		t.Errorf("newest %v digest %q cache %q", db.Newest, db.Digest, db.Cache)
	}
}

func TestLoadZipHostile(t *testing.T) {
	dir := t.TempDir()
	bomb := bytes.Repeat([]byte(" "), 3<<20) // compresses to a few KiB
	writeZip(t, filepath.Join(dir, "all.zip"), map[string][]byte{
		"GHSA-1.json":        record("GHSA-1", "npm", "lodash", "4.17.21"),
		"nested/GHSA-2.json": record("GHSA-2", "Go", "golang.org/x/net", "0.17.0"),
		"../escape.json":     record("ESC-1", "npm", "evil", "1.0.0"),
		"/abs.json":          record("ABS-1", "npm", "evil", "1.0.0"),
		"bomb.json":          bomb,
		"garbage.json":       []byte("\x00\x01 not json"),
		"README.txt":         []byte("ignored"),
	})
	os.WriteFile(filepath.Join(dir, "truncated.zip"), []byte("PK\x03\x04 truncated"), 0o644)
	db, err := LoadDatabase(context.Background(), []string{dir}, LoadOptions{MaxRecordSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if db.Advisories != 2 {
		t.Errorf("advisories = %d, want 2 (GHSA-1, GHSA-2)", db.Advisories)
	}
	want := map[string]string{
		"all.zip!../escape.json": "unsafe member name",
		"all.zip!/abs.json":      "unsafe member name",
		"all.zip!bomb.json":      "above the record limit",
		"all.zip!garbage.json":   "not an OSV record",
		"truncated.zip":          "not a readable zip archive",
	}
	got := map[string]string{}
	for _, p := range db.Problems {
		rel, _ := filepath.Rel(dir, p.File)
		w := rel
		if p.Member != "" {
			w += "!" + p.Member
		}
		got[w] = p.Error
	}
	for w, frag := range want {
		if !strings.Contains(got[w], frag) {
			t.Errorf("problem %s = %q, want it to mention %q (all: %v)", w, got[w], frag, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems = %v", got)
	}
	// A member whose bytes exceed the limit while its header claims less is
	// caught by the bounded reader (covered by readLimited).
	if _, err := readLimited(bytes.NewReader(bomb), 1<<20); err == nil {
		t.Error("readLimited accepted an oversized member")
	}
}

func TestLoadZipMemberLimit(t *testing.T) {
	dir := t.TempDir()
	writeZip(t, filepath.Join(dir, "all.zip"), map[string][]byte{
		"a.json": record("A", "npm", "a", "1.0.0"), "b.json": record("B", "npm", "b", "1.0.0"), "c.json": record("C", "npm", "c", "1.0.0"),
	})
	db, err := LoadDatabase(context.Background(), []string{dir}, LoadOptions{MaxZipEntries: 2})
	if err != nil {
		t.Fatal(err)
	}
	if db.Advisories != 0 || len(db.Problems) != 1 || !strings.Contains(db.Problems[0].Error, "above the limit") {
		t.Fatalf("advisories %d problems %v", db.Advisories, db.Problems)
	}
	db, err = LoadDatabase(context.Background(), []string{dir}, LoadOptions{MaxZipBytes: 300})
	if err != nil {
		t.Fatal(err)
	}
	if db.Advisories >= 3 || len(db.Problems) != 1 || !strings.Contains(db.Problems[0].Error, "decompresses to more than") {
		t.Fatalf("advisories %d problems %v", db.Advisories, db.Problems)
	}
}

func TestIndexCache(t *testing.T) {
	cache := t.TempDir()
	o := LoadOptions{CacheDir: cache}
	db1, err := LoadDatabase(context.Background(), []string{"testdata/osv"}, o)
	if err != nil {
		t.Fatal(err)
	}
	if db1.Cache != "stored" {
		t.Fatalf("first load cache = %q", db1.Cache)
	}
	db2, err := LoadDatabase(context.Background(), []string{"testdata/osv"}, o)
	if err != nil {
		t.Fatal(err)
	}
	if db2.Cache != "hit" || db2.Digest != db1.Digest || db2.Advisories != db1.Advisories || len(db2.Problems) != len(db1.Problems) {
		t.Fatalf("second load: cache %q advisories %d/%d", db2.Cache, db2.Advisories, db1.Advisories)
	}
	hits, _ := db2.Index.Query(Package{Ecosystem: "Go", Name: "golang.org/x/net", Version: "v0.15.0"})
	if len(hits) != 1 || hits[0].Fixed != "0.17.0" || hits[0].Advisory.Scores[0].Base != 7.5 {
		t.Fatalf("cached index hits = %+v", hits)
	}
	// A corrupt cache is rebuilt, never trusted.
	os.WriteFile(db1.CacheFile, []byte("garbage"), 0o644)
	db3, err := LoadDatabase(context.Background(), []string{"testdata/osv"}, o)
	if err != nil || db3.Cache != "stored" || db3.Advisories != db1.Advisories {
		t.Fatalf("corrupt cache: %v %q %d", err, db3.Cache, db3.Advisories)
	}
}

func TestLoadMissingPath(t *testing.T) {
	_, err := LoadDatabase(context.Background(), []string{"testdata/nope"}, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "testdata/nope") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParseOSV(f *testing.F) {
	for _, name := range []string{"testdata/osv/GHSA-qppj-fm5r-hxr3.json", "testdata/osv/PYSEC-2099-1.json", "testdata/osv/WITHDRAWN-1.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"X","affected":[{"ranges":[{"type":"NEW_TYPE","events":[{"introduced":"0"}]}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:X"}]}`))
	f.Add([]byte(`[{"id":"A"},{"id":"B"}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, d := range decodeJob(job{file: "fuzz.json", data: b}) {
			if d.prob == nil && d.adv.ID == "" {
				t.Fatal("decoded a record without an id")
			}
			if d.prob == nil {
				ix := NewIndex([]Advisory{d.adv}, d.affs)
				for _, af := range d.affs {
					ix.Query(Package{Ecosystem: baseEcosystem(af.Ecosystem), Name: af.Name, Version: "1.0.0"})
				}
			}
		}
	})
}

func FuzzSplitArray(f *testing.F) {
	f.Add([]byte(`[{"a":"]"},{"b":[1,2]}]`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		parts, err := splitArray(b)
		if err == nil {
			for _, p := range parts {
				if len(p) == 0 || len(p) > len(b) {
					t.Fatalf("bad part %q", p)
				}
			}
		}
	})
}
