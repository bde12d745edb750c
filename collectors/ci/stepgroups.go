package ci

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// GitHub's workflow syntax lets the steps of a job run concurrently:
// `background: true` on a step, the control steps `wait:`, `wait-all:` and
// `cancel:`, and `parallel:`, a group of steps run at once. actionlint's
// parser predates them: it reports their keys as unexpected and never sees
// the steps inside a group. expandStepGroups repairs its tree so that every
// step is analysed where it is written.

// stepGroupKeys are the step keys of concurrent steps.
var stepGroupKeys = []string{"parallel", "background", "wait", "wait-all", "cancel"}

// controlStepKeys make a step that runs nothing (it waits or cancels).
var controlStepKeys = map[string]bool{"wait": true, "wait-all": true, "cancel": true}

// maxGroupDepth bounds nested parallel groups.
const maxGroupDepth = 8

// mayHaveStepGroups is a cheap test that keeps the second parse off files
// without any of the keys.
func mayHaveStepGroups(raw []byte) bool {
	// One pass over the colons, each checked against the keys' spellings.
	for off := 0; ; {
		c := bytes.IndexByte(raw[off:], ':')
		if c < 0 {
			return false
		}
		c += off
		for _, k := range stepGroupKeys {
			start := c - len(k)
			if start < 0 || string(raw[start:c]) != k {
				continue
			}
			// A key of its own, not the end of another (max-parallel:).
			if start == 0 || raw[start-1] == ' ' || raw[start-1] == '\t' || raw[start-1] == '\n' || raw[start-1] == '{' || raw[start-1] == ',' {
				return true
			}
		}
		off = c + 1
	}
}

// expandStepGroups replaces each parallel group of w's jobs by the steps it
// holds (parsed at their own positions), drops control steps, and removes
// the errors actionlint's parser reported for these keys. It returns the
// errors left.
func expandStepGroups(raw []byte, w *actionlint.Workflow, errs []*actionlint.Error, depth int) []*actionlint.Error {
	if w == nil || depth > maxGroupDepth || !mayHaveStepGroups(raw) {
		return errs
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil {
		return errs
	}
	nw := &nodeWalker{budget: maxExpansion}
	root := nw.resolve(&doc)
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = nw.resolve(root.Content[0])
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return errs
	}
	lines := bytes.Split(raw, []byte("\n"))
	var drop []errSpan
	for _, e := range nw.entries(root) {
		if e.key.Value != "jobs" {
			continue
		}
		for _, je := range nw.entries(nw.resolve(e.val)) {
			job := jobAt(w, je.key)
			if job == nil {
				continue
			}
			var stepsNode *yaml.Node
			for _, ke := range nw.entries(nw.resolve(je.val)) {
				if ke.key.Value == "steps" {
					stepsNode = nw.resolve(ke.val)
				}
			}
			if stepsNode == nil || stepsNode.Kind != yaml.SequenceNode || len(stepsNode.Content) != len(job.Steps) {
				continue
			}
			var steps []*actionlint.Step
			for i, sn := range stepsNode.Content {
				sn = nw.resolve(sn)
				st := job.Steps[i]
				keys, group, isGroup, isControl := nw.stepShape(sn)
				span := errSpan{from: sn.Line, to: lastLine(sn), step: sn.Line}
				switch {
				case isGroup:
					drop = append(drop, span)
					inner, innerErrs := parseGroup(lines, group, depth)
					steps = append(steps, inner...)
					errs = append(errs, innerErrs...)
					continue
				case isControl:
					drop = append(drop, span)
					continue // waits or cancels: nothing runs
				}
				if _, bg := keys["background"]; bg {
					drop = append(drop, errSpan{from: span.from, to: span.to, step: -1})
				}
				steps = append(steps, st)
			}
			job.Steps = steps
		}
	}
	if len(drop) == 0 {
		return errs
	}
	kept := errs[:0]
	for _, e := range errs {
		if !dropped(e, drop) {
			kept = append(kept, e)
		}
	}
	return kept
}

// stepShape reads a step's keys (merges and aliases resolved) and says
// what the step is: a parallel group, whose steps group holds, or a
// control step, which runs nothing; a step with run: or uses: is neither.
// Workflows and composite actions tell them apart by this one rule.
func (w *nodeWalker) stepShape(sn *yaml.Node) (keys map[string]*yaml.Node, group *yaml.Node, isGroup, isControl bool) {
	keys = map[string]*yaml.Node{}
	if sn != nil && sn.Kind == yaml.MappingNode {
		for _, e := range w.entries(sn) {
			keys[e.key.Value] = w.resolve(e.val)
		}
	}
	_, hasRun := keys["run"]
	_, hasUses := keys["uses"]
	group, isGroup = keys["parallel"]
	isGroup = isGroup && !hasRun && !hasUses
	isControl = !isGroup && !hasRun && !hasUses && hasAny(keys, controlStepKeys)
	return keys, group, isGroup, isControl
}

// errSpan is the lines of one step whose step-group errors are dropped;
// step is the line of its "step must run" error (-1: none to drop).
type errSpan struct{ from, to, step int }

func dropped(e *actionlint.Error, spans []errSpan) bool {
	for _, s := range spans {
		if e.Line < s.from || e.Line > s.to {
			continue
		}
		if e.Line == s.step && strings.HasPrefix(e.Message, "step must run script") {
			return true
		}
		for _, k := range stepGroupKeys {
			if strings.Contains(e.Message, fmt.Sprintf("key %q for", k)) || strings.Contains(e.Message, fmt.Sprintf("but got %q", k)) {
				return true
			}
		}
	}
	return false
}

func hasAny(keys map[string]*yaml.Node, set map[string]bool) bool {
	for k := range keys {
		if set[k] {
			return true
		}
	}
	return false
}

// jobAt finds the job whose id key is at the node's position.
func jobAt(w *actionlint.Workflow, key *yaml.Node) *actionlint.Job {
	for _, j := range w.Jobs {
		if j != nil && j.ID != nil && j.ID.Pos != nil && j.ID.Pos.Line == key.Line && j.ID.Pos.Col == key.Column {
			return j
		}
	}
	return nil
}

// lastLine is the last line a node's subtree starts on.
func lastLine(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	l := n.Line
	for _, c := range n.Content {
		if x := lastLine(c); x > l {
			l = x
		}
	}
	return l
}

// groupHeader makes a workflow of one job whose steps: key is on the
// header's last line; the group's own text follows on its original lines,
// so that actionlint positions every inner step exactly where it is.
const groupHeader = "on: push\njobs:\n g:\n  runs-on: x\n  steps:\n"

// parseGroup parses the steps of a parallel: group (a sequence node) with
// actionlint, at their own lines and columns.
func parseGroup(lines [][]byte, group *yaml.Node, depth int) ([]*actionlint.Step, []*actionlint.Error) {
	headerLines := strings.Count(groupHeader, "\n")
	if group == nil || group.Kind != yaml.SequenceNode || len(group.Content) == 0 {
		at := 1
		if group != nil {
			at = group.Line
		}
		return nil, []*actionlint.Error{{Line: at, Column: 1, Message: "\"parallel\" must be a non-empty sequence of steps"}}
	}
	from, to := group.Line, lastLine(group)
	// Include the lines of a block scalar that continues past the last
	// node's start: up to the line before the next less-indented text.
	for to < len(lines) && (len(bytes.TrimSpace(lines[to])) == 0 || indentOf(lines[to]) >= group.Column-1) {
		to++
	}
	if from <= headerLines || group.Column < 3 || from > len(lines) {
		return nil, []*actionlint.Error{{Line: from, Column: group.Column, Message: "steps of this \"parallel\" group could not be placed for analysis"}}
	}
	var b bytes.Buffer
	b.WriteString(groupHeader)
	for n := headerLines + 1; n < from; n++ {
		b.WriteByte('\n')
	}
	first := lines[from-1]
	b.Write(bytes.Repeat([]byte(" "), group.Column-1))
	if group.Column-1 <= len(first) {
		b.Write(first[group.Column-1:])
	}
	b.WriteByte('\n')
	for n := from + 1; n <= to && n <= len(lines); n++ {
		b.Write(lines[n-1])
		b.WriteByte('\n')
	}
	w, errs := safeParse(b.Bytes())
	errs = expandStepGroups(b.Bytes(), w, errs, depth+1)
	if w == nil {
		return nil, errs
	}
	for _, j := range w.Jobs {
		if j != nil {
			return j.Steps, errs
		}
	}
	return nil, errs
}

func indentOf(line []byte) int {
	return len(line) - len(bytes.TrimLeft(line, " "))
}
