package cichecks

import (
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// The scan skips actionlint's expression parser where a cheap reading of
// the text decides the same. These targets check each shortcut against
// the parser on any input.

var exprSamples = []string{
	"${{ github.event.issue.title }}", "${{github.head_ref}}", "${{ matrix.os }}", "${{ steps.a-b.outputs.x_y }}",
	"${{ true }}", "${{ null.x }}", "${{ github.event.pull_request.head.sha }}", "${{ inputs.x }} ${{ env.Y }}",
	"echo ${{ github['head_ref'] }}", "${{ a.* }}", "${{ a.0 }}", "${{ a. b }}", "${{ a .b }}", "${{ -a }}",
	"${{ format('{0}}', github.actor) }}", "${{ a }}}", "${{ a }", "${{", "${{ }}", "${{ a\n.b }}", "${{\ta.b\r\n}}",
	"${{ secrets.TOKEN }}", "${{ secrets.A || secrets.B }}", "${{ toJSON(secrets) }}", "${{ secrets[format('x')] }}",
	"${{ fromJSON(secrets.CFG).key }}", "${{ SECRETS.x }}", "${{ secrets.1x }}", "${{ secrets. }}", "${{ secrets.a-b }}",
	"${{ github.event_name == 'push' }}", "${{ contains('a b', github.ref) }}", "x ${{ a }}", "${{ a }} x", "${{ a }}\n",
	"${{ True }}", "${{ _a.b }}", "${{ a.b.c.d.e }}", "${{ a..b }}", "${{ é.x }}",
}

func FuzzExprFlows(f *testing.F) {
	for _, s := range exprSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast := exprFlows(s)
		slow := exprsIn(s)
		if len(fast) != len(slow) {
			t.Fatalf("%q: %d placeholders, parser finds %d", s, len(fast), len(slow))
		}
		for i := range fast {
			if fast[i].Raw != slow[i].Raw || fast[i].Offset != slow[i].Offset {
				t.Fatalf("%q: placeholder %d is %q@%d, parser says %q@%d", s, i, fast[i].Raw, fast[i].Offset, slow[i].Raw, slow[i].Offset)
			}
			got, gotOK := fast[i].flows()
			want, wantOK := slow[i].flows()
			if gotOK != wantOK || !slices.EqualFunc(got, want, func(a, b ctxPath) bool { return a.String() == b.String() }) {
				t.Fatalf("%q: flows %v %v, parser gives %v %v", fast[i].Raw, got, gotOK, want, wantOK)
			}
		}
	})
}

func FuzzWholeExpr(f *testing.F) {
	for _, s := range exprSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !wholeExpr(v) {
			return
		}
		es := exprsIn(v)
		if !(len(es) == 1 && es[0].Offset == 0 && len(es[0].Raw) == len(v)) {
			t.Fatalf("wholeExpr(%q) but the parser finds %+v", v, es)
		}
	})
}

// A plain secrets.NAME is left unparsed by fileExprs: neither rule that
// reads those expressions may flag it.
func FuzzPlainSecretRef(f *testing.F) {
	for _, s := range exprSamples {
		f.Add(strings.TrimSuffix(strings.TrimPrefix(s, "${{"), "}}"))
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !plainSecretRef(body) {
			return
		}
		es := exprsIn("${{" + body + "}}")
		for _, e := range es {
			if e.Node == nil {
				continue
			}
			if bare, dynamic := exposesSecrets(e.Node); bare || dynamic || decodesSecret(e.Node) {
				t.Fatalf("plain %q is flagged by the parser's reading", body)
			}
		}
	})
}

func FuzzContainsFold(f *testing.F) {
	for _, s := range exprSamples {
		f.Add(s, "secrets")
		f.Add(s, "contains")
	}
	f.Fuzz(func(t *testing.T, s, sub string) {
		sub = strings.ToLower(sub)
		for i := 0; i < len(sub); i++ {
			if sub[i] >= 0x80 {
				return // only ASCII needles are used
			}
		}
		want := strings.Contains(asciiLower(s), sub)
		if got := containsFold(s, sub); got != want {
			t.Fatalf("containsFold(%q, %q) = %v", s, sub, got)
		}
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Every condition unsound-contains would flag passes the textual prefilter.
func FuzzLiteralContainsCall(f *testing.F) {
	for _, s := range []string{
		"contains('a b', github.ref)", "${{ contains( 'x', github.head_ref) }}", "CONTAINS\n(\t'x', github.actor)",
		"contains(github.event.labels.*.name, 'x')", "!contains('refs/heads/main', github.ref) && true", "contains ('a', b)",
		"containscontains('x', a)", "contains(format('{0}', x), a)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		node := parseBare(v)
		if node == nil {
			return
		}
		hit := false
		visit(node, func(x actionlint.ExprNode) {
			call, ok := x.(*actionlint.FuncCallNode)
			if !ok || !strings.EqualFold(call.Callee, "contains") || len(call.Args) != 2 {
				return
			}
			if _, ok := call.Args[0].(*actionlint.StringNode); ok {
				if _, ok := contextPath(call.Args[1]); ok {
					hit = true
				}
			}
		})
		if hit && !literalContainsCall(v) {
			t.Fatalf("%q calls contains() on a literal but the prefilter skips it", v)
		}
	})
}
