package cichecks

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// conditions lists every job and step `if:` of a pipeline.
func conditions(p *ci.Pipeline) []*actionlint.String {
	var out []*actionlint.String
	if p.Workflow != nil {
		for _, j := range p.SortedJobs() {
			if j.If != nil {
				out = append(out, j.If)
			}
			for _, s := range j.Steps {
				if s != nil && s.If != nil {
					out = append(out, s.If)
				}
			}
		}
	}
	if p.Action != nil {
		for _, s := range p.Action.Steps {
			if s.If != nil {
				out = append(out, s.If)
			}
		}
	}
	return out
}

// NewUnsoundCondition flags `if:` values that are always true because text
// surrounds the ${{ }} (a block scalar's trailing newline included): the
// result is a non-empty string.
func NewUnsoundCondition() *Rule {
	return &Rule{
		ID:    "unsound-condition",
		Title: "Condition that always evaluates to true",
		Rationale: "When an if: value is more than one ${{ }} expression (text around it, a second expression, the " +
			"newline a | block adds) GitHub evaluates it as a non-empty string, which is true: the guard never stops the job.",
		Remediation: "Write the whole condition inside one expression, without a | or > block or surrounding text: if: ${{ a && b }}.",
		Severity:    evidence.High,
		Platforms:   github,
		judge: func(c *Context) {
			for _, s := range c.conditions() {
				v := s.Value
				if !strings.Contains(v, "${{") || wholeExpr(v) {
					continue
				}
				es := exprsIn(v)
				if len(es) == 1 && es[0].Offset == 0 && len(es[0].Raw) == len(v) {
					continue
				}
				c.Errorf(ifKeyPos(c.P.Source, s), "if: %q is always true: text outside the ${{ }} makes it a non-empty string", strings.TrimRight(v, "\n"))
			}
		},
	}
}

// wholeExpr says, without parsing, that v is exactly one ${{ }}: it starts
// with the only "${{" and its only two '}' end it, so however the
// expression lexes, it ends there and spans the whole value.
func wholeExpr(v string) bool {
	return len(v) >= 5 && strings.HasPrefix(v, "${{") && strings.HasSuffix(v, "}}") &&
		strings.Count(v, "}") == 2 && strings.Count(v, "${{") == 1
}

// NewBotConditions flags pull_request_target conditions that trust
// github.actor to be a bot: the actor of a synchronize event is whoever last
// triggered it, and a bot's name can be put there by reopening its PR.
func NewBotConditions() *Rule {
	return &Rule{
		ID:    "bot-conditions",
		Title: "Spoofable bot actor check",
		Rationale: "github.actor is the user who caused the latest event, not the pull request's author: an attacker " +
			"can make a condition like github.actor == 'dependabot[bot]' true for their own code.",
		Remediation: "Check the pull request's author (github.event.pull_request.user.login) and the event type, or use dependabot/fetch-metadata.",
		Severity:    evidence.High,
		Platforms:   ghWF,
		judge: func(c *Context) {
			if !hasTrigger(c.P, "pull_request_target") {
				c.NotApplicable()
				return
			}
			for _, s := range c.conditions() {
				if !containsFold(s.Value, "actor") && !containsFold(s.Value, "sender") {
					continue // names none of the contexts botCondition judges
				}
				node := parseBare(s.Value)
				if node == nil {
					continue
				}
				if botCondition(node) {
					c.Errorf(ifKeyPos(c.P.Source, s), "condition %q trusts the spoofable actor context", strings.TrimSpace(s.Value))
				}
			}
		},
	}
}

var botIDs = map[string]bool{"29110": true, "49699333": true, "27856297": true, "29139614": true}

func botCondition(n actionlint.ExprNode) bool {
	found := false
	visit(n, func(x actionlint.ExprNode) {
		cmp, ok := x.(*actionlint.CompareOpNode)
		if !ok || cmp.Kind != actionlint.CompareOpNodeKindEq {
			return
		}
		l, r := cmp.Left, cmp.Right
		if _, isLit := literalString(l); isLit {
			l, r = r, l
		}
		ctx, ok := contextPath(l)
		lit, ok2 := literalString(r)
		if !ok || !ok2 || ctx.CallLed {
			return
		}
		switch ctx.String() {
		case "github.actor", "github.triggering_actor", "github.event.pull_request.sender.login":
			if strings.HasSuffix(strings.ToLower(lit), "[bot]") {
				found = true
			}
		case "github.actor_id", "github.event.pull_request.sender.id":
			if botIDs[lit] {
				found = true
			}
		}
	})
	return found
}

// literalContainsCall says whether v may call contains() with a string
// literal first: "contains" in any case, then "(" and "'" with only
// whitespace around them, as the expression lexer reads them.
func literalContainsCall(v string) bool {
	for i := 0; i+len("contains") <= len(v); i++ {
		if !hasPrefixFold(v[i:], "contains") {
			continue
		}
		rest := strings.TrimLeft(v[i+len("contains"):], " \t\r\n")
		if !strings.HasPrefix(rest, "(") {
			continue
		}
		if rest = strings.TrimLeft(rest[1:], " \t\r\n"); strings.HasPrefix(rest, "'") {
			return true
		}
	}
	return false
}

// NewUnsoundContains flags contains('a b c', github.ref)-style checks: a
// substring test against a string literal, which a crafted ref or name
// satisfies.
func NewUnsoundContains() *Rule {
	return &Rule{
		ID:    "unsound-contains",
		Title: "Substring test used as a list membership check",
		Rationale: "contains() on a string is a substring test: contains('refs/heads/main refs/heads/dev', github.ref) " +
			"is true for a branch named 'main' or 'heads/ma', so the guard can be bypassed.",
		Remediation: "Test list membership with an array: contains(fromJSON('[\"refs/heads/main\", \"refs/heads/dev\"]'), github.ref).",
		Severity:    evidence.Medium,
		Platforms:   github,
		judge: func(c *Context) {
			for _, s := range c.conditions() {
				if !literalContainsCall(s.Value) {
					continue // no contains('...', ...) call to judge
				}
				node := parseBare(s.Value)
				if node == nil {
					continue
				}
				visit(node, func(x actionlint.ExprNode) {
					call, ok := x.(*actionlint.FuncCallNode)
					if !ok || !strings.EqualFold(call.Callee, "contains") || len(call.Args) != 2 {
						return
					}
					hay, ok := call.Args[0].(*actionlint.StringNode)
					if !ok {
						return
					}
					ctx, ok := contextPath(call.Args[1])
					if !ok {
						return
					}
					c.Errorf(ifKeyPos(c.P.Source, s), "contains(%q, %s) is a substring test, not a list membership check", hay.Value, writtenIn(s.Value, ctx.String()))
				})
			}
		},
	}
}
