package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The built binary over the TUF hash-bin and apt by-hash fixtures of the
// distribution collectors: exit 0 when nothing failed, 1 when a target
// sits in the wrong bin.
func TestDistScanHashBinsAndByHash(t *testing.T) {
	const tufData = "../../collectors/distribution/tuf/testdata"
	const aptData = "../../collectors/distribution/apt/testdata/ftparchive-byhash"
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{name: "hash bins", code: 0,
			args: []string{filepath.Join(tufData, "python-tuf-bins"), "--tuf-root", filepath.Join(tufData, "python-tuf-bins/metadata/root_history/1.root.json"), "--at", "2026-12-15T00:00:00Z"},
			want: []string{"hash-bin delegation bins-0 to bins-f", "delegated role bins-e version 1 is signed"}},
		{name: "target in the wrong bin", code: 1,
			args: []string{filepath.Join(tufData, "python-tuf-bins-wrong-bin"), "--tuf-root", filepath.Join(tufData, "python-tuf-bins-wrong-bin/metadata/root_history/1.root.json"), "--at", "2026-12-15T00:00:00Z"},
			want: []string{"in the wrong bin: its path hashes to bins-e"}},
		{name: "apt by-hash", code: 0,
			args: []string{aptData, "--keyring", filepath.Join(aptData, "repo-archive-keyring.asc"), "--at", "2026-12-15T00:00:00Z"},
			want: []string{"DIST-APT-SOURCE-HASHES", "the by-hash copy of dists/stable/main/source/Sources.xz", "expands to the sha512"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := pedigree(t, nil, append([]string{"dist", "scan", "--json"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tc.code, r.stdout, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}
