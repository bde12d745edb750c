package ci

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// maxDocuments bounds how many YAML documents of one GitLab file are read.
const maxDocuments = 16

// gitlabKeywords are top-level keys that are not jobs.
var gitlabKeywords = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true, "workflow": true,
	"image": true, "services": true, "before_script": true, "after_script": true,
	"cache": true, "spec": true,
}

// ParseGitLab parses a GitLab CI file (with an optional `spec:` header
// document). Problems in the file become SyntaxErrors.
func ParseGitLab(path string, raw []byte) *Pipeline {
	return parseGitLab(path, raw, newSource(raw))
}

func parseGitLab(path string, raw []byte, src *Source) *Pipeline {
	p := &Pipeline{Platform: GitLabCI, Path: path, Source: src}
	fail := func(line, col int, format string, args ...any) {
		p.SyntaxErrors = append(p.SyntaxErrors, SyntaxError{Line: max(line, 1), Column: max(col, 1), Message: fmt.Sprintf(format, args...)})
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var docs []*yaml.Node
	for len(docs) < maxDocuments {
		var d yaml.Node
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.SyntaxErrors = append(p.SyntaxErrors, yamlErr(err))
			return p
		}
		docs = append(docs, &d)
	}
	g := &GitLab{}
	p.GitLab = g
	w := &nodeWalker{budget: maxExpansion}
	var body *yaml.Node
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		root = w.resolve(root)
		if root == nil || root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			continue
		}
		if root.Kind != yaml.MappingNode {
			fail(root.Line, root.Column, "GitLab CI configuration is %s but a mapping is expected", kindName(root))
			return p
		}
		if _, spec := w.get(root, "spec"); spec != nil && body == nil && len(docs) > 1 {
			_, inputs := w.get(spec, "inputs")
			for _, e := range w.entries(inputs) {
				g.SpecInputs = append(g.SpecInputs, e.key.Value)
			}
			continue
		}
		body = root
	}
	if body == nil {
		return p
	}
	def := &GitLabJob{Name: &actionlint.String{Value: "default", Pos: pos(body)}, Pos: pos(body)}
	hasDefault := false
	for _, e := range w.entries(body) {
		key, v := e.key, w.resolve(e.val)
		switch key.Value {
		case "include":
			g.Includes = append(g.Includes, w.includes(v)...)
		case "variables":
			g.Variables = w.variables(v)
		case "workflow":
			_, rules := w.get(v, "rules")
			g.WorkflowRules = w.rules(rules)
		case "default":
			d := w.job(key, v)
			d.Name.Value = "default"
			g.Default = d
		case "image", "services", "before_script", "after_script":
			hasDefault = true
			w.jobField(def, key, v)
		default:
			if gitlabKeywords[key.Value] {
				continue
			}
			if v == nil || v.Kind != yaml.MappingNode {
				// GitLab rejects a job that is not a mapping, but anchors
				// holders (.foo: &x [...]) are common: only hidden keys may be
				// anything.
				if !strings.HasPrefix(key.Value, ".") {
					fail(key.Line, key.Column, "job %q is %s but a mapping is expected", key.Value, kindName(v))
				}
				continue
			}
			g.Jobs = append(g.Jobs, w.job(key, v))
		}
	}
	if hasDefault {
		if g.Default == nil {
			g.Default = def
		} else {
			if g.Default.Image == nil {
				g.Default.Image = def.Image
			}
			g.Default.Services = append(g.Default.Services, def.Services...)
			g.Default.BeforeScript = append(g.Default.BeforeScript, def.BeforeScript...)
			g.Default.AfterScript = append(g.Default.AfterScript, def.AfterScript...)
		}
	}
	if w.err != nil {
		fail(1, 1, "%v", w.err)
	}
	for _, j := range g.Jobs {
		if !j.Hidden {
			p.Jobs++
		}
	}
	for _, inc := range g.Includes {
		if inc.Value != nil {
			p.References = append(p.References, inc.Kind+":"+inc.Value.Value)
		}
	}
	for _, j := range append([]*GitLabJob{g.Default}, g.Jobs...) {
		if j == nil {
			continue
		}
		if j.Image != nil {
			p.References = append(p.References, "image:"+j.Image.Value)
		}
	}
	p.Triggers = gitlabSources(g)
	p.Release = gitlabRelease(p)
	return p
}

func (w *nodeWalker) includes(n *yaml.Node) []*GitLabInclude {
	n = w.resolve(n)
	if n == nil {
		return nil
	}
	var items []*yaml.Node
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	} else {
		items = []*yaml.Node{n}
	}
	var out []*GitLabInclude
	for _, it := range items {
		it = w.resolve(it)
		if it == nil || !w.spend() {
			continue
		}
		if it.Kind == yaml.ScalarNode {
			kind := "local"
			if strings.HasPrefix(it.Value, "http://") || strings.HasPrefix(it.Value, "https://") {
				kind = "remote"
			}
			out = append(out, &GitLabInclude{Kind: kind, Value: str(it), Pos: pos(it)})
			continue
		}
		inc := &GitLabInclude{Pos: pos(it)}
		if len(it.Content) > 0 {
			inc.Pos = pos(it.Content[0])
		}
		for _, e := range w.entries(it) {
			v := w.resolve(e.val)
			switch e.key.Value {
			case "local", "project", "remote", "template", "component":
				inc.Kind = e.key.Value
				inc.Value = str(v)
			case "ref":
				inc.Ref = str(v)
			case "file":
				inc.Files = w.strings(v)
			}
		}
		if inc.Kind != "" {
			out = append(out, inc)
		}
	}
	return out
}

func (w *nodeWalker) variables(n *yaml.Node) []*GitLabVar {
	var out []*GitLabVar
	for _, e := range w.entries(n) {
		v := w.resolve(e.val)
		if v != nil && v.Kind == yaml.MappingNode {
			_, v = w.get(v, "value")
		}
		val := str(v)
		if val == nil {
			val = &actionlint.String{Pos: pos(e.val)}
		}
		out = append(out, &GitLabVar{Name: str(e.key), Value: val})
	}
	return out
}

func (w *nodeWalker) rules(n *yaml.Node) []*GitLabRule {
	n = w.resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*GitLabRule
	for _, it := range n.Content {
		it = w.resolve(it)
		if it == nil || it.Kind != yaml.MappingNode {
			continue
		}
		r := &GitLabRule{Pos: pos(it)}
		if _, v := w.get(it, "if"); v != nil {
			r.If = str(v)
		}
		if _, v := w.get(it, "when"); v != nil {
			r.When = str(v)
		}
		out = append(out, r)
	}
	return out
}

func (w *nodeWalker) job(key, n *yaml.Node) *GitLabJob {
	j := &GitLabJob{Name: str(key), Hidden: strings.HasPrefix(key.Value, "."), Pos: pos(key)}
	if j.Name == nil {
		j.Name = &actionlint.String{Value: key.Value, Pos: pos(key)}
	}
	for _, e := range w.entries(n) {
		w.jobField(j, e.key, w.resolve(e.val))
	}
	return j
}

func (w *nodeWalker) jobField(j *GitLabJob, key, v *yaml.Node) {
	switch key.Value {
	case "image":
		if v != nil && v.Kind == yaml.MappingNode {
			_, v = w.get(v, "name")
		}
		j.Image = str(v)
	case "services":
		if v == nil || v.Kind != yaml.SequenceNode {
			return
		}
		for _, s := range v.Content {
			s = w.resolve(s)
			if s != nil && s.Kind == yaml.MappingNode {
				_, s = w.get(s, "name")
			}
			if st := str(s); st != nil {
				j.Services = append(j.Services, st)
			}
		}
	case "script":
		j.Script = w.strings(v)
	case "before_script":
		j.BeforeScript = w.strings(v)
	case "after_script":
		j.AfterScript = w.strings(v)
	case "variables":
		j.Variables = w.variables(v)
	case "rules":
		j.Rules = w.rules(v)
	case "only", "except":
		var refs []*actionlint.String
		if v != nil && v.Kind == yaml.MappingNode {
			_, r := w.get(v, "refs")
			refs = w.strings(r)
		} else {
			refs = w.strings(v)
		}
		if key.Value == "only" {
			j.Only = refs
		} else {
			j.Except = refs
		}
	case "environment":
		if v != nil && v.Kind == yaml.MappingNode {
			_, v = w.get(v, "name")
		}
		j.Environment = str(v)
	case "stage":
		j.Stage = str(v)
	case "when":
		j.When = str(v)
	case "extends":
		j.Extends = w.strings(v)
	case "artifacts":
		a := &GitLabArtifacts{Pos: pos(key)}
		_, paths := w.get(v, "paths")
		a.Paths = w.strings(paths)
		if _, pub := w.get(v, "public"); pub != nil {
			a.Public = str(pub)
		}
		if _, acc := w.get(v, "access"); acc != nil {
			a.Access = str(acc)
		}
		_, reports := w.get(v, "reports")
		for _, r := range w.entries(reports) {
			a.Reports = append(a.Reports, r.key.Value)
		}
		j.Artifacts = a
	case "release":
		j.Release = pos(key)
	case "secrets":
		for _, e := range w.entries(v) {
			j.Secrets = append(j.Secrets, str(e.key))
		}
	case "id_tokens":
		for _, e := range w.entries(v) {
			j.IDTokens = append(j.IDTokens, str(e.key))
		}
	}
}

// gitlabSources lists the pipeline sources the rules mention, so a reader
// sees whether merge-request pipelines run.
func gitlabSources(g *GitLab) []string {
	seen := map[string]bool{}
	add := func(rs []*GitLabRule) {
		for _, r := range rs {
			if r.If == nil {
				continue
			}
			for _, src := range []string{"merge_request_event", "push", "schedule", "web", "api", "trigger", "pipeline", "external_pull_request_event", "parent_pipeline"} {
				if strings.Contains(r.If.Value, `"`+src+`"`) || strings.Contains(r.If.Value, `'`+src+`'`) {
					seen[src] = true
				}
			}
		}
	}
	add(g.WorkflowRules)
	for _, j := range g.Jobs {
		add(j.Rules)
		for _, o := range j.Only {
			if o != nil && o.Value == "merge_requests" {
				seen["merge_request_event"] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// ExtendsChain resolves a job's `extends:` within the file (hidden templates
// and other jobs), nearest first, without cycles.
func (g *GitLab) ExtendsChain(j *GitLabJob) []*GitLabJob {
	byName := map[string]*GitLabJob{}
	for _, x := range g.Jobs {
		byName[x.Name.Value] = x
	}
	var out []*GitLabJob
	seen := map[*GitLabJob]bool{j: true}
	queue := append([]*actionlint.String(nil), j.Extends...)
	for len(queue) > 0 && len(out) < 32 {
		name := queue[0]
		queue = queue[1:]
		if name == nil {
			continue
		}
		p := byName[name.Value]
		if p == nil || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
		queue = append(queue, p.Extends...)
	}
	return out
}
