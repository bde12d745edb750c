package controls

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

//go:embed mapping/*.yaml
var embeddedMapping embed.FS

// Mapping ties checks to the controls they evidence. It is data: assessors
// read it, review it, and override it with --mapping.
type Mapping struct {
	// Entries by check id.
	Entries map[string]*Entry
	// Process lists the controls automation alone never satisfies
	// (policies, plans, contracts, organisational processes), by control
	// or by family.
	Process []ProcessRef
	// Sources names the files the entries came from, for reports.
	Sources []string
}

// Strength says how much of a control's statement part a check evidences.
type Strength string

const (
	// Sufficient: the check alone decides the parts it names; a pass is
	// enough for them, a fail contradicts them.
	Sufficient Strength = "sufficient"
	// Partial: the check evidences an aspect of the parts; a fail
	// contradicts them, a pass is not enough.
	Partial Strength = "partial"
	// Related: the check informs the control; its fail is reported with the
	// control but decides nothing.
	Related Strength = "related"
)

// Strengths lists the strengths in decreasing order.
var Strengths = []Strength{Sufficient, Partial, Related}

// Entry is one check's mapping.
type Entry struct {
	Check    string       `yaml:"check" json:"check"`
	Controls []ControlRef `yaml:"controls,omitempty" json:"controls"`
	// Precondition marks a check of pedigree's own inputs (its
	// configuration, its vulnerability database): it maps to no control,
	// and while it fails or cannot run the checks it gates decide nothing.
	Precondition *Precondition `yaml:"precondition,omitempty" json:"precondition,omitempty"`
	// SSDF tasks (PS.3.2) and CMMC practices (SI.L2-3.14.1) the check
	// informs, where the data exists.
	SSDF []string `yaml:"ssdf,omitempty" json:"ssdf,omitempty"`
	CMMC []string `yaml:"cmmc,omitempty" json:"cmmc,omitempty"`
	// Source is the mapping file and line the entry came from.
	Source string `yaml:"-" json:"source"`
}

// ControlRef is one control a check evidences: which parts of its
// statement, how strongly, and why.
type ControlRef struct {
	Control string `yaml:"control" json:"control"`
	// Strength defaults to partial when a mapping file omits it, so that an
	// older file can still fail a control but never satisfy one.
	Strength Strength `yaml:"strength,omitempty" json:"strength"`
	// Parts are catalog statement part ids (si-7_smt.a); empty means the
	// whole statement (si-7_smt).
	Parts     []string `yaml:"parts,omitempty" json:"parts"`
	Rationale string   `yaml:"rationale" json:"rationale"`
	// Parameters are the organisation-defined parameters the check's
	// verdict depends on, with the value pedigree judges against when
	// neither the profile nor the configuration sets one.
	Parameters []ParamRef `yaml:"parameters,omitempty" json:"parameters,omitempty"`
}

// ParamRef is an organisation-defined parameter a check's verdict is judged
// against.
type ParamRef struct {
	// Param is the catalog parameter id (sc-13_odp.02); any of the ids a
	// profile may set for it is accepted there.
	Param string `yaml:"param" json:"param"`
	// Default is the value pedigree applies when nothing sets it.
	Default string `yaml:"default" json:"default"`
	// Config names the pedigree.yaml setting that sets it, if any
	// (sbom.max-age).
	Config string `yaml:"config,omitempty" json:"config,omitempty"`
}

// Precondition describes a check of pedigree's own inputs.
type Precondition struct {
	// Gates lists the checks whose verdicts depend on the input.
	Gates []string `yaml:"gates" json:"gates"`
	// Limitation says, for the assessment plan, what the run cannot judge
	// without the input.
	Limitation string `yaml:"limitation" json:"limitation"`
}

// ProcessRef names a process control (or a family of them): policy,
// procedure, plan, contract or organisational process, which automation can
// contradict but never satisfy alone.
type ProcessRef struct {
	Control   string `yaml:"control,omitempty" json:"control,omitempty"`
	Family    string `yaml:"family,omitempty" json:"family,omitempty"`
	Rationale string `yaml:"rationale" json:"rationale"`
	Source    string `yaml:"-" json:"source"`
}

type mappingFile struct {
	// Replace drops the embedded mapping entirely instead of overriding it
	// check by check.
	Replace bool          `yaml:"replace,omitempty"`
	Checks  []*Entry      `yaml:"checks"`
	Process []*ProcessRef `yaml:"process,omitempty"`
}

// DefaultMapping loads the embedded mapping files.
func DefaultMapping() (*Mapping, error) { return loadEmbedded(nil) }

// DefaultMappingFor loads, of the embedded mapping files, those that map
// one of checks, in DefaultMapping's order: the entries of those checks are
// DefaultMapping's, entry for entry. A command that needs the controls of a
// few checks (ci scan, on its first finding) reads one file of the ten, not
// all of them: the YAML decoder costs milliseconds a file.
func DefaultMappingFor(checks ...string) (*Mapping, error) {
	want := make(map[string]bool, len(checks))
	for _, c := range checks {
		want[c] = true
	}
	return loadEmbedded(func(b []byte) bool { return mapsAnyOf(b, want) })
}

// loadEmbedded merges the embedded mapping files in name order, those keep
// accepts (all when keep is nil).
func loadEmbedded(keep func([]byte) bool) (*Mapping, error) {
	m := &Mapping{Entries: map[string]*Entry{}}
	files, err := fs.Glob(embeddedMapping, "mapping/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := embeddedMapping.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if keep != nil && !keep(b) {
			continue
		}
		if _, err := m.merge("controls/"+f, b); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// mapsAnyOf reports whether a mapping file has a "check:" line naming one
// of want. The embedded files write each entry as "- check: ID" (a test
// holds DefaultMappingFor to DefaultMapping for every check they map).
func mapsAnyOf(b []byte, want map[string]bool) bool {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSpace(line)
		line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("- ")))
		id, ok := bytes.CutPrefix(line, []byte("check:"))
		if !ok {
			continue
		}
		if want[string(bytes.Trim(bytes.TrimSpace(id), `"'`))] {
			return true
		}
	}
	return false
}

// Override applies a user mapping file: its entries replace the embedded
// entries of the same checks, or everything when it says `replace: true`.
func (m *Mapping) Override(file string) error {
	b, err := readlimit.File(file, readlimit.Config)
	if err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	mf, err := decodeMapping(file, b)
	if err != nil {
		return err
	}
	if len(mf.Checks) == 0 && len(mf.Process) == 0 && !mf.Replace {
		// An empty or truncated file would silently change nothing.
		return fmt.Errorf("%s: no checks: a mapping file lists at least one check under \"checks:\"", file)
	}
	if mf.Replace {
		m.Entries = map[string]*Entry{}
		m.Sources = nil
		if len(mf.Process) > 0 {
			m.Process = nil
		}
	}
	_, err = m.merge(file, b)
	return err
}

func decodeMapping(name string, b []byte) (*mappingFile, error) {
	var mf mappingFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&mf); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", name, YAMLError(err))
	}
	for i, e := range mf.Checks {
		if e == nil { // "checks:\n  -": an empty list item
			return nil, fmt.Errorf("%s: checks[%d] is empty", name, i)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err == nil {
		annotateLines(name, &doc, mf.Checks)
	}
	return &mf, nil
}

// annotateLines records file:line for each entry, so a validation error
// points at the line to fix.
func annotateLines(name string, doc *yaml.Node, entries []*Entry) {
	if len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "checks" {
			continue
		}
		seq := root.Content[i+1]
		for j, item := range seq.Content {
			if j < len(entries) {
				entries[j].Source = fmt.Sprintf("%s:%d", name, item.Line)
			}
		}
	}
}

func (m *Mapping) merge(name string, b []byte) (*mappingFile, error) {
	mf, err := decodeMapping(name, b)
	if err != nil {
		return nil, err
	}
	for _, e := range mf.Checks {
		if e.Source == "" {
			e.Source = name
		}
		if e.Check == "" {
			return nil, fmt.Errorf("%s: entry without a check id", e.Source)
		}
		if e.Precondition != nil && len(e.Controls) > 0 {
			return nil, fmt.Errorf("%s: check %s: a precondition (a check of pedigree's own inputs) maps to no control", e.Source, e.Check)
		}
		if e.Precondition != nil && (len(e.Precondition.Gates) == 0 || strings.TrimSpace(e.Precondition.Limitation) == "") {
			return nil, fmt.Errorf("%s: check %s: a precondition names the checks it gates and the limitation it sets", e.Source, e.Check)
		}
		seen := map[string]bool{}
		for i := range e.Controls {
			c := &e.Controls[i]
			id, err := catalogs.NormalizeID(c.Control)
			if err != nil {
				return nil, fmt.Errorf("%s: check %s: %w", e.Source, e.Check, err)
			}
			c.Control = id
			if seen[id] {
				return nil, fmt.Errorf("%s: check %s: control %s is mapped twice", e.Source, e.Check, catalogs.Label(id))
			}
			seen[id] = true
			if strings.TrimSpace(c.Rationale) == "" {
				return nil, fmt.Errorf("%s: check %s: control %s has no rationale", e.Source, e.Check, catalogs.Label(id))
			}
			switch c.Strength {
			case "":
				c.Strength = Partial
			case Sufficient, Partial, Related:
			default:
				return nil, fmt.Errorf("%s: check %s: control %s: strength %q is invalid (want sufficient, partial or related)", e.Source, e.Check, catalogs.Label(id), c.Strength)
			}
			if len(c.Parts) == 0 {
				c.Parts = []string{id + "_smt"}
			}
			for j, p := range c.Parts {
				c.Parts[j] = strings.ToLower(strings.TrimSpace(p))
			}
			for _, p := range c.Parameters {
				if strings.TrimSpace(p.Param) == "" || strings.TrimSpace(p.Default) == "" {
					return nil, fmt.Errorf("%s: check %s: control %s: a parameter needs param and default", e.Source, e.Check, catalogs.Label(id))
				}
			}
		}
		m.Entries[e.Check] = e
	}
	for _, p := range mf.Process {
		p.Source = name
		switch {
		case p.Control != "" && p.Family != "":
			return nil, fmt.Errorf("%s: process entry names both control %s and family %s; give one", name, p.Control, p.Family)
		case p.Control != "":
			id, err := catalogs.NormalizeID(p.Control)
			if err != nil {
				return nil, fmt.Errorf("%s: process: %w", name, err)
			}
			p.Control = id
		case p.Family != "":
			p.Family = strings.ToLower(strings.TrimSpace(p.Family))
		default:
			return nil, fmt.Errorf("%s: process entry names neither a control nor a family", name)
		}
		if strings.TrimSpace(p.Rationale) == "" {
			return nil, fmt.Errorf("%s: process entry %s%s has no rationale", name, catalogs.Label(p.Control), strings.ToUpper(p.Family))
		}
		m.Process = append(m.Process, *p)
	}
	m.Sources = append(m.Sources, name)
	return mf, nil
}

// IsProcess reports whether a control is a process control (policy,
// procedure, plan, contract, organisational process) that automation can
// contradict but never satisfy alone, and why.
func (m *Mapping) IsProcess(control string) (string, bool) {
	fam, _, _ := strings.Cut(control, "-")
	for _, p := range m.Process {
		if p.Control == control || (p.Family != "" && p.Family == fam) {
			return p.Rationale, true
		}
	}
	return "", false
}

// PartsOf returns the statement parts of a control, or its whole statement
// as one part when the catalog gives none.
func PartsOf(ctl *catalogs.Control) []catalogs.Part {
	if len(ctl.Parts) > 0 {
		return ctl.Parts
	}
	return []catalogs.Part{{ID: ctl.ID + "_smt", Leaf: true}}
}

// ControlIndex is what validation and aggregation need of the catalog.
type ControlIndex interface {
	Control(id string) (*catalogs.Control, bool)
}

// Validate refuses a mapping that names a control the catalog lacks (or one
// that is withdrawn), a statement part the control lacks, a check that does
// not exist, or a sufficient check for a process control.
func (m *Mapping) Validate(idx ControlIndex, checkIDs map[string]bool) error {
	var errs []error
	for _, id := range m.sortedChecks() {
		e := m.Entries[id]
		if !checkIDs[e.Check] {
			errs = append(errs, fmt.Errorf("%s: unknown check id %q", e.Source, e.Check))
			continue
		}
		if e.Precondition != nil {
			for _, g := range e.Precondition.Gates {
				if !checkIDs[g] {
					errs = append(errs, fmt.Errorf("%s: check %s: precondition gates unknown check id %q", e.Source, e.Check, g))
				}
			}
		}
		for _, c := range e.Controls {
			ctl, ok := idx.Control(c.Control)
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("%s: check %s: unknown control id %q", e.Source, e.Check, catalogs.Label(c.Control)))
				continue
			case ctl.Withdrawn:
				errs = append(errs, fmt.Errorf("%s: check %s: control %s is withdrawn (incorporated into %s)", e.Source, e.Check, ctl.Label, strings.Join(ctl.IncorporatedInto, ", ")))
				continue
			}
			parts := PartsOf(ctl)
			for _, p := range c.Parts {
				if !hasPart(parts, p) {
					errs = append(errs, fmt.Errorf("%s: check %s: control %s has no statement part %q (its parts: %s)", e.Source, e.Check, ctl.Label, p, partIDs(parts)))
				}
			}
			if _, proc := m.IsProcess(c.Control); proc && c.Strength == Sufficient {
				errs = append(errs, fmt.Errorf("%s: check %s: control %s is a process control: automation alone never satisfies it, so a check is at most partial", e.Source, e.Check, ctl.Label))
			}
		}
	}
	for _, p := range m.Process {
		if p.Control == "" {
			continue
		}
		if _, ok := idx.Control(p.Control); !ok {
			errs = append(errs, fmt.Errorf("%s: process: unknown control id %q", p.Source, catalogs.Label(p.Control)))
		}
	}
	return errors.Join(errs...)
}

func hasPart(parts []catalogs.Part, id string) bool {
	for _, p := range parts {
		if p.ID == id {
			return true
		}
	}
	return false
}

func partIDs(parts []catalogs.Part) string {
	ids := make([]string, len(parts))
	for i, p := range parts {
		ids[i] = p.ID
	}
	return strings.Join(ids, ", ")
}

func (m *Mapping) sortedChecks() []string {
	ids := make([]string, 0, len(m.Entries))
	for id := range m.Entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ControlsOf lists the controls a check is mapped to.
func (m *Mapping) ControlsOf(check string) []string {
	e := m.Entries[check]
	if e == nil {
		return nil
	}
	out := make([]string, len(e.Controls))
	for i, c := range e.Controls {
		out[i] = c.Control
	}
	return out
}

// ChecksOf lists the checks mapped to a control, with their rationales.
func (m *Mapping) ChecksOf(control string) map[string]string {
	out := map[string]string{}
	for _, e := range m.Entries {
		for _, c := range e.Controls {
			if c.Control == control {
				out[e.Check] = c.Rationale
			}
		}
	}
	return out
}

// MappedCheck is one check mapped to a control, with how.
type MappedCheck struct {
	Check string
	ControlRef
}

// RefsOf lists the checks mapped to a control with their strength, parts
// and rationale, ordered by check id.
func (m *Mapping) RefsOf(control string) []MappedCheck {
	return m.refsByControl()[control]
}

// refsByControl is RefsOf for every control at once.
func (m *Mapping) refsByControl() map[string][]MappedCheck {
	out := map[string][]MappedCheck{}
	for _, e := range m.Sorted() {
		for _, c := range e.Controls {
			out[c.Control] = append(out[c.Control], MappedCheck{Check: e.Check, ControlRef: c})
		}
	}
	return out
}

// Preconditions lists the precondition entries, ordered by check id.
func (m *Mapping) Preconditions() []*Entry {
	var out []*Entry
	for _, e := range m.Sorted() {
		if e.Precondition != nil {
			out = append(out, e)
		}
	}
	return out
}

// Controls lists every mapped control id, sorted in catalog order.
func (m *Mapping) Controls() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range m.Entries {
		for _, c := range e.Controls {
			if !seen[c.Control] {
				seen[c.Control] = true
				out = append(out, c.Control)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return catalogs.SortKey(out[i]) < catalogs.SortKey(out[j]) })
	return out
}

// Sorted returns the entries ordered by check id.
func (m *Mapping) Sorted() []*Entry {
	out := make([]*Entry, 0, len(m.Entries))
	for _, id := range m.sortedChecks() {
		out = append(out, m.Entries[id])
	}
	return out
}

// YAML renders the mapping as one mapping file.
func (m *Mapping) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	proc := make([]*ProcessRef, len(m.Process))
	for i := range m.Process {
		proc[i] = &m.Process[i]
	}
	if err := enc.Encode(mappingFile{Checks: m.Sorted(), Process: proc}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// YAMLError shortens yaml.v3's errors to one line that keeps the line number.
func YAMLError(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
