package tuf

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/theupdateframework/go-tuf/v2/metadata"
	"github.com/theupdateframework/go-tuf/v2/metadata/config"
	"github.com/theupdateframework/go-tuf/v2/metadata/updater"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

const binSeed = "bins"

var binAt = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func binRepo(t testing.TB, bits, targets int, consistent bool) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := tuftest.Write(dir, tuftest.Options{Roots: 2, Targets: targets, Threshold: 2, BinBits: bits, ConsistentSnapshot: consistent, Seed: binSeed}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// binOfTarget is the bin go-tuf puts a target path in.
func binOfTarget(bits int, p string) string {
	sr := &metadata.SuccinctRoles{BitLength: bits, NamePrefix: "bins"}
	return sr.GetRolesForTarget(p)[0].Name
}

// TestHashBins: a TAP 15 repository (16 bins, 40 targets), plain and with
// consistent-snapshot names, verifies bin by bin.
func TestHashBins(t *testing.T) {
	for _, consistent := range []bool{false, true} {
		t.Run(fmt.Sprint("consistent=", consistent), func(t *testing.T) {
			dir := binRepo(t, 4, 40, consistent)
			fs := scan(t, dir, distribution.Options{At: binAt})
			if n := count(fs, CheckSigned, distribution.Verified); n != 3+16 {
				t.Errorf("%d roles signed, want timestamp, snapshot, targets and 16 bins", n)
			}
			if n := count(fs, CheckTargetsMatch, distribution.Verified); n != 40 {
				t.Errorf("%d targets matched, want 40", n)
			}
			for _, c := range []string{CheckSigned, CheckConsistent, CheckTargetsMatch} {
				if n := count(fs, c, distribution.Failed) + count(fs, c, distribution.NotVerified); n != 0 {
					t.Errorf("%d %s failures: %+v", n, c, fs)
				}
			}
			th := pick(fs, CheckThreshold, "bins-*")
			if th == nil || th.Threshold != 1 || th.Keys != 1 || !strings.Contains(th.Message, "bins-0 to bins-f") || !strings.Contains(th.Message, "16 bins") {
				t.Errorf("threshold: %+v", th)
			}
			if e := pick(fs, CheckExpiry, "bins-a"); e == nil || e.Expires.IsZero() {
				t.Errorf("bin expiry: %+v", e)
			}
			if c := pick(fs, CheckConsistent, "bins-7"); c == nil || c.Outcome != distribution.Verified {
				t.Errorf("bin snapshot consistency: %+v", c)
			}
		})
	}
}

func TestHashBinsBad(t *testing.T) {
	const bits = 4
	md := func(dir, f string) string { return filepath.Join(dir, "metadata", f) }
	target := "file-0003.txt"
	home := binOfTarget(bits, target)
	other := "bins-0"
	if home == other {
		other = "bins-1"
	}
	resignTargets := func(t *testing.T, dir string, edit func(*metadata.Metadata[metadata.TargetsType])) {
		p := md(dir, "targets.json")
		m, err := (&metadata.Metadata[metadata.TargetsType]{}).FromFile(p)
		if err != nil {
			t.Fatal(err)
		}
		edit(m)
		m.ClearSignatures()
		for i := range 2 {
			s, _ := signerFor(binSeed, 10+i)
			m.Sign(s)
		}
		m.ToFile(p, true)
	}
	cases := []struct {
		name    string
		mutate  func(t *testing.T, dir string)
		check   string
		subject string
		want    string
		msg     string
	}{
		{name: "target in the wrong bin", mutate: func(t *testing.T, dir string) {
			var moved *metadata.TargetFiles
			tuftest.ResignWith(md(dir, home+".json"), binSeed, tuftest.BinsKey, func(m *metadata.Metadata[metadata.TargetsType]) {
				moved = m.Signed.Targets[target]
				delete(m.Signed.Targets, target)
			})
			tuftest.ResignWith(md(dir, other+".json"), binSeed, tuftest.BinsKey, func(m *metadata.Metadata[metadata.TargetsType]) {
				m.Signed.Targets[target] = moved
			})
		}, check: CheckTargetsMatch, subject: target, want: distribution.Failed, msg: "in the wrong bin: its path hashes to " + home},
		{name: "bin signed by another key", mutate: func(t *testing.T, dir string) {
			tuftest.ResignWith(md(dir, home+".json"), binSeed, tuftest.OnlineKey, func(*metadata.Metadata[metadata.TargetsType]) {})
		}, check: CheckSigned, subject: home, want: distribution.Failed, msg: "not enough signatures"},
		{name: "bin expired", mutate: func(t *testing.T, dir string) {
			tuftest.ResignWith(md(dir, home+".json"), binSeed, tuftest.BinsKey, func(m *metadata.Metadata[metadata.TargetsType]) {
				m.Signed.Expires = binAt.Add(-time.Hour)
			})
		}, check: CheckExpiry, subject: home, msg: "expires 2026-02-28T23:00:00Z"},
		{name: "bin out of range", mutate: func(t *testing.T, dir string) {
			b, _ := os.ReadFile(md(dir, "bins-f.json"))
			os.WriteFile(md(dir, "bins-10.json"), b, 0o644)
		}, check: CheckSigned, subject: "bins-10", want: distribution.Failed, msg: "is not one: its bins are bins-0 to bins-f (1 hex digits)"},
		{name: "bit_length beyond 32", mutate: func(t *testing.T, dir string) {
			resignTargets(t, dir, func(m *metadata.Metadata[metadata.TargetsType]) { m.Signed.Delegations.SuccinctRoles.BitLength = 33 })
		}, check: CheckSigned, subject: "targets", want: distribution.Failed, msg: "invalid bit_length: 33, must be between 1 and 32"},
		{name: "bit_length 0", mutate: func(t *testing.T, dir string) {
			resignTargets(t, dir, func(m *metadata.Metadata[metadata.TargetsType]) { m.Signed.Delegations.SuccinctRoles.BitLength = 0 })
		}, check: CheckSigned, subject: "targets", want: distribution.Failed, msg: "invalid bit_length: 0"},
		{name: "bin missing", mutate: func(t *testing.T, dir string) {
			os.Remove(md(dir, "bins-2.json"))
		}, check: CheckSigned, subject: "bins-*", want: distribution.NotVerified, msg: "15 of the 16 bins"},
		{name: "bin not in snapshot", mutate: func(t *testing.T, dir string) {
			tuftest.Resign(md(dir, "snapshot.json"), binSeed, func(m *metadata.Metadata[metadata.SnapshotType]) {
				delete(m.Signed.Meta, home+".json")
			})
			tuftest.Resign(md(dir, "timestamp.json"), binSeed, func(*metadata.Metadata[metadata.TimestampType]) {})
		}, check: CheckConsistent, subject: home, want: distribution.Failed, msg: "does not list " + home + ".json"},
		{name: "bin rolled back", mutate: func(t *testing.T, dir string) {
			tuftest.Resign(md(dir, "snapshot.json"), binSeed, func(m *metadata.Metadata[metadata.SnapshotType]) {
				m.Signed.Meta[home+".json"].Version = 2
			})
		}, check: CheckConsistent, subject: home, want: distribution.Failed, msg: "rollback"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := binRepo(t, bits, 40, false)
			tc.mutate(t, dir)
			fs := scan(t, dir, distribution.Options{At: binAt})
			f := pick(fs, tc.check, tc.subject)
			if f == nil {
				for _, f := range fs {
					t.Logf("%s %s %s %s", f.Check, f.Subject, f.Outcome, f.Message)
				}
				t.Fatalf("no %s %s observation", tc.check, tc.subject)
			}
			if tc.want != "" && f.Outcome != tc.want || !strings.Contains(f.Message, tc.msg) {
				t.Errorf("%s %q, want %s %q", f.Outcome, f.Message, tc.want, tc.msg)
			}
		})
	}
}

// serve publishes a tuftest repository over loopback HTTP, as a TUF
// repository serves it: N.root.json from root_history, targets by name.
func serve(t *testing.T, dir string) *httptest.Server {
	meta := http.FileServer(http.Dir(filepath.Join(dir, "metadata")))
	hist := http.FileServer(http.Dir(filepath.Join(dir, "metadata", "root_history")))
	targets := http.FileServer(http.Dir(filepath.Join(dir, "targets")))
	mux := http.NewServeMux()
	mux.Handle("/metadata/", http.StripPrefix("/metadata", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".root.json") {
			hist.ServeHTTP(w, r)
			return
		}
		meta.ServeHTTP(w, r)
	})))
	mux.Handle("/targets/", http.StripPrefix("/targets", targets))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// clientVerdicts runs go-tuf's updater (the client) against the
// repository on loopback and reports, per target path, whether the client
// resolves it through the delegations and downloads it with a matching
// length and hash.
func clientVerdicts(t *testing.T, dir string, paths []string, consistent bool) map[string]error {
	srv := serve(t, dir)
	root, err := os.ReadFile(filepath.Join(dir, "metadata", "root_history", "1.root.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.New(srv.URL+"/metadata", root)
	if err != nil {
		t.Fatal(err)
	}
	cfg.LocalMetadataDir = t.TempDir()
	cfg.LocalTargetsDir = t.TempDir()
	cfg.RemoteTargetsURL = srv.URL + "/targets"
	cfg.PrefixTargetsWithHash = consistent
	cfg.SetDefaultFetcherRetry(time.Millisecond, 1)
	up, err := updater.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	up.UnsafeSetRefTime(binAt)
	out := map[string]error{}
	if err := up.Refresh(); err != nil {
		for _, p := range paths {
			out[p] = err
		}
		return out
	}
	for _, p := range paths {
		ti, err := up.GetTargetInfo(p)
		if err == nil {
			_, _, err = up.DownloadTarget(ti, filepath.Join(t.TempDir(), "t"), "")
		}
		out[p] = err
	}
	return out
}

// TestHashBinsClientAgrees: for every target of a hash-bin repository,
// pedigree's verdict is the go-tuf client's, on the intact repository
// and on damaged ones.
func TestHashBinsClientAgrees(t *testing.T) {
	const bits, n = 3, 24
	var paths []string
	for i := range n {
		paths = append(paths, fmt.Sprintf("file-%04d.txt", i))
	}
	home := binOfTarget(bits, paths[5])
	other := "bins-0"
	if home == other {
		other = "bins-1"
	}
	md := func(dir, f string) string { return filepath.Join(dir, "metadata", f) }
	cases := []struct {
		name       string
		consistent bool
		mutate     func(t *testing.T, dir string)
		bad        int // targets both must refuse
	}{
		{name: "intact"},
		{name: "intact, consistent snapshot", consistent: true},
		{name: "target in the wrong bin", mutate: func(t *testing.T, dir string) {
			var moved *metadata.TargetFiles
			tuftest.ResignWith(md(dir, home+".json"), binSeed, tuftest.BinsKey, func(m *metadata.Metadata[metadata.TargetsType]) {
				moved = m.Signed.Targets[paths[5]]
				delete(m.Signed.Targets, paths[5])
			})
			tuftest.ResignWith(md(dir, other+".json"), binSeed, tuftest.BinsKey, func(m *metadata.Metadata[metadata.TargetsType]) {
				m.Signed.Targets[paths[5]] = moved
			})
		}, bad: 1},
		{name: "bin signed by another key", mutate: func(t *testing.T, dir string) {
			tuftest.ResignWith(md(dir, home+".json"), binSeed, tuftest.OnlineKey, func(*metadata.Metadata[metadata.TargetsType]) {})
		}},
		// Every hash-prefixed copy is altered: go-tuf fetches whichever
		// prefix its map order gives it, so altering one copy makes the
		// client's verdict random (pedigree fails it either way:
		// TestTargetCopies).
		{name: "target altered", consistent: true, mutate: func(t *testing.T, dir string) {
			fs, _ := filepath.Glob(filepath.Join(dir, "targets", "*."+paths[7]))
			if len(fs) != 2 {
				t.Fatalf("%d hash-prefixed copies of %s, want 2", len(fs), paths[7])
			}
			for _, f := range fs {
				os.WriteFile(f, []byte("evil\n"), 0o644)
			}
		}, bad: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := binRepo(t, bits, n, tc.consistent)
			if tc.mutate != nil {
				tc.mutate(t, dir)
			}
			client := clientVerdicts(t, dir, paths, tc.consistent)
			fs := scan(t, dir, distribution.Options{At: binAt, TUFRoot: filepath.Join(dir, "metadata", "root_history", "1.root.json")})
			// A target passes for pedigree when its match passed and the
			// role that lists it was signed.
			signed := map[string]bool{"targets": true}
			for _, f := range fs {
				if f.Check == CheckSigned && f.Outcome == distribution.Verified {
					signed[f.Subject] = true
				}
			}
			refused := 0
			for _, p := range paths {
				ok := false
				for _, f := range fs {
					if f.Check == CheckTargetsMatch && f.Subject == p && f.Outcome == distribution.Verified && signed[binOfTarget(bits, p)] {
						ok = true
					}
				}
				if ok != (client[p] == nil) {
					t.Errorf("%s: pedigree passes=%v, go-tuf client error=%v", p, ok, client[p])
				}
				if !ok {
					refused++
				}
			}
			if tc.bad > 0 && refused != tc.bad {
				t.Errorf("%d targets refused, want %d", refused, tc.bad)
			}
		})
	}
}

// TestPythonTUFBins: a hash-bin repository written by python-tuf (not by
// go-tuf or pedigree), with python-tuf's ngclient's verdicts recorded in
// testdata/SOURCES.md: every target resolves through its bin; in the
// damaged copy the target filed in the wrong bin is not found.
// TestTargetCopies: a consistent-snapshot repository publishes each
// target under every hash it records. A client fetches one of them,
// chosen by map order, so a copy that differs fails the target whichever
// copy it is, and the finding names it.
func TestTargetCopies(t *testing.T) {
	const target = "file-0002.txt"
	dir := binRepo(t, 2, 8, true)
	copies, _ := filepath.Glob(filepath.Join(dir, "targets", "*."+target))
	if len(copies) != 2 {
		t.Fatalf("%d copies of %s, want 2 (sha256 and sha512 prefixes)", len(copies), target)
	}
	f := pick(scan(t, dir, distribution.Options{At: binAt}), CheckTargetsMatch, target)
	if f == nil || f.Outcome != distribution.Verified || len(f.Related) != 2 || !strings.Contains(f.Message, "and its other copy") {
		t.Fatalf("intact: %+v", f)
	}
	for _, altered := range copies {
		t.Run(filepath.Base(altered)[:8], func(t *testing.T) {
			orig, _ := os.ReadFile(altered)
			os.WriteFile(altered, []byte("evil\n"), 0o644)
			defer os.WriteFile(altered, orig, 0o644)
			f := pick(scan(t, dir, distribution.Options{At: binAt}), CheckTargetsMatch, target)
			if f == nil || f.Outcome != distribution.Failed || !strings.Contains(f.Message, "targets/"+filepath.Base(altered)+" does not match") {
				t.Errorf("%+v", f)
			}
		})
	}
}

func TestPythonTUFBins(t *testing.T) {
	at := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		dir    string
		failed []string
	}{
		{dir: "testdata/python-tuf-bins"},
		{dir: "testdata/python-tuf-bins-wrong-bin", failed: []string{"pkg/tool-2.tar.gz"}},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			fs := scan(t, tc.dir, distribution.Options{At: at, TUFRoot: filepath.Join(tc.dir, "metadata/root_history/1.root.json")})
			if c := pick(fs, CheckRootChain, "root"); c == nil || c.Outcome != distribution.Verified || !strings.Contains(c.Message, "to version 2") {
				t.Fatalf("chain: %+v", c)
			}
			if n := count(fs, CheckSigned, distribution.Verified); n != 3+16 {
				t.Errorf("%d roles signed, want 19", n)
			}
			if n := count(fs, CheckSigned, distribution.Failed) + count(fs, CheckConsistent, distribution.Failed); n != 0 {
				t.Errorf("%d signature or consistency failures", n)
			}
			if n := count(fs, CheckTargetsMatch, distribution.Verified); n != 7-len(tc.failed) {
				t.Errorf("%d targets matched, want %d", n, 7-len(tc.failed))
			}
			for _, p := range tc.failed {
				if f := pick(fs, CheckTargetsMatch, p); f == nil || f.Outcome != distribution.Failed || !strings.Contains(f.Message, "in the wrong bin: its path hashes to bins-e") {
					t.Errorf("%s: %+v", p, f)
				}
			}
			if th := pick(fs, CheckThreshold, "bins-*"); th == nil || !strings.Contains(th.Message, "16 bins by the first 4 bits") {
				t.Errorf("threshold: %+v", th)
			}
			// go-tuf's client, over loopback, agrees with python-tuf's.
			paths := []string{"README.md"}
			for i := range 6 {
				paths = append(paths, fmt.Sprintf("pkg/tool-%d.tar.gz", i))
			}
			for p, err := range clientVerdicts(t, tc.dir, paths, true) {
				if want := slices.Contains(tc.failed, p); want != (err != nil) {
					t.Errorf("go-tuf client on %s: %v", p, err)
				}
			}
		})
	}
}

// FuzzHashBinMetadata: any bytes as the delegating targets.json or as a
// bin of a hash-bin repository give observations, never a panic.
func FuzzHashBinMetadata(f *testing.F) {
	const src = "testdata/python-tuf-bins/metadata"
	tg, _ := os.ReadFile(filepath.Join(src, "1.targets.json"))
	bin, _ := os.ReadFile(filepath.Join(src, "1.bins-e.json"))
	f.Add(tg, bin)
	f.Add([]byte(strings.Replace(string(tg), `"bit_length": 4`, `"bit_length": 40`, 1)), bin)
	f.Add(tg, []byte(`{"signed":{"_type":"targets","version":1,"targets":{"x":{"length":1,"hashes":{"sha256":"00"}}}},"signatures":[]}`))
	f.Fuzz(func(t *testing.T, targets, bin []byte) {
		dir := t.TempDir()
		md := filepath.Join(dir, "metadata")
		os.MkdirAll(filepath.Join(md, "root_history"), 0o755)
		for _, name := range []string{"root_history/1.root.json", "root_history/2.root.json", "1.snapshot.json", "timestamp.json", "1.bins-0.json"} {
			b, _ := os.ReadFile(filepath.Join(src, name))
			os.WriteFile(filepath.Join(md, name), b, 0o644)
		}
		os.WriteFile(filepath.Join(md, "1.targets.json"), targets, 0o644)
		os.WriteFile(filepath.Join(md, "1.bins-e.json"), bin, 0o644)
		scan(t, dir, distribution.Options{At: binAt})
	})
}
