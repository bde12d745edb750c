package lazyre

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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

func TestIndexAndSplit(t *testing.T) {
	r := New(`[,;]`)
	if got := r.FindStringIndex("a;b"); len(got) != 2 || got[0] != 1 {
		t.Errorf("FindStringIndex %v", got)
	}
	if got := r.Split("a,b;c", -1); len(got) != 3 || got[2] != "c" {
		t.Errorf("Split %q", got)
	}
	if got := New(`(a)(b)?`).FindAllStringSubmatchIndex("a ab", -1); len(got) != 2 || got[1][4] != 3 {
		t.Errorf("FindAllStringSubmatchIndex %v", got)
	}
}

// TestEveryExpressionCompiles compiles every lazyre.New literal in the
// module: a lazy expression would otherwise panic at its first use, in
// whatever run reaches it, rather than at start-up as regexp.MustCompile
// did.
func TestEveryExpressionCompiles(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(x ast.Node) bool {
			call, ok := x.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "New" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "lazyre" {
				return true
			}
			expr, ok := constString(call.Args[0])
			if !ok {
				return true // built at run time; its package's tests use it
			}
			n++
			if _, err := regexp.Compile(expr); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("found %d lazyre.New literals; the walk missed the module", n)
	}
}

// constString evaluates a string literal or a concatenation of them.
func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(x.X)
		b, ok2 := constString(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}
