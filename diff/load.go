package diff

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/bundle"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// MaxInput bounds a pedigree.json or assessment-results file read whole.
const MaxInput = 1 << 30

// Run is what a diff compares of one run, whatever file it came from.
type Run struct {
	// Source is the file the run was read from; Kind is pedigree.json,
	// oscal-ar or bundle.
	Source, Kind string
	RunID, Title string
	StartedAt    time.Time
	Findings     map[string]Finding
	Controls     map[string]Control
	// POAM are the open items: one per control not satisfied.
	POAM map[string]view.POAMItem
	// CMMC is the run's CMMC view, when it had a CMMC scope (pedigree.json
	// only).
	CMMC *assessment.CMMC
}

// Finding is a finding as the diff sees it.
type Finding struct {
	ID       string `json:"id"`
	Check    string `json:"check"`
	Status   string `json:"status"`
	Severity string `json:"severity,omitempty"`
	Message  string `json:"message,omitempty"`
	Where    string `json:"where,omitempty"`
}

// Control is a control verdict as the diff sees it.
type Control struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Title  string `json:"title,omitempty"`
	Status string `json:"status"`
}

// Load reads a run from a pedigree.json, an OSCAL assessment-results file
// or an evidence bundle (which must hold one of those under outputs/).
func Load(ctx context.Context, path string) (*Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 2)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		return loadBundle(ctx, path)
	}
	b, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	r, err := Parse(path, b)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(bufio.NewReader(f), MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > MaxInput {
		return nil, fmt.Errorf("%s: more than %d bytes", path, MaxInput)
	}
	return b, nil
}

func loadBundle(ctx context.Context, path string) (*Run, error) {
	names, err := bundle.Names(ctx, path, bundle.Limits{})
	if err != nil {
		return nil, err
	}
	pick := ""
	for _, n := range names {
		if n == bundle.OutputsDir+"pedigree.json" {
			pick = n
			break
		}
	}
	if pick == "" {
		for _, n := range names {
			if strings.HasPrefix(n, bundle.OutputsDir) && strings.HasSuffix(n, ".json") && strings.Contains(n, "assessment-results") {
				pick = n
				break
			}
		}
	}
	if pick == "" {
		return nil, fmt.Errorf("%s: the bundle holds neither outputs/pedigree.json nor an OSCAL assessment-results file", path)
	}
	b, err := bundle.ReadFile(ctx, path, pick, bundle.Limits{MaxManifest: MaxInput, MaxFiles: bundle.DefaultLimits.MaxFiles, MaxFileSize: bundle.DefaultLimits.MaxFileSize, MaxTotal: bundle.DefaultLimits.MaxTotal})
	if err != nil {
		return nil, err
	}
	r, err := Parse(path+"!"+pick, b)
	if err != nil {
		return nil, err
	}
	r.Kind = "bundle (" + r.Kind + ")"
	return r, nil
}

// Parse reads a pedigree.json or an OSCAL assessment-results document;
// name is used in errors.
func Parse(name string, b []byte) (*Run, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %s", name, jsonError(b, err))
	}
	if ar, ok := probe["assessment-results"]; ok {
		return parseAR(name, ar)
	}
	if _, ok := probe["schemaVersion"]; ok {
		var a assessment.Assessment
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("%s: not a pedigree.json: %s", name, jsonError(b, err))
		}
		r := FromAssessment(&a)
		r.Source = name
		return r, nil
	}
	return nil, fmt.Errorf("%s: neither a pedigree.json (no schemaVersion) nor an OSCAL assessment-results document", name)
}

// jsonError adds the line of a syntax error.
func jsonError(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	if errors.As(err, &se) {
		off = se.Offset
	} else if errors.As(err, &te) {
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return err.Error()
	}
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}

// FromAssessment takes what a diff needs from an assessment.
func FromAssessment(a *assessment.Assessment) *Run {
	r := &Run{Kind: "pedigree.json", RunID: a.RunID, Title: a.Title, StartedAt: a.StartedAt,
		Findings: map[string]Finding{}, Controls: map[string]Control{}, POAM: map[string]view.POAMItem{}}
	for i := range a.Findings {
		f := &a.Findings[i]
		r.Findings[f.ID] = Finding{ID: f.ID, Check: f.CheckID, Status: string(f.Status), Severity: string(f.Severity), Message: f.Message, Where: view.Where(f)}
	}
	for _, c := range a.Controls {
		r.Controls[c.ID] = Control{ID: c.ID, Label: view.Label(c), Title: c.Title, Status: string(c.Status)}
	}
	for _, p := range view.POAM(a, nil) {
		r.POAM[p.ID] = p
	}
	r.CMMC = a.CMMC
	return r
}

// The parts of OSCAL assessment-results a diff reads.
type arDoc struct {
	Results []struct {
		UUID         string    `json:"uuid"`
		Title        string    `json:"title"`
		Start        time.Time `json:"start"`
		Props        []arProp  `json:"props"`
		Observations []struct {
			UUID        string   `json:"uuid"`
			Title       string   `json:"title"`
			Description string   `json:"description"`
			Props       []arProp `json:"props"`
		} `json:"observations"`
		Findings []struct {
			UUID   string   `json:"uuid"`
			Title  string   `json:"title"`
			Props  []arProp `json:"props"`
			Target struct {
				TargetID string `json:"target-id"`
				Status   struct {
					State string `json:"state"`
				} `json:"status"`
			} `json:"target"`
		} `json:"findings"`
	} `json:"results"`
}

type arProp struct {
	Name, Value string
}

func prop(ps []arProp, name string) string {
	for _, p := range ps {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// parseAR reads the latest result of an assessment-results document as
// pedigree writes it: observations (keyed by their UUID, derived from the
// finding id) carry the check, status and severity as props; findings carry the control verdicts; controls that no
// automation could decide are "not-assessed" props of the result.
func parseAR(name string, raw json.RawMessage) (*Run, error) {
	var doc arDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: malformed assessment-results: %v", name, err)
	}
	if len(doc.Results) == 0 {
		return nil, fmt.Errorf("%s: assessment-results has no result", name)
	}
	sort.SliceStable(doc.Results, func(i, j int) bool { return doc.Results[i].Start.Before(doc.Results[j].Start) })
	res := doc.Results[len(doc.Results)-1]
	r := &Run{Source: name, Kind: "oscal-ar", RunID: res.UUID, Title: res.Title, StartedAt: res.Start,
		Findings: map[string]Finding{}, Controls: map[string]Control{}, POAM: map[string]view.POAMItem{}}
	for _, o := range res.Observations {
		id := prop(o.Props, "finding")
		if id == "" {
			id = o.UUID
		}
		st := prop(o.Props, "status")
		if st == "" || prop(o.Props, "check") == "" {
			continue // manual-evidence observations carry no finding
		}
		r.Findings[id] = Finding{ID: id, Check: prop(o.Props, "check"), Status: st, Severity: prop(o.Props, "severity"),
			Message: o.Description, Where: prop(o.Props, "location")}
	}
	for _, f := range res.Findings {
		id := strings.TrimSuffix(strings.TrimSuffix(f.Target.TargetID, "_smt"), "_obj")
		if i := strings.IndexAny(id, "_"); i > 0 {
			id = id[:i]
		}
		label := prop(f.Props, "control")
		if label == "" {
			label = strings.ToUpper(id)
		}
		r.Controls[id] = Control{ID: id, Label: label, Title: f.Title, Status: f.Target.Status.State}
		if f.Target.Status.State == string(assessment.NotSatisfied) {
			r.POAM[view.POAMID(id)] = view.POAMItem{ID: view.POAMID(id), Control: id, Label: label, Weakness: f.Title, Detected: res.Start, Status: "open"}
		}
	}
	for _, p := range res.Props {
		if p.Name == "not-assessed" {
			r.Controls[p.Value] = Control{ID: p.Value, Label: strings.ToUpper(p.Value), Status: string(assessment.NotAssessed)}
		}
	}
	return r, nil
}
