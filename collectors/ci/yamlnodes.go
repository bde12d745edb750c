package ci

import (
	"errors"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// errBudget stops a walk over a document whose aliases expand too far.
var errBudget = errors.New("YAML aliases expand beyond the limit (alias bomb)")

// nodeWalker reads yaml.v3 nodes with alias resolution under a budget, so
// that hostile documents cannot make a walk unbounded.
type nodeWalker struct {
	budget int
	err    error
}

func (w *nodeWalker) spend() bool {
	w.budget--
	if w.budget < 0 {
		w.err = errBudget
		return false
	}
	return true
}

func (w *nodeWalker) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

type kv struct {
	key *yaml.Node
	val *yaml.Node
}

// entries lists a mapping's key/value pairs, merging `<<: *anchor` keys
// (explicit keys win over merged ones).
func (w *nodeWalker) entries(n *yaml.Node) []kv {
	return w.entriesDepth(n, 0)
}

func (w *nodeWalker) entriesDepth(n *yaml.Node, depth int) []kv {
	n = w.resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > 20 {
		return nil
	}
	var out, merged []kv
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !w.spend() {
			return out
		}
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0 {
			src := w.resolve(v)
			if src == nil {
				continue
			}
			if src.Kind == yaml.SequenceNode {
				for _, c := range src.Content {
					merged = append(merged, w.entriesDepth(c, depth+1)...)
				}
			} else {
				merged = append(merged, w.entriesDepth(src, depth+1)...)
			}
			continue
		}
		out = append(out, kv{k, v})
	}
	if len(merged) > 0 {
		have := map[string]bool{}
		for _, e := range out {
			have[e.key.Value] = true
		}
		for _, e := range merged {
			if !have[e.key.Value] {
				have[e.key.Value] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// get returns the value of key in a mapping.
func (w *nodeWalker) get(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	for _, e := range w.entries(n) {
		if e.key.Value == key {
			return e.key, w.resolve(e.val)
		}
	}
	return nil, nil
}

// str converts a scalar node to an actionlint String with its position.
func str(n *yaml.Node) *actionlint.String {
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	return &actionlint.String{Value: n.Value, Quoted: quoted, Pos: &actionlint.Pos{Line: n.Line, Col: n.Column}}
}

func pos(n *yaml.Node) *actionlint.Pos {
	if n == nil {
		return &actionlint.Pos{Line: 1, Col: 1}
	}
	return &actionlint.Pos{Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// strings flattens a scalar or (nested) sequence of scalars, as GitLab
// scripts allow.
func (w *nodeWalker) strings(n *yaml.Node) []*actionlint.String {
	var out []*actionlint.String
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = w.resolve(n)
		if n == nil || depth > 50 || !w.spend() {
			return
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Tag != "!!null" {
				out = append(out, str(n))
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	return out
}

func kindName(n *yaml.Node) string {
	if n == nil {
		return "empty"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		return "a scalar"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

// yamlErr turns a yaml.v3 error into a SyntaxError with its line.
func yamlErr(err error) SyntaxError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		n := 0
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			n = n*10 + int(rest[i]-'0')
			i++
		}
		if n > 0 {
			line = n
			msg = strings.TrimPrefix(rest[i:], ": ")
		}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	return SyntaxError{Line: line, Column: 1, Message: "could not parse as YAML: " + msg}
}
