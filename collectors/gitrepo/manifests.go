package gitrepo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// lockfiles lists, per manifest name, the lockfiles that can pin it.
var lockfiles = map[string]struct {
	ecosystem string
	locks     []string
}{
	"go.mod":         {"go", []string{"go.sum"}},
	"package.json":   {"npm", []string{"package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lockb", "bun.lock"}},
	"Cargo.toml":     {"cargo", []string{"Cargo.lock"}},
	"pyproject.toml": {"pypi", []string{"poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock"}},
	"Pipfile":        {"pypi", []string{"Pipfile.lock"}},
	"Gemfile":        {"rubygems", []string{"Gemfile.lock"}},
	"composer.json":  {"packagist", []string{"composer.lock"}},
}

type reader func(name string) ([]byte, bool)

func manifests(order []string, files map[string]*treeFile, read reader) []Manifest {
	var out []Manifest
	ws := memoWorkspaces(read)
	for _, name := range order {
		if strings.Contains(name, "node_modules/") || strings.Contains(name, "vendor/") || strings.Contains(name, "testdata/") {
			continue
		}
		base, dir := path.Base(name), path.Dir(name)
		if isRequirements(base) {
			b, ok := read(name)
			if ok {
				out = append(out, requirementsManifest(name, b))
			}
			continue
		}
		spec, ok := lockfiles[base]
		if !ok {
			continue
		}
		if base == "pyproject.toml" {
			if b, ok := read(name); !ok || !bytes.Contains(b, []byte("dependencies")) {
				continue // a tool-only pyproject declares nothing to lock
			}
		}
		m := Manifest{Path: name, Ecosystem: spec.ecosystem}
		// A workspace member is resolved into its workspace root's
		// lockfile whatever lies beside it: a lockfile in a member's folder
		// (a test's fixture, a leftover) is one the package manager ignores.
		var member string
		m.Lockfile, member = workspaceLock(base, dir, spec.locks, files, ws)
		if m.Lockfile == "" {
			for _, l := range spec.locks {
				if files[path.Join(dir, l)] != nil {
					m.Lockfile = path.Join(dir, l)
					break
				}
			}
		}
		mb, _ := read(name)
		var lb []byte
		if m.Lockfile != "" {
			lb, _ = read(m.Lockfile)
		}
		deps := declared(base, mb)
		if base == "Cargo.toml" && m.Lockfile != "" {
			if rb, ok := read(path.Join(path.Dir(m.Lockfile), "Cargo.toml")); ok {
				deps = cargoDeclared(mb, cargoRenames(rb))
				sort.Strings(deps)
			}
		}
		m.Dependencies = len(deps)
		switch {
		case m.Lockfile == "" && len(deps) > 0:
			m.Problems = append(m.Problems, fmt.Sprintf("no lockfile beside it (want one of %s)", strings.Join(spec.locks, ", ")))
		case m.Lockfile != "":
			for _, d := range deps {
				if !locked(base, path.Base(m.Lockfile), member, d, lb) {
					m.Problems = append(m.Problems, fmt.Sprintf("%s is declared but not in %s", d, path.Base(m.Lockfile)))
				}
			}
		}
		out = append(out, m)
	}
	return out
}

func isRequirements(base string) bool {
	return strings.HasSuffix(base, ".txt") && strings.HasPrefix(base, "requirements")
}

// requirementsManifest checks that every requirement is pinned with a hash
// (pip's --require-hashes mode); such a file is its own lockfile.
func requirementsManifest(name string, b []byte) Manifest {
	m := Manifest{Path: name, Ecosystem: "pypi", Lockfile: name}
	var logical []string
	var cur strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		logical = append(logical, cur.String())
		cur.Reset()
	}
	for _, l := range logical {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "-") {
			continue
		}
		m.Dependencies++
		if !strings.Contains(l, "--hash=") {
			name, _, _ := strings.Cut(l, " ")
			m.Problems = append(m.Problems, fmt.Sprintf("%s has no --hash", name))
		}
	}
	return m
}

var (
	goRequire  = lazyre.New(`^\s*(?:require\s+)?([^\s()]+)\s+(v[^\s]+)`)
	goReplace  = lazyre.New(`^\s*(?:replace\s+)?([^\s()]+)(?:\s+v[^\s]+)?\s+=>\s+([^\s]+)(?:\s+(v[^\s]+))?`)
	tomlHeader = lazyre.New(`^\[([^\]]+)\]`)
	tomlKey    = lazyre.New(`^([A-Za-z0-9_.-]+)\s*=`)
	// cargoPackage is the package a dependency key renames.
	cargoPackage = lazyre.New(`[{,]\s*package\s*=\s*"([^"]+)"`)
	// cargoInherit marks a dependency taken from the workspace's table.
	cargoInherit = lazyre.New(`^[A-Za-z0-9_-]+\.workspace\s*=\s*true|[{,]\s*workspace\s*=\s*true`)
)

// declared lists the direct dependencies a manifest names, in the form
// the matching lockfile records them.
func declared(base string, b []byte) []string {
	var out []string
	switch base {
	case "go.mod":
		block := ""
		replaced := map[string]string{}
		var required []string
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			switch {
			case strings.HasPrefix(line, "require ("), strings.HasPrefix(line, "replace ("):
				block = line[:7]
			case block != "" && line == ")":
				block = ""
			case block == "require" || strings.HasPrefix(line, "require "):
				if m := goRequire.FindStringSubmatch(line); m != nil {
					required = append(required, m[1]+" "+m[2])
				}
			case block == "replace" || strings.HasPrefix(line, "replace "):
				if m := goReplace.FindStringSubmatch(line); m != nil {
					replaced[m[1]] = m[2] + " " + m[3]
					if m[3] == "" {
						replaced[m[1]] = "" // a local directory: nothing to lock
					}
				}
			}
		}
		// A replaced module is locked at its replacement.
		for _, r := range required {
			mod, _, _ := strings.Cut(r, " ")
			if rep, ok := replaced[mod]; ok {
				if rep != "" {
					out = append(out, rep)
				}
				continue
			}
			out = append(out, r)
		}
	case "package.json":
		var pj struct {
			Dependencies    map[string]string `json:"dependencies"`
			DevDependencies map[string]string `json:"devDependencies"`
		}
		if json.Unmarshal(b, &pj) == nil {
			for d := range pj.Dependencies {
				out = append(out, d)
			}
			for d := range pj.DevDependencies {
				out = append(out, d)
			}
		}
	case "Cargo.toml":
		out = append(out, cargoDeclared(b, nil)...)
	}
	sort.Strings(out)
	return out
}

// locked tells whether the lockfile pins a declared dependency. member is
// the manifest's folder below the workspace root the lockfile is at ("" when
// the lockfile is beside it): npm installs a member's dependency there when
// it cannot hoist it.
func locked(manifest, lock, member, dep string, lb []byte) bool {
	switch manifest {
	case "go.mod":
		return bytes.Contains(lb, []byte(dep+"/go.mod h1:")) || bytes.Contains(lb, []byte(dep+" h1:"))
	case "package.json":
		switch lock {
		case "package-lock.json", "npm-shrinkwrap.json":
			var pl struct {
				Packages     map[string]json.RawMessage `json:"packages"`
				Dependencies map[string]json.RawMessage `json:"dependencies"`
			}
			if json.Unmarshal(lb, &pl) != nil {
				return false
			}
			_, v2 := pl.Packages["node_modules/"+dep]
			_, v1 := pl.Dependencies[dep]
			_, nested := pl.Packages[member+"/node_modules/"+dep]
			return v2 || v1 || member != "" && nested
		default:
			return bytes.Contains(lb, []byte(dep))
		}
	case "Cargo.toml":
		return bytes.Contains(lb, []byte(`name = "`+dep+`"`))
	}
	return true
}

// cargoDeclared lists a Cargo.toml's direct dependencies by the package
// names Cargo.lock records: the key of a dotted entry (serde.workspace =
// true) without its field, a renamed dependency (foo = { package = "bar" })
// by its package, and one inherited from the workspace by the package the
// workspace's table renames it to (renames, from the root's Cargo.toml).
func cargoDeclared(b []byte, renames map[string]string) []string {
	var out []string
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := tomlHeader.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		if !strings.HasSuffix(section, "dependencies") || strings.Contains(section, ".") {
			continue
		}
		m := tomlKey.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, _, _ := strings.Cut(m[1], ".")
		if p := cargoPackage.FindStringSubmatch(line); p != nil {
			name = p[1]
		} else if r, ok := renames[name]; ok && cargoInherit.MatchString(line) {
			name = r
		}
		out = append(out, name)
	}
	return out
}

// cargoRenames maps the keys of a workspace root's
// [workspace.dependencies] that rename a package to that package.
func cargoRenames(b []byte) map[string]string {
	renames := map[string]string{}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := tomlHeader.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		if section != "workspace.dependencies" {
			continue
		}
		if m := tomlKey.FindStringSubmatch(line); m != nil {
			if p := cargoPackage.FindStringSubmatch(line); p != nil {
				renames[m[1]] = p[1]
			}
		}
	}
	return renames
}
