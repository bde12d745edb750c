package cichecks

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// NewUnpinnedUses flags actions and reusable workflows not pinned to a full
// commit SHA.
func NewUnpinnedUses() *Rule {
	return &Rule{
		ID:    "unpinned-uses",
		Title: "Action or reusable workflow not pinned to a commit SHA",
		Rationale: "A tag or branch can be moved to new code by whoever controls the action's repository; " +
			"only a full commit SHA fixes what runs with the workflow's token and secrets.",
		Remediation: "Pin to the 40-character commit SHA and keep the version in a comment: " +
			"uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
		Severity:  evidence.Medium,
		Platforms: github,
		judge: func(c *Context) {
			check := func(s *actionlint.String) {
				if s == nil {
					return
				}
				name, ref, ok := splitUses(s.Value)
				if !ok || allowed(c.Opts.AllowUnpinned, name) {
					return
				}
				at := valuePos(c.P.Source, s)
				switch {
				case ref == "":
					c.Errorf(at, "%q has no ref; pin it to a full commit SHA", strings.TrimSpace(s.Value))
				case !isSHA(ref):
					c.Errorf(at, "%q is pinned to %q, which can move; pin it to a full commit SHA", name, ref)
				}
			}
			if c.P.Workflow != nil {
				for _, j := range c.P.SortedJobs() {
					if j.WorkflowCall != nil {
						check(j.WorkflowCall.Uses)
					}
				}
			}
			for _, sr := range c.steps() {
				if a := uses(sr.step); a != nil {
					check(a.Uses)
				}
			}
		},
	}
}

// NewUnpinnedImages flags container images not pinned by digest.
func NewUnpinnedImages() *Rule {
	return &Rule{
		ID:    "unpinned-images",
		Title: "Container image not pinned to a digest",
		Rationale: "An image tag (even a version tag) is a mutable pointer: the registry or anyone who can push to it " +
			"can change the code that runs the job. Only @sha256: fixes the content.",
		Remediation: "Reference the image by digest: image: node:20@sha256:<digest> (keep the tag for readers).",
		Severity:    evidence.Medium,
		Platforms:   all,
		judge:       judgeUnpinnedImages,
	}
}

func imagePinned(ref string) bool { return strings.Contains(ref, "@sha256:") }

func judgeUnpinnedImages(c *Context) {
	p := c.P
	report := func(s *actionlint.String, what string) {
		if s == nil {
			return
		}
		v := strings.TrimSpace(s.Value)
		if v == "" || imagePinned(v) || allowed(c.Opts.AllowUnpinned, strings.TrimPrefix(v, "docker://")) {
			return
		}
		c.Errorf(valuePos(p.Source, s), "%s %q is not pinned to a digest", what, v)
	}
	// An image written with ${{ matrix.* }} is judged for each value the
	// matrix gives it; one from another expression cannot be known here.
	reportJob := func(j *actionlint.Job, s *actionlint.String, what string) {
		if s == nil || !strings.Contains(s.Value, "${{") {
			report(s, what)
			return
		}
		exps, ok := ci.ExpandMatrix(j, strings.TrimSpace(s.Value))
		if !ok {
			for _, v := range imageCandidates(strings.TrimSpace(s.Value)) {
				switch {
				case imagePinned(v) || allowed(c.Opts.AllowUnpinned, v):
				case v == strings.TrimSpace(s.Value):
					c.Errorf(valuePos(p.Source, s), "%s %q is a tag reference, not pinned to a digest", what, v)
				default:
					c.Errorf(valuePos(p.Source, s), "%s %q (from %s) is not pinned to a digest", what, v, strings.TrimSpace(s.Value))
				}
			}
			return
		}
		for _, e := range exps {
			v := strings.TrimSpace(e.Value)
			if v == "" || imagePinned(v) || allowed(c.Opts.AllowUnpinned, v) {
				continue
			}
			c.Errorf(valuePos(p.Source, s), "%s %q (%s through %s) is not pinned to a digest", what, v, strings.TrimSpace(s.Value), e.Via)
		}
	}
	switch p.Platform {
	case ci.GitHubWorkflow:
		for _, j := range p.SortedJobs() {
			if j.Container != nil {
				reportJob(j, j.Container.Image, "container image")
			}
			for _, s := range ci.SortedServices(j.Services) {
				if s.Container != nil {
					reportJob(j, s.Container.Image, "service image")
				}
			}
		}
		for _, sr := range c.steps() {
			if a := uses(sr.step); a != nil && strings.HasPrefix(usesValue(a), "docker://") {
				report(a.Uses, "docker action image")
			}
		}
	case ci.GitHubAction:
		for _, sr := range c.steps() {
			if a := uses(sr.step); a != nil && strings.HasPrefix(usesValue(a), "docker://") {
				report(a.Uses, "docker action image")
			}
		}
		if p.Action != nil && p.Action.Image != nil && strings.HasPrefix(p.Action.Image.Value, "docker://") {
			report(p.Action.Image, "action image")
		}
	case ci.GitLabCI:
		if p.GitLab == nil {
			return
		}
		for _, j := range append([]*ci.GitLabJob{p.GitLab.Default}, p.GitLab.Jobs...) {
			if j == nil {
				continue
			}
			report(j.Image, "job "+quote(j.Name.Value)+" image")
			for _, s := range j.Services {
				report(s, "job "+quote(j.Name.Value)+" service")
			}
		}
	}
}

// imageCandidates are what an image written with an expression that is
// not a matrix value can be known to be: the string literals the
// expression may yield (${{ cond && 'postgres:17' || 'none' }}), or, when the
// text around the expression already makes a tag reference
// (registry/app:${{ ... }}), the value itself. Nothing is known of an
// image that is an opaque expression (${{ inputs.image }}).
func imageCandidates(v string) []string {
	es := exprsIn(v)
	if len(es) == 0 {
		return nil
	}
	outside := v
	for _, e := range es {
		outside = strings.Replace(outside, e.Raw, "\x00", 1)
	}
	if strings.Contains(outside, "@sha256:") {
		return nil
	}
	if strings.Trim(outside, "\x00 ") != "" {
		name := outside[:strings.IndexByte(outside+"\x00", 0)]
		if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') && i >= 0 {
			return []string{v} // a tag, whatever the expression gives
		}
		return nil
	}
	if len(es) != 1 || es[0].Node == nil {
		return nil
	}
	var out []string
	for _, f := range dataflowLiterals(es[0].Node) {
		if f = strings.TrimSpace(f); f != "" && !strings.ContainsAny(f, " \t") {
			out = append(out, f)
		}
	}
	return out
}

// dataflowLiterals lists the string literals an expression can yield: the
// right of &&, both sides of ||.
func dataflowLiterals(n actionlint.ExprNode) []string {
	switch x := n.(type) {
	case *actionlint.StringNode:
		return []string{x.Value}
	case *actionlint.LogicalOpNode:
		if x.Kind == actionlint.LogicalOpNodeKindAnd {
			return dataflowLiterals(x.Right)
		}
		return append(dataflowLiterals(x.Left), dataflowLiterals(x.Right)...)
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }

// NewUnpinnedInclude flags GitLab includes of other projects, remote URLs
// and components that are not pinned to a commit SHA.
func NewUnpinnedInclude() *Rule {
	return &Rule{
		ID:    "unpinned-include",
		Title: "GitLab include not pinned to a commit SHA",
		Rationale: "An included file becomes part of the pipeline. A branch, tag or version of another project, or any " +
			"remote URL, can change what runs (with the project's CI/CD variables) without a change in this repository.",
		Remediation: "Include project files and components at a full commit SHA (ref: <sha>, component@<sha>); " +
			"vendor remote files into the repository and include them as local files.",
		Severity:  evidence.Medium,
		Platforms: gitlab,
		judge: func(c *Context) {
			g := c.P.GitLab
			if g == nil || len(g.Includes) == 0 {
				c.NotApplicable()
				return
			}
			for _, inc := range g.Includes {
				if inc.Value == nil {
					continue
				}
				v := strings.TrimSpace(inc.Value.Value)
				switch inc.Kind {
				case "project":
					switch {
					case inc.Ref == nil:
						c.Errorf(inc.Pos, "include of project %q has no ref and follows its default branch; pin ref: to a commit SHA", v)
					case !isSHA(strings.TrimSpace(inc.Ref.Value)):
						c.Errorf(inc.Pos, "include of project %q at ref %q can change; pin ref: to a commit SHA", v, inc.Ref.Value)
					}
				case "remote":
					c.Errorf(inc.Pos, "remote include %q cannot be pinned; vendor it and include it as a local file", v)
				case "component":
					_, ver, _ := strings.Cut(v, "@")
					if !isSHA(ver) {
						c.Errorf(inc.Pos, "component %q is not pinned to a commit SHA", v)
					}
				}
			}
		},
	}
}

var versionComment = lazyre.New(`#\s*(?:tag[=:]\s*|version[=:]\s*)?(v?\d+(?:\.\d+){0,3}(?:[-+][\w.]+)?)\b`)
