package cichecks

import (
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
)

// expr is one ${{ }} placeholder found in a string.
type expr struct {
	// Raw is the placeholder's text, "${{ ... }}".
	Raw string
	// Offset is where Raw starts in the string.
	Offset int
	// Node is the parsed expression, nil when it does not parse.
	Node actionlint.ExprNode
}

// maxExprs bounds the placeholders read from one string.
const maxExprs = 1000

// exprsIn extracts the ${{ }} placeholders of s with actionlint's lexer and
// parser.
func exprsIn(s string) []expr { return exprsInWith(s, "") }

// exprsInWith extracts only the placeholders whose text contains must
// (case-insensitive), skipping the parse of the others.
func exprsInWith(s, must string) []expr {
	var out []expr
	off := 0
	for len(out) < maxExprs {
		i := strings.Index(s[off:], "${{")
		if i < 0 {
			break
		}
		start := off + i
		body := s[start+3:]
		if must != "" {
			j := strings.Index(body, "}}")
			if j < 0 {
				break
			}
			if !strings.Contains(strings.ToLower(body[:j]), must) {
				off = start + 3 + j + 2
				continue
			}
		}
		lex := actionlint.NewExprLexer(body)
		node, err := actionlint.NewExprParser().Parse(lex)
		end := -1
		if err == nil {
			end = start + 3 + lex.Offset()
		} else if j := strings.Index(body, "}}"); j >= 0 {
			end = start + 3 + j + 2
		}
		if end < 0 || end > len(s) {
			break
		}
		e := expr{Raw: s[start:end], Offset: start}
		if err == nil {
			e.Node = node
		}
		out = append(out, e)
		off = end
	}
	return out
}

// parseBare parses an expression that may or may not be fenced in ${{ }}.
func parseBare(s string) actionlint.ExprNode {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "${{") {
		es := exprsIn(t)
		if len(es) == 1 && strings.TrimSpace(t[len(es[0].Raw):]) == "" {
			return es[0].Node
		}
		return nil
	}
	node, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(t + "}}"))
	if err != nil {
		return nil
	}
	return node
}

// context is a context path such as github.event.issue.title; a part is
// "*" for an index or filter. callLed is true for fromJSON(...).x forms.
type ctxPath struct {
	Parts   []string
	CallLed bool
}

func (c ctxPath) String() string {
	if c.CallLed {
		return "(call)." + strings.Join(c.Parts, ".")
	}
	return strings.Join(c.Parts, ".")
}

func (c ctxPath) root() string {
	if len(c.Parts) == 0 {
		return ""
	}
	return c.Parts[0]
}

// contextPath turns a variable/dereference chain into a context; ok is
// false when the chain is not a context (a literal, an operator).
func contextPath(n actionlint.ExprNode) (ctxPath, bool) {
	var parts []string
	callLed := false
	for depth := 0; depth < 200; depth++ {
		switch x := n.(type) {
		case *actionlint.VariableNode:
			parts = append(parts, strings.ToLower(x.Name))
			reverse(parts)
			return ctxPath{Parts: parts, CallLed: callLed}, true
		case *actionlint.ObjectDerefNode:
			parts = append(parts, strings.ToLower(x.Property))
			n = x.Receiver
		case *actionlint.ArrayDerefNode:
			parts = append(parts, "*")
			n = x.Receiver
		case *actionlint.IndexAccessNode:
			if s, ok := x.Index.(*actionlint.StringNode); ok {
				parts = append(parts, strings.ToLower(s.Value))
			} else {
				parts = append(parts, "*")
			}
			n = x.Operand
		case *actionlint.FuncCallNode:
			if len(parts) == 0 {
				return ctxPath{}, false
			}
			reverse(parts)
			return ctxPath{Parts: parts, CallLed: true}, true
		default:
			return ctxPath{}, false
		}
	}
	return ctxPath{}, false
}

func reverse(s []string) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// boolFuncs return booleans or fixed-form values: what flows into them
// does not flow out.
var boolFuncs = map[string]bool{
	"contains": true, "startswith": true, "endswith": true, "success": true, "failure": true,
	"always": true, "cancelled": true, "hashfiles": true,
}

// dataflow lists the contexts whose value can flow into the expression's
// result: `a && b` yields b (or a falsy a), comparisons yield booleans.
func dataflow(n actionlint.ExprNode) []ctxPath {
	var out []ctxPath
	var walk func(n actionlint.ExprNode, depth int)
	walk = func(n actionlint.ExprNode, depth int) {
		if n == nil || depth > 200 {
			return
		}
		switch x := n.(type) {
		case *actionlint.VariableNode, *actionlint.ObjectDerefNode, *actionlint.ArrayDerefNode, *actionlint.IndexAccessNode:
			if c, ok := contextPath(x); ok {
				out = append(out, c)
			}
		case *actionlint.FuncCallNode:
			if boolFuncs[strings.ToLower(x.Callee)] {
				return
			}
			for _, a := range x.Args {
				walk(a, depth+1)
			}
		case *actionlint.LogicalOpNode:
			if x.Kind == actionlint.LogicalOpNodeKindAnd {
				walk(x.Right, depth+1)
				return
			}
			walk(x.Left, depth+1)
			walk(x.Right, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// visit calls fn for every node of the tree, parents first.
func visit(n actionlint.ExprNode, fn func(n actionlint.ExprNode)) {
	if n == nil {
		return
	}
	actionlint.VisitExprNode(n, func(node, _ actionlint.ExprNode, entering bool) {
		if entering {
			fn(node)
		}
	})
}

func literalString(n actionlint.ExprNode) (string, bool) {
	switch x := n.(type) {
	case *actionlint.StringNode:
		return x.Value, true
	case *actionlint.IntNode:
		return strconv.Itoa(x.Value), true
	case *actionlint.FloatNode:
		return strconv.FormatFloat(x.Value, 'f', -1, 64), true
	}
	return "", false
}
