package forgechecks

import (
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewSecretScanning judges whether the forge scans the repository for
// committed secrets and refuses pushes that carry them.
func NewSecretScanning() controls.Check {
	return build(controls.Check{
		ID:          "REPO-SECRET-SCANNING",
		Title:       "Secret scanning and push protection are enabled",
		Rationale:   "A credential committed to a repository is exposed to everyone who can read it, for as long as history lasts; scanning finds it, push protection stops it from landing.",
		Remediation: "GitHub: enable secret scanning and push protection under Settings > Code security (security_and_analysis). GitLab: enable secret push protection (Secure > Security configuration) or at least the push rule \"Prevent pushing secret files\".",
		Severity:    evidence.High,
	}, judgeSecrets)
}

func judgeSecrets(s *forge.Settings) (evidence.Status, string) {
	switch {
	case s.GitHub != nil:
		return githubSecrets(s.GitHub)
	case s.GitLab != nil:
		return gitlabSecrets(s.GitLab)
	}
	return evidence.NotAssessed, "no provider settings recorded"
}

func githubSecrets(g *forge.GitHub) (evidence.Status, string) {
	sec := g.Security
	if sec == nil || sec.Error != "" {
		why := "security_and_analysis not recorded"
		if sec != nil {
			why = sec.Error
		}
		return evidence.NotAssessed, "cannot decide: " + why
	}
	var unmet []string
	if sec.SecretScanning != "enabled" {
		unmet = append(unmet, "secret_scanning is "+nonEmpty(sec.SecretScanning, "not reported"))
	}
	if sec.PushProtection != "enabled" {
		unmet = append(unmet, "secret_scanning_push_protection is "+nonEmpty(sec.PushProtection, "not reported"))
	}
	if len(unmet) > 0 {
		return evidence.Fail, strings.Join(unmet, "; ")
	}
	return evidence.Pass, "secret_scanning enabled; secret_scanning_push_protection enabled"
}

func gitlabSecrets(g *forge.GitLab) (evidence.Status, string) {
	spp := "secret_push_protection_enabled not reported"
	if g.SecretPushProtection != nil {
		if *g.SecretPushProtection {
			return evidence.Pass, "secret_push_protection_enabled true"
		}
		spp = "secret_push_protection_enabled is false"
	}
	pr := g.PushRules
	switch {
	case pr == nil || pr.Error != "":
		why := "push rules not recorded"
		if pr != nil {
			why = pr.Error
		}
		if g.SecretPushProtection == nil {
			return evidence.NotAssessed, "cannot decide: " + spp + "; " + why
		}
		return evidence.NotAssessed, "cannot decide: " + spp + " and " + why
	case pr.Configured && pr.PreventSecrets:
		return evidence.Pass, fmt.Sprintf("push rule prevent_secrets true (refuses files that commonly hold secrets); %s", spp)
	case pr.Configured:
		return evidence.Fail, spp + " and push rule prevent_secrets is false"
	}
	return evidence.Fail, spp + " and the project has no push rule (prevent_secrets unset)"
}
