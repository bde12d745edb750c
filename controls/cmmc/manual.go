package cmmc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// Manual is the CMMC part of a manual-evidence file: what the assessor
// recorded per practice and per objective.
//
//	practices:
//	  - practice: IA.L2-3.5.3
//	    status: not-met
//	    partial: true        # MFA for remote and privileged users only
//	    statement: MFA covers VPN and admin accounts, not general users.
//	    evidence: [mfa-config.pdf]
//	    assessor: J. Doe
//	    date: 2026-10-02
//	    poam: {planned: 2027-02-01}
//	  - objective: AC.L2-3.1.1[a]
//	    status: met
//	    ...
type Manual struct {
	// Practices and Objectives are keyed by canonical id.
	Practices  map[string]*assessment.PracticeManual
	Objectives map[string]*assessment.PracticeManual
}

// Empty reports whether the file recorded nothing for CMMC.
func (m *Manual) Empty() bool {
	return m == nil || len(m.Practices)+len(m.Objectives) == 0
}

var entryFields = map[string]bool{
	"practice": true, "objective": true, "status": true, "statement": true, "evidence": true,
	"assessor": true, "date": true, "partial": true, "no-deduction": true, "poam": true,
}

type entry struct {
	Practice    string   `yaml:"practice"`
	Objective   string   `yaml:"objective"`
	Status      string   `yaml:"status"`
	Statement   string   `yaml:"statement"`
	Evidence    []string `yaml:"evidence"`
	Assessor    string   `yaml:"assessor"`
	Date        string   `yaml:"date"`
	Partial     bool     `yaml:"partial"`
	NoDeduction *string  `yaml:"no-deduction"`
	POAM        *struct {
		Planned string `yaml:"planned"`
	} `yaml:"poam"`
}

// LoadManual reads the `practices:` list of a manual-evidence file. now
// bounds the dates (an assessment cannot be recorded in the future). Every
// error names the file and line.
func LoadManual(path string, g *catalogs.CMMCGuide, now time.Time) (*Manual, error) {
	b, err := readlimit.File(path, readlimit.Config)
	if err != nil {
		return nil, fmt.Errorf("manual evidence: %w", err)
	}
	return ParseManual(path, b, g, now)
}

// ParseManual is LoadManual over bytes already read.
func ParseManual(path string, b []byte, g *catalogs.CMMCGuide, now time.Time) (*Manual, error) {
	out := &Manual{Practices: map[string]*assessment.PracticeManual{}, Objectives: map[string]*assessment.PracticeManual{}}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		return nil, fmt.Errorf("%s: %s", path, controls.YAMLError(err))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return out, nil
	}
	var list *yaml.Node
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "practices" {
			list = root.Content[i+1]
		}
	}
	if list == nil || list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return out, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: practices: want a list of entries", path, list.Line)
	}
	sum := evidence.SHA256Hex(b)
	today := now.UTC().Format(time.DateOnly)
	firstLine := map[string]int{}
	for _, n := range list.Content {
		at := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", path, n.Line, fmt.Sprintf(format, args...))
		}
		if n.Kind != yaml.MappingNode {
			return nil, at("a practices entry must be a mapping with practice: or objective:")
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !entryFields[k.Value] {
				return nil, fmt.Errorf("%s:%d: unknown field %q in a practices entry (want %s)", path, k.Line, k.Value, fieldList())
			}
		}
		var e entry
		if err := n.Decode(&e); err != nil {
			return nil, at("%s", controls.YAMLError(err))
		}
		var key string
		var value *catalogs.SPRSValue
		switch {
		case e.Practice != "" && e.Objective != "":
			return nil, at("an entry names either a practice or an objective, not both")
		case e.Practice != "":
			p, ok := practiceOf(g, e.Practice)
			if !ok {
				return nil, at("unknown CMMC practice %q (want an id like AC.L2-3.1.1 or AC.L1-b.1.i)", e.Practice)
			}
			key = p.ID
			if p.Level == 2 {
				value, _ = g.Value(p.Requirements171r2[0])
			}
		case e.Objective != "":
			o, ok := objectiveOf(g, e.Objective)
			if !ok {
				return nil, at("unknown assessment objective %q (want an id like AC.L2-3.1.1[a]; `pedigree cmmc objectives PRACTICE` lists them)", e.Objective)
			}
			key = o.ID
		default:
			return nil, at("an entry needs practice: or objective:")
		}
		st := assessment.PracticeStatus(e.Status)
		if st != assessment.Met && st != assessment.NotMet && st != assessment.NotApplicable {
			return nil, at("%s: status %q is invalid (want met, not-met or not-applicable)", key, e.Status)
		}
		if strings.TrimSpace(e.Assessor) == "" || strings.TrimSpace(e.Statement) == "" {
			return nil, at("%s: an entry needs an assessor and a statement", key)
		}
		if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
			return nil, at("%s: date %q is not YYYY-MM-DD", key, e.Date)
		}
		if e.Date > today {
			return nil, at("%s: date %s is in the future (today is %s)", key, e.Date, today)
		}
		pm := &assessment.PracticeManual{
			Status: st, Statement: e.Statement, References: e.Evidence, Assessor: e.Assessor, Date: e.Date,
			Source: path, Line: n.Line, SHA256: sum,
		}
		if e.Partial {
			switch {
			case e.Objective != "":
				return nil, at("%s: partial: true applies to a whole practice, not to one objective", key)
			case value == nil || value.Partial == 0:
				return nil, at("%s: partial: true is allowed only on IA.L2-3.5.3 and SC.L2-3.13.11, the practices the DoD Assessment Methodology gives a partial value", key)
			case st != assessment.NotMet:
				return nil, at("%s: partial: true records a partial implementation, so its status must be not-met", key)
			}
			pm.Partial = true
		}
		if e.NoDeduction != nil {
			why := strings.TrimSpace(*e.NoDeduction)
			switch {
			case e.Objective != "":
				return nil, at("%s: no-deduction applies to a whole practice, not to one objective", key)
			case value == nil || value.NoDeductionWhen == "":
				return nil, at("%s: no-deduction is allowed only where the DoD Assessment Methodology exempts a requirement (%s)", key, strings.Join(exemptPractices(g), ", "))
			case why == "":
				return nil, at("%s: no-deduction needs its reason (for this requirement: %s)", key, value.NoDeductionWhen)
			case st == assessment.Met:
				return nil, at("%s: no-deduction on a met practice means nothing; use not-met or not-applicable", key)
			}
			pm.NoDeduction = why
		}
		if e.POAM != nil {
			if st != assessment.NotMet {
				return nil, at("%s: poam: only a not-met entry goes on the POA&M", key)
			}
			if _, err := time.Parse(time.DateOnly, e.POAM.Planned); err != nil {
				return nil, at("%s: poam planned date %q is not YYYY-MM-DD", key, e.POAM.Planned)
			}
			pm.Planned = e.POAM.Planned
		}
		if prev, dup := firstLine[key]; dup {
			return nil, at("%s is recorded twice (first at line %d)", key, prev)
		}
		firstLine[key] = n.Line
		if e.Practice != "" {
			out.Practices[key] = pm
		} else {
			out.Objectives[key] = pm
		}
	}
	return out, nil
}

func fieldList() string {
	var fs []string
	for f := range entryFields {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	return strings.Join(fs, ", ")
}

func exemptPractices(g *catalogs.CMMCGuide) []string {
	var out []string
	for _, p := range g.Level(2) {
		if v, ok := g.Value(p.Requirements171r2[0]); ok && v.NoDeductionWhen != "" {
			out = append(out, p.ID+": "+v.NoDeductionWhen)
		}
	}
	return out
}

// practiceOf looks a practice up by its id or by another spelling the
// index accepts (the CMMC 2.0 v2.0 Level 1 form AC.L1-3.1.1).
func practiceOf(g *catalogs.CMMCGuide, id string) (*catalogs.CMMCGuidePractice, bool) {
	if p, ok := g.Practice(id); ok {
		return p, true
	}
	if idx, err := catalogs.Default(); err == nil {
		if ip, ok := idx.CMMCPractice(id); ok {
			return g.Practice(ip.ID)
		}
	}
	return nil, false
}

// objectiveOf looks an objective up, its practice spelled as practiceOf
// accepts.
func objectiveOf(g *catalogs.CMMCGuide, id string) (*catalogs.CMMCObjective, bool) {
	if o, ok := g.Objective(id); ok {
		return o, true
	}
	practice, letter, ok := strings.Cut(strings.TrimSpace(id), "[")
	if !ok {
		return nil, false
	}
	p, ok := practiceOf(g, practice)
	if !ok {
		return nil, false
	}
	return g.Objective(p.ID + "[" + letter)
}
