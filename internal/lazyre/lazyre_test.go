package lazyre

import (
	"sync"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`^a(\d+)$`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !r.MatchString("a12") || r.Match([]byte("b")) {
				t.Error("wrong match")
			}
		}()
	}
	wg.Wait()
	if m := r.FindStringSubmatch("a42"); len(m) != 2 || m[1] != "42" {
		t.Errorf("submatch %q", m)
	}
	if m := r.FindSubmatch([]byte("a7")); len(m) != 2 || string(m[1]) != "7" {
		t.Errorf("submatch %q", m)
	}
	if r.String() != `^a(\d+)$` || r.FindString("a1") != "a1" || r.ReplaceAllString("a1", "x") != "x" || r.ReplaceAllStringFunc("a1", func(string) string { return "y" }) != "y" {
		t.Error("String/FindString/ReplaceAllString")
	}
	if got := r.FindAllStringSubmatch("a1", -1); len(got) != 1 {
		t.Errorf("all %q", got)
	}
}

func TestBadExpressionPanicsOnUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("no panic on a bad expression")
		}
	}()
	r.MatchString("x")
}
