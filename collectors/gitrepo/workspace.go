package gitrepo

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// workspaceLock finds the lockfile that pins a manifest because it is a
// member of a workspace: Cargo, npm, pnpm, yarn and uv resolve every member
// into the one lockfile at the workspace's root. It walks up from the
// manifest's folder to the first ancestor whose manifest declares a
// workspace that has the folder as a member and keeps a lockfile of the
// ecosystem, and returns that lockfile and the member's folder relative to
// the root.
func workspaceLock(base, dir string, locks []string, files map[string]*treeFile, ws workspaceLookup) (lock, rel string) {
	if _, _, ok := ws(base, dir); ok {
		return "", "" // the root of a workspace of its own
	}
	for root := dir; root != "."; {
		root = path.Dir(root)
		rel = dir
		if root != "." {
			rel = strings.TrimPrefix(dir, root+"/")
		}
		if !workspaceMember(base, root, rel, ws) {
			continue
		}
		for _, l := range locks {
			if files[path.Join(root, l)] != nil {
				return path.Join(root, l), rel
			}
		}
	}
	return "", ""
}

// workspaceMember tells whether the manifest named base in root declares
// a workspace whose members include the folder rel below it.
func workspaceMember(base, root, rel string, ws workspaceLookup) bool {
	members, excluded, ok := ws(base, root)
	if !ok {
		return false
	}
	in, out := false, false
	for _, m := range members {
		if neg, ok := strings.CutPrefix(m, "!"); ok {
			out = out || globMatch(neg, rel)
			continue
		}
		in = in || globMatch(m, rel)
	}
	for _, x := range excluded {
		out = out || globMatch(x, rel)
	}
	return in && !out
}

// workspaceLookup gives the workspace the manifest named base in root
// declares, as workspaceOf does.
type workspaceLookup func(base, root string) (members, excluded []string, ok bool)

// memoWorkspaces is a workspaceLookup that reads and parses each
// (base, root) once: every manifest of a tree looks up each of its
// ancestors, and each read unpacks a blob.
func memoWorkspaces(read reader) workspaceLookup {
	type key struct{ base, root string }
	type decl struct {
		members, excluded []string
		ok                bool
	}
	seen := map[key]decl{}
	return func(base, root string) ([]string, []string, bool) {
		k := key{base, root}
		d, done := seen[k]
		if !done {
			d.members, d.excluded, d.ok = workspaceOf(base, root, read)
			seen[k] = d
		}
		return d.members, d.excluded, d.ok
	}
}

// workspaceOf reads the workspace the manifest named base in root
// declares, if any: its member and excluded folder patterns.
func workspaceOf(base, root string, read reader) (members, excluded []string, ok bool) {
	switch base {
	case "Cargo.toml", "pyproject.toml":
		b, found := read(path.Join(root, base))
		if !found {
			return nil, nil, false
		}
		var doc struct {
			Workspace *tomlWorkspace `toml:"workspace"`
			Tool      struct {
				UV struct {
					Workspace *tomlWorkspace `toml:"workspace"`
				} `toml:"uv"`
			} `toml:"tool"`
		}
		if toml.Unmarshal(b, &doc) != nil {
			return nil, nil, false
		}
		ws := doc.Workspace
		if base == "pyproject.toml" {
			ws = doc.Tool.UV.Workspace
		}
		if ws == nil {
			return nil, nil, false
		}
		if base == "Cargo.toml" {
			// Cargo makes every package below the root a member (path
			// dependencies join without being listed; any other is an
			// error) but those under a folder it excludes.
			for _, x := range ws.Exclude {
				excluded = append(excluded, strings.TrimSuffix(x, "/")+"/**")
			}
			return []string{"**"}, excluded, true
		}
		return ws.Members, ws.Exclude, true
	case "package.json":
		if b, found := read(path.Join(root, "pnpm-workspace.yaml")); found {
			var pw struct {
				Packages []string `yaml:"packages"`
			}
			if yaml.Unmarshal(b, &pw) == nil {
				return pw.Packages, nil, true
			}
		}
		b, found := read(path.Join(root, base))
		if !found {
			return nil, nil, false
		}
		var pj struct {
			Workspaces json.RawMessage `json:"workspaces"`
		}
		if json.Unmarshal(b, &pj) != nil || len(pj.Workspaces) == 0 {
			return nil, nil, false
		}
		// An array of globs, or yarn's {"packages": [...]}.
		if json.Unmarshal(pj.Workspaces, &members) == nil {
			return members, nil, true
		}
		var obj struct {
			Packages []string `json:"packages"`
		}
		if json.Unmarshal(pj.Workspaces, &obj) == nil {
			return obj.Packages, nil, true
		}
	}
	return nil, nil, false
}

type tomlWorkspace struct {
	Members []string `toml:"members"`
	Exclude []string `toml:"exclude"`
}

// globMatch matches a workspace member pattern ("crates/*",
// "packages/**", "./apps/web") against a slash-separated folder; "**"
// stands for any number of folders.
func globMatch(pattern, name string) bool {
	pattern = strings.TrimSuffix(strings.TrimPrefix(pattern, "./"), "/")
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
