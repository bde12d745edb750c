package cichecks

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rhysd/actionlint"
)

// expr is one ${{ }} placeholder found in a string.
type expr struct {
	// Raw is the placeholder's text, "${{ ... }}".
	Raw string
	// Offset is where Raw starts in the string.
	Offset int
	// Node is the parsed expression, nil when it does not parse (or, from
	// exprFlows, when it is a plain context path).
	Node actionlint.ExprNode
	// path is set by exprFlows for a placeholder holding only a context
	// path (a.b.c), read without the parser: what dataflow would find.
	path  []string
	plain bool
}

// flows lists the contexts whose value can reach the placeholder's result;
// ok is false when it did not parse.
func (e *expr) flows() (out []ctxPath, ok bool) {
	if e.plain {
		if e.path != nil {
			out = []ctxPath{{Parts: e.path}}
		}
		return out, true
	}
	if e.Node == nil {
		return nil, false
	}
	return dataflow(e.Node), true
}

// exprFlows is exprsIn for dataflow only: a placeholder that is a plain
// context path, the common case, is read without actionlint's parser (and
// has no Node).
func exprFlows(s string) []expr {
	var out []expr
	off := 0
	for len(out) < maxExprs {
		i := strings.Index(s[off:], "${{")
		if i < 0 {
			break
		}
		start := off + i
		body := s[start+3:]
		if j := strings.Index(body, "}}"); j >= 0 && cleanNext(body[j+2:]) {
			if path, literal, ok := plainPath(body[:j]); ok {
				end := start + 3 + j + 2
				e := expr{Raw: s[start:end], Offset: start, plain: true}
				if !literal {
					e.path = path
				}
				out = append(out, e)
				off = end
				continue
			}
		}
		e, ok := parseAt(s, start)
		if !ok {
			break
		}
		out = append(out, e)
		off = start + len(e.Raw)
	}
	return out
}

// cleanNext says that the character after a placeholder, which the
// expression lexer reads ahead, is not one it fails on (invalid UTF-8, NUL,
// a byte order mark).
func cleanNext(rest string) bool {
	if rest == "" {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	return !(r == utf8.RuneError && size == 1) && r != 0 && r != '\uFEFF'
}

// plainPath reads an expression that is only a dotted context path, as
// actionlint's lexer and parser would: identifiers ([A-Za-z_] then
// [A-Za-z0-9_-]) joined by dots, within spaces, tabs and newlines. It
// returns the parts lower-cased; literal is true when the first identifier
// is a keyword (null, true, false), which no context flows from. ok is false
// for anything else.
func plainPath(body string) (parts []string, literal, ok bool) {
	t := strings.Trim(body, " \t\r\n")
	if t == "" {
		return nil, false, false
	}
	n := strings.Count(t, ".") + 1
	parts = make([]string, 0, n)
	for {
		i := 0
		if c := t[0]; !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return nil, false, false
		}
		for i < len(t) && (t[i] == '_' || t[i] == '-' || 'a' <= t[i] && t[i] <= 'z' || 'A' <= t[i] && t[i] <= 'Z' || '0' <= t[i] && t[i] <= '9') {
			i++
		}
		parts = append(parts, strings.ToLower(t[:i]))
		if len(parts) == 1 {
			literal = t[:i] == "null" || t[:i] == "true" || t[:i] == "false"
		}
		if i == len(t) {
			return parts, literal, true
		}
		if t[i] != '.' || i+1 == len(t) {
			return nil, false, false
		}
		t = t[i+1:]
	}
}

// maxExprs bounds the placeholders read from one string.
const maxExprs = 1000

// exprsIn extracts the ${{ }} placeholders of s with actionlint's lexer and
// parser.
func exprsIn(s string) []expr { return exprsWhere(s, nil) }

// exprsWhere extracts only the placeholders for whose text up to the first
// }} want is true, skipping the parse of the others (nil: all).
func exprsWhere(s string, want func(body string) bool) []expr {
	var out []expr
	off := 0
	for len(out) < maxExprs {
		i := strings.Index(s[off:], "${{")
		if i < 0 {
			break
		}
		start := off + i
		body := s[start+3:]
		if want != nil {
			j := strings.Index(body, "}}")
			if j < 0 {
				break
			}
			if !want(body[:j]) {
				off = start + 3 + j + 2
				continue
			}
		}
		e, ok := parseAt(s, start)
		if !ok {
			break
		}
		out = append(out, e)
		off = start + len(e.Raw)
	}
	return out
}

// parseAt parses the placeholder starting at s[start:] ("${{"); ok is false
// when it has no end.
func parseAt(s string, start int) (expr, bool) {
	body := s[start+3:]
	lex := actionlint.NewExprLexer(body)
	node, err := actionlint.NewExprParser().Parse(lex)
	end := -1
	if err == nil {
		end = start + 3 + lex.Offset()
	} else if j := strings.Index(body, "}}"); j >= 0 {
		end = start + 3 + j + 2
	}
	if end < 0 || end > len(s) {
		return expr{}, false
	}
	e := expr{Raw: s[start:end], Offset: start}
	if err == nil {
		e.Node = node
	}
	return e, true
}

// containsFold reports whether s contains sub (lower-case ASCII) in any
// ASCII case, without allocating.
func containsFold(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	c0, u0 := sub[0], sub[0]
	if 'a' <= c0 && c0 <= 'z' {
		u0 = c0 - 'a' + 'A'
	}
	for i := 0; i+n <= len(s); i++ {
		if c := s[i]; c != c0 && c != u0 {
			continue
		}
		if hasPrefixFold(s[i:], sub) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
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
			c, ok := contextPath(x)
			if ok && c.CallLed {
				// fromJSON(x).field carries x's data: follow the call.
				walk(callOf(x), depth+1)
				return
			}
			if ok {
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

// callOf returns the function call a dereference chain starts from.
func callOf(n actionlint.ExprNode) actionlint.ExprNode {
	for depth := 0; depth < 200; depth++ {
		switch x := n.(type) {
		case *actionlint.ObjectDerefNode:
			n = x.Receiver
		case *actionlint.ArrayDerefNode:
			n = x.Receiver
		case *actionlint.IndexAccessNode:
			n = x.Operand
		default:
			return n
		}
	}
	return nil
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
