package vuln

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// VEX statuses, in OpenVEX's vocabulary; CycloneDX and CSAF states map to
// them (see docs/vuln.md).
const (
	StatusNotAffected        = "not_affected"
	StatusAffected           = "affected"
	StatusFixed              = "fixed"
	StatusUnderInvestigation = "under_investigation"
)

// VEX document formats.
const (
	FormatOpenVEX   = "openvex"
	FormatCycloneDX = "cyclonedx"
	FormatCSAF      = "csaf"
)

// VEXDocument is a VEX document of any supported format, normalised.
type VEXDocument struct {
	File      string `json:"file"`
	Format    string `json:"format"`
	ID        string `json:"id,omitempty"`
	Author    string `json:"author,omitempty"`
	Timestamp string `json:"timestamp,omitempty"`
	// Statements, one per (vulnerability, product) pair.
	Statements []Statement `json:"statements"`
	// Problems are statements skipped, one line each.
	Problems []string `json:"problems,omitempty"`
	// Error is set when the document could not be read at all.
	Error string `json:"error,omitempty"`
}

// Statement says what one VEX author states about one vulnerability in one
// product.
type Statement struct {
	Vulnerability string   `json:"vulnerability"`
	Aliases       []string `json:"aliases,omitempty"`
	Product       Product  `json:"product"`
	// Status is not_affected, affected, fixed or under_investigation;
	// RawStatus is the document's own word (false_positive,
	// known_not_affected, ...).
	Status    string `json:"status"`
	RawStatus string `json:"rawStatus,omitempty"`
	// Justification is the machine-readable reason for not_affected
	// (OpenVEX justification, CycloneDX analysis.justification, CSAF flag
	// label); Impact the free-text one (impact_statement, analysis.detail,
	// CSAF impact threat).
	Justification string `json:"justification,omitempty"`
	Impact        string `json:"impact,omitempty"`
	Action        string `json:"action,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
}

// Justified reports whether a not_affected statement carries a reason.
func (s *Statement) Justified() bool {
	return strings.TrimSpace(s.Justification) != "" || strings.TrimSpace(s.Impact) != ""
}

// Product identifies what a statement is about: a purl, a CPE, or a
// CycloneDX bom-ref. Parent is the product a subcomponent belongs to.
type Product struct {
	PURL   string `json:"purl,omitempty"`
	CPE    string `json:"cpe,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Name   string `json:"name,omitempty"`
	Parent string `json:"parent,omitempty"`
}

// DetectVEX names the format of a VEX document (or the KEV catalog) from
// its content: "openvex", "cyclonedx" (a BOM with vulnerabilities), "csaf",
// "kev", or "" for anything else. It reads only the top-level keys.
func DetectVEX(b []byte) string {
	b = bytes.TrimLeft(b, " \t\r\n\ufeff")
	if len(b) == 0 || b[0] != '{' {
		return ""
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		// Broken JSON that says what it means to be is reported as that
		// format (and then fails to parse with a line and column).
		switch {
		case bytes.Contains(b, []byte(`"@context"`)) && bytes.Contains(b, []byte("openvex")):
			return FormatOpenVEX
		case bytes.Contains(b, []byte(`"csaf_version"`)):
			return FormatCSAF
		case bytes.Contains(b, []byte(`"bomFormat"`)) && bytes.Contains(b, []byte(`"analysis"`)):
			return FormatCycloneDX
		}
		return ""
	}
	var ctx string
	_ = json.Unmarshal(top["@context"], &ctx)
	switch {
	case strings.Contains(ctx, "openvex"):
		return FormatOpenVEX
	case top["document"] != nil && bytes.Contains(top["document"], []byte(`"csaf_version"`)):
		return FormatCSAF
	case top["bomFormat"] != nil && top["vulnerabilities"] != nil:
		return FormatCycloneDX
	case top["catalogVersion"] != nil && top["vulnerabilities"] != nil:
		return "kev"
	}
	return ""
}

// ParseVEX decodes a VEX document of the given format (see DetectVEX).
func ParseVEX(file, format string, b []byte) (*VEXDocument, error) {
	var (
		d   *VEXDocument
		err error
	)
	switch format {
	case FormatOpenVEX:
		d, err = parseOpenVEX(b)
	case FormatCycloneDX:
		d, err = parseCycloneDXVEX(b)
	case FormatCSAF:
		d, err = parseCSAF(b)
	default:
		return nil, fmt.Errorf("%s: not a VEX document (OpenVEX, CycloneDX VEX or CSAF VEX)", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", format, file, jsonError(b, err))
	}
	d.File, d.Format = file, format
	return d, nil
}

// ---- OpenVEX (v0.0.1 and v0.2.0) ----

type openvexDoc struct {
	ID         string             `json:"@id"`
	Author     string             `json:"author"`
	Timestamp  string             `json:"timestamp"`
	Statements []openvexStatement `json:"statements"`
}

type openvexStatement struct {
	Vulnerability   json.RawMessage   `json:"vulnerability"`
	Products        []json.RawMessage `json:"products"`
	Subcomponents   []json.RawMessage `json:"subcomponents"` // v0.0.1
	Status          string            `json:"status"`
	Justification   string            `json:"justification"`
	ImpactStatement string            `json:"impact_statement"`
	ActionStatement string            `json:"action_statement"`
	StatusNotes     string            `json:"status_notes"`
	Timestamp       string            `json:"timestamp"`
}

type openvexVuln struct {
	ID      string   `json:"@id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

type openvexProduct struct {
	ID            string            `json:"@id"`
	Identifiers   map[string]string `json:"identifiers"`
	Subcomponents []json.RawMessage `json:"subcomponents"`
}

func parseOpenVEX(b []byte) (*VEXDocument, error) {
	var od openvexDoc
	if err := json.Unmarshal(b, &od); err != nil {
		return nil, err
	}
	d := &VEXDocument{ID: od.ID, Author: od.Author, Timestamp: od.Timestamp}
	for i, st := range od.Statements {
		vid, aliases := openvexVulnID(st.Vulnerability)
		if vid == "" {
			d.Problems = append(d.Problems, fmt.Sprintf("/statements/%d: no vulnerability name", i))
			continue
		}
		status := strings.ToLower(strings.TrimSpace(st.Status))
		switch status {
		case StatusNotAffected, StatusAffected, StatusFixed, StatusUnderInvestigation:
		default:
			d.Problems = append(d.Problems, fmt.Sprintf("/statements/%d: unknown status %q", i, truncate(st.Status, 40)))
			continue
		}
		base := Statement{Vulnerability: vid, Aliases: aliases, Status: status, RawStatus: st.Status,
			Justification: st.Justification, Impact: st.ImpactStatement, Action: st.ActionStatement,
			Timestamp: firstNonEmpty(st.Timestamp, od.Timestamp)}
		var prods []Product
		for _, raw := range st.Products {
			p, subs := openvexProductOf(raw)
			if len(subs) == 0 && p.PURL == "" && p.CPE == "" && p.Ref == "" {
				continue
			}
			if len(subs) == 0 {
				prods = append(prods, p)
			}
			for _, s := range subs {
				s.Parent = firstNonEmpty(p.PURL, p.CPE, p.Ref)
				prods = append(prods, s)
			}
		}
		for _, raw := range st.Subcomponents {
			s, _ := openvexProductOf(raw)
			prods = append(prods, s)
		}
		if len(prods) == 0 {
			d.Problems = append(d.Problems, fmt.Sprintf("/statements/%d: no products", i))
			continue
		}
		for _, p := range prods {
			s := base
			s.Product = p
			d.Statements = append(d.Statements, s)
		}
	}
	return d, nil
}

func openvexVulnID(raw json.RawMessage) (string, []string) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var v openvexVuln
	if json.Unmarshal(raw, &v) == nil {
		return firstNonEmpty(v.Name, v.ID), v.Aliases
	}
	return "", nil
}

func openvexProductOf(raw json.RawMessage) (Product, []Product) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return productFromID(s), nil
	}
	var op openvexProduct
	if json.Unmarshal(raw, &op) != nil {
		return Product{}, nil
	}
	p := productFromID(op.ID)
	if v := op.Identifiers["purl"]; v != "" {
		p.PURL = v
	}
	if v := firstNonEmpty(op.Identifiers["cpe23"], op.Identifiers["cpe22"]); v != "" {
		p.CPE = v
	}
	var subs []Product
	for _, r := range op.Subcomponents {
		sp, _ := openvexProductOf(r)
		if sp.PURL != "" || sp.CPE != "" || sp.Ref != "" {
			subs = append(subs, sp)
		}
	}
	return p, subs
}

func productFromID(id string) Product {
	id = strings.TrimSpace(id)
	switch {
	case strings.HasPrefix(id, "pkg:"):
		return Product{PURL: id}
	case strings.HasPrefix(id, "cpe:"):
		return Product{CPE: id}
	}
	return Product{Ref: id}
}

// ---- CycloneDX VEX ----

type cdxDoc struct {
	SerialNumber string `json:"serialNumber"`
	Metadata     struct {
		Timestamp string `json:"timestamp"`
	} `json:"metadata"`
	Components      []cdxComponent `json:"components"`
	Vulnerabilities []cdxVuln      `json:"vulnerabilities"`
}

type cdxComponent struct {
	BOMRef     string         `json:"bom-ref"`
	Name       string         `json:"name"`
	PURL       string         `json:"purl"`
	CPE        string         `json:"cpe"`
	Components []cdxComponent `json:"components"`
}

type cdxVuln struct {
	ID         string `json:"id"`
	References []struct {
		ID string `json:"id"`
	} `json:"references"`
	Analysis struct {
		State         string   `json:"state"`
		Justification string   `json:"justification"`
		Response      []string `json:"response"`
		Detail        string   `json:"detail"`
		LastUpdated   string   `json:"lastUpdated"`
	} `json:"analysis"`
	Affects []struct {
		Ref      string `json:"ref"`
		Versions []struct {
			Version string `json:"version"`
			Range   string `json:"range"`
			Status  string `json:"status"`
		} `json:"versions"`
	} `json:"affects"`
}

var cdxStates = map[string]string{
	"not_affected":           StatusNotAffected,
	"false_positive":         StatusNotAffected,
	"resolved":               StatusFixed,
	"resolved_with_pedigree": StatusFixed,
	"exploitable":            StatusAffected,
	"in_triage":              StatusUnderInvestigation,
}

func parseCycloneDXVEX(b []byte) (*VEXDocument, error) {
	var cd cdxDoc
	if err := json.Unmarshal(b, &cd); err != nil {
		return nil, err
	}
	d := &VEXDocument{ID: cd.SerialNumber, Timestamp: cd.Metadata.Timestamp}
	refs := map[string]cdxComponent{}
	var walk func(cs []cdxComponent, depth int)
	walk = func(cs []cdxComponent, depth int) {
		if depth > 64 {
			return
		}
		for _, c := range cs {
			if c.BOMRef != "" {
				refs[c.BOMRef] = c
			}
			walk(c.Components, depth+1)
		}
	}
	walk(cd.Components, 0)
	for i, v := range cd.Vulnerabilities {
		if v.ID == "" {
			d.Problems = append(d.Problems, fmt.Sprintf("/vulnerabilities/%d: no id", i))
			continue
		}
		state := strings.TrimSpace(v.Analysis.State)
		if state == "" {
			// A vulnerability without analysis is a scanner result, not a
			// VEX statement: nothing to apply.
			continue
		}
		status, ok := cdxStates[state]
		if !ok {
			d.Problems = append(d.Problems, fmt.Sprintf("/vulnerabilities/%d/analysis/state: unknown state %q", i, truncate(state, 40)))
			continue
		}
		var aliases []string
		for _, r := range v.References {
			if r.ID != "" {
				aliases = append(aliases, r.ID)
			}
		}
		base := Statement{Vulnerability: v.ID, Aliases: aliases, Status: status, RawStatus: state,
			Justification: v.Analysis.Justification, Impact: v.Analysis.Detail,
			Action: strings.Join(v.Analysis.Response, ", "), Timestamp: firstNonEmpty(v.Analysis.LastUpdated, cd.Metadata.Timestamp)}
		if len(v.Affects) == 0 {
			d.Problems = append(d.Problems, fmt.Sprintf("/vulnerabilities/%d: no affects", i))
			continue
		}
		for _, a := range v.Affects {
			ref := a.Ref
			// A BOM-Link (urn:cdx:serial/version#ref) names a component of
			// another BOM by its bom-ref.
			if strings.HasPrefix(ref, "urn:cdx:") {
				if _, frag, ok := strings.Cut(ref, "#"); ok {
					ref = frag
				}
			}
			p := productFromID(ref)
			if c, ok := refs[ref]; ok {
				p = Product{PURL: c.PURL, CPE: c.CPE, Ref: ref, Name: c.Name}
			} else if p.PURL != "" {
				p.Ref = ref
			}
			s := base
			s.Product = p
			// A version entry's own status refines the analysis state.
			for _, ver := range a.Versions {
				if ver.Status == "unaffected" && status == StatusAffected {
					d.Problems = append(d.Problems, fmt.Sprintf("/vulnerabilities/%d: affects %s lists unaffected versions; the analysis state %q is applied", i, truncate(a.Ref, 60), state))
				}
			}
			d.Statements = append(d.Statements, s)
		}
	}
	return d, nil
}

// ---- CSAF 2.0 VEX ----

type csafDoc struct {
	Document struct {
		Category  string `json:"category"`
		Publisher struct {
			Name string `json:"name"`
		} `json:"publisher"`
		Tracking struct {
			ID                 string `json:"id"`
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
	} `json:"document"`
	ProductTree struct {
		Branches         []csafBranch  `json:"branches"`
		FullProductNames []csafProduct `json:"full_product_names"`
		ProductGroups    []struct {
			GroupID    string   `json:"group_id"`
			ProductIDs []string `json:"product_ids"`
		} `json:"product_groups"`
		Relationships []struct {
			Category                  string      `json:"category"`
			FullProductName           csafProduct `json:"full_product_name"`
			ProductReference          string      `json:"product_reference"`
			RelatesToProductReference string      `json:"relates_to_product_reference"`
		} `json:"relationships"`
	} `json:"product_tree"`
	Vulnerabilities []csafVuln `json:"vulnerabilities"`
}

type csafBranch struct {
	Category string       `json:"category"`
	Name     string       `json:"name"`
	Product  *csafProduct `json:"product"`
	Branches []csafBranch `json:"branches"`
}

type csafProduct struct {
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	Helper    struct {
		PURL string `json:"purl"`
		CPE  string `json:"cpe"`
	} `json:"product_identification_helper"`
}

type csafRef struct {
	ProductIDs []string `json:"product_ids"`
	GroupIDs   []string `json:"group_ids"`
}

type csafVuln struct {
	CVE string `json:"cve"`
	IDs []struct {
		SystemName string `json:"system_name"`
		Text       string `json:"text"`
	} `json:"ids"`
	ProductStatus map[string][]string `json:"product_status"`
	Flags         []struct {
		csafRef
		Label string `json:"label"`
		Date  string `json:"date"`
	} `json:"flags"`
	Threats []struct {
		csafRef
		Category string `json:"category"`
		Details  string `json:"details"`
	} `json:"threats"`
	Remediations []struct {
		csafRef
		Category string `json:"category"`
		Details  string `json:"details"`
	} `json:"remediations"`
}

var csafStatuses = map[string]string{
	"known_not_affected":  StatusNotAffected,
	"known_affected":      StatusAffected,
	"first_affected":      StatusAffected,
	"last_affected":       StatusAffected,
	"fixed":               StatusFixed,
	"first_fixed":         StatusFixed,
	"under_investigation": StatusUnderInvestigation,
}

func parseCSAF(b []byte) (*VEXDocument, error) {
	var cd csafDoc
	if err := json.Unmarshal(b, &cd); err != nil {
		return nil, err
	}
	d := &VEXDocument{ID: cd.Document.Tracking.ID, Author: cd.Document.Publisher.Name, Timestamp: cd.Document.Tracking.CurrentReleaseDate}
	products := map[string]Product{}
	add := func(p csafProduct) {
		if p.ProductID != "" {
			products[p.ProductID] = Product{PURL: p.Helper.PURL, CPE: p.Helper.CPE, Ref: p.ProductID, Name: p.Name}
		}
	}
	var walk func(bs []csafBranch, depth int)
	walk = func(bs []csafBranch, depth int) {
		if depth > 64 {
			return
		}
		for _, br := range bs {
			if br.Product != nil {
				add(*br.Product)
			}
			walk(br.Branches, depth+1)
		}
	}
	walk(cd.ProductTree.Branches, 0)
	for _, p := range cd.ProductTree.FullProductNames {
		add(p)
	}
	// A relationship's product is its component (product_reference)
	// installed in a platform: match it by the component's identifiers.
	for _, r := range cd.ProductTree.Relationships {
		p := Product{Ref: r.FullProductName.ProductID, Name: r.FullProductName.Name,
			PURL: r.FullProductName.Helper.PURL, CPE: r.FullProductName.Helper.CPE}
		if comp, ok := products[r.ProductReference]; ok && p.PURL == "" && p.CPE == "" {
			p.PURL, p.CPE = comp.PURL, comp.CPE
		}
		if plat, ok := products[r.RelatesToProductReference]; ok {
			p.Parent = firstNonEmpty(plat.PURL, plat.CPE, plat.Name, plat.Ref)
		}
		if p.Ref != "" {
			products[p.Ref] = p
		}
	}
	groups := map[string][]string{}
	for _, g := range cd.ProductTree.ProductGroups {
		groups[g.GroupID] = g.ProductIDs
	}
	expand := func(r csafRef) []string {
		out := append([]string(nil), r.ProductIDs...)
		for _, g := range r.GroupIDs {
			out = append(out, groups[g]...)
		}
		return out
	}
	for i, v := range cd.Vulnerabilities {
		vid := v.CVE
		var aliases []string
		for _, id := range v.IDs {
			if vid == "" {
				vid = id.Text
			} else if id.Text != "" {
				aliases = append(aliases, id.Text)
			}
		}
		if vid == "" {
			d.Problems = append(d.Problems, fmt.Sprintf("/vulnerabilities/%d: no cve or ids", i))
			continue
		}
		just, impact, action := map[string]string{}, map[string]string{}, map[string]string{}
		for _, f := range v.Flags {
			for _, pid := range expand(f.csafRef) {
				just[pid] = f.Label
			}
		}
		for _, t := range v.Threats {
			if t.Category == "impact" {
				for _, pid := range expand(t.csafRef) {
					impact[pid] = t.Details
				}
			}
		}
		for _, r := range v.Remediations {
			for _, pid := range expand(r.csafRef) {
				action[pid] = firstNonEmpty(action[pid], r.Category+": "+r.Details)
			}
		}
		for _, raw := range sortedKeys(v.ProductStatus) {
			status, ok := csafStatuses[raw]
			if !ok {
				continue // recommended: not a status of the product
			}
			for _, pid := range v.ProductStatus[raw] {
				p, ok := products[pid]
				if !ok {
					d.Problems = append(d.Problems, fmt.Sprintf("/vulnerabilities/%d/product_status/%s: unknown product id %q", i, raw, truncate(pid, 60)))
					continue
				}
				d.Statements = append(d.Statements, Statement{Vulnerability: vid, Aliases: aliases, Product: p,
					Status: status, RawStatus: raw, Justification: just[pid], Impact: impact[pid], Action: action[pid],
					Timestamp: d.Timestamp})
			}
		}
	}
	return d, nil
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
