package catalogs

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/evidence"
)

// ResolveOptions tune profile resolution.
type ResolveOptions struct {
	// Catalog is the file used when an import names a catalog that is
	// remote or absent (the NIST and FedRAMP profiles name a
	// NIST_SP-800-53_rev5_catalog.json that is not beside them).
	Catalog string
	// MaxDepth bounds how deeply profiles may import profiles (default 16).
	MaxDepth int
	// Now stamps the resolved catalog's last-modified; zero means the
	// current time.
	Now time.Time
}

// Resolved is a profile resolved into a catalog.
type Resolved struct {
	// Catalog is the resolved OSCAL 1.1.3 catalog.
	Catalog *oscal.Catalog
	// Title and Version are the profile's.
	Title   string
	Version string
	// ControlIDs are the ids the profile selects, in resolved-catalog
	// order.
	ControlIDs []string
	// AllIDs are every control in the resolved catalog, including parents
	// kept only because an enhancement of theirs is selected (NIST's
	// PRIVACY baseline selects 96 and resolves to 102).
	AllIDs []string
	// Warnings are what resolution skipped: alterations or parameter
	// settings whose target the catalog lacks, duplicate controls.
	Warnings []string
	// Sources are the documents read, in order.
	Sources []string
	// Parameters are what the profiles' set-parameters give, by the
	// parameter id they name (whether or not the catalog has it; FedRAMP's
	// name 5.1.1 ids): the values, or "constraint: ..." when they only
	// constrain. A later profile in the import chain overrides an earlier.
	Parameters map[string]string
}

// ErrImportCycle is returned when profiles import each other in a loop.
var ErrImportCycle = errors.New("import cycle")

type resolver struct {
	opt      ResolveOptions
	stack    []string
	sources  []string
	warnings []string
	// params are the set-parameters met, by parameter id.
	params map[string]string
}

// docRef is one OSCAL document to read.
type docRef struct {
	key  string // cycle detection: absolute path (+ #uuid for base64)
	name string // for messages
	dir  string // base for relative hrefs inside it
	data []byte // set for base64 resources
}

// ResolveProfile resolves an OSCAL profile (JSON or YAML) into a catalog:
// imports of catalogs and of other profiles (local files, back-matter
// "#uuid" resources with rlinks or base64), include-all, include-controls
// (with-ids, matching, with-child-controls), exclude-controls, merge
// (as-is, flat, and the default, which is flat; combine keeps the first of
// duplicate controls) and modify (set-parameters, alters with adds and
// removes). Unselected parents of selected enhancements are kept under
// as-is, as NIST's resolver does.
func ResolveProfile(profilePath string, opt ResolveOptions) (*Resolved, error) {
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = 16
	}
	r := &resolver{opt: opt}
	abs, err := filepath.Abs(profilePath)
	if err != nil {
		return nil, err
	}
	ref := docRef{key: abs, name: profilePath, dir: filepath.Dir(abs)}
	m, err := r.read(ref)
	if err != nil {
		return nil, err
	}
	if m.Profile == nil {
		if m.Catalog != nil {
			return nil, fmt.Errorf("%s: this is a catalog, not a profile", profilePath)
		}
		return nil, fmt.Errorf("%s: %w (no top-level \"profile\")", profilePath, ErrNotOSCAL)
	}
	cat, selected, err := r.resolve(ref, m.Profile, 0)
	if err != nil {
		return nil, err
	}
	res := &Resolved{
		Catalog: cat, Title: m.Profile.Metadata.Title, Version: m.Profile.Metadata.Version,
		Warnings: r.warnings, Sources: r.sources,
	}
	WalkControls(cat, func(_ *oscal.Group, _, c *oscal.Control) {
		res.AllIDs = append(res.AllIDs, c.ID)
		if selected[c.ID] {
			res.ControlIDs = append(res.ControlIDs, c.ID)
		}
	})
	res.Parameters = r.params
	return res, nil
}

// settingValue is what a set-parameter gives: its values, or its
// constraints marked as such (FedRAMP states "at least monthly" as a
// constraint).
func settingValue(sp oscal.ParameterSetting) string {
	if sp.Values != nil && len(*sp.Values) > 0 {
		return strings.Join(*sp.Values, "; ")
	}
	if sp.Constraints != nil {
		var cs []string
		for _, c := range *sp.Constraints {
			if d := collapseSpace(c.Description); d != "" {
				cs = append(cs, d)
			}
		}
		if len(cs) > 0 {
			return "constraint: " + strings.Join(cs, "; ")
		}
	}
	return ""
}

func (r *resolver) read(ref docRef) (*oscal.OscalModels, error) {
	data := ref.data
	if data == nil {
		var err error
		data, err = readDocument(ref.key)
		if err != nil {
			return nil, err
		}
	}
	r.sources = append(r.sources, ref.name)
	return DecodeDocument(ref.name, data)
}

// resolve turns one profile into its resolved catalog and the set of ids it
// selects.
func (r *resolver) resolve(ref docRef, p *oscal.Profile, depth int) (*oscal.Catalog, map[string]bool, error) {
	for i, k := range r.stack {
		if k == ref.key {
			chain := append(append([]string{}, r.stack[i:]...), ref.key)
			for j := range chain {
				chain[j] = filepath.Base(chain[j])
			}
			return nil, nil, fmt.Errorf("%s: %w: %s", ref.name, ErrImportCycle, strings.Join(chain, " → "))
		}
	}
	if depth > r.opt.MaxDepth {
		return nil, nil, fmt.Errorf("%s: imports nest deeper than %d profiles", ref.name, r.opt.MaxDepth)
	}
	r.stack = append(r.stack, ref.key)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()

	if len(p.Imports) == 0 {
		return nil, nil, fmt.Errorf("%s: the profile imports nothing", ref.name)
	}
	var parts []*oscal.Catalog
	var srcCats []*oscal.Catalog
	selected := map[string]bool{}
	for i, imp := range p.Imports {
		src, err := r.importSource(ref, p, imp.Href, depth)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: imports[%d]: %w", ref.name, i, err)
		}
		sel, err := selectControls(src, imp)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: imports[%d]: %w", ref.name, i, err)
		}
		for _, id := range sel.missing {
			r.warnf("%s: imports[%d] selects %s, which %s does not hold", ref.name, i, id, imp.Href)
		}
		for id := range sel.ids {
			selected[id] = true
		}
		parts = append(parts, filterCatalog(src, sel.ids))
		srcCats = append(srcCats, src)
	}
	out, err := r.merge(ref, p.Merge, parts, selected)
	if err != nil {
		return nil, nil, err
	}
	// Deep copy before modify: sources may be shared between imports.
	out, err = cloneCatalog(out)
	if err != nil {
		return nil, nil, err
	}
	if p.Modify != nil {
		r.modify(ref, out, p.Modify)
	}
	r.finish(ref, p, out, srcCats)
	return out, selected, nil
}

func (r *resolver) warnf(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
}

// importSource reads what an import href names: a catalog, or a profile
// that is resolved first.
func (r *resolver) importSource(from docRef, p *oscal.Profile, href string, depth int) (*oscal.Catalog, error) {
	ref, err := r.locate(from, p, href)
	if err != nil {
		return nil, err
	}
	m, err := r.read(ref)
	if err != nil {
		return nil, err
	}
	switch {
	case m.Catalog != nil:
		return m.Catalog, nil
	case m.Profile != nil:
		cat, _, err := r.resolve(ref, m.Profile, depth+1)
		return cat, err
	}
	return nil, fmt.Errorf("%s: %w", ref.name, ErrNotOSCAL)
}

// locate finds the document an href names.
func (r *resolver) locate(from docRef, p *oscal.Profile, href string) (docRef, error) {
	if strings.TrimSpace(href) == "" {
		return docRef{}, errors.New("import without an href")
	}
	var candidates []string
	if strings.HasPrefix(href, "#") {
		res := findResource(p.BackMatter, strings.TrimPrefix(href, "#"))
		if res == nil {
			return docRef{}, fmt.Errorf("import %s: no back-matter resource has that uuid", href)
		}
		if res.Base64 != nil && res.Base64.Value != "" {
			data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(res.Base64.Value), ""))
			if err != nil {
				return docRef{}, fmt.Errorf("import %s: base64 content: %w", href, err)
			}
			return docRef{key: from.key + href, name: from.name + href, dir: from.dir, data: data}, nil
		}
		if res.Rlinks != nil {
			links := append([]oscal.ResourceLink(nil), *res.Rlinks...)
			sort.SliceStable(links, func(i, j int) bool { return rlinkRank(links[i]) < rlinkRank(links[j]) })
			for _, l := range links {
				candidates = append(candidates, l.Href)
			}
		}
		if len(candidates) == 0 {
			return docRef{}, fmt.Errorf("import %s: the resource has neither rlinks nor base64 content", href)
		}
	} else {
		candidates = []string{href}
	}
	for _, c := range candidates {
		local, ok := localPath(from.dir, c)
		if !ok {
			continue
		}
		if st, err := os.Stat(local); err == nil && st.Mode().IsRegular() {
			return docRef{key: local, name: relName(local), dir: filepath.Dir(local)}, nil
		}
	}
	if r.opt.Catalog != "" {
		abs, err := filepath.Abs(r.opt.Catalog)
		if err != nil {
			return docRef{}, err
		}
		if _, err := os.Stat(abs); err != nil {
			return docRef{}, fmt.Errorf("catalog %s: %w", r.opt.Catalog, err)
		}
		r.warnf("%s: import %s (%s) is remote or absent; used %s", from.name, href, strings.Join(candidates, ", "), r.opt.Catalog)
		return docRef{key: abs, name: r.opt.Catalog, dir: filepath.Dir(abs)}, nil
	}
	return docRef{}, fmt.Errorf("import %s: %s is remote or absent; give the catalog file with --catalog", href, strings.Join(candidates, ", "))
}

func relName(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

// rlinkRank prefers JSON, then YAML, then anything else; XML last.
func rlinkRank(l oscal.ResourceLink) int {
	h := strings.ToLower(l.Href)
	mt := strings.ToLower(l.MediaType)
	switch {
	case strings.Contains(mt, "json") || strings.HasSuffix(h, ".json"):
		return 0
	case strings.Contains(mt, "yaml") || strings.HasSuffix(h, ".yaml") || strings.HasSuffix(h, ".yml"):
		return 1
	case strings.Contains(mt, "xml") || strings.HasSuffix(h, ".xml"):
		return 3
	}
	return 2
}

// localPath turns an href into a local file path, or false for a remote one.
func localPath(dir, href string) (string, bool) {
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		p := u.Path
		if p == "" {
			return "", false
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		return filepath.Clean(p), true
	case "file":
		return filepath.Clean(filepath.FromSlash(u.Path)), u.Path != ""
	}
	return "", false
}

func findResource(bm *oscal.BackMatter, uuid string) *oscal.Resource {
	if bm == nil || bm.Resources == nil {
		return nil
	}
	for i := range *bm.Resources {
		if (*bm.Resources)[i].UUID == uuid {
			return &(*bm.Resources)[i]
		}
	}
	return nil
}

// selection is what one import selects.
type selection struct {
	ids     map[string]bool
	missing []string
}

type ctlNode struct {
	children []string
}

func selectControls(src *oscal.Catalog, imp oscal.Import) (*selection, error) {
	nodes := map[string]*ctlNode{}
	var order []string
	WalkControls(src, func(_ *oscal.Group, parent, c *oscal.Control) {
		nodes[c.ID] = &ctlNode{}
		order = append(order, c.ID)
		if parent != nil {
			if pn := nodes[parent.ID]; pn != nil {
				pn.children = append(pn.children, c.ID)
			}
		}
	})
	sel := &selection{ids: map[string]bool{}}
	var addTree func(set map[string]bool, id string, children bool)
	addTree = func(set map[string]bool, id string, children bool) {
		set[id] = true
		if children {
			for _, c := range nodes[id].children {
				addTree(set, c, true)
			}
		}
	}
	match := func(set map[string]bool, rules []oscal.SelectControlById, record bool) error {
		for _, rule := range rules {
			children := rule.WithChildControls == "yes"
			if rule.WithIds != nil {
				for _, id := range *rule.WithIds {
					if nodes[id] == nil {
						if record {
							sel.missing = append(sel.missing, id)
						}
						continue
					}
					addTree(set, id, children)
				}
			}
			if rule.Matching != nil {
				for _, m := range *rule.Matching {
					if _, err := path.Match(m.Pattern, ""); err != nil {
						return fmt.Errorf("matching pattern %q: %w", m.Pattern, err)
					}
					for _, id := range order {
						if ok, _ := path.Match(m.Pattern, id); ok {
							addTree(set, id, children)
						}
					}
				}
			}
		}
		return nil
	}
	switch {
	case imp.IncludeAll != nil:
		for _, id := range order {
			sel.ids[id] = true
		}
	case imp.IncludeControls != nil:
		if err := match(sel.ids, *imp.IncludeControls, true); err != nil {
			return nil, err
		}
	default:
		// An import without a selection includes everything.
		for _, id := range order {
			sel.ids[id] = true
		}
	}
	if imp.ExcludeControls != nil {
		ex := map[string]bool{}
		if err := match(ex, *imp.ExcludeControls, false); err != nil {
			return nil, err
		}
		for id := range ex {
			delete(sel.ids, id)
		}
	}
	return sel, nil
}

// filterCatalog keeps the selected controls and, as structure, the parents
// and groups that hold them. Values are copied shallowly.
func filterCatalog(src *oscal.Catalog, keep map[string]bool) *oscal.Catalog {
	out := &oscal.Catalog{UUID: src.UUID, Metadata: src.Metadata, Params: src.Params, BackMatter: src.BackMatter}
	out.Controls = filterControls(src.Controls, keep)
	out.Groups = filterGroups(src.Groups, keep)
	return out
}

func filterControls(cs *[]oscal.Control, keep map[string]bool) *[]oscal.Control {
	if cs == nil {
		return nil
	}
	var out []oscal.Control
	for _, c := range *cs {
		kids := filterControls(c.Controls, keep)
		if !keep[c.ID] && kids == nil {
			continue
		}
		c.Controls = kids
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

func filterGroups(gs *[]oscal.Group, keep map[string]bool) *[]oscal.Group {
	if gs == nil {
		return nil
	}
	var out []oscal.Group
	for _, g := range *gs {
		g.Controls = filterControls(g.Controls, keep)
		g.Groups = filterGroups(g.Groups, keep)
		if g.Controls == nil && g.Groups == nil {
			continue
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// merge combines the imports' selections into one catalog.
func (r *resolver) merge(ref docRef, m *oscal.Merge, parts []*oscal.Catalog, selected map[string]bool) (*oscal.Catalog, error) {
	out := &oscal.Catalog{}
	seen := map[string]bool{}
	dedupe := func(cs *[]oscal.Control) *[]oscal.Control {
		if cs == nil {
			return nil
		}
		var kept []oscal.Control
		for _, c := range *cs {
			if seen[c.ID] {
				r.warnf("%s: control %s is imported more than once; the first is kept", ref.name, c.ID)
				continue
			}
			seen[c.ID] = true
			kept = append(kept, c)
		}
		if len(kept) == 0 {
			return nil
		}
		return &kept
	}
	var params []oscal.Parameter
	for _, p := range parts {
		if p.Params != nil {
			params = append(params, *p.Params...)
		}
	}
	if len(params) > 0 {
		out.Params = &params
	}
	switch {
	case m != nil && m.Custom != nil:
		return nil, fmt.Errorf("%s: merge custom is not supported (use as-is or flat)", ref.name)
	case m != nil && m.AsIs:
		for _, p := range parts {
			if c := dedupeTree(p.Controls, seen, r, ref); c != nil {
				out.Controls = appendControls(out.Controls, *c...)
			}
			out.Groups = mergeGroups(out.Groups, p.Groups, seen, r, ref)
		}
	default:
		// flat (also the default): selected controls only, unnested, no groups.
		var flat []oscal.Control
		for _, p := range parts {
			WalkControls(p, func(_ *oscal.Group, _, c *oscal.Control) {
				if !selected[c.ID] {
					return
				}
				cp := *c
				cp.Controls = nil
				flat = append(flat, cp)
			})
		}
		if len(flat) > 0 {
			out.Controls = dedupe(&flat)
		}
	}
	return out, nil
}

func appendControls(dst *[]oscal.Control, cs ...oscal.Control) *[]oscal.Control {
	if dst == nil {
		s := append([]oscal.Control(nil), cs...)
		return &s
	}
	*dst = append(*dst, cs...)
	return dst
}

// dedupeTree drops controls (with their subtrees) already seen.
func dedupeTree(cs *[]oscal.Control, seen map[string]bool, r *resolver, ref docRef) *[]oscal.Control {
	if cs == nil {
		return nil
	}
	var out []oscal.Control
	for _, c := range *cs {
		if seen[c.ID] {
			r.warnf("%s: control %s is imported more than once; the first is kept", ref.name, c.ID)
			continue
		}
		seen[c.ID] = true
		c.Controls = dedupeTree(c.Controls, seen, r, ref)
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// mergeGroups merges groups of several imports by id (by title when they
// have none), keeping the first import's order.
func mergeGroups(dst, src *[]oscal.Group, seen map[string]bool, r *resolver, ref docRef) *[]oscal.Group {
	if src == nil {
		return dst
	}
	for _, g := range *src {
		var target *oscal.Group
		if dst != nil {
			for i := range *dst {
				d := &(*dst)[i]
				if (g.ID != "" && d.ID == g.ID) || (g.ID == "" && d.ID == "" && d.Title == g.Title) {
					target = d
					break
				}
			}
		}
		if target == nil {
			ng := g
			ng.Controls = dedupeTree(g.Controls, seen, r, ref)
			ng.Groups = mergeGroups(nil, g.Groups, seen, r, ref)
			if ng.Controls == nil && ng.Groups == nil {
				continue
			}
			if dst == nil {
				dst = &[]oscal.Group{}
			}
			*dst = append(*dst, ng)
			continue
		}
		if c := dedupeTree(g.Controls, seen, r, ref); c != nil {
			target.Controls = appendControls(target.Controls, *c...)
		}
		target.Groups = mergeGroups(target.Groups, g.Groups, seen, r, ref)
	}
	return dst
}

func cloneCatalog(c *oscal.Catalog) (*oscal.Catalog, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var out oscal.Catalog
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// finish sets the resolved catalog's identity, metadata and back-matter.
func (r *resolver) finish(ref docRef, p *oscal.Profile, out *oscal.Catalog, srcs []*oscal.Catalog) {
	keys := []string{"resolved-catalog", p.UUID}
	for _, s := range srcs {
		keys = append(keys, s.UUID)
	}
	out.UUID = evidence.StableUUID(keys...)
	now := r.opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	md := oscal.Metadata{
		Title:        p.Metadata.Title,
		Version:      p.Metadata.Version,
		OscalVersion: oscal.Version,
		LastModified: now.UTC().Truncate(time.Second),
		Props: &[]oscal.Property{
			{Name: "resolution-tool", Value: "pedigree"},
		},
		Links: &[]oscal.Link{{Href: filepath.Base(ref.name), Rel: "source-profile"}},
		Roles: p.Metadata.Roles, Parties: p.Metadata.Parties, ResponsibleParties: p.Metadata.ResponsibleParties,
	}
	if md.Title == "" {
		md.Title = "Resolved profile " + filepath.Base(ref.name)
	}
	if md.Version == "" {
		md.Version = "unversioned"
	}
	out.Metadata = md
	var res []oscal.Resource
	seen := map[string]bool{}
	imported := map[string]bool{}
	for _, imp := range p.Imports {
		if strings.HasPrefix(imp.Href, "#") {
			imported[strings.TrimPrefix(imp.Href, "#")] = true
		}
	}
	add := func(bm *oscal.BackMatter, skip map[string]bool) {
		if bm == nil || bm.Resources == nil {
			return
		}
		for _, x := range *bm.Resources {
			if seen[x.UUID] || skip[x.UUID] {
				continue
			}
			seen[x.UUID] = true
			res = append(res, x)
		}
	}
	for _, s := range srcs {
		add(s.BackMatter, nil)
	}
	add(p.BackMatter, imported)
	out.BackMatter = nil
	if len(res) > 0 {
		// The copies share slices with the sources; copy before the caller
		// may change them.
		cp := append([]oscal.Resource(nil), res...)
		out.BackMatter = &oscal.BackMatter{Resources: &cp}
	}
}
