package sbom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// SPDX 3.0 JSON-LD: no Go library reads it, so this is a focused decoder for
// the Core and Software profiles. It reads the serialisation the SPDX 3.0
// JSON schema defines: {"@context": ..., "@graph": [element, ...]}, each
// element with "type" and "spdxId" (or "@id"), compact property names
// ("software_packageVersion") and references as id strings or inline
// objects. Elements of other profiles are counted and otherwise ignored.

// spdx3Element is the union of the properties pedigree reads.
type spdx3Element struct {
	Type   string `json:"type"`
	AtType string `json:"@type"`
	SpdxID string `json:"spdxId"`
	AtID   string `json:"@id"`
	Name   string `json:"name"`

	CreationInfo json.RawMessage `json:"creationInfo"`

	// CreationInfo
	Created      string            `json:"created"`
	CreatedBy    []json.RawMessage `json:"createdBy"`
	CreatedUsing []json.RawMessage `json:"createdUsing"`
	SpecVersion  string            `json:"specVersion"`

	// Element
	ExternalIdentifier []struct {
		Type       string `json:"type"`
		IDType     string `json:"externalIdentifierType"`
		Identifier string `json:"identifier"`
	} `json:"externalIdentifier"`
	VerifiedUsing []struct {
		Type      string `json:"type"`
		Algorithm string `json:"algorithm"`
		HashValue string `json:"hashValue"`
	} `json:"verifiedUsing"`
	OriginatedBy []json.RawMessage `json:"originatedBy"`
	SuppliedBy   json.RawMessage   `json:"suppliedBy"`

	// Agent contact (Person/Organization externalIdentifier email is
	// covered above)

	// software_Package / software_SoftwareArtifact
	PackageVersion     string            `json:"software_packageVersion"`
	PackageURL         string            `json:"software_packageUrl"`
	DownloadLocation   string            `json:"software_downloadLocation"`
	SourceInfo         string            `json:"software_sourceInfo"`
	PrimaryPurpose     string            `json:"software_primaryPurpose"`
	CopyrightText      string            `json:"software_copyrightText"`
	HomePage           string            `json:"software_homePage"`
	SbomType           []string          `json:"software_sbomType"`
	RootElement        []json.RawMessage `json:"rootElement"`
	Element            []json.RawMessage `json:"element"`
	ProfileConformance []string          `json:"profileConformance"`

	// Relationship
	From             json.RawMessage   `json:"from"`
	To               []json.RawMessage `json:"to"`
	RelationshipType string            `json:"relationshipType"`
}

func (e *spdx3Element) kind() string {
	t := e.Type
	if t == "" {
		t = e.AtType
	}
	return strings.TrimPrefix(strings.TrimPrefix(t, "spdx:"), "https://spdx.org/rdf/3.0.1/terms/")
}

func (e *spdx3Element) id() string {
	if e.SpdxID != "" {
		return e.SpdxID
	}
	return e.AtID
}

// refOf reads a reference: an id string or an inline object with an id.
func refOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	var obj spdx3Element
	if json.Unmarshal(raw, &obj) == nil {
		return obj.id()
	}
	return ""
}

func parseSPDX3(d *Document, raw []byte, o Options) {
	var top struct {
		Context json.RawMessage   `json:"@context"`
		Graph   []json.RawMessage `json:"@graph"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		d.Error = "decode SPDX 3 JSON-LD: " + oneLine(err.Error())
		return
	}
	var generic any
	if !o.SkipSchema && int64(len(raw)) <= o.schemaLimit() {
		if _, err := schemaFor(schemaFile(FormatSPDX, EncodingJSONLD, "3.0.1")); err == nil {
			if g, err := decodeGeneric(raw); err == nil {
				generic = g
			}
		}
	}
	items := top.Graph
	if len(items) == 0 {
		// A single object without @graph is allowed by the schema.
		items = []json.RawMessage{raw}
	}
	els := make([]spdx3Element, 0, len(items))
	byID := make(map[string]int, len(items))
	var problems []string
	for i, it := range items {
		var e spdx3Element
		if err := json.Unmarshal(it, &e); err != nil {
			problems = append(problems, fmt.Sprintf("/@graph/%d: %s", i, oneLine(err.Error())))
			continue
		}
		if e.kind() == "" {
			problems = append(problems, fmt.Sprintf("/@graph/%d: element has no type", i))
		}
		if id := e.id(); id != "" {
			if _, dup := byID[id]; dup {
				d.DuplicateRefs = append(d.DuplicateRefs, id)
			}
			byID[id] = len(els)
		}
		els = append(els, e)
	}
	name := func(ref string) string {
		if i, ok := byID[ref]; ok {
			if n := els[i].Name; n != "" {
				return n
			}
		}
		return ref
	}
	// CreationInfo: a CreationInfo element (usually a blank node
	// "_:creationinfo") or inline on the SpdxDocument/Sbom.
	var ci *spdx3Element
	var rootRefs []string
	for i := range els {
		e := &els[i]
		switch e.kind() {
		case "CreationInfo":
			if ci == nil {
				ci = e
			}
		case "SpdxDocument", "software_Sbom":
			for _, r := range e.RootElement {
				if ref := refOf(r); ref != "" {
					rootRefs = append(rootRefs, ref)
				}
			}
			if e.kind() == "software_Sbom" {
				d.Lifecycle = append(d.Lifecycle, e.SbomType...)
			}
			if d.Name == "" {
				d.Name = e.Name
			}
			if d.SerialNumber == "" {
				d.SerialNumber = e.id()
			}
			if ci == nil && len(bytes.TrimSpace(e.CreationInfo)) > 0 && bytes.TrimSpace(e.CreationInfo)[0] == '{' {
				var inline spdx3Element
				if json.Unmarshal(e.CreationInfo, &inline) == nil {
					ci = &inline
				}
			}
		}
	}
	if ci != nil {
		d.Timestamp = ci.Created
		if ci.SpecVersion != "" {
			d.SpecVersion = ci.SpecVersion
		}
		for _, a := range ci.CreatedBy {
			if ref := refOf(a); ref != "" {
				d.Authors = append(d.Authors, name(ref))
				if i, ok := byID[ref]; ok {
					for _, x := range els[i].ExternalIdentifier {
						if x.IDType == "email" || x.IDType == "urlScheme" {
							d.AuthorContacts = append(d.AuthorContacts, x.Identifier)
						}
					}
				}
			}
		}
		for _, t := range ci.CreatedUsing {
			if ref := refOf(t); ref != "" {
				d.Tools = append(d.Tools, name(ref))
			}
		}
	} else {
		problems = append(problems, "no CreationInfo")
	}
	pkgIndex := map[string]int{}
	for i := range els {
		e := &els[i]
		if e.kind() != "software_Package" {
			continue
		}
		c := Component{
			Ref: e.id(), Type: e.PrimaryPurpose, Name: e.Name, Version: e.PackageVersion,
			PURL: strings.TrimSpace(e.PackageURL), VCS: e.SourceInfo,
		}
		if e.DownloadLocation != "" && !noAssertion(e.DownloadLocation) {
			c.DownloadLocation = e.DownloadLocation
		}
		if ref := refOf(e.SuppliedBy); ref != "" {
			c.Supplier = name(ref)
		}
		for _, ob := range e.OriginatedBy {
			if ref := refOf(ob); ref != "" {
				c.Originator = name(ref)
				break
			}
		}
		for _, x := range e.ExternalIdentifier {
			switch x.IDType {
			case "packageUrl":
				if c.PURL == "" {
					c.PURL = x.Identifier
				}
			case "cpe22", "cpe23":
				if c.CPE == "" {
					c.CPE = x.Identifier
				}
			case "swid":
				if c.SWID == "" {
					c.SWID = x.Identifier
				}
			}
		}
		for _, h := range e.VerifiedUsing {
			if h.HashValue != "" {
				c.Hashes = append(c.Hashes, Hash{Algorithm: normHashAlg(h.Algorithm), Value: h.HashValue})
			}
		}
		pkgIndex[c.Ref] = len(d.Components)
		d.Components = append(d.Components, c)
	}
	d.Dependencies = map[string][]string{}
	for i := range els {
		e := &els[i]
		if !strings.HasSuffix(e.kind(), "Relationship") {
			continue
		}
		from := refOf(e.From)
		rt := e.RelationshipType
		if rt == "describes" {
			for _, t := range e.To {
				rootRefs = append(rootRefs, refOf(t))
			}
			continue
		}
		if rt == "hasDeclaredLicense" || rt == "hasConcludedLicense" {
			for _, t := range e.To {
				if j, ok := pkgIndex[from]; ok {
					d.Components[j].Licenses = append(d.Components[j].Licenses, name(refOf(t)))
				}
			}
			continue
		}
		switch rt {
		case "dependsOn", "contains", "hasStaticLink", "hasDynamicLink", "hasPrerequisite", "hasOptionalDependency",
			"hasProvidedDependency", "hasDependencyManifest", "hasDistributionArtifact", "ancestorOf", "generates", "packagedBy":
			for _, t := range e.To {
				if to := refOf(t); to != "" && from != "" {
					d.Dependencies[from] = append(d.Dependencies[from], to)
					d.HasDependencies = true
				}
			}
		}
	}
	if len(d.Dependencies) == 0 {
		d.Dependencies = nil
	}
	for _, ref := range rootRefs {
		if j, ok := pkgIndex[ref]; ok {
			p := d.Components[j]
			d.Primary = &p
			break
		}
	}
	sch, err := schemaFor(schemaFile(d.Format, d.Encoding, d.SpecVersion))
	switch {
	case o.SkipSchema:
		d.SchemaErrors = []string{"schema validation skipped"}
	case err == nil && generic != nil:
		d.SchemaErrors = validateSchema(sch, generic)
		d.SchemaValid = len(d.SchemaErrors) == 0
		d.SchemaChecked = true
	default:
		// No official schema embedded for this version: structural checks.
		if !strings.HasPrefix(d.SpecVersion, "3.") {
			problems = append(problems, fmt.Sprintf("specVersion %q is not an SPDX 3 version", d.SpecVersion))
		}
		if ci != nil {
			if ci.Created == "" {
				problems = append(problems, "CreationInfo.created is missing")
			}
			if len(ci.CreatedBy) == 0 {
				problems = append(problems, "CreationInfo.createdBy is missing")
			}
		}
		if len(problems) > maxSchemaErrors {
			problems = problems[:maxSchemaErrors]
		}
		d.SchemaErrors = problems
		d.SchemaValid = len(problems) == 0
		d.SchemaChecked = true
	}
}
