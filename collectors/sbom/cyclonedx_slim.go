package sbom

import (
	"bytes"
	"fmt"

	cdx "github.com/CycloneDX/cyclonedx-go"
	gojson "github.com/goccy/go-json"
)

// slimBOM is the part of a CycloneDX JSON BOM that pedigree judges, built
// from cyclonedx-go's own types. Decoding into it rather than into the
// whole cdx.BOM skips what no check reads (evidence, properties other than
// the component's, services, formulation, ...) without allocating it:
// on a 100,000-component SBOM that halves the heap and the decode time.
type slimBOM[C slimComp[C]] struct {
	BOMFormat    string            `json:"bomFormat"`
	SpecVersion  string            `json:"specVersion"`
	SerialNumber string            `json:"serialNumber"`
	Metadata     *cdx.Metadata     `json:"metadata"`
	Components   []C               `json:"components"`
	Dependencies []cdx.Dependency  `json:"dependencies"`
	Signature    gojson.RawMessage `json:"signature"`
}

// slimFields are the component fields every check reads.
type slimFields struct {
	BOMRef             string                    `json:"bom-ref"`
	Type               cdx.ComponentType         `json:"type"`
	Supplier           *cdx.OrganizationalEntity `json:"supplier"`
	Manufacturer       *cdx.OrganizationalEntity `json:"manufacturer"`
	Name               string                    `json:"name"`
	Version            string                    `json:"version"`
	Hashes             *[]cdx.Hash               `json:"hashes"`
	Licenses           *cdx.Licenses             `json:"licenses"`
	CPE                string                    `json:"cpe"`
	PackageURL         string                    `json:"purl"`
	SWID               *cdx.SWID                 `json:"swid"`
	Pedigree           *cdx.Pedigree             `json:"pedigree"`
	ExternalReferences *[]cdx.ExternalReference  `json:"externalReferences"`
}

// slimComponent leaves properties out: generators such as syft attach
// many, and only BSI TR-03183's bsi:* ones are read.
type slimComponent struct {
	slimFields
	Components []slimComponent `json:"components"`
}

// bsiComponent is used when the document mentions bsi: properties.
type bsiComponent struct {
	slimFields
	Properties *[]cdx.Property `json:"properties"`
	Components []bsiComponent  `json:"components"`
}

// slimComp is what appendSlim needs of either component type.
type slimComp[C any] interface {
	slimComponent | bsiComponent
}

func fieldsOf[C slimComp[C]](c *C) (*slimFields, *[]cdx.Property, []C) {
	switch x := any(c).(type) {
	case *slimComponent:
		return &x.slimFields, nil, any(x.Components).([]C)
	case *bsiComponent:
		return &x.slimFields, x.Properties, any(x.Components).([]C)
	}
	return nil, nil, nil
}

func toCDX(f *slimFields, props *[]cdx.Property) cdx.Component {
	return cdx.Component{
		BOMRef: f.BOMRef, Type: f.Type, Supplier: f.Supplier, Manufacturer: f.Manufacturer,
		Name: f.Name, Version: f.Version, Hashes: f.Hashes, Licenses: f.Licenses, CPE: f.CPE,
		PackageURL: f.PackageURL, SWID: f.SWID, Pedigree: f.Pedigree,
		ExternalReferences: f.ExternalReferences, Properties: props,
	}
}

var knownCDXVersions = map[string]bool{"1.0": true, "1.1": true, "1.2": true, "1.3": true, "1.4": true, "1.5": true, "1.6": true, "1.7": true}

// decodeSlim decodes CycloneDX JSON into d. A bomFormat other than
// "CycloneDX" does not stop the decode: the document is still CycloneDX, one
// that fails its schema, and formatProblem says why.
func decodeSlim(d *Document, raw []byte) (formatProblem string, err error) {
	if bytes.Contains(raw, []byte("bsi:component")) {
		return decodeSlimAs[bsiComponent](d, raw)
	}
	return decodeSlimAs[slimComponent](d, raw)
}

func decodeSlimAs[C slimComp[C]](d *Document, raw []byte) (string, error) {
	if p, ok, err := decodeSlimSplit[C](d, raw); ok {
		return p, err
	}
	var bom slimBOM[C]
	if err := gojson.Unmarshal(raw, &bom); err != nil {
		return "", err
	}
	return finishSlim(d, &bom, nil)
}

// decodeSlimSplit decodes the components array one element at a time and
// the rest of the document on its own. Decoded whole, a 1,000,000-component
// SBOM holds the decoder's copy of the input and an array of decoded
// components beside the Document's, about four times the file's size; here
// only one component is decoded at a time. ok is false, with nothing done,
// when the document is one the split cannot read (malformed, or no
// components array): decodeSlimAs then decodes it whole, which reports any
// error exactly as before.
func decodeSlimSplit[C slimComp[C]](d *Document, raw []byte) (string, bool, error) {
	if wholeDecode {
		return "", false, nil
	}
	cs, ce, found := memberSpan(raw, "components")
	if !found || raw[cs] != '[' {
		return "", false, nil
	}
	arr := raw[cs:ce]
	n := 0
	if !arrayElements(arr, func(int, int) bool { n++; return true }) {
		return "", false, nil
	}
	rest := make([]byte, 0, len(raw)-len(arr)+4)
	rest = append(append(append(rest, raw[:cs]...), "null"...), raw[ce:]...)
	var bom slimBOM[C]
	if gojson.Unmarshal(rest, &bom) != nil {
		return "", false, nil
	}
	comps := make([]Component, 0, n)
	var (
		zero C
		one  = make([]C, 1)
	)
	if !arrayElements(arr, func(s, e int) bool {
		one[0] = zero
		if gojson.Unmarshal(arr[s:e], &one[0]) != nil {
			return false
		}
		appendSlim(&comps, one[:1], "")
		return true
	}) {
		return "", false, nil
	}
	if len(comps) == 0 {
		comps = nil // as the whole decode leaves an empty array
	}
	p, err := finishSlim(d, &bom, comps)
	splitDecodes.Add(1)
	return p, true, err
}

// finishSlim fills d from a decoded BOM; comps, when not nil, are its
// components already converted.
func finishSlim[C slimComp[C]](d *Document, bom *slimBOM[C], comps []Component) (string, error) {
	formatProblem := ""
	if bom.BOMFormat != cdx.BOMFormat {
		formatProblem = "/bomFormat: value must be '" + cdx.BOMFormat + "'"
	}
	if !knownCDXVersions[bom.SpecVersion] {
		return formatProblem, fmt.Errorf("unsupported CycloneDX specVersion %q (1.0 to 1.7 are read)", bom.SpecVersion)
	}
	if d.SpecVersion == "" {
		d.SpecVersion = bom.SpecVersion
	}
	meta := &cdx.BOM{SerialNumber: bom.SerialNumber, Metadata: bom.Metadata}
	if bom.Dependencies != nil {
		meta.Dependencies = &bom.Dependencies
	}
	fromBOM(d, meta)
	switch {
	case comps != nil:
		d.Components = comps
	case len(bom.Components) > 0:
		d.Components = make([]Component, 0, countSlim(bom.Components))
		appendSlim(&d.Components, bom.Components, "")
	}
	if len(bom.Signature) > 0 && string(bom.Signature) != "null" {
		d.Signed = true
	}
	return formatProblem, nil
}

func countSlim[C slimComp[C]](cs []C) int {
	n := 0
	stack := [][]C{cs}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n += len(top)
		for i := range top {
			if _, _, kids := fieldsOf(&top[i]); len(kids) > 0 {
				stack = append(stack, kids)
			}
		}
	}
	return n
}

// appendSlim flattens nested components depth first, iteratively, and
// drops each decoded component once converted so its memory can go.
func appendSlim[C slimComp[C]](out *[]Component, cs []C, parent string) {
	type frame struct {
		cs     []C
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
		fields, props, kids := fieldsOf(c)
		cc := toCDX(fields, props)
		*out = append(*out, convertComponent(&cc, p))
		if len(kids) > 0 {
			stack = append(stack, frame{kids, fields.BOMRef})
		}
		*fields = slimFields{}
	}
}
