// Package testcorpus reads the shared signing corpus (../shared/corpus/signing
// beside the repository) for tests: one Case per row of EXPECTED.tsv.
package testcorpus

import (
	"bufio"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Case is one row of EXPECTED.tsv.
type Case struct {
	Name     string
	Kind     string
	Expected string // pass or fail
	Reason   string
	Policy   map[string]string
	// Dir is the case folder.
	Dir string
}

// Path resolves a policy file name against the case folder.
func (c Case) Path(key string) string {
	v := c.Policy[key]
	if v == "" {
		return ""
	}
	return filepath.Join(c.Dir, v)
}

// Dir finds ../shared/corpus/signing beside the module root, or skips.
func Dir(t testing.TB) string { return sharedtest.Dir(t, "corpus", "signing") }

// Load reads EXPECTED.tsv, keeping the rows whose kind is in kinds (all when
// none given).
func Load(t testing.TB, kinds ...string) []Case {
	t.Helper()
	dir := Dir(t)
	f, err := os.Open(filepath.Join(dir, "EXPECTED.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			continue
		}
		if len(want) > 0 && !want[cols[1]] {
			continue
		}
		c := Case{Name: cols[0], Kind: cols[1], Expected: cols[2], Reason: cols[3], Policy: map[string]string{}, Dir: filepath.Join(dir, cols[0])}
		for _, kv := range strings.Split(cols[4], ";") {
			k, v, _ := strings.Cut(kv, "=")
			c.Policy[k] = v
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
