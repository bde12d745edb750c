package ci

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// ParseAction parses an action.yml metadata file. Composite steps come out
// in actionlint's Step type so that the same rules judge workflow and
// composite steps.
func ParseAction(path string, raw []byte) *Pipeline {
	return parseAction(path, raw, newSource(raw))
}

func parseAction(path string, raw []byte, src *Source) *Pipeline {
	p := &Pipeline{Platform: GitHubAction, Path: path, Source: src}
	fail := func(line, col int, format string, args ...any) {
		p.SyntaxErrors = append(p.SyntaxErrors, SyntaxError{Line: max(line, 1), Column: max(col, 1), Message: fmt.Sprintf(format, args...)})
	}
	if msg, line := aliasBomb(raw); msg != "" {
		fail(line, 1, "%s", msg)
		return p
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		se := yamlErr(err)
		p.SyntaxErrors = append(p.SyntaxErrors, se)
		return p
	}
	w := &nodeWalker{budget: maxExpansion}
	root := w.resolve(&doc)
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = w.resolve(root.Content[0])
	}
	if root == nil || root.Kind != yaml.MappingNode {
		fail(pos(root).Line, pos(root).Col, "action metadata is %s but a mapping is expected", kindName(root))
		return p
	}
	a := &Action{Inputs: map[string]*actionlint.String{}}
	p.Action = a
	var runsKey, runs *yaml.Node
	for _, e := range w.entries(root) {
		switch e.key.Value {
		case "name":
			a.Name = str(w.resolve(e.val))
			if a.Name != nil {
				p.Name = a.Name.Value
			}
		case "inputs":
			for _, in := range w.entries(e.val) {
				a.Inputs[strings.ToLower(in.key.Value)] = str(in.key)
			}
		case "runs":
			runsKey, runs = e.key, w.resolve(e.val)
		}
	}
	if runs == nil {
		fail(1, 1, "\"runs\" section is missing in action metadata")
		return p
	}
	a.RunsPos = pos(runsKey)
	if runs.Kind != yaml.MappingNode {
		fail(runs.Line, runs.Column, "\"runs\" section is %s but a mapping is expected", kindName(runs))
		return p
	}
	var stepsNode *yaml.Node
	for _, e := range w.entries(runs) {
		switch e.key.Value {
		case "using":
			a.Using = str(w.resolve(e.val))
		case "image":
			a.Image = str(w.resolve(e.val))
		case "steps":
			stepsNode = w.resolve(e.val)
		}
	}
	if a.Using == nil {
		fail(runsKey.Line, runsKey.Column, "\"using\" is missing in \"runs\" section")
		return p
	}
	if a.Using.Value == "composite" {
		if stepsNode == nil || stepsNode.Kind != yaml.SequenceNode {
			fail(runsKey.Line, runsKey.Column, "\"steps\" of a composite action must be a sequence")
		} else {
			a.Steps = w.steps(stepsNode, 0, fail)
		}
	}
	if a.Using.Value == "docker" && a.Image == nil {
		fail(runsKey.Line, runsKey.Column, "\"image\" is missing in \"runs\" section of a docker action")
	}
	for _, st := range a.Steps {
		if ea, ok := st.Exec.(*actionlint.ExecAction); ok && ea.Uses != nil {
			p.References = append(p.References, ea.Uses.Value)
		}
	}
	if a.Image != nil {
		p.References = append(p.References, a.Image.Value)
	}
	if w.err != nil {
		fail(1, 1, "%v", w.err)
	}
	p.Jobs = 1
	return p
}

// steps converts a composite action's steps, the steps of its parallel:
// groups in their place; control steps (wait:, wait-all:, cancel:) run
// nothing and are left out.
func (w *nodeWalker) steps(seq *yaml.Node, depth int, fail func(line, col int, format string, args ...any)) []*actionlint.Step {
	var out []*actionlint.Step
	for _, sn := range seq.Content {
		sn = w.resolve(sn)
		_, g, isGroup, isControl := w.stepShape(sn)
		if isGroup {
			if g == nil || g.Kind != yaml.SequenceNode || len(g.Content) == 0 || depth >= maxGroupDepth {
				at := pos(sn)
				fail(at.Line, at.Col, "\"parallel\" must be a non-empty sequence of steps")
				continue
			}
			out = append(out, w.steps(g, depth+1, fail)...)
			continue
		}
		if isControl {
			continue
		}
		st, msg := w.step(sn)
		if msg != "" {
			at := pos(sn)
			fail(at.Line, at.Col, "%s", msg)
		}
		if st != nil {
			out = append(out, st)
		}
	}
	return out
}

// step converts one composite step to actionlint's Step.
func (w *nodeWalker) step(n *yaml.Node) (*actionlint.Step, string) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, fmt.Sprintf("step is %s but a mapping is expected", kindName(n))
	}
	st := &actionlint.Step{Pos: pos(n)}
	if len(n.Content) > 0 {
		st.Pos = pos(n.Content[0])
	}
	var run *actionlint.ExecRun
	var act *actionlint.ExecAction
	var with []kv
	for _, e := range w.entries(n) {
		v := w.resolve(e.val)
		switch e.key.Value {
		case "id":
			st.ID = str(v)
		case "if":
			st.If = str(v)
		case "name":
			st.Name = str(v)
		case "env":
			st.Env = w.env(v)
		case "continue-on-error":
			if s := str(v); s != nil {
				st.ContinueOnError = &actionlint.Bool{Value: s.Value == "true", Pos: s.Pos}
			}
		case "run":
			if run == nil {
				run = &actionlint.ExecRun{}
			}
			run.Run = str(v)
			run.RunPos = pos(e.key)
		case "shell":
			if run == nil {
				run = &actionlint.ExecRun{}
			}
			run.Shell = str(v)
		case "working-directory":
			if run == nil {
				run = &actionlint.ExecRun{}
			}
			run.WorkingDirectory = str(v)
		case "uses":
			if act == nil {
				act = &actionlint.ExecAction{Inputs: map[string]*actionlint.Input{}}
			}
			act.Uses = str(v)
		case "with":
			with = w.entries(v)
		}
	}
	if act != nil {
		for _, e := range with {
			name := str(e.key)
			if name == nil {
				continue
			}
			val := str(w.resolve(e.val))
			if val == nil {
				val = &actionlint.String{Pos: pos(e.val)}
			}
			lname := strings.ToLower(name.Value)
			act.Inputs[lname] = &actionlint.Input{Name: name, Value: val}
			switch lname {
			case "entrypoint":
				act.Entrypoint = val
			case "args":
				act.Args = val
			}
		}
		st.Exec = act
		if run != nil && run.Run != nil {
			return st, "step has both \"uses\" and \"run\""
		}
		return st, ""
	}
	if run != nil && run.Run != nil {
		st.Exec = run
		if run.Shell == nil {
			return st, "\"shell\" is required for a \"run\" step of a composite action"
		}
		return st, ""
	}
	return st, "step needs \"run\" or \"uses\""
}

func (w *nodeWalker) env(n *yaml.Node) *actionlint.Env {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return &actionlint.Env{Expression: str(n)}
	}
	env := &actionlint.Env{Vars: map[string]*actionlint.EnvVar{}}
	for _, e := range w.entries(n) {
		name := str(e.key)
		if name == nil {
			continue
		}
		val := str(w.resolve(e.val))
		if val == nil {
			val = &actionlint.String{Pos: pos(e.val)}
		}
		env.Vars[strings.ToLower(name.Value)] = &actionlint.EnvVar{Name: name, Value: val}
	}
	return env
}
