package sbom

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"

	cdx "github.com/CycloneDX/cyclonedx-go"
	gojson "github.com/goccy/go-json"
)

func sortStrings(s []string) { sort.Strings(s) }

// DefaultSchemaMaxSize is the largest JSON document validated against its
// schema when Options.SchemaMaxSize is zero. Validating a generic decode of
// a 100 MB SBOM costs ten times its typed decode; above this size the
// document is parsed and judged, and SBOM-SCHEMA-VALID says it was not
// schema-validated.
const DefaultSchemaMaxSize = 32 << 20

func (o Options) schemaLimit() int64 {
	switch {
	case o.SchemaMaxSize < 0:
		return 1<<63 - 1
	case o.SchemaMaxSize == 0:
		return DefaultSchemaMaxSize
	}
	return o.SchemaMaxSize
}

// parseCycloneDXJSON decodes with goccy/go-json into cyclonedx-go's BOM and,
// concurrently, decodes the same bytes generically and validates them
// against the official schema of the version they state.
func parseCycloneDXJSON(d *Document, raw []byte, o Options) {
	type schemaResult struct {
		generic any
		errs    []string
		checked bool
		version string
	}
	// The version names the schema; detection read it from the head of
	// the file, else it is looked for further on.
	version := d.SpecVersion
	if version == "" {
		version = cdxVersionAnywhere(raw)
	}
	wantSchema := !o.SkipSchema && int64(len(raw)) <= o.schemaLimit()
	var (
		wg  sync.WaitGroup
		res schemaResult
	)
	if wantSchema {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res.version = version
			c, err := compiledFor(schemaFile(FormatCycloneDX, EncodingJSON, version))
			if err != nil {
				if !gojson.Valid(raw) {
					res.errs = []string{"not valid JSON"}
					return
				}
				res.errs = []string{fmt.Sprintf("no embedded schema for CycloneDX %q", version)}
				return
			}
			// The bytes are walked, not decoded into a tree: on a large
			// SBOM the tree would cost more than the typed decode.
			res.errs, res.checked = c.validateRaw(raw)
		}()
	}
	formatProblem, decErr := decodeSlim(d, raw)
	wg.Wait()

	if d.SpecVersion == "" {
		d.SpecVersion = res.version
	}
	switch {
	case o.SkipSchema:
		d.SchemaErrors = []string{"schema validation skipped"}
	case !wantSchema:
		d.SchemaErrors = []string{fmt.Sprintf("document is %d bytes, above sbom.schema-max-size (%d): not validated against the schema", len(raw), o.schemaLimit())}
	default:
		d.SchemaErrors = res.errs
		d.SchemaChecked = res.checked
		d.SchemaValid = res.checked && len(res.errs) == 0
	}
	if formatProblem != "" {
		// The schema says so when it ran; say it also when it did not.
		d.SchemaValid = false
		if !d.SchemaChecked {
			d.SchemaErrors = append([]string{formatProblem}, d.SchemaErrors...)
		}
	}
	if decErr != nil {
		d.Error = "decode CycloneDX JSON: " + decodeMessage(decErr)
		d.SchemaValid = false
		d.Components, d.Primary, d.Dependencies = nil, nil, nil
		return
	}
	if d.Signed {
		g := res.generic
		if g == nil {
			var err error
			if g, err = decodeGeneric(raw); err != nil {
				d.Signature = &Signature{Problem: "document is not valid JSON: " + oneLine(err.Error())}
				return
			}
		}
		d.Signature = verifyJSF(g)
	}
}

// cdxVersionAnywhere finds specVersion past the detection window (it may
// follow a large components array).
func cdxVersionAnywhere(raw []byte) string {
	if i := bytes.Index(raw, []byte(`"specVersion"`)); i >= 0 {
		end := min(len(raw), i+64)
		if m := reJSONCdxVersion.FindSubmatch(raw[i:end]); m != nil {
			return string(m[1])
		}
	}
	return ""
}

// decodeGeneric decodes JSON into the generic form the schema validator
// reads (objects, arrays, json.Number), refusing trailing data.
func decodeGeneric(raw []byte) (any, error) {
	dec := gojson.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	// More is false at a closing bracket, so a stray '}' or ']' after the
	// value would pass it: what follows must be space alone.
	if rest := raw[min(int(dec.InputOffset()), len(raw)):]; len(bytes.TrimLeft(rest, " \t\r\n")) > 0 {
		return nil, fmt.Errorf("trailing data after the top-level value")
	}
	return v, nil
}

func decodeMessage(err error) string {
	s := oneLine(err.Error())
	return strings.TrimPrefix(s, "json: ")
}

// parseCycloneDXXML decodes CycloneDX XML with encoding/xml (which never
// resolves external entities; a DOCTYPE is refused before decoding). XML is
// validated structurally: the decoded BOM is re-encoded as JSON of the same
// version and checked against the official JSON schema, which catches
// missing required elements and values outside the enumerations. XSD-only
// constraints are not checked (Go has no XSD validator).
func parseCycloneDXXML(d *Document, raw []byte, o Options) {
	if err := checkXMLProlog(raw); err != nil {
		d.Error = err.Error()
		return
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(raw), cdx.BOMFileFormatXML).Decode(&bom); err != nil {
		d.Error = "decode CycloneDX XML: " + oneLine(err.Error())
		return
	}
	fromBOM(d, &bom)
	if o.SkipSchema {
		d.SchemaErrors = []string{"schema validation skipped"}
		return
	}
	sch, err := schemaFor(schemaFile(d.Format, EncodingJSON, d.SpecVersion))
	if err != nil {
		d.SchemaErrors = []string{fmt.Sprintf("no embedded schema for CycloneDX %q", d.SpecVersion)}
		return
	}
	bom.BOMFormat = cdx.BOMFormat
	bom.JSONSchema = ""
	// Marshal as is: cyclonedx-go's encoder would "convert" values unknown
	// to a version (an invalid component type becomes "application").
	js, err := gojson.Marshal(&bom)
	if err != nil {
		d.SchemaErrors = []string{"structural check: " + oneLine(err.Error())}
		return
	}
	generic, err := decodeGeneric(xmlWhitespace(js))
	if err != nil {
		d.SchemaErrors = []string{"structural check: " + oneLine(err.Error())}
		return
	}
	d.SchemaErrors = validateSchema(sch, generic)
	d.SchemaValid = len(d.SchemaErrors) == 0
	d.SchemaChecked = true
}

// xmlWhitespace replaces each tab, line feed and carriage return inside the
// JSON strings of js with a space. The XSD types most CycloneDX strings as
// xs:normalizedString, whose values an XML validator reads after that
// replacement, so a description wrapped over lines is valid XML; the JSON
// schema states the same type as the pattern "^(.*)$", which the raw text
// would fail.
func xmlWhitespace(js []byte) []byte {
	out := make([]byte, 0, len(js))
	for i := 0; i < len(js); i++ {
		if js[i] != '\\' || i+1 >= len(js) {
			out = append(out, js[i])
			continue
		}
		switch esc := js[i+1]; {
		case esc == 'n' || esc == 'r' || esc == 't':
			out = append(out, ' ')
			i++
		case esc == 'u' && i+5 < len(js) && xmlSpaceEscape(js[i+2:i+6]):
			out = append(out, ' ')
			i += 5
		default:
			out = append(out, js[i], esc)
			i++
		}
	}
	return out
}

// xmlSpaceEscape tells whether the four hex digits of a \u escape name a
// tab, line feed or carriage return.
func xmlSpaceEscape(hex []byte) bool {
	switch strings.ToLower(string(hex)) {
	case "0009", "000a", "000d":
		return true
	}
	return false
}

// fromBOM normalises a decoded BOM into d.
func fromBOM(d *Document, bom *cdx.BOM) {
	if d.SpecVersion == "" && bom.SpecVersion != 0 {
		d.SpecVersion = bom.SpecVersion.String()
	}
	d.SerialNumber = bom.SerialNumber
	if md := bom.Metadata; md != nil {
		d.Timestamp = strings.TrimSpace(md.Timestamp)
		if md.Authors != nil {
			for _, a := range *md.Authors {
				if n := firstNonEmpty(a.Name, a.Email); n != "" {
					d.Authors = append(d.Authors, n)
				}
				if a.Email != "" {
					d.AuthorContacts = append(d.AuthorContacts, a.Email)
				}
			}
		}
		if md.Tools != nil {
			if md.Tools.Tools != nil {
				for _, t := range *md.Tools.Tools {
					if t.Name != "" {
						d.Tools = append(d.Tools, joinNonEmpty(" ", t.Vendor, t.Name, t.Version))
					}
				}
			}
			if md.Tools.Components != nil {
				for _, t := range *md.Tools.Components {
					if t.Name != "" {
						d.Tools = append(d.Tools, joinNonEmpty(" ", t.Group, t.Name, t.Version))
					}
				}
			}
			if md.Tools.Services != nil {
				for _, t := range *md.Tools.Services {
					if t.Name != "" {
						d.Tools = append(d.Tools, joinNonEmpty(" ", t.Group, t.Name, t.Version))
					}
				}
			}
		}
		for _, org := range []*cdx.OrganizationalEntity{md.Supplier, md.Manufacturer, md.Manufacture} {
			if org == nil {
				continue
			}
			if d.Supplier == "" && strings.TrimSpace(org.Name) != "" {
				d.Supplier = strings.TrimSpace(org.Name)
			}
			d.AuthorContacts = append(d.AuthorContacts, orgContacts(org)...)
		}
		if md.Lifecycles != nil {
			for _, l := range *md.Lifecycles {
				if p := firstNonEmpty(string(l.Phase), l.Name); p != "" {
					d.Lifecycle = append(d.Lifecycle, p)
				}
			}
		}
		if md.Component != nil {
			p := convertComponent(md.Component, "")
			d.Primary = &p
			d.Name = p.Name
		}
	}
	if bom.Components != nil {
		d.Components = make([]Component, 0, len(*bom.Components))
		appendComponents(&d.Components, *bom.Components, "")
	}
	if bom.Dependencies != nil {
		d.Dependencies = make(map[string][]string, len(*bom.Dependencies))
		for _, dep := range *bom.Dependencies {
			var on []string
			if dep.Dependencies != nil {
				on = *dep.Dependencies
				if len(on) > 0 {
					d.HasDependencies = true
				}
			}
			d.Dependencies[dep.Ref] = append(d.Dependencies[dep.Ref], on...)
		}
	}
}

// appendComponents flattens nested components depth first, iteratively so
// that nesting depth costs no stack.
func appendComponents(out *[]Component, cs []cdx.Component, parent string) {
	type frame struct {
		cs     []cdx.Component
		parent string
	}
	stack := []frame{{cs, parent}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if len(f.cs) == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		c := &f.cs[0]
		f.cs = f.cs[1:]
		p := f.parent
		*out = append(*out, convertComponent(c, p))
		if c.Components != nil && len(*c.Components) > 0 {
			stack = append(stack, frame{*c.Components, c.BOMRef})
		}
	}
}

func convertComponent(c *cdx.Component, parent string) Component {
	out := Component{
		Ref: c.BOMRef, Type: string(c.Type), Name: c.Name, Version: c.Version,
		PURL: strings.TrimSpace(c.PackageURL), CPE: strings.TrimSpace(c.CPE),
	}
	if parent != "" {
		out.More().Parent = parent
	}
	if c.Supplier != nil {
		out.Supplier = strings.TrimSpace(c.Supplier.Name)
		if out.Supplier == "" && c.Supplier.URL != nil {
			for _, u := range *c.Supplier.URL {
				if strings.TrimSpace(u) != "" {
					out.Supplier = strings.TrimSpace(u)
					break
				}
			}
		}
	}
	if c.Manufacturer != nil {
		if v := strings.TrimSpace(c.Manufacturer.Name); v != "" {
			out.More().Originator = v
		}
	}
	if c.SWID != nil {
		if v := strings.TrimSpace(c.SWID.TagID); v != "" {
			out.More().SWID = v
		}
	}
	if c.Hashes != nil {
		out.Hashes = make([]Hash, 0, len(*c.Hashes))
		for _, h := range *c.Hashes {
			out.Hashes = append(out.Hashes, Hash{Algorithm: normHashAlg(string(h.Algorithm)), Value: h.Value})
		}
	}
	if c.Licenses != nil {
		for _, l := range *c.Licenses {
			switch {
			case l.Expression != "":
				out.Licenses = append(out.Licenses, l.Expression)
			case l.License != nil && firstNonEmpty(l.License.ID, l.License.Name) != "":
				out.Licenses = append(out.Licenses, firstNonEmpty(l.License.ID, l.License.Name))
			}
		}
	}
	if c.ExternalReferences != nil {
		for _, r := range *c.ExternalReferences {
			switch r.Type {
			case cdx.ERTypeDistribution, cdx.ERTypeDistributionIntake:
				if out.DownloadLocation() == "" && r.URL != "" {
					out.More().DownloadLocation = r.URL
				}
			case cdx.ERTypeVCS:
				if out.VCS() == "" && r.URL != "" {
					out.More().VCS = r.URL
				}
			}
		}
	}
	if p := c.Pedigree; p != nil {
		ped := &Pedigree{Notes: p.Notes}
		if p.Ancestors != nil {
			ped.Ancestors = len(*p.Ancestors)
		}
		if p.Patches != nil {
			ped.Patches = len(*p.Patches)
		}
		if p.Commits != nil {
			for _, cm := range *p.Commits {
				if id := firstNonEmpty(cm.UID, cm.URL); id != "" {
					ped.Commits = append(ped.Commits, id)
				}
			}
		}
		if ped.Ancestors > 0 || ped.Patches > 0 || len(ped.Commits) > 0 || ped.Notes != "" {
			out.More().Pedigree = ped
		}
	}
	if c.Properties != nil {
		for _, pr := range *c.Properties {
			if strings.HasPrefix(pr.Name, "bsi:") {
				x := out.More()
				if x.Properties == nil {
					x.Properties = map[string]string{}
				}
				x.Properties[pr.Name] = pr.Value
				if pr.Name == "bsi:component:filename" {
					x.FileName = pr.Value
				}
			}
		}
	}
	return out
}

func orgContacts(org *cdx.OrganizationalEntity) []string {
	var out []string
	if org.URL != nil {
		for _, u := range *org.URL {
			if strings.TrimSpace(u) != "" {
				out = append(out, strings.TrimSpace(u))
			}
		}
	}
	if org.Contact != nil {
		for _, c := range *org.Contact {
			if c.Email != "" {
				out = append(out, c.Email)
			}
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func joinNonEmpty(sep string, ss ...string) string {
	var parts []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}
