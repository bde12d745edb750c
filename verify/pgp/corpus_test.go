package pgp

import (
	"bufio"
	"errors"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusCase is one row of ../shared/corpus/signing/EXPECTED.tsv.
type corpusCase struct {
	Name, Kind, Expected, Reason string
	Policy                       map[string]string
	Dir                          string
}

func sharedDir(t testing.TB) string { return sharedtest.Dir(t) }

func loadCorpus(t testing.TB, kind string) []corpusCase {
	root := filepath.Join(sharedDir(t), "corpus", "signing")
	f, err := os.Open(filepath.Join(root, "EXPECTED.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[1] != kind {
			continue
		}
		c := corpusCase{Name: cols[0], Kind: cols[1], Expected: cols[2], Reason: cols[3], Policy: map[string]string{}, Dir: filepath.Join(root, cols[0])}
		for _, kv := range strings.Split(cols[4], ";") {
			k, v, _ := strings.Cut(kv, "=")
			c.Policy[k] = v
		}
		out = append(out, c)
	}
	return out
}

// TestCorpus agrees with every openpgp verdict of the shared corpus.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t, "openpgp")
	if len(cases) == 0 {
		t.Fatal("no openpgp rows in EXPECTED.tsv")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			kr, err := LoadKeyring(filepath.Join(c.Dir, c.Policy["keyring"]))
			if err != nil {
				t.Fatal(err)
			}
			v, err := ParseValidity(c.Policy["key-validity"])
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Keyring: kr.Entities, Validity: v}
			var res *Result
			if m := c.Policy["signed-message"]; m != "" {
				b, err := os.ReadFile(filepath.Join(c.Dir, m))
				if err != nil {
					t.Fatal(err)
				}
				res, _, err = VerifyMessage(b, opts)
				check(t, c, res, err)
				return
			}
			sig, err := os.ReadFile(filepath.Join(c.Dir, c.Policy["signature"]))
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.Open(filepath.Join(c.Dir, c.Policy["data"]))
			if err != nil {
				t.Fatal(err)
			}
			defer data.Close()
			res, err = VerifyDetached(data, sig, opts)
			check(t, c, res, err)

			// Every passing row was signed by a key that has expired since:
			// judged now, it must fail with ErrKeyExpired.
			if c.Expected == "pass" {
				data2, _ := os.Open(filepath.Join(c.Dir, c.Policy["data"]))
				defer data2.Close()
				opts.Validity = AtNow
				if _, err := VerifyDetached(data2, sig, opts); !errors.Is(err, ErrKeyExpired) {
					t.Errorf("key-validity=now: got %v, want ErrKeyExpired", err)
				}
			}
		})
	}
}

func check(t *testing.T, c corpusCase, res *Result, err error) {
	t.Helper()
	switch c.Expected {
	case "pass":
		if err != nil {
			t.Fatalf("want pass (%s), got FAIL: %v", c.Reason, err)
		}
		t.Logf("OK: %s", res)
	case "fail":
		if err == nil {
			t.Fatalf("want fail (%s), got OK: %s", c.Reason, res)
		}
		t.Logf("FAIL: %v", err)
	}
}
