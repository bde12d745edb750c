package ci

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// maxExpansion bounds how many nodes a YAML document may expand to once its
// aliases are followed; an alias bomb above it is a syntax error, not a hang.
const maxExpansion = 200_000

// ParseWorkflow parses a GitHub Actions workflow. Problems in the file are
// recorded as SyntaxErrors of the returned pipeline, never returned as errors.
func ParseWorkflow(path string, raw []byte) *Pipeline {
	return parseWorkflow(path, raw, newSource(raw))
}

func parseWorkflow(path string, raw []byte, src *Source) *Pipeline {
	p := &Pipeline{Platform: GitHubWorkflow, Path: path, Source: src}
	if msg, line := aliasBomb(raw); msg != "" {
		p.SyntaxErrors = append(p.SyntaxErrors, SyntaxError{Line: line, Column: 1, Message: msg})
		return p
	}
	w, errs := safeParse(raw)
	errs = expandStepGroups(raw, w, errs, 0)
	notMapping := false
	for _, e := range errs {
		if strings.Contains(e.Message, "workflow") && strings.Contains(e.Message, "but mapping node is expected") {
			notMapping = true
		}
	}
	for _, e := range errs {
		if notMapping && strings.Contains(e.Message, "section is missing in workflow") {
			continue // implied by the document not being a mapping
		}
		if strings.Contains(e.Message, "is defined but not used") || strings.Contains(e.Message, "should not be empty") {
			continue // style remarks of actionlint's parser: GitHub loads these files
		}
		p.SyntaxErrors = append(p.SyntaxErrors, SyntaxError{Line: max(e.Line, 1), Column: max(e.Column, 1), Message: e.Message})
	}
	if w == nil {
		return p
	}
	p.Workflow = w
	if w.Name != nil {
		p.Name = w.Name.Value
	}
	if len(w.On) > 0 {
		p.Triggers = make([]string, 0, len(w.On))
	}
	for _, ev := range w.On {
		p.Triggers = append(p.Triggers, ev.EventName())
	}
	p.Jobs = len(w.Jobs)
	p.jobs = SortedJobs(w)
	p.jobsSet = true
	var refs refSet
	for _, j := range p.jobs {
		if j.WorkflowCall != nil && j.WorkflowCall.Uses != nil {
			refs.add(j.WorkflowCall.Uses.Value)
		}
		if j.Container != nil && j.Container.Image != nil {
			refs.add("docker://" + j.Container.Image.Value)
		}
		if j.Services != nil {
			for _, s := range sortedServices(j.Services) {
				if s.Container != nil && s.Container.Image != nil {
					refs.add("docker://" + s.Container.Image.Value)
				}
			}
		}
		for _, st := range j.Steps {
			if a, ok := st.Exec.(*actionlint.ExecAction); ok && a.Uses != nil {
				refs.add(a.Uses.Value)
			}
		}
	}
	p.References = refs.list
	p.Release = githubRelease(p)
	return p
}

// refSet collects distinct references in first-seen order; a linear
// search is cheaper than a map for the few references of a file.
type refSet struct {
	list []string
	seen map[string]bool
}

func (r *refSet) add(s string) {
	if s == "" {
		return
	}
	if r.seen == nil {
		for _, x := range r.list {
			if x == s {
				return
			}
		}
		r.list = append(r.list, s)
		if len(r.list) > 32 {
			r.seen = make(map[string]bool, 64)
			for _, x := range r.list {
				r.seen[x] = true
			}
		}
		return
	}
	if !r.seen[s] {
		r.seen[s] = true
		r.list = append(r.list, s)
	}
}

// safeParse runs actionlint's parser, turning a panic on hostile input into
// a syntax error.
func safeParse(raw []byte) (w *actionlint.Workflow, errs []*actionlint.Error) {
	defer func() {
		if r := recover(); r != nil {
			w = nil
			errs = []*actionlint.Error{{Message: fmt.Sprintf("could not parse workflow: %v", r), Line: 1, Column: 1}}
		}
	}()
	return actionlint.Parse(raw)
}

// SortedJobs returns a workflow's jobs in source order.
func SortedJobs(w *actionlint.Workflow) []*actionlint.Job {
	if w == nil {
		return nil
	}
	jobs := make([]*actionlint.Job, 0, len(w.Jobs))
	for _, j := range w.Jobs {
		if j != nil {
			jobs = append(jobs, j)
		}
	}
	sort.Slice(jobs, func(a, b int) bool { return posLess(jobs[a].Pos, jobs[b].Pos) })
	return jobs
}

func sortedServices(s *actionlint.Services) []*actionlint.Service {
	out := make([]*actionlint.Service, 0, len(s.Value))
	for _, v := range s.Value {
		if v != nil {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		return posLess(strPos(out[a].Name), strPos(out[b].Name))
	})
	return out
}

// SortedServices returns a job's services in source order.
func SortedServices(s *actionlint.Services) []*actionlint.Service {
	if s == nil {
		return nil
	}
	return sortedServices(s)
}

func strPos(s *actionlint.String) *actionlint.Pos {
	if s == nil {
		return nil
	}
	return s.Pos
}

func posLess(a, b *actionlint.Pos) bool {
	switch {
	case a == nil:
		return b != nil
	case b == nil:
		return false
	}
	return a.IsBefore(b)
}

// aliasBomb reports a document whose aliases expand beyond maxExpansion
// nodes. It parses only when the text could hold an alias at all.
func aliasBomb(raw []byte) (string, int) {
	if !mayHaveAliases(raw) {
		return "", 0
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return "", 0 // the real parser reports the YAML error
	}
	memo := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) int
	size = func(n *yaml.Node, depth int) int {
		if n == nil || depth > 10_000 {
			return maxExpansion + 1
		}
		if v, ok := memo[n]; ok {
			return v
		}
		memo[n] = maxExpansion + 1 // a cycle counts as unbounded
		total := 1
		if n.Kind == yaml.AliasNode {
			total += size(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			total += size(c, depth+1)
			if total > maxExpansion {
				break
			}
		}
		memo[n] = total
		return total
	}
	if size(&doc, 0) > maxExpansion {
		return fmt.Sprintf("YAML aliases expand to more than %d nodes (alias bomb); refusing to load", maxExpansion), 1
	}
	return "", 0
}

func mayHaveAliases(raw []byte) bool {
	anchor := false
	for off := 0; ; {
		j := bytes.IndexByte(raw[off:], '&')
		if j < 0 {
			break
		}
		i := off + j
		if i+1 < len(raw) && (i == 0 || raw[i-1] == ' ' || raw[i-1] == '[' || raw[i-1] == '-') && isAnchorChar(raw[i+1]) {
			anchor = true
			break
		}
		off = i + 1
	}
	if !anchor {
		return false
	}
	for off := 0; ; {
		j := bytes.IndexByte(raw[off:], '*')
		if j < 0 {
			break
		}
		i := off + j
		if i+1 < len(raw) && (i == 0 || raw[i-1] == ' ' || raw[i-1] == '[' || raw[i-1] == ',' || raw[i-1] == '\t') {
			c := raw[i+1]
			if c != ' ' && c != '\n' && c != '*' && c != '"' && c != '\'' {
				return true
			}
		}
		off = i + 1
	}
	return false
}

func isAnchorChar(c byte) bool {
	return c == '_' || c == '-' || c == '.' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}
