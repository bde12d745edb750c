package gitrepo

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// putTree stores a tree of entries (mode, name, id) and returns its id.
func putTree(t testing.TB, s *memory.Storage, raw []byte) plumbing.Hash {
	t.Helper()
	o := s.NewEncodedObject()
	o.SetType(plumbing.TreeObject)
	w, _ := o.Writer()
	w.Write(raw)
	w.Close()
	h, err := s.SetEncodedObject(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func treeBytes(entries ...[3]string) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		id, _ := hex.DecodeString(e[2])
		b.WriteString(e[0] + " " + e[1] + "\x00")
		b.Write(id)
	}
	return b.Bytes()
}

// dag builds levels of ten entries naming one subtree: 10^(levels+1) paths.
func dag(t testing.TB, s *memory.Storage, levels int) *object.Tree {
	blob := strings.Repeat("ab", 20)
	var es [][3]string
	for i := range 10 {
		es = append(es, [3]string{"100644", "f" + strconv.Itoa(i), blob})
	}
	h := putTree(t, s, treeBytes(es...))
	for range levels {
		es = es[:0]
		for i := range 10 {
			es = append(es, [3]string{"40000", "d" + strconv.Itoa(i), h.String()})
		}
		h = putTree(t, s, treeBytes(es...))
	}
	tr, err := object.GetTree(s, h)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestWalkTreeBudget(t *testing.T) {
	s := memory.NewStorage()
	for _, tt := range []struct {
		name              string
		levels, max, subs int
		files             int
		err               string
	}{
		{"within the budget", 2, 10_000, 100, 1000, ""},
		{"paths past the budget", 10, 100_000, 100, 0, "more than 100000 paths in the HEAD tree"},
		{"distinct trees past the budget", 3, 1 << 30, 2, 0, "more than 2 distinct trees"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := walkTree(context.Background(), s, dag(t, s, tt.levels), tt.max, tt.subs)
			if tt.err == "" {
				if err != nil || len(got) != tt.files {
					t.Fatalf("%d files, %v; want %d", len(got), err, tt.files)
				}
				if got[0].name != "d0/d0/f0" {
					t.Errorf("first path %q", got[0].name)
				}
				return
			}
			if !errors.Is(err, errBudget) || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := walkTree(ctx, s, dag(t, s, 3), 1<<30, 1<<30); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled walk: %v", err)
	}
}

// FuzzWalkTree: tree objects are attacker bytes; decoding and walking them
// ends with files or an error, within the budget, never a panic.
func FuzzWalkTree(f *testing.F) {
	f.Add(treeBytes([3]string{"100644", "a", strings.Repeat("ab", 20)}), treeBytes([3]string{"40000", "d", strings.Repeat("00", 20)}))
	f.Add([]byte("100644 \x00"), []byte("40000 x\x00short"))
	f.Fuzz(func(t *testing.T, sub, root []byte) {
		s := memory.NewStorage()
		sh := putTree(t, s, sub)
		// The root names the fuzzed subtree twice and itself once.
		raw := append(append([]byte{}, root...), treeBytes([3]string{"40000", "x", sh.String()}, [3]string{"40000", "y", sh.String()})...)
		rh := putTree(t, s, raw)
		tr, err := object.GetTree(s, rh)
		if err != nil {
			return
		}
		files, err := walkTree(context.Background(), s, tr, 1000, 50)
		if err == nil && len(files) > 1000 {
			t.Fatalf("%d files past a budget of 1000 paths", len(files))
		}
	})
}

func FuzzParseCodeOwners(f *testing.F) {
	f.Add([]byte("* @org/all\n/.github/ @org/release # comment\n[Section]\ndocs/** @docs\n"))
	f.Add([]byte("\x00\xff\n" + strings.Repeat("a", 70000)))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range ParseCodeOwners(b) {
			if r.Pattern == "" || r.Line <= 0 {
				t.Fatalf("rule %+v", r)
			}
			OwnersOf([]OwnerRule{r}, "a/b/c.yml")
		}
	})
}

// BenchmarkWalkTreeDAG is the cost of refusing a 10^11-path tree DAG: the
// walk stops at the default budget of paths.
func BenchmarkWalkTreeDAG(b *testing.B) {
	s := memory.NewStorage()
	root := dag(b, s, 10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := walkTree(context.Background(), s, root, MaxTreeEntries, MaxSubtrees); !errors.Is(err, errBudget) {
			b.Fatal(err)
		}
	}
}
