package catalogs

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The CMMC assessment data (objectives, assessment objects, SPRS values)
// lives in its own embedded file so that it regenerates independently of
// the control index.
//
//go:generate go run ./gen -src ../shared/catalogs -out "" -cmmc-out catalogs/cmmc.json.gz

//go:embed cmmc.json.gz
var embeddedCMMC []byte

// cmmcFormat is the version of cmmc.json.gz's layout.
const cmmcFormat = 1

// CMMCGuide is the assessment data of the CMMC Assessment Guides (Level 1
// and Level 2, v2.13) and the DoD Assessment Methodology v1.2.1 scoring.
type CMMCGuide struct {
	Format  int      `json:"format"`
	Note    string   `json:"note"`
	Sources []Source `json:"sources"`
	// Practices in guide order, Level 1 first.
	Practices []*CMMCGuidePractice `json:"practices"`
	// Scoring holds the SPRS value of each of the 110 SP 800-171 Rev 2
	// requirements, in requirement order.
	Scoring []*SPRSValue `json:"scoring"`

	byID    map[string]*CMMCGuidePractice
	byReq   map[string]*SPRSValue
	objByID map[string]*CMMCObjective
}

// CMMCGuidePractice is one practice as its assessment guide describes it.
type CMMCGuidePractice struct {
	ID    string `json:"id"` // AC.L2-3.1.1, AC.L1-b.1.i
	Level int    `json:"level"`
	Title string `json:"title"`
	// Requirements171r2 are the SP 800-171 Rev 2 requirements (3.1.1).
	Requirements171r2 []string        `json:"requirements171r2"`
	Objectives        []CMMCObjective `json:"objectives"`
	// Examine, Interview and Test are the potential assessment objects
	// SP 800-171A names (one entry per item of its "SELECT FROM" list).
	Examine   []string `json:"examine,omitempty"`
	Interview []string `json:"interview,omitempty"`
	Test      []string `json:"test,omitempty"`
}

// CMMCObjective is one assessment objective: AC.L2-3.1.1[a].
type CMMCObjective struct {
	ID       string `json:"id"`
	Practice string `json:"practice"`
	Text     string `json:"text"`
}

// SPRSValue is one requirement's row of the DoD Assessment Methodology's
// scoring template (Annex A).
type SPRSValue struct {
	Requirement string `json:"requirement"` // 3.1.1
	// Value is subtracted from 110 when the requirement is not met; 0 for
	// 3.12.4, which has no value (without an SSP there is no score).
	Value int `json:"value"`
	// Partial is the smaller deduction for a partial implementation
	// (3.5.3, 3.13.11); 0 when none is allowed.
	Partial int `json:"partial,omitempty"`
	// NoDeductionWhen is the condition under which nothing is subtracted
	// (remote access not permitted); empty when none applies.
	NoDeductionWhen string `json:"noDeductionWhen,omitempty"`
	Note            string `json:"note,omitempty"`
}

var (
	cmmcOnce  sync.Once
	cmmcGuide *CMMCGuide
	cmmcErr   error
)

// CMMC returns the embedded CMMC assessment data, decoded once. Callers
// must not modify what it returns.
func CMMC() (*CMMCGuide, error) {
	cmmcOnce.Do(func() {
		cmmcGuide, cmmcErr = decodeCMMC(embeddedCMMC)
	})
	return cmmcGuide, cmmcErr
}

func decodeCMMC(gz []byte) (*CMMCGuide, error) {
	var g CMMCGuide
	if err := decodeGzipJSON(gz, &g); err != nil {
		return nil, fmt.Errorf("embedded CMMC data: %w", err)
	}
	if g.Format != cmmcFormat {
		return nil, fmt.Errorf("embedded CMMC data: format %d, want %d (run go generate ./catalogs)", g.Format, cmmcFormat)
	}
	g.index()
	return &g, nil
}

func (g *CMMCGuide) index() {
	g.byID = map[string]*CMMCGuidePractice{}
	g.byReq = map[string]*SPRSValue{}
	g.objByID = map[string]*CMMCObjective{}
	for _, p := range g.Practices {
		g.byID[strings.ToUpper(p.ID)] = p
		for i := range p.Objectives {
			g.objByID[strings.ToUpper(p.Objectives[i].ID)] = &p.Objectives[i]
		}
	}
	for _, s := range g.Scoring {
		g.byReq[s.Requirement] = s
	}
}

// Practice looks a practice up by id, in any case (AC.L2-3.1.1).
func (g *CMMCGuide) Practice(id string) (*CMMCGuidePractice, bool) {
	p, ok := g.byID[strings.ToUpper(strings.TrimSpace(id))]
	return p, ok
}

// Objective looks an objective up (AC.L2-3.1.1[a]).
func (g *CMMCGuide) Objective(id string) (*CMMCObjective, bool) {
	o, ok := g.objByID[strings.ToUpper(strings.TrimSpace(id))]
	return o, ok
}

// Level lists the practices of one level (1 or 2) in guide order.
func (g *CMMCGuide) Level(level int) []*CMMCGuidePractice {
	var out []*CMMCGuidePractice
	for _, p := range g.Practices {
		if p.Level == level {
			out = append(out, p)
		}
	}
	return out
}

// Value is the SPRS scoring row of an SP 800-171 Rev 2 requirement (3.1.1).
func (g *CMMCGuide) Value(requirement string) (*SPRSValue, bool) {
	s, ok := g.byReq[requirement]
	return s, ok
}

// Requirements lists the scored requirements in order.
func (g *CMMCGuide) Requirements() []string {
	out := make([]string, 0, len(g.Scoring))
	for _, s := range g.Scoring {
		out = append(out, s.Requirement)
	}
	sort.SliceStable(out, func(i, j int) bool { return requirementLess(out[i], out[j]) })
	return out
}

// requirementLess orders 3.1.2 before 3.1.10.
func requirementLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			if len(pa[i]) != len(pb[i]) {
				return len(pa[i]) < len(pb[i])
			}
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}
