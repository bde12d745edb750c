package cmmc

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

//go:embed objectives.yaml
var embeddedObjectives []byte

// Decides says what a check's outcome can show about an objective.
type Decides string

const (
	// DecidesNotMet: a failure shows the objective not met; a pass is
	// supporting evidence only.
	DecidesNotMet Decides = "not-met"
	// DecidesBoth: a pass also shows the objective met.
	DecidesBoth Decides = "met-or-not-met"
)

// ObjectiveEntry ties one assessment objective to a control result and
// the checks, mapped to that control, whose outcome it reads.
type ObjectiveEntry struct {
	Objective string   `yaml:"objective" json:"objective"`
	Control   string   `yaml:"control" json:"control"` // as written (CM-8); ControlID is the OSCAL id
	Checks    []string `yaml:"checks" json:"checks"`
	Decides   Decides  `yaml:"decides" json:"decides"`
	Rationale string   `yaml:"rationale" json:"rationale"`
	ControlID string   `yaml:"-" json:"controlId"`
	Line      int      `yaml:"-" json:"-"`
}

// ManualOnly records a practice automation cannot see, and why.
type ManualOnly struct {
	Practice string `yaml:"practice"`
	Reason   string `yaml:"reason"`
}

// ObjectiveMap is the objective mapping: data, like the check mapping.
type ObjectiveMap struct {
	Objectives []*ObjectiveEntry `yaml:"objectives"`
	Manual     []ManualOnly      `yaml:"manual"`

	byObjective map[string][]*ObjectiveEntry
	manualWhy   map[string]string
}

var citesObjective = lazyre.New(`^\[[a-z]{1,2}\] `)

// DefaultObjectives loads the embedded objective mapping and checks it
// against the guide: every objective and practice exists, every control id
// is one, every rationale cites its objective's letter.
func DefaultObjectives(g *catalogs.CMMCGuide) (*ObjectiveMap, error) {
	return parseObjectives("controls/cmmc/objectives.yaml", embeddedObjectives, g)
}

func parseObjectives(name string, b []byte, g *catalogs.CMMCGuide) (*ObjectiveMap, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", name, controls.YAMLError(err))
	}
	m := &ObjectiveMap{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("%s: %s", name, controls.YAMLError(err))
	}
	// Line numbers for messages.
	if len(doc.Content) > 0 {
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "objectives" {
				for j, n := range root.Content[i+1].Content {
					if j < len(m.Objectives) {
						m.Objectives[j].Line = n.Line
					}
				}
			}
		}
	}
	m.byObjective = map[string][]*ObjectiveEntry{}
	m.manualWhy = map[string]string{}
	for _, e := range m.Objectives {
		where := fmt.Sprintf("%s:%d", name, e.Line)
		o, ok := g.Objective(e.Objective)
		if !ok {
			return nil, fmt.Errorf("%s: unknown objective %q", where, e.Objective)
		}
		e.Objective = o.ID
		id, err := catalogs.NormalizeID(e.Control)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		e.ControlID = id
		if len(e.Checks) == 0 {
			return nil, fmt.Errorf("%s: %s names no checks", where, e.Objective)
		}
		if e.Decides != DecidesNotMet && e.Decides != DecidesBoth {
			return nil, fmt.Errorf("%s: decides %q (want %s or %s)", where, e.Decides, DecidesNotMet, DecidesBoth)
		}
		letter := strings.TrimPrefix(o.ID, o.Practice)
		if !citesObjective.MatchString(e.Rationale) || !strings.HasPrefix(e.Rationale, letter) {
			return nil, fmt.Errorf("%s: the rationale must begin by citing %s, the objective it decides", where, letter)
		}
		m.byObjective[o.ID] = append(m.byObjective[o.ID], e)
	}
	for _, mo := range m.Manual {
		p, ok := g.Practice(mo.Practice)
		if !ok || mo.Reason == "" {
			return nil, fmt.Errorf("%s: manual: practice %q unknown or without a reason", name, mo.Practice)
		}
		m.manualWhy[p.ID] = mo.Reason
	}
	return m, nil
}

// For lists the entries of one objective.
func (m *ObjectiveMap) For(objective string) []*ObjectiveEntry { return m.byObjective[objective] }

// ManualReason says why automation cannot see a practice, if the mapping
// records it.
func (m *ObjectiveMap) ManualReason(practice string) string { return m.manualWhy[practice] }

// Validate checks every entry against the check mapping: each check must be
// mapped to the entry's control, or the entry could never decide anything.
func (m *ObjectiveMap) Validate(cm *controls.Mapping) error {
	for _, e := range m.Objectives {
		mapped := cm.ChecksOf(e.ControlID)
		for _, c := range e.Checks {
			if _, ok := mapped[c]; !ok {
				return fmt.Errorf("controls/cmmc/objectives.yaml:%d: %s: check %s is not mapped to %s", e.Line, e.Objective, c, catalogs.Label(e.ControlID))
			}
		}
	}
	return nil
}
