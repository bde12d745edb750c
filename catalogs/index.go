package catalogs

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:generate go run ./gen -src ../shared/catalogs -out catalogs/index.json.gz

//go:embed index.json.gz
var embeddedIndex []byte

// Index is the control index: SP 800-53 Rev 5 controls with baselines and
// the C-SCRM flag, and the SSDF, SP 800-171 r3 and CMMC cross-references.
// An Index is read-only; WithCatalog returns a new one.
type Index struct {
	file     *indexFile
	controls []*Control
	byID     map[string]*Control
	families []Family
	// Release says where the control text comes from.
	Release string
	// CatalogFile is the catalog overlaid with WithCatalog, if any.
	CatalogFile string

	ssdfByID      map[string]*SSDFTask
	ssdfByControl map[string][]string
	cmmcByID      map[string]*CMMCPractice
	cmmcByControl map[string][]string
	r171ByID      map[string]*Requirement171
	r171ByControl map[string][]string
}

var (
	defaultOnce  sync.Once
	defaultIndex *Index
	defaultErr   error
)

// Default returns the embedded index, decoded once. Callers must not
// modify what it returns.
func Default() (*Index, error) {
	defaultOnce.Do(func() {
		f, err := decodeIndex(embeddedIndex)
		if err != nil {
			defaultErr = err
			return
		}
		defaultIndex = newIndex(f)
	})
	return defaultIndex, defaultErr
}

func newIndex(f *indexFile) *Index {
	ix := &Index{
		file:          f,
		controls:      f.Controls,
		families:      f.Families,
		byID:          make(map[string]*Control, len(f.Controls)),
		Release:       "SP 800-53 Rev 5: baseline controls 5.1.1+u4, others 5.0.1 (embedded)",
		ssdfByID:      map[string]*SSDFTask{},
		ssdfByControl: map[string][]string{},
		cmmcByID:      map[string]*CMMCPractice{},
		cmmcByControl: map[string][]string{},
		r171ByID:      map[string]*Requirement171{},
		r171ByControl: map[string][]string{},
	}
	for _, c := range f.Controls {
		ix.byID[c.ID] = c
		fillPartTexts(c)
	}
	for _, t := range f.SSDF {
		ix.ssdfByID[t.ID] = t
		for _, c := range t.Controls {
			ix.ssdfByControl[c] = append(ix.ssdfByControl[c], t.ID)
		}
	}
	for _, p := range f.CMMC {
		ix.cmmcByID[strings.ToUpper(p.ID)] = p
		for _, a := range p.Aliases {
			ix.cmmcByID[strings.ToUpper(a)] = p
		}
		for _, c := range p.Controls {
			ix.cmmcByControl[c] = appendUnique(ix.cmmcByControl[c], p.ID)
		}
	}
	for _, r := range f.R171 {
		ix.r171ByID[r.ID] = r
		for _, c := range r.Controls {
			ix.r171ByControl[c] = appendUnique(ix.r171ByControl[c], r.ID)
		}
	}
	return ix
}

// fillPartTexts restores the text of each statement part from the
// statement, whose lines StatementText writes in the order of the parts: one
// per part, except a statement made only of items, which has no line of its
// own. The label that opens an item's line is not part of its text.
func fillPartTexts(c *Control) {
	if len(c.Parts) == 0 || c.Parts[0].Text != "" {
		return
	}
	lines := strings.Split(c.Statement, "\n")
	parts := c.Parts
	switch len(lines) {
	case len(parts):
	case len(parts) - 1:
		parts = parts[1:]
	default:
		return
	}
	for i := range parts {
		t := strings.TrimSpace(lines[i])
		if l := parts[i].Label; l != "" {
			t = strings.TrimSpace(strings.TrimPrefix(t, l))
		}
		parts[i].Text = t
	}
}

// Control looks a control up by OSCAL id (sr-4.3). Use NormalizeID first
// for other spellings, or Lookup.
func (ix *Index) Control(id string) (*Control, bool) {
	c, ok := ix.byID[id]
	return c, ok
}

// Lookup accepts any common spelling (SR-4(3), sr-4.3) and says clearly
// when the id is malformed or unknown.
func (ix *Index) Lookup(s string) (*Control, error) {
	id, err := NormalizeID(s)
	if err != nil {
		return nil, err
	}
	c, ok := ix.byID[id]
	if !ok {
		return nil, fmt.Errorf("unknown control id %q: SP 800-53 Rev 5 has no %s", s, Label(id))
	}
	return c, nil
}

// Controls lists every control and enhancement in catalog order.
func (ix *Index) Controls() []*Control { return ix.controls }

// Families lists the control families in catalog order.
func (ix *Index) Families() []Family { return ix.families }

// Family returns one family by id (sr) or any case.
func (ix *Index) Family(id string) (Family, bool) {
	for _, f := range ix.families {
		if strings.EqualFold(f.ID, id) {
			return f, true
		}
	}
	return Family{}, false
}

// Baseline lists the control ids of a baseline in catalog order: low,
// moderate, high, privacy (SP 800-53B 5.1.1, as the profiles select them)
// or cscrm (the SP 800-161 Rev 1 set).
func (ix *Index) Baseline(name string) ([]string, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	ids, ok := ix.file.Baseline[key]
	if !ok {
		return nil, fmt.Errorf("unknown baseline %q (want %s)", name, strings.Join(BaselineNames(), ", "))
	}
	return append([]string(nil), ids...), nil
}

// CSCRMNotInCatalog lists the ids the SP 800-161 list names that are not SP
// 800-53 Rev 5 controls.
func (ix *Index) CSCRMNotInCatalog() []string { return ix.file.CSCRMNotInCatalog }

// Sources lists the files the embedded index was generated from.
func (ix *Index) Sources() []Source { return ix.file.Sources }

// SSDFFor lists the SSDF 1.1 tasks that reference a control (OSCAL id).
func (ix *Index) SSDFFor(controlID string) []string {
	return append([]string(nil), ix.ssdfByControl[controlID]...)
}

// SSDFTask looks an SSDF task up (PO.1.1).
func (ix *Index) SSDFTask(id string) (*SSDFTask, bool) {
	t, ok := ix.ssdfByID[strings.ToUpper(strings.TrimSpace(id))]
	return t, ok
}

// SSDFTasks lists every SSDF task in order.
func (ix *Index) SSDFTasks() []*SSDFTask { return ix.file.SSDF }

// CMMCFor lists the CMMC 2.0 practices whose derived mapping names a
// control (OSCAL id).
func (ix *Index) CMMCFor(controlID string) []string {
	return append([]string(nil), ix.cmmcByControl[controlID]...)
}

// CMMCPractice looks a practice up by its id or an alias (AC.L2-3.1.1,
// AC.L1-b.1.i, AC.L1-3.1.1).
func (ix *Index) CMMCPractice(id string) (*CMMCPractice, bool) {
	p, ok := ix.cmmcByID[strings.ToUpper(strings.TrimSpace(id))]
	return p, ok
}

// CMMCPractices lists every practice, Level 1 first.
func (ix *Index) CMMCPractices() []*CMMCPractice { return ix.file.CMMC }

// Requirement171 looks an SP 800-171 Rev 3 requirement up (03.01.01; 3.1.1
// is accepted too).
func (ix *Index) Requirement171(id string) (*Requirement171, bool) {
	r, ok := ix.r171ByID[normalize171(id)]
	return r, ok
}

// Requirements171For lists the SP 800-171 Rev 3 requirements whose source
// controls include a control (OSCAL id).
func (ix *Index) Requirements171For(controlID string) []string {
	return append([]string(nil), ix.r171ByControl[controlID]...)
}

// Requirements171 lists every SP 800-171 Rev 3 requirement.
func (ix *Index) Requirements171() []*Requirement171 { return ix.file.R171 }

// normalize171 writes 3.1.1 as 03.01.01.
func normalize171(id string) string {
	parts := strings.Split(strings.TrimSpace(id), ".")
	for i, p := range parts {
		if len(p) == 1 {
			parts[i] = "0" + p
		}
	}
	return strings.Join(parts, ".")
}

// Sort orders control ids as the catalog does (family order, then number).
func (ix *Index) Sort(ids []string) {
	rank := map[string]int{}
	for i, f := range ix.families {
		rank[f.ID] = i
	}
	sort.SliceStable(ids, func(i, j int) bool {
		fi, _, _ := strings.Cut(ids[i], "-")
		fj, _, _ := strings.Cut(ids[j], "-")
		if fi != fj {
			ri, oki := rank[fi]
			rj, okj := rank[fj]
			if oki && okj {
				return ri < rj
			}
			return fi < fj
		}
		return SortKey(ids[i]) < SortKey(ids[j])
	})
}
