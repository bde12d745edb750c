package cichecks

import (
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewCachePoisoning flags cache-restoring steps in jobs that publish
// (release or tag-push workflows, or jobs running a known publisher).
func NewCachePoisoning() *Rule {
	return &Rule{
		ID:    "cache-poisoning",
		Title: "Cache restored in a release or publishing job",
		Rationale: "GitHub Actions caches are shared across workflows of a repository, including ones that untrusted " +
			"pull requests can trigger; a poisoned cache restored while building a release ends up in what is published.",
		Remediation: "Disable caching in jobs that build or publish releases (cache: false, lookup-only: true, or drop the cache step).",
		Severity:    evidence.High,
		Platforms:   ghWF,
		judge:       judgeCachePoisoning,
	}
}

// cacheToggle says how an action's caching is controlled.
type cacheToggle struct {
	field string
	// optOut: the field disables caching when true (lookup-only).
	optOut bool
	// boolean fields take true/false; others enable when non-empty (or in
	// values).
	boolean bool
	// onByDefault: caching happens when the field is absent.
	onByDefault bool
	values      []string
}

type cacheAware struct {
	any []cacheToggle
	// always: caching cannot be turned off.
	always bool
	// all: every toggle must enable (docker/setup-buildx-action).
	all bool
	// belowMajor: onByDefault applies only to versions below it (setup-uv).
	belowMajor int
}

var cacheActions = map[string]cacheAware{
	"actions/cache":                             {any: []cacheToggle{{field: "lookup-only", optOut: true, boolean: true}}},
	"actions/cache/restore":                     {any: []cacheToggle{{field: "lookup-only", optOut: true, boolean: true}}},
	"actions/setup-java":                        {any: []cacheToggle{{field: "cache"}}},
	"actions/setup-go":                          {any: []cacheToggle{{field: "cache", boolean: true, onByDefault: true}}},
	"actions/setup-node":                        {any: []cacheToggle{{field: "cache", values: []string{"npm", "yarn", "pnpm"}}, {field: "package-manager-cache", boolean: true, onByDefault: true}}},
	"actions/setup-python":                      {any: []cacheToggle{{field: "cache"}}},
	"actions/setup-dotnet":                      {any: []cacheToggle{{field: "cache", boolean: true}}},
	"astral-sh/setup-uv":                        {any: []cacheToggle{{field: "enable-cache", boolean: true, onByDefault: true}}, belowMajor: 10},
	"swatinem/rust-cache":                       {any: []cacheToggle{{field: "lookup-only", optOut: true, boolean: true}}},
	"ruby/setup-ruby":                           {any: []cacheToggle{{field: "bundler-cache", boolean: true}}},
	"pyo3/maturin-action":                       {any: []cacheToggle{{field: "sccache", boolean: true}}},
	"mlugg/setup-zig":                           {any: []cacheToggle{{field: "use-cache", boolean: true, onByDefault: true}}},
	"oven-sh/setup-bun":                         {any: []cacheToggle{{field: "no-cache", optOut: true, boolean: true}}},
	"determinatesystems/magic-nix-cache-action": {any: []cacheToggle{{field: "use-gha-cache", boolean: true, onByDefault: true}}},
	"graalvm/setup-graalvm":                     {any: []cacheToggle{{field: "cache"}}},
	"gradle/actions/setup-gradle":               {any: []cacheToggle{{field: "cache-disabled", optOut: true, boolean: true}}},
	"gradle/gradle-build-action":                {any: []cacheToggle{{field: "cache-disabled", optOut: true, boolean: true}}},
	"docker/setup-buildx-action":                {any: []cacheToggle{{field: "cache-binary", boolean: true, onByDefault: true}, {field: "version"}}, all: true},
	"actions-rust-lang/setup-rust-toolchain":    {any: []cacheToggle{{field: "cache", boolean: true, onByDefault: true}}},
	"mozilla-actions/sccache-action":            {always: true},
	"nix-community/cache-nix-action":            {always: true},
	"jdx/mise-action":                           {any: []cacheToggle{{field: "cache", boolean: true, onByDefault: true}}},
	"ramsey/composer-install":                   {any: []cacheToggle{{field: "ignore-cache", optOut: true, values: []string{"yes", "true", "1"}}}},
	"awalsh128/cache-apt-pkgs-action":           {always: true},
}

// publisherActions publish what the job built.
var publisherActions = map[string]bool{
	"pypa/gh-action-pypi-publish": true, "rubygems/release-gem": true, "jreleaser/release-action": true,
	"goreleaser/goreleaser-action": true, "softprops/action-gh-release": true,
	"release-drafter/release-drafter": true, "googleapis/release-please-action": true,
	"docker/build-push-action": true, "redhat-actions/push-to-registry": true,
	"aws-actions/amazon-ecs-deploy-task-definition": true, "aws-actions/aws-cloudformation-github-deploy": true,
	"azure/aci-deploy": true, "azure/container-apps-deploy-action": true, "azure/functions-action": true,
	"azure/sql-action": true, "cloudflare/wrangler-action": true, "google-github-actions/deploy-appengine": true,
	"google-github-actions/deploy-cloudrun": true, "google-github-actions/deploy-cloud-functions": true,
}

type usage int

const (
	usageNone usage = iota
	usageConditional
	usageEnabled
)

func lookupCache(uses string) (cacheAware, bool) {
	name := ci.ActionName(uses)
	if ca, ok := cacheActions[name]; ok {
		return ca, true
	}
	return cacheAware{}, false // unknown, or another action of a cache-aware repository
}

// releaseTriggers lists the workflow's release-style triggers: a release
// event, a tag push, or a push to a release branch.
func releaseTriggers(w *actionlint.Workflow) (tagOnly bool, any bool) {
	tagOnly = true
	for _, e := range w.On {
		we, ok := e.(*actionlint.WebhookEvent)
		if !ok {
			continue
		}
		switch we.EventName() {
		case "release":
			any = true
		case "push":
			if we.Tags != nil {
				any = true
			}
			if we.Branches != nil {
				for _, b := range we.Branches.Values {
					if b != nil && strings.Contains(strings.ToLower(b.Value), "release") {
						any = true
						tagOnly = false
					}
				}
			}
		}
	}
	return tagOnly && any, any
}

func judgeCachePoisoning(c *Context) {
	w := c.P.Workflow
	if w == nil {
		c.NotApplicable()
		return
	}
	tagOnly, byTrigger := releaseTriggers(w)
	judged := false
	for _, j := range c.P.SortedJobs() {
		publishing := byTrigger
		publisher := ""
		if !publishing {
			for _, s := range j.Steps {
				if a := uses(s); a != nil && publisherActions[ci.ActionRepo(usesValue(a))] {
					if ci.ActionRepo(usesValue(a)) == "docker/build-push-action" {
						if v, _ := with(a, "push"); strings.EqualFold(v, "false") {
							continue
						}
					}
					publishing, publisher = true, ci.ActionName(usesValue(a))
					break
				}
			}
		}
		if !publishing {
			continue
		}
		judged = true
		for _, s := range j.Steps {
			a := uses(s)
			if a == nil {
				continue
			}
			ca, ok := lookupCache(usesValue(a))
			if !ok {
				continue
			}
			u := cacheUsage(ca, a)
			if u == usageConditional && tagOnly && publisher == "" {
				if v, ok := tagPushHeuristic(ca, a); ok {
					if !v {
						u = usageNone
					} else {
						u = usageEnabled
					}
				}
			}
			if u == usageNone {
				continue
			}
			why := "in a workflow triggered for releases"
			if publisher != "" {
				why = "in a job that publishes with " + publisher
			}
			how := "restores a cache"
			if u == usageConditional {
				how = "may restore a cache"
			}
			c.Errorf(valuePos(c.P.Source, a.Uses), "%s %s %s; a poisoned cache would end up in the release", ci.ActionName(usesValue(a)), how, why)
		}
	}
	if !judged {
		c.NotApplicable()
	}
}

func cacheUsage(ca cacheAware, a *actionlint.ExecAction) usage {
	if ca.always {
		return usageEnabled
	}
	best := usageNone
	worst := usageEnabled
	for _, t := range ca.any {
		u := toggleUsage(t, ca, a)
		if u > best {
			best = u
		}
		if u < worst {
			worst = u
		}
	}
	if ca.all {
		return worst
	}
	return best
}

func toggleUsage(t cacheToggle, ca cacheAware, a *actionlint.ExecAction) usage {
	v, set := with(a, t.field)
	if set && strings.Contains(v, "${{") {
		return usageConditional
	}
	if !set || v == "" && t.boolean {
		def := t.onByDefault
		if def && ca.belowMajor > 0 {
			_, ref, _ := splitUses(usesValue(a))
			major, ok := refMajor(ref)
			switch {
			case !ok:
				return usageConditional // version unknown from a SHA pin
			case major >= ca.belowMajor:
				def = false
			}
		}
		if t.optOut {
			return usageEnabled
		}
		if def {
			return usageEnabled
		}
		return usageNone
	}
	on := false
	switch {
	case len(t.values) > 0:
		for _, x := range t.values {
			if strings.EqualFold(v, x) {
				on = true
			}
		}
	case t.boolean:
		on = strings.EqualFold(v, "true")
	default:
		on = v != "" && !strings.EqualFold(v, "false")
	}
	if t.optOut {
		on = !on
	}
	if on {
		return usageEnabled
	}
	return usageNone
}

func refMajor(ref string) (int, bool) {
	r := strings.TrimPrefix(strings.ToLower(ref), "v")
	end := 0
	for end < len(r) && r[end] >= '0' && r[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(r[:end])
	return n, err == nil
}

// tagPushHeuristic evaluates a boolean cache toggle set from an expression
// that tests for a tag push, in a workflow only triggered by tags or
// releases: ok is true when the expression is understood, v is whether
// caching is then on.
func tagPushHeuristic(ca cacheAware, a *actionlint.ExecAction) (v bool, ok bool) {
	for _, t := range ca.any {
		if !t.boolean {
			continue
		}
		raw, set := with(a, t.field)
		if !set || !strings.Contains(raw, "${{") {
			continue
		}
		node := parseBare(raw)
		if node == nil {
			return false, false
		}
		val, ok := evalTagPush(node, 0)
		if !ok {
			return false, false
		}
		if t.optOut {
			val = !val
		}
		return val, true
	}
	return false, false
}

func evalTagPush(n actionlint.ExprNode, depth int) (bool, bool) {
	if depth > 20 {
		return false, false
	}
	switch x := n.(type) {
	case *actionlint.BoolNode:
		return x.Value, true
	case *actionlint.NotOpNode:
		v, ok := evalTagPush(x.Operand, depth+1)
		return !v, ok
	case *actionlint.FuncCallNode:
		if strings.EqualFold(x.Callee, "startsWith") && len(x.Args) == 2 {
			if c, ok := contextPath(x.Args[0]); ok && c.String() == "github.ref" {
				if s, ok := literalString(x.Args[1]); ok && strings.EqualFold(s, "refs/tags/") {
					return true, true
				}
			}
		}
	case *actionlint.LogicalOpNode:
		if x.Kind == actionlint.LogicalOpNodeKindAnd {
			l, r := eqTest(x.Left), eqTest(x.Right)
			if l != "" && r != "" && l != r {
				return true, true
			}
		}
	}
	return false, false
}

// eqTest recognises github.event_name == 'push' and github.ref_type == 'tag'.
func eqTest(n actionlint.ExprNode) string {
	cmp, ok := n.(*actionlint.CompareOpNode)
	if !ok || cmp.Kind != actionlint.CompareOpNodeKindEq {
		return ""
	}
	ctx, lit := cmp.Left, cmp.Right
	if _, isLit := literalString(ctx); isLit {
		ctx, lit = lit, ctx
	}
	c, ok := contextPath(ctx)
	s, ok2 := literalString(lit)
	if !ok || !ok2 {
		return ""
	}
	switch {
	case c.String() == "github.event_name" && s == "push":
		return "push"
	case c.String() == "github.ref_type" && s == "tag":
		return "tag"
	}
	return ""
}
