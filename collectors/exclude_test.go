package collectors

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExcludeRuleMatches(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		// A folder pattern matches at any depth, the files below it only.
		{"testdata/", "testdata/a.json", true},
		{"testdata/", "pkg/x/testdata/deep/a.json", true},
		{"testdata/", "testdata", false}, // a file named testdata
		{"testdata/", "mytestdata/a.json", false},
		{"test/fixtures/", "test/fixtures/key.pem", true},
		{"test/fixtures/", "sub/test/fixtures/key.pem", true},
		{"test/fixtures/", "test/fixtures2/key.pem", false},
		{"test/fixtures/", "fixtures/key.pem", false},
		// Anchored patterns start at the root.
		{"/build/", "build/out.bin", true},
		{"/build/", "src/build/out.bin", false},
		// Files and globs.
		{"*.golden", "a/b/c.golden", true},
		{"*.golden", "a/b/c.golden.txt", false},
		{"docs/*.pdf", "docs/a.pdf", true},
		{"docs/*.pdf", "x/docs/a.pdf", true},
		{"docs/*.pdf", "docs/sub/a.pdf", false},
		{"docs/**/*.pdf", "docs/sub/deep/a.pdf", true},
		{"docs/**/*.pdf", "docs/a.pdf", true},
		{"**/e2e/", "a/e2e/b", true},
		{"examples", "examples/demo/x", true}, // a name matches a folder too
		{"examples", "examples", true},
	}
	for _, tt := range tests {
		r, err := compileExclude(tt.pattern, tt.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tt.pattern, err)
		}
		if got := r.matches(tt.path); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
	for _, bad := range []string{"", "/", "a/../b", "[", `a\b`, "./x"} {
		if _, err := compileExclude(bad, bad); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func writeTree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTargetExclude(t *testing.T) {
	dir := writeTree(t, "main.go", "release/app.sbom.json", "test/testdata/bom.json", "pkg/testdata/key.pem",
		"vendor/github.com/x/y.go", "web/node_modules/left-pad/index.js", "docs/a.golden", ".git/HEAD", ".git/objects/testdata/x")
	tg, err := OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if err := tg.Exclude([]string{"*.golden"}, false); err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, f := range tg.Files {
		kept = append(kept, f.Path)
	}
	want := []string{".git/HEAD", ".git/objects/testdata/x", "main.go", "release/app.sbom.json"}
	if !reflect.DeepEqual(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	got := tg.ExcludedByRule()
	wantRules := []ExclusionCount{
		{Rule: "*.golden", Files: 1, First: "docs/a.golden"},
		{Rule: "default: testdata/", Files: 2, First: "pkg/testdata/key.pem"},
		{Rule: "default: vendor/", Files: 1, First: "vendor/github.com/x/y.go"},
		{Rule: "default: node_modules/", Files: 1, First: "web/node_modules/left-pad/index.js"},
	}
	if !reflect.DeepEqual(got, wantRules) {
		t.Errorf("by rule %+v, want %+v", got, wantRules)
	}
	if r := tg.ExcludedBy("a/testdata/b.wasm"); r != "default: testdata/" {
		t.Errorf("ExcludedBy = %q", r)
	}

	// Without the defaults only the user's rule applies.
	tg2, _ := OpenTarget("t", dir)
	defer tg2.Close()
	if err := tg2.Exclude([]string{"*.golden"}, true); err != nil {
		t.Fatal(err)
	}
	if len(tg2.Excluded) != 1 || len(tg2.Files) != 8 {
		t.Errorf("no defaults: %d excluded, %d kept", len(tg2.Excluded), len(tg2.Files))
	}

	// A single file the user names is never excluded.
	one, _ := OpenTarget("t", filepath.Join(dir, "test", "testdata", "bom.json"))
	defer one.Close()
	if err := one.Exclude(nil, false); err != nil || len(one.Files) != 1 || len(one.Excluded) != 0 {
		t.Errorf("single-file target: %v, %d files", err, len(one.Files))
	}

	// A bad pattern is an error naming the target and the pattern.
	tg3, _ := OpenTarget("t", dir)
	defer tg3.Close()
	if err := tg3.Exclude([]string{"[x"}, false); err == nil || !strings.Contains(err.Error(), `target t: exclude pattern "[x"`) {
		t.Errorf("bad pattern: %v", err)
	}
}

func TestRoleRuns(t *testing.T) {
	for _, tt := range []struct {
		role, collector string
		want            bool
	}{
		{"", "gitrepo", true}, {RoleDetected, "files", true},
		{RoleSource, "gitrepo", true}, {RoleSource, "ci", true}, {RoleSource, "files", false}, {RoleSource, "signing", false},
		{RoleRelease, "files", true}, {RoleRelease, "signing", true}, {RoleRelease, "gitrepo", false}, {RoleRelease, "ci", false},
		{RoleKeys, "keys", true}, {RoleKeys, "sbom", false},
		{RoleDistribution, "distribution", true}, {RoleDistribution, "gitrepo", false},
		{RoleDistribution, "distribution-oci", true}, {RoleRelease, "distribution-release", true}, {RoleSource, "distribution-tuf", false}, {RoleKeys, "distributions", false},
	} {
		if got := RoleRuns(tt.role, tt.collector); got != tt.want {
			t.Errorf("RoleRuns(%q, %q) = %v", tt.role, tt.collector, got)
		}
	}
	for _, r := range append([]string{""}, Roles...) {
		if !ValidRole(r) {
			t.Errorf("%q not valid", r)
		}
	}
	if ValidRole("product") {
		t.Error("unknown role accepted")
	}
}

func TestInGitDir(t *testing.T) {
	for p, want := range map[string]bool{
		".git": true, ".git/HEAD": true, "a/b/.git/objects/pack/x.promisor": true, "sub/.git": true,
		".github/workflows/ci.yml": false, "x.git/HEAD": false, "docs/.gitignore": false, "a/.gitmodules": false,
	} {
		if got := InGitDir(p); got != want {
			t.Errorf("InGitDir(%q) = %v, want %v", p, got, want)
		}
	}
}

// The default rules by name: fixtures folders under other names (a dot, a
// prefix) are fixtures too, a folder that merely contains the word is not;
// a project's test tree is not its product, and the narrower rules keep
// their names.
func TestDefaultExclusions(t *testing.T) {
	for _, tc := range []struct {
		name string
		want map[string]string // path → the rule excluding it
	}{
		{"decorated fixtures folders", map[string]string{
			"pnpr/.fixtures/packages/a/package.json": "default: *fixtures/",
			"e2e/test-fixtures/b.json":               "default: *fixtures/",
			"src/fixturesupport/c.go":                "",
			"src/main.go":                            "",
		}},
		{"test trees", map[string]string{
			"test/links/ok-1.0.0-py3-none-any.whl": "default: test/",
			"pkg/tests/fixtures/a.json":            "default: tests/fixtures/",
			"src/testing/helper.go":                "",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files []string
			for p := range tc.want {
				files = append(files, p)
			}
			dir := writeTree(t, files...)
			tg, err := OpenTarget("t", dir)
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			if err := tg.Exclude(nil, false); err != nil {
				t.Fatal(err)
			}
			for p, want := range tc.want {
				if got := tg.ExcludedBy(p); got != want {
					t.Errorf("ExcludedBy(%s) = %q, want %q", p, got, want)
				}
			}
		})
	}
}
