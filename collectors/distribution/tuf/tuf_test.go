package tuf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/theupdateframework/go-tuf/v2/metadata"
	"github.com/theupdateframework/go-tuf/v2/metadata/trustedmetadata"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/disttest"
	"github.com/pedigree-dev/pedigree/collectors/distribution/tuf/tuftest"
)

func scan(t testing.TB, dir string, o distribution.Options) []*distribution.Finding {
	t.Helper()
	return disttest.Scan(t, func(tr *distribution.Trust) collectors.Collector { return New(tr) }, dir, o)
}

func pick(fs []*distribution.Finding, check, subject string) *distribution.Finding {
	for _, f := range fs {
		if f.Check == check && (subject == "" || f.Subject == subject) {
			return f
		}
	}
	return nil
}

func count(fs []*distribution.Finding, check, outcome string) int {
	n := 0
	for _, f := range fs {
		if f.Check == check && f.Outcome == outcome {
			n++
		}
	}
	return n
}

const real = "testdata/sigstore-root-signing"

func TestSigstoreRootSigning(t *testing.T) {
	at := time.Date(2026, 8, 22, 0, 0, 0, 0, time.UTC)
	fs := scan(t, real, distribution.Options{At: at})
	chain := pick(fs, CheckRootChain, "root")
	if chain == nil || chain.Outcome != distribution.NotVerified || !strings.Contains(chain.Message, "trusted on first use") || !strings.Contains(chain.Message, "14 version(s) to version 15") {
		t.Fatalf("TOFU chain = %+v", chain)
	}
	pinned := scan(t, real, distribution.Options{At: at, TUFRoot: filepath.Join(real, "metadata/root_history/1.root.json")})
	if c := pick(pinned, CheckRootChain, "root"); c == nil || c.Outcome != distribution.Verified {
		t.Fatalf("pinned chain = %+v", c)
	}
	if n := count(pinned, CheckSigned, distribution.Verified); n != 4 {
		t.Errorf("%d roles signed, want timestamp, snapshot, targets, registry.npmjs.org: %+v", n, pinned)
	}
	if n := count(pinned, CheckTargetsMatch, distribution.Verified); n != 12 {
		t.Errorf("%d targets matched, want 12", n)
	}
	if n := count(pinned, CheckConsistent, distribution.Failed); n != 0 {
		t.Errorf("inconsistent: %+v", pinned)
	}
	if n := count(pinned, CheckConsistent, distribution.Verified); n < 3 {
		t.Errorf("%d consistency observations", n)
	}
	if th := pick(pinned, CheckThreshold, "root"); th == nil || th.Threshold != 3 || th.Keys != 5 {
		t.Errorf("root threshold %+v", th)
	}
	if e := pick(pinned, CheckExpiry, "timestamp"); e == nil || !e.Expires.Equal(time.Date(2026, 8, 28, 19, 25, 56, 0, time.UTC)) || !e.At.Equal(at) {
		t.Errorf("timestamp expiry %+v", e)
	}
}

// TestClientAgrees runs go-tuf's client-side state machine over the same
// files: it accepts the root chain and, at the time of the run (after
// root 15 expired on 2026-11-20), refuses the timestamp, as pedigree's
// expiry observation says.
func TestClientAgrees(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(real, "metadata", p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// go-tuf v2 cannot read roots 1-4 (go-tuf v0 hex ECDSA keys), so the
	// client starts from root 5, as Sigstore's clients embed a later root.
	if _, err := trustedmetadata.New(read("root_history/1.root.json")); err == nil {
		t.Log("go-tuf now reads root 1")
	}
	tm, err := trustedmetadata.New(read("root_history/5.root.json"))
	if err != nil {
		t.Fatal(err)
	}
	pinned := scan(t, real, distribution.Options{TUFRoot: filepath.Join(real, "metadata/root_history/5.root.json")})
	if c := pick(pinned, CheckRootChain, "root"); c.Outcome != distribution.Verified || !strings.Contains(c.Message, "10 version(s)") {
		t.Errorf("chain from pinned root 5: %+v", c)
	}
	for v := 6; v <= 15; v++ {
		if _, err := tm.UpdateRoot(read(filepath.Join("root_history", itoa(v)+".root.json"))); err != nil {
			t.Fatalf("go-tuf refuses root %d: %v", v, err)
		}
	}
	_, err = tm.UpdateTimestamp(read("timestamp.json"))
	rootExpired := tm.Root.Signed.IsExpired(time.Now())
	if rootExpired != (err != nil) {
		t.Fatalf("go-tuf timestamp update err=%v, root expired=%v", err, rootExpired)
	}
	fs := scan(t, real, distribution.Options{})
	e := pick(fs, CheckExpiry, "root")
	if e.Expires.Before(e.At) != rootExpired {
		t.Errorf("pedigree expiry %+v disagrees with go-tuf", e)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return fmtInt(n/10) + string(rune('0'+n%10))
}

func TestBadRepositories(t *testing.T) {
	const seed = "bad"
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	build := func(t *testing.T, o tuftest.Options) string {
		dir := t.TempDir()
		o.Seed = seed
		if _, err := tuftest.Write(dir, o); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	md := func(dir, f string) string { return filepath.Join(dir, "metadata", f) }
	cases := []struct {
		name    string
		opts    tuftest.Options
		mutate  func(t *testing.T, dir string)
		check   string
		subject string
		want    string
		msg     string
	}{
		{name: "good", opts: tuftest.Options{Roots: 3, Targets: 2, Threshold: 2}, check: CheckRootChain, subject: "root", want: distribution.NotVerified},
		{name: "expired", opts: tuftest.Options{Roots: 1, Targets: 1, Expires: time.Hour}, check: CheckExpiry, subject: "timestamp", msg: "expires 2026-01-01T01:00:00Z"},
		{name: "rollback", opts: tuftest.Options{Roots: 1, Targets: 1}, mutate: func(t *testing.T, dir string) {
			if err := tuftest.Resign(md(dir, "timestamp.json"), seed, func(m *metadata.Metadata[metadata.TimestampType]) {
				m.Signed.Meta["snapshot.json"].Version = 2
			}); err != nil {
				t.Fatal(err)
			}
		}, check: CheckConsistent, subject: "snapshot", want: distribution.Failed, msg: "rollback"},
		{name: "mix-and-match", opts: tuftest.Options{Roots: 1, Targets: 1}, mutate: func(t *testing.T, dir string) {
			if err := tuftest.Resign(md(dir, "snapshot.json"), seed, func(m *metadata.Metadata[metadata.SnapshotType]) {
				m.Signed.Version = 2
			}); err != nil {
				t.Fatal(err)
			}
		}, check: CheckConsistent, subject: "snapshot", want: distribution.Failed, msg: "mix-and-match"},
		{name: "root below threshold", opts: tuftest.Options{Roots: 2, Targets: 1, Threshold: 2}, mutate: func(t *testing.T, dir string) {
			for _, p := range []string{md(dir, "root_history/2.root.json"), md(dir, "root.json")} {
				m, err := (&metadata.Metadata[metadata.RootType]{}).FromFile(p)
				if err != nil {
					t.Fatal(err)
				}
				m.Signatures = m.Signatures[:1]
				if err := m.ToFile(p, true); err != nil {
					t.Fatal(err)
				}
			}
		}, check: CheckRootChain, subject: "root@2", want: distribution.Failed, msg: "threshold"},
		{name: "root version missing", opts: tuftest.Options{Roots: 3, Targets: 1}, mutate: func(t *testing.T, dir string) {
			os.Remove(md(dir, "root_history/2.root.json"))
		}, check: CheckRootChain, subject: "root", want: distribution.Failed, msg: "root version 2 is missing"},
		{name: "target tampered", opts: tuftest.Options{Roots: 1, Targets: 2}, mutate: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "targets", "file-0001.txt"), []byte("evil\n"), 0o644)
		}, check: CheckTargetsMatch, subject: "file-0001.txt", want: distribution.Failed, msg: "does not match"},
		{name: "target absent", opts: tuftest.Options{Roots: 1, Targets: 2}, mutate: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "targets", "file-0000.txt"))
		}, check: CheckTargetsMatch, subject: "file-0000.txt", want: distribution.NotVerified},
		{name: "delegated role signed by wrong key", opts: tuftest.Options{Roots: 1, Targets: 1, Delegate: true}, mutate: func(t *testing.T, dir string) {
			if err := tuftest.Resign(md(dir, "delegated.json"), seed, func(*metadata.Metadata[metadata.TargetsType]) {}); err != nil {
				t.Fatal(err)
			}
		}, check: CheckSigned, subject: "delegated", want: distribution.Failed},
		{name: "delegated role outside its paths", opts: tuftest.Options{Roots: 1, Targets: 1, Delegate: true}, mutate: func(t *testing.T, dir string) {
			// The delegation is re-signed by the top-level targets keys
			// with narrower paths than the targets the role lists.
			p := md(dir, "targets.json")
			m, _ := (&metadata.Metadata[metadata.TargetsType]{}).FromFile(p)
			m.Signed.Delegations.Roles[0].Paths = []string{"other/*"}
			m.ClearSignatures()
			for i := range 1 {
				s, _ := signerFor(seed, 10+i)
				m.Sign(s)
			}
			m.ToFile(p, true)
		}, check: CheckTargetsMatch, subject: "delegated/file-0000.txt", want: distribution.Failed, msg: "outside the paths"},
		{name: "unparseable timestamp", opts: tuftest.Options{Roots: 1, Targets: 1}, mutate: func(t *testing.T, dir string) {
			os.WriteFile(md(dir, "timestamp.json"), []byte(`{"signed": {"_type": "timestamp", "version": "x"}, "signatures": []}`), 0o644)
		}, check: CheckSigned, subject: "timestamp", want: distribution.Failed, msg: "does not decode"},
		{name: "conflicting root copies", opts: tuftest.Options{Roots: 2, Targets: 1}, mutate: func(t *testing.T, dir string) {
			b, _ := os.ReadFile(md(dir, "root.json"))
			os.WriteFile(md(dir, "root.json"), append(b, []byte("\n\n")...), 0o644)
			os.WriteFile(md(dir, "root_history/2.root.json"), []byte(strings.Replace(string(b), `"consistent_snapshot": false`, `"consistent_snapshot": true`, 1)), 0o644)
		}, check: CheckRootChain, subject: "root", want: distribution.Failed, msg: "different contents"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := build(t, tc.opts)
			if tc.mutate != nil {
				tc.mutate(t, dir)
			}
			fs := scan(t, dir, distribution.Options{At: at})
			f := pick(fs, tc.check, tc.subject)
			if f == nil {
				t.Fatalf("no %s %s observation in %+v", tc.check, tc.subject, fs)
			}
			if tc.want != "" && f.Outcome != tc.want {
				t.Errorf("outcome %s, want %s: %s", f.Outcome, tc.want, f.Message)
			}
			if !strings.Contains(f.Message, tc.msg) {
				t.Errorf("message %q lacks %q", f.Message, tc.msg)
			}
		})
	}
}

// FuzzMetadata: any bytes as root.json and timestamp.json of a repository
// give observations, never a panic.
func FuzzMetadata(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join(real, "metadata/root_history/1.root.json"))
	ts, _ := os.ReadFile(filepath.Join(real, "metadata/timestamp.json"))
	f.Add(b, ts)
	f.Add([]byte(`{"signed":{"_type":"root","version":2},"signatures":[]}`), []byte(`{"signatures":[],"signed":{"_type":"timestamp"}}`))
	f.Fuzz(func(t *testing.T, root, ts []byte) {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "metadata/root_history"), 0o755)
		os.WriteFile(filepath.Join(dir, "metadata/root_history/1.root.json"), b, 0o644)
		os.WriteFile(filepath.Join(dir, "metadata/root.json"), root, 0o644)
		os.WriteFile(filepath.Join(dir, "metadata/timestamp.json"), ts, 0o644)
		scan(t, dir, distribution.Options{})
	})
}
