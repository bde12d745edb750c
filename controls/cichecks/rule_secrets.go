package cichecks

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// NewHardcodedCredentials flags passwords written into pipeline files:
// container and service registry credentials in GitHub workflows, and
// literal passwords given to docker login in GitLab scripts.
func NewHardcodedCredentials() *Rule {
	return &Rule{
		ID:    "hardcoded-credentials",
		Title: "Credential written in the pipeline file",
		Rationale: "A password in a workflow file is readable by everyone who can read the repository and stays in its " +
			"history after it is removed.",
		Remediation: "Store the credential as a secret (or masked, protected CI/CD variable) and reference it: password: ${{ secrets.REGISTRY_PASSWORD }}.",
		Severity:    evidence.High,
		Platforms:   all,
		judge: func(c *Context) {
			switch c.P.Platform {
			case ci.GitHubWorkflow:
				check := func(ct *actionlint.Container, what string) {
					if ct == nil || ct.Credentials == nil || ct.Credentials.Password == nil {
						return
					}
					pw := ct.Credentials.Password
					if pw.Value == "" || strings.Contains(pw.Value, "${{") {
						return
					}
					c.Errorf(pw.Pos, "%s credentials hold a literal password; use a secret", what)
				}
				for _, j := range c.P.SortedJobs() {
					check(j.Container, "container")
					for _, s := range ci.SortedServices(j.Services) {
						check(s.Container, "service "+quote(s.Name.Value))
					}
				}
			case ci.GitLabCI:
				if c.P.GitLab == nil {
					return
				}
				for _, j := range append([]*ci.GitLabJob{c.P.GitLab.Default}, c.P.GitLab.Jobs...) {
					if j == nil {
						continue
					}
					for _, list := range [][]*actionlint.String{j.BeforeScript, j.Script, j.AfterScript} {
						for _, line := range list {
							if line != nil && literalLogin.MatchString(line.Value) {
								c.Errorf(valuePos(c.P.Source, line), "job %q passes a literal password on the command line", j.Name.Value)
							}
						}
					}
				}
			}
		},
	}
}

var literalLogin = lazyre.New(`\b(docker|podman|buildah|helm registry|oras|crane auth) login\b[^\n]*\s(-p|--password)[ =]['"]?[^$'"\s-][^\s'"]*`)

// NewInsecureCommands flags ACTIONS_ALLOW_UNSECURE_COMMANDS, which
// re-enables the ::set-env and ::add-path workflow commands any log line can
// issue.
func NewInsecureCommands() *Rule {
	return &Rule{
		ID:    "insecure-commands",
		Title: "Deprecated insecure workflow commands re-enabled",
		Rationale: "With ACTIONS_ALLOW_UNSECURE_COMMANDS, any text printed to the log (a test name, a PR title) can set " +
			"environment variables or PATH for later steps, which leads to code execution.",
		Remediation: "Remove ACTIONS_ALLOW_UNSECURE_COMMANDS and write to $GITHUB_ENV / $GITHUB_PATH files instead.",
		Severity:    evidence.High,
		Platforms:   github,
		judge: func(c *Context) {
			check := func(env *actionlint.Env) {
				if env == nil {
					return
				}
				v := env.Vars["actions_allow_unsecure_commands"]
				if v == nil || v.Value == nil || strings.EqualFold(strings.TrimSpace(v.Value.Value), "false") || strings.TrimSpace(v.Value.Value) == "" {
					return
				}
				c.Errorf(keyPos(c.P.Source, v.Name.Pos, "env"), "ACTIONS_ALLOW_UNSECURE_COMMANDS is set to %q", v.Value.Value)
			}
			if w := c.P.Workflow; w != nil {
				check(w.Env)
				for _, j := range c.P.SortedJobs() {
					check(j.Env)
					if j.Container != nil {
						check(j.Container.Env)
					}
					for _, s := range j.Steps {
						if s != nil {
							check(s.Env)
						}
					}
				}
			}
			if c.P.Action != nil {
				for _, s := range c.P.Action.Steps {
					check(s.Env)
				}
			}
		},
	}
}

// secretsExprs calls fn for every expression of the pipeline that names
// the secrets context, with its position.
func secretsExprs(c *Context, fn func(at *actionlint.Pos, e expr)) {
	p := c.P
	if p.Source == nil {
		return
	}
	for _, e := range c.fileExprs() {
		if e.Node == nil || !strings.Contains(strings.ToLower(e.Raw), "secrets") {
			continue
		}
		at := p.Source.PosOf(e.Offset)
		if strings.HasPrefix(strings.TrimSpace(p.Source.Line(at.Line)), "#") {
			continue // a comment
		}
		fn(at, e)
	}
}

// NewOverprovisionedSecrets flags expressions that expose the whole secrets
// context (toJSON(secrets), secrets[dynamic]).
func NewOverprovisionedSecrets() *Rule {
	return &Rule{
		ID:    "overprovisioned-secrets",
		Title: "Whole secrets context exposed to a step",
		Rationale: "toJSON(secrets) or a computed secrets[...] index hands every secret of the repository to the step, " +
			"far beyond what it needs, and defeats per-secret log masking.",
		Remediation: "Reference only the secrets the step uses, by name: ${{ secrets.NPM_TOKEN }}.",
		Severity:    evidence.Medium,
		Platforms:   github,
		judge: func(c *Context) {
			secretsExprs(c, func(at *actionlint.Pos, e expr) {
				bare, dynamic := exposesSecrets(e.Node)
				if bare {
					c.Errorf(at, "%s exposes every secret", e.Raw)
				} else if dynamic {
					c.Errorf(at, "%s indexes secrets with a computed name, exposing any of them", e.Raw)
				}
			})
		},
	}
}

// exposesSecrets says whether an expression uses the secrets context as a
// whole (bare) or indexes it with a computed name (dynamic).
func exposesSecrets(node actionlint.ExprNode) (bare, dynamic bool) {
	actionlint.VisitExprNode(node, func(n, parent actionlint.ExprNode, entering bool) {
		if !entering {
			return
		}
		v, ok := n.(*actionlint.VariableNode)
		if !ok || !strings.EqualFold(v.Name, "secrets") {
			return
		}
		switch pn := parent.(type) {
		case *actionlint.ObjectDerefNode:
		case *actionlint.IndexAccessNode:
			if _, lit := pn.Index.(*actionlint.StringNode); !lit && pn.Operand == n {
				dynamic = true
			}
		default:
			bare = true
		}
	})
	return bare, dynamic
}

// decodesSecret says whether an expression calls fromJSON(secrets.X).
func decodesSecret(node actionlint.ExprNode) bool {
	hit := false
	visit(node, func(n actionlint.ExprNode) {
		call, ok := n.(*actionlint.FuncCallNode)
		if !ok || !strings.EqualFold(call.Callee, "fromJSON") || len(call.Args) != 1 {
			return
		}
		if ctx, ok := contextPath(call.Args[0]); ok && ctx.root() == "secrets" && len(ctx.Parts) > 1 {
			hit = true
		}
	})
	return hit
}

// NewUnredactedSecrets flags fromJSON(secrets.X): the fields of a
// structured secret are not registered for log masking.
func NewUnredactedSecrets() *Rule {
	return &Rule{
		ID:    "unredacted-secrets",
		Title: "Secret value that escapes log masking",
		Rationale: "GitHub masks a secret's exact value in logs; a field extracted with fromJSON(secrets.X).field is a " +
			"different string and is printed in clear.",
		Remediation: "Store each value as its own secret instead of a JSON document.",
		Severity:    evidence.Medium,
		Platforms:   github,
		judge: func(c *Context) {
			secretsExprs(c, func(at *actionlint.Pos, e expr) {
				if decodesSecret(e.Node) {
					c.Errorf(at, "%s decodes a secret; the values inside it are not masked in logs", e.Raw)
				}
			})
		},
	}
}
