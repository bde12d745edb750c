package controls

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// manualFile is what an assessor writes for controls no collector can see.
//
//	controls:
//	  - control: SR-1
//	    status: satisfied
//	    statement: The C-SCRM policy was reviewed on 2026-10-02.
//	    evidence: [policies/cscrm-policy.pdf]
//	    assessor: J. Doe
//	    date: 2026-10-02
type manualFile struct {
	Controls []struct {
		Control   string   `yaml:"control"`
		Status    string   `yaml:"status"`
		Statement string   `yaml:"statement"`
		Evidence  []string `yaml:"evidence"`
		Assessor  string   `yaml:"assessor"`
		Date      string   `yaml:"date"`
	} `yaml:"controls"`
	// Practices is the CMMC part, read by controls/cmmc.
	Practices yaml.Node `yaml:"practices"`
}

// LoadManual reads a manual-evidence file, keyed by OSCAL control id.
func LoadManual(path string, idx ControlIndex) (map[string]*assessment.ManualEvidence, error) {
	b, err := readlimit.File(path, readlimit.Config)
	if err != nil {
		return nil, fmt.Errorf("manual evidence: %w", err)
	}
	return ParseManual(path, b, idx)
}

// ParseManual is LoadManual over bytes already read, so that a run reads
// the file once for its controls and its CMMC practices.
func ParseManual(path string, b []byte, idx ControlIndex) (map[string]*assessment.ManualEvidence, error) {
	var mf manualFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&mf); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", path, YAMLError(err))
	}
	sum := evidence.SHA256Hex(b)
	out := map[string]*assessment.ManualEvidence{}
	for i, c := range mf.Controls {
		where := fmt.Sprintf("%s: controls[%d]", path, i)
		id, err := catalogs.NormalizeID(c.Control)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if _, ok := idx.Control(id); !ok {
			return nil, fmt.Errorf("%s: unknown control id %q", where, c.Control)
		}
		st := assessment.ControlStatus(c.Status)
		if st != assessment.Satisfied && st != assessment.NotSatisfied && st != assessment.NotAssessed {
			return nil, fmt.Errorf("%s: status %q is invalid (want satisfied, not-satisfied or not-assessed)", where, c.Status)
		}
		if c.Assessor == "" || c.Statement == "" {
			return nil, fmt.Errorf("%s: a manual entry needs an assessor and a statement", where)
		}
		if _, err := time.Parse(time.DateOnly, c.Date); err != nil {
			return nil, fmt.Errorf("%s: date %q is not YYYY-MM-DD", where, c.Date)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("%s: control %s is recorded twice", where, catalogs.Label(id))
		}
		out[id] = &assessment.ManualEvidence{
			Status: st, Statement: c.Statement, References: c.Evidence,
			Assessor: c.Assessor, Date: c.Date, Source: path, SHA256: sum,
		}
	}
	return out, nil
}
