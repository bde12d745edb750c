package ci

import (
	"bytes"
	"context"
	"path"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
)

// maxIncludes bounds how many local GitLab includes one target may pull in.
const maxIncludes = 200

// Collector finds and parses the pipeline files of a target.
type Collector struct {
	// Skip lists path prefixes (slash-separated, relative to the target)
	// not to scan, e.g. "vendor/".
	Skip []string
}

// New returns a collector skipping the given path prefixes.
func New(skip ...string) *Collector {
	return &Collector{Skip: skip}
}

// Name implements collectors.Collector.
func (c *Collector) Name() string { return CollectorName }

// Classify says what a file is from its path alone: a workflow under
// .github/workflows, an action.yml, or a GitLab CI file. ok is false for
// anything else.
func Classify(rel string) (Platform, bool) {
	base := path.Base(rel)
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return "", false
	}
	dir := path.Dir(rel)
	switch {
	case dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows"):
		return GitHubWorkflow, true
	case base == "action.yml" || base == "action.yaml":
		return GitHubAction, true
	case base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" || strings.HasSuffix(base, ".gitlab-ci.yml") || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return GitLabCI, true
	}
	return "", false
}

// Sniff decides what a YAML file named on its own is, from its top-level
// keys: `runs` makes an action, `on` or `jobs` a workflow, GitLab keywords
// or jobs with `script` a GitLab file. Anything else is read as a workflow,
// so that a malformed file is reported rather than skipped.
func Sniff(rel string, raw []byte) Platform {
	p, ok := Classify(rel)
	if ok && p != GitHubAction {
		return p
	}
	keys, script := topKeys(raw)
	if ok && (keys["runs"] || !keys["jobs"]) {
		return GitHubAction // an action.yml unless it is plainly a workflow
	}
	if keys["runs"] && !keys["jobs"] {
		return GitHubAction
	}
	if keys["on"] || keys["true"] || keys["jobs"] {
		return GitHubWorkflow
	}
	for _, k := range []string{"stages", "include", "variables", "default", "workflow", "spec", "image", "services", "before_script"} {
		if keys[k] {
			return GitLabCI
		}
	}
	if script {
		return GitLabCI
	}
	return GitHubWorkflow
}

// topKeys lists the top-level mapping keys of a YAML text in one pass, and
// whether any line is a `script:` or `extends:` key (GitLab jobs).
func topKeys(raw []byte) (map[string]bool, bool) {
	keys := map[string]bool{}
	script := false
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if len(line) == 0 {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' && line[0] != '#' && line[0] != '-' {
			if i := bytes.IndexByte(line, ':'); i > 0 {
				k := strings.Trim(string(bytes.TrimSpace(line[:i])), `"'`)
				keys[k] = true
			}
			continue
		}
		t := bytes.TrimLeft(line, " \t")
		if bytes.HasPrefix(t, []byte("script:")) || bytes.HasPrefix(t, []byte("extends:")) {
			script = true
		}
	}
	return keys, script
}

// Parse parses raw as the given platform.
func Parse(p Platform, rel string, raw []byte) *Pipeline {
	switch p {
	case GitHubAction:
		return ParseAction(rel, raw)
	case GitLabCI:
		return ParseGitLab(rel, raw)
	}
	return ParseWorkflow(rel, raw)
}

// Collect implements collectors.Collector. A target that is a single file
// is scanned whatever its name, its kind sniffed from its content.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	done := map[string]bool{}
	single := len(t.Files) == 1
	var gitlabRoots []string
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if c.skipped(f.Path) {
			continue
		}
		plat, ok := Classify(f.Path)
		if !ok && !single {
			continue
		}
		ext := path.Ext(f.Path)
		if !ok && ext != ".yml" && ext != ".yaml" {
			continue
		}
		raw, err := t.ReadFile(f.Path)
		if err != nil {
			ev := t.Evidence(CollectorName, Kind, f.Path, nil, subject(f.Path, nil), &Pipeline{
				Platform: plat, Path: f.Path,
				SyntaxErrors: []SyntaxError{{Line: 1, Column: 1, Message: "could not read: " + err.Error()}},
				Source:       newSource(nil),
			})
			out = append(out, ev)
			continue
		}
		if !ok || plat == GitHubAction {
			plat = Sniff(f.Path, raw)
		}
		p := Parse(plat, f.Path, raw)
		done[f.Path] = true
		out = append(out, t.Evidence(CollectorName, Kind, f.Path, raw, subject(f.Path, raw), p))
		if plat == GitLabCI {
			gitlabRoots = append(gitlabRoots, f.Path)
			_ = p
		}
	}
	// Follow local includes of GitLab files, breadth first, inside the tree.
	queue := append([]string(nil), gitlabRoots...)
	parsed := map[string]*Pipeline{}
	for _, e := range out {
		if p, ok := e.Payload.(*Pipeline); ok {
			parsed[e.Source] = p
		}
	}
	for n := 0; len(queue) > 0 && n < maxIncludes; n++ {
		cur := queue[0]
		queue = queue[1:]
		p := parsed[cur]
		if p == nil || p.GitLab == nil {
			continue
		}
		for _, inc := range p.GitLab.Includes {
			if inc.Kind != "local" || inc.Value == nil {
				continue
			}
			for _, rel := range resolveLocal(t, inc.Value.Value) {
				if done[rel] || c.skipped(rel) {
					continue
				}
				done[rel] = true
				raw, err := t.ReadFile(rel)
				if err != nil {
					continue // a missing include is GitLab's error to report, not a finding here
				}
				ip := ParseGitLab(rel, raw)
				ip.IncludedBy = cur
				parsed[rel] = ip
				out = append(out, t.Evidence(CollectorName, Kind, rel, raw, subject(rel, raw), ip))
				queue = append(queue, rel)
			}
		}
	}
	return out, nil
}

func (c *Collector) skipped(rel string) bool {
	for _, s := range c.Skip {
		if s != "" && strings.HasPrefix(rel, s) {
			return true
		}
	}
	return false
}

// resolveLocal maps a GitLab local include (absolute from the repository
// root, wildcards allowed) to files of the target.
func resolveLocal(t *collectors.Target, inc string) []string {
	inc = strings.TrimSpace(inc)
	if inc == "" || strings.Contains(inc, "$") {
		return nil
	}
	pat := path.Clean("/" + inc)[1:]
	if pat == "" || strings.HasPrefix(pat, "..") {
		return nil
	}
	var out []string
	if !strings.ContainsAny(pat, "*?[") {
		for _, f := range t.Files {
			if f.Path == pat {
				return []string{pat}
			}
		}
		// A single-file target lists only itself; the include may still be
		// in its folder.
		if len(t.Files) == 1 {
			return []string{pat}
		}
		return nil
	}
	for _, f := range t.Files {
		if ok, _ := path.Match(pat, f.Path); ok {
			out = append(out, f.Path)
		} else if strings.Contains(pat, "**") {
			if ok, _ := path.Match(strings.ReplaceAll(pat, "**", "*"), f.Path); ok {
				out = append(out, f.Path)
			}
		}
	}
	return out
}

func subject(rel string, raw []byte) evidence.Subject {
	s := evidence.Subject{Type: "workflow", Ref: rel}
	if raw != nil {
		s.Digest = "sha256:" + evidence.SHA256Hex(raw)
	}
	return s
}
