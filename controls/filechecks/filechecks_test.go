package filechecks

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

func sha(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
func md(s string) string  { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }

// collect runs the real files collector over a tree built from the map.
func collect(t *testing.T, tree map[string]string) []evidence.Evidence {
	t.Helper()
	dir := t.TempDir()
	for p, data := range tree {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tg, err := collectors.OpenTarget("rel", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := files.New(nil).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// verdicts renders findings as "STATUS subject" lines, sorted.
func verdicts(fs []evidence.Finding) []string {
	var out []string
	for _, f := range fs {
		s := string(f.Status)
		if len(f.Subjects) > 0 {
			s += " " + f.Subjects[0].Ref
		}
		if f.Location != nil && f.Location.Line > 0 {
			s += " @" + f.Location.Path + ":" + strconv.Itoa(f.Location.Line)
		}
		if len(f.Evidence) == 0 {
			s += " (no evidence!)"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name  string
		check controls.Check
		tree  map[string]string
		want  []string
	}{
		{
			name:  "digest matches",
			check: NewChecksumMismatch(),
			tree:  map[string]string{"a.tar.gz": "A", "SHA256SUMS": sha("A") + "  a.tar.gz\n"},
			want:  []string{"pass a.tar.gz @SHA256SUMS:1"},
		},
		{
			name:  "digest differs",
			check: NewChecksumMismatch(),
			tree:  map[string]string{"a.tar.gz": "A", "b.zip": "tampered", "SHA256SUMS": sha("A") + "  a.tar.gz\n" + sha("B") + "  b.zip\n"},
			want:  []string{"fail b.zip @SHA256SUMS:2", "pass a.tar.gz @SHA256SUMS:1"},
		},
		{
			name:  "md5 list is verified too",
			check: NewChecksumMismatch(),
			tree:  map[string]string{"a.tar.gz": "A", "MD5SUMS": md("A") + "  a.tar.gz\n"},
			want:  []string{"pass a.tar.gz @MD5SUMS:1"},
		},
		{
			name:  "no checksum list: nothing to judge",
			check: NewChecksumMismatch(),
			tree:  map[string]string{"a.tar.gz": "A"},
			want:  nil,
		},
		{
			name:  "release artifact without checksum",
			check: NewChecksumUncovered(),
			tree:  map[string]string{"a.tar.gz": "A", "b.deb": "B", "README.md": "r", "SHA256SUMS": sha("A") + "  a.tar.gz\n"},
			want:  []string{"fail b.deb", "pass a.tar.gz"},
		},
		{
			name:  "md5 alone does not cover",
			check: NewChecksumUncovered(),
			tree:  map[string]string{"a.tar.gz": "A", "MD5SUMS": md("A") + "  a.tar.gz\n"},
			want:  []string{"fail a.tar.gz"},
		},
		{
			name:  "weak algorithm",
			check: NewChecksumWeak(),
			tree:  map[string]string{"a.tar.gz": "A", "MD5SUMS": md("A") + "  a.tar.gz\n", "SHA256SUMS": sha("A") + "  a.tar.gz\n"},
			want:  []string{"fail MD5SUMS @MD5SUMS:1", "pass SHA256SUMS"},
		},
		{
			name:  "listed but not shipped, and junk",
			check: NewChecksumMalformed(),
			tree:  map[string]string{"a.tar.gz": "A", "SHA256SUMS": sha("A") + "  a.tar.gz\n" + sha("G") + "  gone.zip\n", "x.sha256": "zzz\n"},
			want:  []string{"fail SHA256SUMS @SHA256SUMS:2", "fail x.sha256"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := collect(t, tt.tree)
			var in []evidence.Evidence
			for _, e := range ev {
				for _, k := range tt.check.Reads {
					if e.Kind == k {
						in = append(in, e)
					}
				}
			}
			got := verdicts(tt.check.Run(in))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestMismatchMessageNamesBothDigests(t *testing.T) {
	ev := collect(t, map[string]string{"b.zip": "tampered", "SHA256SUMS": sha("B") + "  b.zip\n"})
	fs := NewChecksumMismatch().Run(ev)
	if len(fs) != 1 || fs[0].Severity != evidence.High {
		t.Fatalf("findings = %+v", fs)
	}
	for _, want := range []string{"SHA256SUMS:1", sha("B"), sha("tampered")} {
		if !strings.Contains(fs[0].Message, want) {
			t.Errorf("message %q lacks %q", fs[0].Message, want)
		}
	}
}
