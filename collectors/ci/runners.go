package ci

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// RunnerKind says who runs a job's machine.
type RunnerKind string

const (
	// Hosted is a GitHub-hosted runner image label.
	Hosted RunnerKind = "github-hosted"
	// SelfHosted names the self-hosted label or a runner group.
	SelfHosted RunnerKind = "self-hosted"
	// ThirdParty is a runner service known by its label naming.
	ThirdParty RunnerKind = "third-party"
	// Custom is a label set that names no GitHub-hosted image: a
	// self-hosted runner (Actions Runner Controller scale sets, GARM,
	// custom labels), a larger runner named by its organisation, or a
	// third-party service.
	Custom RunnerKind = "custom"
)

// githubHosted matches GitHub-hosted image labels, standard and larger
// (ubuntu-24.04-arm, macos-15-xlarge, windows-11-arm, ubuntu-slim).
var githubHosted = lazyre.New(`(?i)^(ubuntu-(latest|slim|\d+\.\d+)(-arm)?|windows-(latest|\d+)(-arm|-vs\d+)?|macos-(latest|\d+)(-large|-xlarge|-intel|-arm64)?)$`)

// thirdParty are runner services recognised by their label naming.
var thirdParty = []struct{ prefix, name string }{
	{"blacksmith-", "Blacksmith"}, {"namespace-profile-", "Namespace"}, {"nscloud-", "Namespace"},
	{"ubicloud", "Ubicloud"}, {"buildjet-", "BuildJet"}, {"warp-", "WarpBuild"}, {"depot-", "Depot"},
	{"codspeed-", "CodSpeed"}, {"runs-on=", "RunsOn"}, {"runs-on/", "RunsOn"}, {"cirrus-", "Cirrus Runners"}, {"gha-runner-scale-set", "Actions Runner Controller"},
}

// Runner is one label set a job may run on, classified.
type Runner struct {
	Kind   RunnerKind
	Labels []string
	// Via names the matrix key the labels came from, if any.
	Via string
	// Service names a known third-party runner service.
	Service string
	// Pos is where the labels (or the group) are written.
	Pos *actionlint.Pos
}

// Runners classifies every label set a job's runs-on may select, through
// its matrix. unresolved is the expression text when the labels come from
// something that cannot be known here (an input, a job output).
func Runners(j *actionlint.Job) (out []Runner, unresolved string) {
	if j == nil || j.RunsOn == nil {
		return nil, ""
	}
	r := j.RunsOn
	if r.Group != nil {
		out = append(out, Runner{Kind: SelfHosted, Labels: []string{"group: " + r.Group.Value}, Pos: r.Group.Pos})
	}
	if r.LabelsExpr != nil {
		sets, via, ok := MatrixValues(j, r.LabelsExpr.Value)
		if !ok {
			cands := literalCandidates(r.LabelsExpr.Value)
			if len(cands) == 0 {
				return out, strings.TrimSpace(r.LabelsExpr.Value)
			}
			for _, c := range cands {
				out = append(out, classify([]string{c}, strings.TrimSpace(r.LabelsExpr.Value), r.LabelsExpr.Pos))
			}
			return out, ""
		}
		for _, ls := range sets {
			for _, e := range expandLiterals(ls) {
				out = append(out, classify(e, via, r.LabelsExpr.Pos))
			}
		}
		return out, ""
	}
	// Literal labels, the common case: one set, nothing to expand.
	literal := len(r.Labels) > 0
	for _, l := range r.Labels {
		if l == nil || strings.Contains(l.Value, "${{") {
			literal = false
			break
		}
	}
	if literal {
		labels := make([]string, len(r.Labels))
		for i, l := range r.Labels {
			labels[i] = l.Value
		}
		return append(out, classify(labels, "", r.Labels[0].Pos)), ""
	}
	var selfHosted *actionlint.String
	for _, l := range r.Labels {
		if l != nil && strings.EqualFold(strings.TrimSpace(l.Value), "self-hosted") {
			selfHosted = l
		}
	}
	// Each label may carry matrix placeholders: expand them together. A
	// label from another expression stands for the literals it can yield
	// (cond && 'arm64' || 'x64'); one that yields none is left out, and
	// the set is unresolved unless its other labels decide.
	sets := [][]string{{}}
	via := ""
	unknown := ""
	var pos *actionlint.Pos
	for _, l := range r.Labels {
		if l == nil {
			continue
		}
		if pos == nil {
			pos = l.Pos
		}
		exps, ok := ExpandMatrix(j, l.Value)
		if !ok {
			for _, c := range literalCandidates(l.Value) {
				exps = append(exps, MatrixExpansion{Value: c, Via: strings.TrimSpace(l.Value)})
			}
			if len(exps) == 0 {
				unknown = strings.TrimSpace(l.Value)
				continue
			}
		}
		if len(sets)*len(exps) > maxCombinations {
			// Too many sets to judge one by one: a literal self-hosted
			// label still decides.
			if selfHosted != nil {
				return append(out, Runner{Kind: SelfHosted, Labels: []string{selfHosted.Value}, Pos: selfHosted.Pos}), ""
			}
			return out, strings.TrimSpace(l.Value)
		}
		var next [][]string
		for _, s := range sets {
			for _, e := range exps {
				next = append(next, append(append([]string{}, s...), e.Value))
				if e.Via != "" {
					via = e.Via
				}
			}
		}
		sets = next
	}
	if len(r.Labels) == 0 {
		return out, ""
	}
	decided := false
	for _, ls := range sets {
		rn := classify(ls, via, pos)
		if rn.Kind != Hosted || unknown == "" {
			out = append(out, rn)
			decided = decided || rn.Kind != Hosted
		}
	}
	if unknown != "" && !decided {
		return out, unknown
	}
	return out, ""
}

// expandLiterals replaces each label that is an expression by each
// literal it can yield; a label yielding none is dropped.
func expandLiterals(labels []string) [][]string {
	sets := [][]string{{}}
	for _, l := range labels {
		cands := []string{l}
		if strings.Contains(l, "${{") {
			cands = literalCandidates(l)
			if len(cands) == 0 {
				continue
			}
		}
		if len(sets)*len(cands) > maxCombinations {
			return nil
		}
		var next [][]string
		for _, s := range sets {
			for _, c := range cands {
				next = append(next, append(append([]string{}, s...), c))
			}
		}
		sets = next
	}
	return sets
}

// literalCandidates are the string literals a ${{ }} label can yield: the
// right of &&, both sides of ||, when the whole label is one expression.
func literalCandidates(v string) []string {
	t := strings.TrimSpace(v)
	if !strings.HasPrefix(t, "${{") || !strings.HasSuffix(t, "}}") || strings.Count(t, "${{") != 1 {
		return nil
	}
	node, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(t[3:]))
	if err != nil {
		return nil
	}
	var out []string
	var walk func(n actionlint.ExprNode, depth int) bool
	walk = func(n actionlint.ExprNode, depth int) bool {
		if depth > 50 {
			return false
		}
		switch x := n.(type) {
		case *actionlint.StringNode:
			if x.Value != "" {
				out = append(out, x.Value)
			}
			return true
		case *actionlint.LogicalOpNode:
			if x.Kind == actionlint.LogicalOpNodeKindAnd {
				return walk(x.Right, depth+1)
			}
			return walk(x.Left, depth+1) && walk(x.Right, depth+1)
		}
		return false // another value: not all candidates are known
	}
	if !walk(node, 0) {
		return nil
	}
	return out
}

func classify(labels []string, via string, pos *actionlint.Pos) Runner {
	rn := Runner{Kind: Hosted, Labels: labels, Via: via, Pos: pos}
	for _, l := range labels {
		l = strings.TrimSpace(l)
		if strings.EqualFold(l, "self-hosted") {
			rn.Kind = SelfHosted
			return rn
		}
	}
	for _, l := range labels {
		l = strings.TrimSpace(l)
		if githubHosted.MatchString(l) {
			continue
		}
		low := strings.ToLower(l)
		for _, tp := range thirdParty {
			if strings.HasPrefix(low, tp.prefix) {
				if tp.name == "Actions Runner Controller" {
					rn.Kind, rn.Service = SelfHosted, tp.name
					return rn
				}
				rn.Kind, rn.Service = ThirdParty, tp.name
				return rn
			}
		}
		rn.Kind = Custom
	}
	return rn
}

// SelfHostedLabel returns the runs-on label (or group) of a job that may
// run on a machine other than a GitHub-hosted image: self-hosted, a custom
// label set, a third-party service, through the matrix too. It is nil for
// GitHub-hosted runners and for labels that cannot be resolved.
func SelfHostedLabel(j *actionlint.Job) *actionlint.String {
	rs, _ := Runners(j)
	for _, r := range rs {
		if r.Kind != Hosted {
			return &actionlint.String{Value: strings.Join(r.Labels, ", "), Pos: r.Pos}
		}
	}
	return nil
}
