package cichecks

import (
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// NewArtipacked flags actions/checkout steps that leave the token in
// .git/config (persist-credentials defaults to true), where a later artifact
// upload or step can carry it away; in GitLab, artifacts that include the
// checkout's .git folder (its remote URL holds the job token).
func NewArtipacked() *Rule {
	return &Rule{
		ID:    "artipacked",
		Title: "Checkout persists credentials that artifacts or later steps can leak",
		Rationale: "actions/checkout writes the GITHUB_TOKEN into .git/config unless persist-credentials: false; " +
			"uploading the workspace as an artifact then publishes the token, and every later step can read it.",
		Remediation: "Set persist-credentials: false on actions/checkout (pass a token explicitly to the one step that pushes); " +
			"never upload the whole workspace or .git as an artifact.",
		Severity:  evidence.Medium,
		Platforms: all,
		judge: func(c *Context) {
			if c.P.Platform == ci.GitLabCI {
				judgeGitLabArtifacts(c)
				return
			}
			for _, sr := range c.steps() {
				a := uses(sr.step)
				if a == nil || ci.ActionRepo(usesValue(a)) != "actions/checkout" {
					continue
				}
				v, set := with(a, "persist-credentials")
				switch {
				case set && strings.EqualFold(v, "false"):
				case set && strings.EqualFold(v, "true"):
					// Explicitly chosen; the author presumably needs it.
				default:
					c.Errorf(sr.step.Pos, "actions/checkout does not set persist-credentials: false; the token stays in .git/config")
				}
			}
		},
	}
}

var wholeWorkspace = lazyre.New(`^(\.|\./|\.git/?.*|\$\{?CI_PROJECT_DIR\}?/?|\*\*/?\*?)$`)

func judgeGitLabArtifacts(c *Context) {
	g := c.P.GitLab
	if g == nil {
		return
	}
	for _, j := range g.Jobs {
		if j.Artifacts == nil {
			continue
		}
		for _, p := range j.Artifacts.Paths {
			if p != nil && wholeWorkspace.MatchString(strings.TrimSpace(p.Value)) {
				c.Errorf(p.Pos, "artifacts of job %q include %q, which holds .git/config with the job token in its remote URL", j.Name.Value, p.Value)
			}
		}
		for _, list := range [][]*ciString{j.Script, j.BeforeScript, j.AfterScript} {
			for _, line := range list {
				if line != nil && tokenToFile.MatchString(line.Value) {
					c.Errorf(valuePos(c.P.Source, line), "job %q writes CI_JOB_TOKEN to a file that its artifacts may publish", j.Name.Value)
				}
			}
		}
	}
}

var tokenToFile = lazyre.New(`\$\{?CI_JOB_TOKEN\}?[^|]*(>>?|\|\s*tee\b)`)
