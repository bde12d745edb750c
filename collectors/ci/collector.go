package ci

import (
	"bytes"
	"context"
	"path"
	"path/filepath"
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
	// Without a name that says action.yml, a jobs: key decides: stop there.
	keys, script := topKeys(raw, !ok)
	if ok && (keys&keyRuns != 0 || keys&keyJobs == 0) {
		return GitHubAction // an action.yml unless it is plainly a workflow
	}
	if keys&keyRuns != 0 && keys&keyJobs == 0 {
		return GitHubAction
	}
	if keys&(keyOn|keyTrue|keyJobs) != 0 {
		return GitHubWorkflow
	}
	if keys&keyGitLab != 0 || script {
		return GitLabCI
	}
	return GitHubWorkflow
}

// Top-level keys Sniff decides on, as bits.
const (
	keyRuns uint8 = 1 << iota
	keyJobs
	keyOn
	keyTrue
	keyGitLab // a GitLab keyword: stages, include, variables, ...
)

var sniffKeys = map[string]uint8{
	"runs": keyRuns, "jobs": keyJobs, "on": keyOn, "true": keyTrue,
	"stages": keyGitLab, "include": keyGitLab, "variables": keyGitLab, "default": keyGitLab, "workflow": keyGitLab,
	"spec": keyGitLab, "image": keyGitLab, "services": keyGitLab, "before_script": keyGitLab,
}

// topKeys tells which of sniffKeys are top-level mapping keys of a YAML
// text, in one pass without allocating, and whether any line is a
// `script:` or `extends:` key (GitLab jobs). With stopAtJobs it returns at
// the first top-level jobs: key, which is then all a caller needs.
func topKeys(raw []byte, stopAtJobs bool) (uint8, bool) {
	var keys uint8
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
				keys |= sniffKeys[string(bytes.Trim(bytes.TrimSpace(line[:i]), `"'`))]
				if stopAtJobs && keys&keyJobs != 0 {
					return keys, script
				}
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
	return parse(p, rel, raw, newSource(raw))
}

func parse(p Platform, rel string, raw []byte, src *Source) *Pipeline {
	switch p {
	case GitHubAction:
		return parseAction(rel, raw, src)
	case GitLabCI:
		return parseGitLab(rel, raw, src)
	}
	return parseWorkflow(rel, raw, src)
}

// Collect implements collectors.Collector. A target that is a single file
// is scanned whatever its name, its kind sniffed from its content.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	files := targetFiles(t)
	err := c.walk(ctx, files, locationOf(t.Dir), len(files) == 1, t.ReadFile, func(rel string, raw []byte, p *Pipeline) {
		ev := t.Evidence(CollectorName, Kind, rel, raw, evidence.Subject{Type: "workflow", Ref: rel}, p)
		if raw != nil {
			ev.Subject.Digest = "sha256:" + ev.SHA256 // the same hash as the evidence's
		}
		out = append(out, ev)
	})
	return out, err
}

// Pipelines parses the pipeline files of a directory target as Collect
// does, without building evidence (no hashing): what `ci scan` needs. Unlike
// Collect, it never takes a folder holding one file for a file named on its
// own.
func (c *Collector) Pipelines(ctx context.Context, t *collectors.Target) ([]*Pipeline, error) {
	var out []*Pipeline
	err := c.walk(ctx, targetFiles(t), locationOf(t.Dir), false, t.ReadFile, func(_ string, _ []byte, p *Pipeline) {
		out = append(out, p)
	})
	return out, err
}

// locationOf is where a directory target sits, as a slash path ending in
// "/" (absolute when it can be made so): a file at rel in it is classified
// by location from locationOf(dir)+rel, so that a target that is itself a
// .github/workflows folder (or a .github folder) has its workflows found.
func locationOf(dir string) string {
	if dir == "" {
		return ""
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	d := filepath.ToSlash(dir)
	if !strings.HasSuffix(d, "/") {
		d += "/"
	}
	return d
}

// File parses one file of a folder as a single-file target (scanned
// whatever its name, its kind sniffed from its content), with the local
// GitLab files it includes, and returns their pipelines. name is the file's
// name in the folder; raw, when not nil, is its content already read.
func (c *Collector) File(ctx context.Context, f *Folder, name string, raw []byte) ([]*Pipeline, error) {
	read := f.ReadFile
	if raw != nil {
		read = func(rel string) ([]byte, error) {
			if rel == name && raw != nil {
				b := raw
				raw = nil
				return b, nil
			}
			return f.ReadFile(rel)
		}
	}
	var out []*Pipeline
	err := c.walk(ctx, []string{name}, "", true, read, func(_ string, _ []byte, p *Pipeline) {
		out = append(out, p)
	})
	return out, err
}

func targetFiles(t *collectors.Target) []string {
	files := make([]string, len(t.Files))
	for i, f := range t.Files {
		files[i] = f.Path
	}
	return files
}

// walk parses the pipeline files among files (slash paths of one target,
// sorted; a single file is scanned whatever its name; loc is where the
// target sits, see locationOf) and the local files
// GitLab files include, calling emit for each in order. raw is nil for a
// file that could not be read. read must return bytes that no one else
// holds: the pipeline's Source shares them, and they must not change.
func (c *Collector) walk(ctx context.Context, files []string, loc string, single bool, read func(rel string) ([]byte, error), emit func(rel string, raw []byte, p *Pipeline)) error {
	var parsed []string // files parsed as themselves, in order
	var gitlab []*Pipeline
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.skipped(rel) {
			continue
		}
		plat, ok := Classify(rel)
		if !ok && loc != "" {
			plat, ok = Classify(loc + rel)
		}
		ext := path.Ext(rel)
		if !ok && ext != ".yml" && ext != ".yaml" {
			continue
		}
		// A YAML file found in no pipeline location is read when it may be
		// one by content (a folder of workflows under another name, a
		// workflow template, an action.yaml under a custom name); fixture
		// and dependency folders below the target are not searched this way.
		sniffed := false
		if !ok && !single {
			if fixtureDir(rel) {
				continue
			}
			sniffed = true
		}
		raw, err := read(rel)
		if sniffed {
			if err != nil {
				continue
			}
			p, isPipeline := SniffContent(raw)
			if !isPipeline {
				continue
			}
			plat, ok = p, true
		}
		if err != nil {
			emit(rel, nil, &Pipeline{
				Platform: plat, Path: rel,
				SyntaxErrors: []SyntaxError{{Line: 1, Column: 1, Message: "could not read: " + err.Error()}},
				Source:       newSource(nil),
			})
			continue
		}
		if !ok || plat == GitHubAction && !sniffed {
			plat = Sniff(rel, raw)
		}
		p := parse(plat, rel, raw, ownedSource(raw)) // raw was read for this parse alone
		parsed = append(parsed, rel)
		emit(rel, raw, p)
		if plat == GitLabCI {
			gitlab = append(gitlab, p)
		}
	}
	if len(gitlab) == 0 {
		return nil
	}
	// Follow local includes of GitLab files, breadth first, inside the tree;
	// a file already parsed as itself is not parsed again.
	done := make(map[string]bool, len(parsed))
	for _, rel := range parsed {
		done[rel] = true
	}
	queue := gitlab
	for n := 0; len(queue) > 0 && n < maxIncludes; n++ {
		cur := queue[0]
		queue = queue[1:]
		if cur == nil || cur.GitLab == nil {
			continue
		}
		for _, inc := range cur.GitLab.Includes {
			if inc.Kind != "local" || inc.Value == nil {
				continue
			}
			for _, rel := range resolveLocal(files, inc.Value.Value) {
				if done[rel] || c.skipped(rel) {
					continue
				}
				done[rel] = true
				raw, err := read(rel)
				if err != nil {
					continue // a missing include is GitLab's error to report, not a finding here
				}
				ip := parseGitLab(rel, raw, ownedSource(raw))
				ip.IncludedBy = cur.Path
				emit(rel, raw, ip)
				queue = append(queue, ip)
			}
		}
	}
	return nil
}

// fixtureDirs are folder names whose YAML files are test data or
// dependencies, not the project's pipelines, unless they are in a pipeline
// location.
var fixtureDirs = map[string]bool{
	"testdata": true, "test": true, "tests": true, "fixtures": true, "__fixtures__": true,
	"node_modules": true, "vendor": true, "third_party": true, "third-party": true, ".git": true,
	"examples": true, "snapshots": true,
}

// fixtureDir says whether rel lies in a fixture or dependency folder.
func fixtureDir(rel string) bool {
	for {
		i := strings.IndexByte(rel, '/')
		if i < 0 {
			return false
		}
		if fixtureDirs[rel[:i]] {
			return true
		}
		rel = rel[i+1:]
	}
}

// SniffContent says whether a YAML text found outside a pipeline location
// is a pipeline by its top-level keys: `on` (or its YAML 1.1 reading `true`)
// with `jobs` make a GitHub workflow, `runs` naming `using` an action
// metadata file. GitLab files are recognised by name and include only: a
// GitLab job is any mapping with a script, too common a shape to sniff.
func SniffContent(raw []byte) (Platform, bool) {
	keys, _ := topKeys(raw, false)
	switch {
	case keys&keyJobs != 0 && keys&(keyOn|keyTrue) != 0:
		return GitHubWorkflow, true
	case keys&keyRuns != 0 && keys&keyJobs == 0 && bytes.Contains(raw, []byte("using:")):
		return GitHubAction, true
	}
	return "", false
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
func resolveLocal(files []string, inc string) []string {
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
		for _, f := range files {
			if f == pat {
				return []string{pat}
			}
		}
		// A single-file target lists only itself; the include may still be
		// in its folder.
		if len(files) == 1 {
			return []string{pat}
		}
		return nil
	}
	for _, f := range files {
		if ok, _ := path.Match(pat, f); ok {
			out = append(out, f)
		} else if strings.Contains(pat, "**") {
			if ok, _ := path.Match(strings.ReplaceAll(pat, "**", "*"), f); ok {
				out = append(out, f)
			}
		}
	}
	return out
}
