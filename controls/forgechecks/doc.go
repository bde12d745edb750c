// Package forgechecks judges a repository's settings on its forge, as the
// opt-in online collector (collectors/forge) read them: branch protection and
// rulesets, required commit signatures, GitHub Actions permissions, and
// secret scanning with push protection. Without that collector's evidence
// (repo.online off, no token, an API error) each check says not-assessed
// with the reason, never pass.
package forgechecks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// All returns every forge check.
func All() []controls.Check {
	return []controls.Check{NewBranchProtection(), NewSignedCommitsRequired(), NewActionsSettings(), NewSecretScanning()}
}

// settingsOf returns the evidence payload as *forge.Settings, also after a
// JSON round trip through pedigree.json.
func settingsOf(e *evidence.Evidence) (*forge.Settings, bool) {
	if s, ok := e.Payload.(*forge.Settings); ok {
		return s, s != nil
	}
	if e.Payload == nil {
		return nil, false
	}
	b, err := json.Marshal(e.Payload)
	if err != nil {
		return nil, false
	}
	var s forge.Settings
	if json.Unmarshal(b, &s) != nil || s.State == "" {
		return nil, false
	}
	return &s, true
}

// judge decides one collected repository: status and message.
type judge func(s *forge.Settings) (evidence.Status, string)

// build fills the parts every forge check shares and runs judge over each
// repository's settings; a repository that was not collected is
// not-assessed with the reason.
func build(c controls.Check, j judge) controls.Check {
	c.Pillar, c.Method = controls.PillarBuild, "EXAMINE"
	c.Reads = []string{forge.KindSettings}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for i := range ev {
			s, ok := settingsOf(&ev[i])
			if !ok {
				continue
			}
			var st evidence.Status
			var msg string
			switch s.State {
			case forge.StateCollected:
				st, msg = j(s)
			case forge.StateDisabled:
				st, msg = evidence.NotAssessed, nonEmpty(s.Reason, forge.ReasonDisabled)
			case forge.StateUnavailable:
				st, msg = evidence.NotAssessed, "settings could not be read: "+nonEmpty(s.Reason, "no reason recorded")
			default:
				st, msg = evidence.NotAssessed, fmt.Sprintf("unknown collection state %q", s.State)
			}
			f := c.Finding(st, label(s)+": "+msg, ev[i].Subject)
			f.Evidence = []string{ev[i].ID}
			out = append(out, f)
		}
		return out
	}
	return c
}

func label(s *forge.Settings) string {
	l := "repository settings on the forge"
	if s.Repository != "" {
		l = s.Provider + " " + s.Repository
	}
	if s.Branch != "" && s.State == forge.StateCollected {
		l += " branch " + s.Branch
	}
	return l
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// errs joins the non-empty section errors.
func errs(e ...string) string {
	var out []string
	for _, x := range e {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, "; ")
}

func rulesetName(g *forge.GitHub, id int64) string {
	if g.Rules != nil {
		for _, rs := range g.Rules.Rulesets {
			if rs.ID == id && rs.Name != "" {
				return fmt.Sprintf("ruleset %d %q", id, rs.Name)
			}
		}
	}
	return fmt.Sprintf("ruleset %d", id)
}
