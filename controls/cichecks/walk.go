package cichecks

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
)

// stepRef is one step with what encloses it (job is nil in an action).
type stepRef struct {
	job  *actionlint.Job
	step *actionlint.Step
	idx  int
}

// steps lists every step of a workflow's jobs or of a composite action, in
// source order.
func steps(p *ci.Pipeline) []stepRef {
	var out []stepRef
	if p.Workflow != nil {
		jobs := p.SortedJobs()
		n := 0
		for _, j := range jobs {
			n += len(j.Steps)
		}
		out = make([]stepRef, 0, n)
		for _, j := range jobs {
			for i, s := range j.Steps {
				if s != nil {
					out = append(out, stepRef{job: j, step: s, idx: i})
				}
			}
		}
	}
	if p.Action != nil {
		for i, s := range p.Action.Steps {
			out = append(out, stepRef{step: s, idx: i})
		}
	}
	return out
}

func uses(s *actionlint.Step) *actionlint.ExecAction {
	if s == nil {
		return nil
	}
	a, _ := s.Exec.(*actionlint.ExecAction)
	if a == nil || a.Uses == nil {
		return nil
	}
	return a
}

func runOf(s *actionlint.Step) *actionlint.ExecRun {
	if s == nil {
		return nil
	}
	r, _ := s.Exec.(*actionlint.ExecRun)
	if r == nil || r.Run == nil {
		return nil
	}
	return r
}

// usesValue is the trimmed uses value (block scalars carry a newline).
func usesValue(a *actionlint.ExecAction) string {
	return strings.TrimSpace(a.Uses.Value)
}

// with returns an input's value ("" when absent) and whether it is set.
func with(a *actionlint.ExecAction, name string) (string, bool) {
	if a == nil || a.Inputs == nil {
		return "", false
	}
	in := a.Inputs[name]
	if in == nil || in.Value == nil {
		return "", false
	}
	return strings.TrimSpace(in.Value.Value), true
}

func withString(a *actionlint.ExecAction, name string) *actionlint.String {
	if a == nil || a.Inputs == nil {
		return nil
	}
	if in := a.Inputs[name]; in != nil {
		return in.Value
	}
	return nil
}

// hasTrigger says whether a workflow runs on any of the named events.
func hasTrigger(p *ci.Pipeline, names ...string) bool {
	if p.Workflow == nil {
		return false
	}
	for _, e := range p.Workflow.On {
		for _, n := range names {
			if e.EventName() == n {
				return true
			}
		}
	}
	return false
}

// valuePos is where a scalar's text starts: for a block scalar (| or >)
// the first content line, otherwise the node itself.
func valuePos(src *ci.Source, s *actionlint.String) *actionlint.Pos {
	if s == nil {
		return nil
	}
	if src == nil || s.Pos == nil {
		return s.Pos
	}
	line := src.Line(s.Pos.Line)
	if s.Pos.Col-1 < len(line) {
		c := line[s.Pos.Col-1]
		if c == '|' || c == '>' {
			for n := s.Pos.Line + 1; n <= src.Lines() && n < s.Pos.Line+50; n++ {
				t := src.Line(n)
				if strings.TrimSpace(t) != "" {
					return &actionlint.Pos{Line: n, Col: len(t) - len(strings.TrimLeft(t, " \t")) + 1}
				}
			}
		}
	}
	return s.Pos
}

// locator finds successive substrings of a scalar in the source, so that a
// finding inside a multi-line script gets its own line and column.
type locator struct {
	src  *ci.Source
	base *actionlint.Pos
	next int
}

func newLocator(src *ci.Source, s *actionlint.String) *locator {
	l := &locator{src: src}
	if s != nil {
		l.base = s.Pos
		if src != nil {
			l.next = src.Offset(s.Pos)
		}
	}
	return l
}

// find returns the position of needle at or after the previous match,
// falling back to the scalar's own position when the text differs from the
// source (escapes, folding).
func (l *locator) find(needle string) *actionlint.Pos {
	if l.src == nil {
		return l.base
	}
	if p, next, ok := l.src.Find(l.next, needle); ok {
		// Stay within a reasonable distance of the scalar: the needle must
		// not be found in an unrelated later part of the file.
		if l.base == nil || p.Line-l.base.Line < 2000 {
			l.next = next
			return p
		}
	}
	return l.base
}

// keyPos finds a `key:` on the line of pos or above it (a mapping key the
// parser does not position, like env: or runs-on:).
func keyPos(src *ci.Source, pos *actionlint.Pos, key string) *actionlint.Pos {
	if src == nil || pos == nil {
		return pos
	}
	if k := src.KeyAbove(pos.Line, key, -1); k != nil {
		return k
	}
	return pos
}

// ifKeyPos is the position of the `if:` key whose value is s.
func ifKeyPos(src *ci.Source, s *actionlint.String) *actionlint.Pos {
	if s == nil {
		return nil
	}
	return keyPos(src, s.Pos, "if")
}

// isSHA says whether ref is a full commit SHA (SHA-1 or SHA-256).
func isSHA(ref string) bool {
	if len(ref) != 40 && len(ref) != 64 {
		return false
	}
	for _, c := range ref {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// splitUses splits owner/repo[/path]@ref; ok is false for local and docker
// references and for anything that is not an action reference.
func splitUses(v string) (name, ref string, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "docker://") || strings.Contains(v, "${{") {
		return "", "", false
	}
	name, ref, _ = strings.Cut(v, "@")
	owner, rest, found := strings.Cut(name, "/")
	if !found || owner == "" || rest == "" || rest[0] == '/' {
		return "", "", false
	}
	for i := 0; i < len(owner); i++ {
		c := owner[i]
		if !(c == '-' || c == '_' || c == '.' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "", "", false
		}
	}
	return name, ref, true
}

func allowed(prefixes []string, name string) bool {
	for _, p := range prefixes {
		if p != "" && strings.HasPrefix(strings.ToLower(name), strings.ToLower(p)) {
			return true
		}
	}
	return false
}

// envValue finds env var name (case-insensitive) in the closest scope:
// step, then job, then workflow. found is false when no scope defines it;
// dynamic is true when the definition holds an expression, whose text is
// value (empty for a whole env: expression).
func envValue(p *ci.Pipeline, sr stepRef, name string) (found, dynamic bool, value string) {
	name = strings.ToLower(name)
	var buf [3]*actionlint.Env
	scopes := append(buf[:0], sr.step.Env)
	if sr.job != nil {
		scopes = append(scopes, sr.job.Env)
	}
	if p.Workflow != nil {
		scopes = append(scopes, p.Workflow.Env)
	}
	for _, env := range scopes {
		if env == nil {
			continue
		}
		if env.Expression != nil {
			return true, true, ""
		}
		if v := env.Vars[name]; v != nil {
			if v.Value != nil && strings.Contains(v.Value.Value, "${{") {
				return true, true, v.Value.Value
			}
			return true, false, ""
		}
	}
	return false, false, ""
}
