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
	// Sources names the files the entries came from, for reports.
	Sources []string
}

// Entry is one check's mapping.
type Entry struct {
	Check    string       `yaml:"check" json:"check"`
	Controls []ControlRef `yaml:"controls" json:"controls"`
	// SSDF tasks (PS.3.2) and CMMC practices (SI.L2-3.14.1) the check
	// informs, where the data exists.
	SSDF []string `yaml:"ssdf,omitempty" json:"ssdf,omitempty"`
	CMMC []string `yaml:"cmmc,omitempty" json:"cmmc,omitempty"`
	// Source is the mapping file and line the entry came from.
	Source string `yaml:"-" json:"source"`
}

// ControlRef is one control a check evidences, with why.
type ControlRef struct {
	Control   string `yaml:"control" json:"control"`
	Rationale string `yaml:"rationale" json:"rationale"`
}

type mappingFile struct {
	// Replace drops the embedded mapping entirely instead of overriding it
	// check by check.
	Replace bool     `yaml:"replace,omitempty"`
	Checks  []*Entry `yaml:"checks"`
}

// DefaultMapping loads the embedded mapping files.
func DefaultMapping() (*Mapping, error) {
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
		if _, err := m.merge("controls/"+f, b); err != nil {
			return nil, err
		}
	}
	return m, nil
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
	if len(mf.Checks) == 0 && !mf.Replace {
		// An empty or truncated file would silently change nothing.
		return fmt.Errorf("%s: no checks: a mapping file lists at least one check under \"checks:\"", file)
	}
	if mf.Replace {
		m.Entries = map[string]*Entry{}
		m.Sources = nil
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
		for i, c := range e.Controls {
			id, err := catalogs.NormalizeID(c.Control)
			if err != nil {
				return nil, fmt.Errorf("%s: check %s: %w", e.Source, e.Check, err)
			}
			e.Controls[i].Control = id
			if strings.TrimSpace(c.Rationale) == "" {
				return nil, fmt.Errorf("%s: check %s: control %s has no rationale", e.Source, e.Check, catalogs.Label(id))
			}
		}
		m.Entries[e.Check] = e
	}
	m.Sources = append(m.Sources, name)
	return mf, nil
}

// ControlIndex is what validation and aggregation need of the catalog.
type ControlIndex interface {
	Control(id string) (*catalogs.Control, bool)
}

// Validate refuses a mapping that names a control the catalog lacks (or one
// that is withdrawn) or a check that does not exist.
func (m *Mapping) Validate(idx ControlIndex, checkIDs map[string]bool) error {
	var errs []error
	for _, id := range m.sortedChecks() {
		e := m.Entries[id]
		if !checkIDs[e.Check] {
			errs = append(errs, fmt.Errorf("%s: unknown check id %q", e.Source, e.Check))
			continue
		}
		for _, c := range e.Controls {
			ctl, ok := idx.Control(c.Control)
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("%s: check %s: unknown control id %q", e.Source, e.Check, catalogs.Label(c.Control)))
			case ctl.Withdrawn:
				errs = append(errs, fmt.Errorf("%s: check %s: control %s is withdrawn (incorporated into %s)", e.Source, e.Check, ctl.Label, strings.Join(ctl.IncorporatedInto, ", ")))
			}
		}
	}
	return errors.Join(errs...)
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
	if err := enc.Encode(mappingFile{Checks: m.Sorted()}); err != nil {
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
