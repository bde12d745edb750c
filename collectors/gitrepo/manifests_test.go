package gitrepo

import (
	"sort"
	"strings"
	"testing"
)

func TestDeclaredGoModules(t *testing.T) {
	mod := `module example.org/x

go 1.26

require github.com/a/b v1.0.0

require (
	github.com/c/d v0.2.0 // indirect
	go.yaml.in/yaml/v4 v4.0.0-rc.4
	example.org/local v0.0.0
)

replace go.yaml.in/yaml/v4 => go.yaml.in/yaml/v4 v4.0.0-rc.3

replace example.org/local => ../local
`
	got := strings.Join(declared("go.mod", []byte(mod)), ",")
	want := "github.com/a/b v1.0.0,github.com/c/d v0.2.0,go.yaml.in/yaml/v4 v4.0.0-rc.3"
	if got != want {
		t.Errorf("declared = %s, want %s", got, want)
	}
}

func TestDeclaredCargo(t *testing.T) {
	toml := "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\nrand = { version = \"0.8\" }\n\n[dependencies.tokio]\nversion = \"1\"\n\n[dev-dependencies]\nproptest = \"1\"\n"
	if got := strings.Join(declared("Cargo.toml", []byte(toml)), ","); got != "proptest,rand,serde" {
		t.Errorf("declared = %s", got)
	}
}

// A workspace member is pinned by the lockfile at the workspace's root, in
// every ecosystem that has workspaces; a folder the root does not list (or
// excludes) still needs its own, and a member's dependency missing from the
// root's lockfile is still a problem.
func TestWorkspaceMembersUseTheRootLockfile(t *testing.T) {
	tree := map[string]string{
		// Cargo: every package below the root but an excluded folder.
		"Cargo.toml":                          "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/standalone\"]\n\n[workspace.dependencies]\nserde = \"1\"\n",
		"Cargo.lock":                          "[[package]]\nname = \"serde\"\n\n[[package]]\nname = \"member-b\"\n",
		"crates/a/Cargo.toml":                 "[package]\nname = \"member-a\"\n\n[dependencies]\nserde = { workspace = true }\nmember-b = { workspace = true }\nrand = \"0.8\"\n",
		"crates/b/Cargo.toml":                 "[package]\nname = \"member-b\"\n\n[dependencies]\nserde = { workspace = true }\n",
		"crates/standalone/Cargo.toml":        "[package]\nname = \"s\"\n\n[dependencies]\nserde = \"1\"\n",
		"crates/fixture-lock/Cargo.toml":      "[package]\nname = \"fl\"\n\n[dependencies]\nserde = \"1\"\n",
		"crates/fixture-lock/Cargo.lock":      "# a test's fixture, not what cargo resolves the member with\n",
		"crates/standalone/nested/Cargo.toml": "[package]\nname = \"n\"\n\n[dependencies]\nserde = \"1\"\n",
		"crates/own-root/Cargo.toml":          "[workspace]\n\n[package]\nname = \"f\"\n\n[dependencies]\nserde = \"1\"\n",
		"tools/Cargo.toml":                    "[package]\nname = \"t\"\n\n[dependencies]\nserde = \"1\"\n",
		// npm: workspaces array; a dependency npm could not hoist.
		"web/package.json":                    `{"workspaces": ["packages/**"]}`,
		"web/package-lock.json":               `{"lockfileVersion": 3, "packages": {"node_modules/left-pad": {}, "packages/ui/button/node_modules/react": {}}}`,
		"web/packages/ui/button/package.json": `{"dependencies": {"left-pad": "1", "react": "18"}}`,
		// yarn: {"packages": [...]}.
		"yarn/package.json":           `{"workspaces": {"packages": ["apps/*"]}}`,
		"yarn/yarn.lock":              "left-pad@^1:\n  version \"1.3.0\"\n",
		"yarn/apps/site/package.json": `{"dependencies": {"left-pad": "^1"}}`,
		// pnpm: pnpm-workspace.yaml with a negated pattern.
		"pn/package.json":              `{"name": "root"}`,
		"pn/pnpm-workspace.yaml":       "packages:\n  - 'pkgs/*'\n  - '!pkgs/private'\n",
		"pn/pnpm-lock.yaml":            "importers:\n  pkgs/lib:\n    dependencies:\n      left-pad: 1.3.0\n",
		"pn/pkgs/lib/package.json":     `{"dependencies": {"left-pad": "1"}}`,
		"pn/pkgs/lib/pnpm-lock.yaml":   "importers:\n  test/fixture/pkg:\n    dependencies:\n      is-positive: 1.0.0\n",
		"pn/pkgs/private/package.json": `{"dependencies": {"left-pad": "1"}}`,
		// uv: [tool.uv.workspace].
		"py/pyproject.toml":           "[project]\nname = \"root\"\ndependencies = []\n\n[tool.uv.workspace]\nmembers = [\"libs/*\"]\n",
		"py/uv.lock":                  "version = 1\n",
		"py/libs/core/pyproject.toml": "[project]\nname = \"core\"\ndependencies = [\"httpx\"]\n",
		// Poetry has no workspaces: a lockfile above does not pin it.
		"poetry/poetry.lock":        "",
		"poetry/pyproject.toml":     "[tool.poetry.dependencies]\npython = \"^3.12\"\n",
		"poetry/sub/pyproject.toml": "[tool.poetry.dependencies]\nhttpx = \"*\"\n",
	}
	got := map[string]string{}
	for _, m := range manifestsOf(tree) {
		got[m.Path] = m.Lockfile + " " + strings.Join(m.Problems, "; ")
	}
	want := map[string]string{
		"Cargo.toml":                          "Cargo.lock ",
		"crates/a/Cargo.toml":                 "Cargo.lock rand is declared but not in Cargo.lock",
		"crates/b/Cargo.toml":                 "Cargo.lock ",
		"crates/standalone/Cargo.toml":        " no lockfile beside it (want one of Cargo.lock)",
		"tools/Cargo.toml":                    "Cargo.lock ",
		"crates/fixture-lock/Cargo.toml":      "Cargo.lock ",
		"crates/own-root/Cargo.toml":          " no lockfile beside it (want one of Cargo.lock)",
		"crates/standalone/nested/Cargo.toml": " no lockfile beside it (want one of Cargo.lock)",
		"web/package.json":                    "web/package-lock.json ",
		"web/packages/ui/button/package.json": "web/package-lock.json ",
		"yarn/package.json":                   "yarn/yarn.lock ",
		"yarn/apps/site/package.json":         "yarn/yarn.lock ",
		"pn/package.json":                     "pn/pnpm-lock.yaml ",
		"pn/pkgs/lib/package.json":            "pn/pnpm-lock.yaml ",
		"pn/pkgs/private/package.json":        " no lockfile beside it (want one of package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, bun.lockb, bun.lock)",
		"py/pyproject.toml":                   "py/uv.lock ",
		"py/libs/core/pyproject.toml":         "py/uv.lock ",
		"poetry/pyproject.toml":               "poetry/poetry.lock ",
		"poetry/sub/pyproject.toml":           " ",
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got %q, want %q", p, got[p], w)
		}
	}
}

// Cargo.lock records packages by name: a dotted key names its dependency
// without the field, and a renamed dependency is locked under its package,
// whether the rename is the member's own or the workspace table's.
func TestCargoDependenciesByPackageName(t *testing.T) {
	member := "[package]\nname = \"m\"\n\n[dependencies]\nserde.workspace = true\nhttp = { workspace = true }\nmw = { workspace = true, features = [\"json\"] }\nown = { version = \"1\", package = \"real-own\" }\nmy-package = \"9.0.0\"\n"
	if got := strings.Join(declared("Cargo.toml", []byte(member)), ","); got != "http,mw,my-package,real-own,serde" {
		t.Errorf("declared = %s", got)
	}
	tree := map[string]string{
		"Cargo.toml":       "[workspace]\nmembers = [\"m\"]\n\n[workspace.dependencies]\nserde = \"1\"\nhttp = \"1\"\nmw = { version = \"0.5\", package = \"forked-mw\", features = [\n  \"rustls\",\n] }\n",
		"Cargo.lock":       "[[package]]\nname = \"serde\"\n\n[[package]]\nname = \"http\"\n\n[[package]]\nname = \"forked-mw\"\n\n[[package]]\nname = \"real-own\"\n\n[[package]]\nname = \"my-package\"\n",
		"m/Cargo.toml":     member,
		"other/Cargo.toml": "[package]\nname = \"o\"\n\n[dependencies]\nmw = \"0.5\"\n",
		"other/Cargo.lock": "[[package]]\nname = \"forked-mw\"\n",
	}
	got := map[string]string{}
	for _, m := range manifestsOf(tree) {
		got[m.Path] = strings.Join(m.Problems, "; ")
	}
	want := map[string]string{
		"Cargo.toml":       "",
		"m/Cargo.toml":     "",
		"other/Cargo.toml": "mw is declared but not in Cargo.lock",
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got %q, want %q", p, got[p], w)
		}
	}
}

// manifestsOf judges the manifests of an in-memory tree of path → content.
func manifestsOf(tree map[string]string) []Manifest {
	files := map[string]*treeFile{}
	var order []string
	for name := range tree {
		files[name] = &treeFile{name: name}
		order = append(order, name)
	}
	sort.Strings(order)
	return manifests(order, files, func(name string) ([]byte, bool) {
		b, ok := tree[name]
		return []byte(b), ok
	})
}
