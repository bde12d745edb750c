package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// SPDX 3.0 JSON-LD: no Go library reads it, so this is a focused decoder for
// the Core and Software profiles. It reads the serialisation the SPDX 3.0
// JSON schema defines: {"@context": ..., "@graph": [element, ...]}, each
// element with "type" and "spdxId" (or "@id"), compact property names
// ("software_packageVersion") and references as id strings or inline
// objects. Elements of other profiles are counted and otherwise ignored.
//
// A document whose @context is SPDX 3.0.1's is validated against the
// official SPDX 3.0.1 JSON schema (schemas/spdx-3.0.1.schema.json); other
// SPDX 3 versions, for which no schema is embedded, are checked structurally.

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
	// The @context names the serialisation, hence the schema; Detect read
	// its version into SpecVersion, which CreationInfo overrides below.
	schema := spdx3Schema(raw, schemaFile(FormatSPDX, EncodingJSONLD, d.SpecVersion), o)
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
			PURL: strings.TrimSpace(e.PackageURL),
		}
		if e.SourceInfo != "" {
			c.More().VCS = e.SourceInfo
		}
		if e.DownloadLocation != "" && !noAssertion(e.DownloadLocation) {
			c.More().DownloadLocation = e.DownloadLocation
		}
		if ref := refOf(e.SuppliedBy); ref != "" {
			c.Supplier = name(ref)
		}
		for _, ob := range e.OriginatedBy {
			if ref := refOf(ob); ref != "" {
				if n := name(ref); n != "" {
					c.More().Originator = n
				}
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
				if c.SWID() == "" && x.Identifier != "" {
					c.More().SWID = x.Identifier
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
	if res, ok := <-schema; ok {
		d.SchemaErrors, d.SchemaChecked = res.errs, res.checked
		d.SchemaValid = res.checked && len(res.errs) == 0
		return
	}
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

type spdx3SchemaResult struct {
	errs    []string
	checked bool
}

// spdx3Schema validates raw against the schema in file, concurrently with
// the decoding of the elements. The channel is closed without a value when
// no schema is embedded for the document's version (the caller then checks
// it structurally).
func spdx3Schema(raw []byte, file string, o Options) <-chan spdx3SchemaResult {
	ch := make(chan spdx3SchemaResult, 1)
	switch {
	case file == "":
		close(ch)
	case o.SkipSchema:
		ch <- spdx3SchemaResult{errs: []string{"schema validation skipped"}}
	case int64(len(raw)) > o.schemaLimit():
		ch <- spdx3SchemaResult{errs: []string{fmt.Sprintf("document is %d bytes, above sbom.schema-max-size (%d): not validated against the schema", len(raw), o.schemaLimit())}}
	default:
		go func() {
			defer func() {
				if r := recover(); r != nil {
					ch <- spdx3SchemaResult{errs: []string{fmt.Sprintf("schema validation: internal error: %v", r)}}
				}
			}()
			c, err := compiledFor(file)
			if err != nil {
				ch <- spdx3SchemaResult{errs: []string{"schema " + file + ": " + oneLine(err.Error())}}
				return
			}
			g, err := decodeGeneric(raw)
			if err != nil {
				ch <- spdx3SchemaResult{errs: []string{"not valid JSON: " + decodeMessage(err)}}
				return
			}
			lines, unchecked := validateSPDX3(c, g)
			if unchecked != "" {
				ch <- spdx3SchemaResult{errs: []string{unchecked}}
				return
			}
			ch <- spdx3SchemaResult{errs: lines, checked: true}
		}()
	}
	return ch
}

// validateSPDX3 validates a generic decode (json.Number numbers) of an SPDX
// 3.0.1 JSON-LD document against the official schema and returns its first
// violations, one line each: the JSON pointer of the offending value and
// what is wrong with it. When it returns no violation and a non-empty
// unchecked, the document could not be validated (why is in unchecked).
//
// The verdict is the schema's own. A document in @graph form is validated
// element by element, each element against the schema's @graph item schema,
// and its top level with an empty @graph. The schema has no keyword that
// relates elements to each other, and the top-level oneOf decides the same
// with an empty @graph as with valid elements (and fails either way when an
// element is invalid), so the verdict is that of validating the document
// whole; stopping at the first violations bounds the time and memory an
// invalid document of many elements costs.
//
// The schema offers every class as an alternative wherever an element may
// be written inline, so the validator's work grows exponentially with how
// deeply inline objects nest. An element nesting them deeper than
// spdx3MaxInlineDepth is not validated, and validation stops after
// spdx3SchemaBudget: a document that needs either is reported as not
// validated (unless violations were found anyway), never as valid.
func validateSPDX3(c *compiled, g any) (lines []string, unchecked string) {
	root, isObject := g.(map[string]any)
	graph, isGraph := root["@graph"].([]any)
	if !isObject || !isGraph {
		if inlineDepth(g, 0) > spdx3MaxInlineDepth+1 {
			return nil, fmt.Sprintf("not validated against the schema: inline objects nest more than %d levels deep", spdx3MaxInlineDepth)
		}
		return capLines(diagnoseSPDX3(c, c.sch, g, nil)), ""
	}
	top := make(map[string]any, len(root))
	for k, v := range root {
		top[k] = v
	}
	top["@graph"] = []any{}
	msgs := diagnoseSPDX3(c, c.sch, top, nil)
	deadline := time.Now().Add(spdx3SchemaBudget)
	// Elements are validated in batches, those of a batch in parallel;
	// validation stops after the batch in which enough violations were
	// found, so the lines reported do not depend on scheduling.
	workers := runtime.GOMAXPROCS(0)
	var tooDeep, timedOut atomic.Int64
	var crashed atomic.Value // string: a validator panic, as a reason
	tooDeep.Store(-1)
	for start := 0; start < len(graph) && len(msgs) < maxSchemaErrors && timedOut.Load() == 0 && crashed.Load() == nil; start += spdx3Batch {
		batch := graph[start:min(start+spdx3Batch, len(graph))]
		res := make([][]string, len(batch))
		check := func(i int) {
			defer func() {
				if r := recover(); r != nil {
					crashed.CompareAndSwap(nil, fmt.Sprintf("not validated against the schema: internal error at /@graph/%d: %v", start+i, r))
				}
			}()
			if time.Now().After(deadline) {
				timedOut.Store(1)
				return
			}
			if inlineDepth(batch[i], 0) > spdx3MaxInlineDepth+1 {
				// Keep the first such element, whichever worker met it.
				for old := tooDeep.Load(); old < 0 || old > int64(start+i); old = tooDeep.Load() {
					if tooDeep.CompareAndSwap(old, int64(start+i)) {
						break
					}
				}
				return
			}
			res[i] = validateSPDX3Element(c, batch[i], start+i)
		}
		if workers < 2 || len(batch) < 64 {
			for i := range batch {
				check(i)
			}
		} else {
			var next atomic.Int64
			var wg sync.WaitGroup
			for range min(workers, len(batch)/32) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := int(next.Add(1) - 1); i < len(batch); i = int(next.Add(1) - 1) {
						check(i)
					}
				}()
			}
			wg.Wait()
		}
		for _, r := range res {
			msgs = append(msgs, r...)
		}
	}
	switch {
	case len(msgs) > 0:
		return capLines(msgs), ""
	case crashed.Load() != nil:
		return nil, crashed.Load().(string)
	case timedOut.Load() != 0:
		return nil, fmt.Sprintf("not validated against the schema: validation stopped after %s", spdx3SchemaBudget)
	case tooDeep.Load() >= 0:
		i := tooDeep.Load()
		return nil, fmt.Sprintf("not validated against the schema: /@graph/%d nests inline objects more than %d levels deep", i, spdx3MaxInlineDepth)
	}
	return nil, ""
}

// spdx3MaxInlineDepth is how deeply objects may nest inside a @graph
// element (an inline CreationInfo holding an inline Person holding an
// ExternalIdentifier is 3) for the element to be validated; past it, the
// schema's alternatives make validation exponentially costly (an SpdxDocument
// holding Sboms inline 6 deep takes the validator most of a second).
const spdx3MaxInlineDepth = 4

// spdx3SchemaBudget bounds the time validating one document may take.
var spdx3SchemaBudget = 60 * time.Second

// inlineDepth returns the deepest nesting of objects in v, counting v itself
// when it is an object, and gives up counting past spdx3MaxInlineDepth+1 (or
// 64 levels of arrays and objects).
func inlineDepth(v any, level int) int {
	if level > 64 {
		return spdx3MaxInlineDepth + 2
	}
	deepest := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if d := inlineDepth(e, level+1); d > deepest {
				deepest = d
			}
			if deepest > spdx3MaxInlineDepth {
				break
			}
		}
		return deepest + 1
	case []any:
		for _, e := range x {
			if d := inlineDepth(e, level+1); d > deepest {
				deepest = d
			}
			if deepest > spdx3MaxInlineDepth+1 {
				break
			}
		}
	}
	return deepest
}

// spdx3Batch is how many @graph elements are validated between looks at
// how many violations were found.
const spdx3Batch = 1024

// validateSPDX3Element validates the i-th element of @graph.
func validateSPDX3Element(c *compiled, el any, i int) []string {
	sch := c.item
	if m, ok := el.(map[string]any); ok {
		if t, ok := m["type"].(string); ok && c.classes[t] != nil {
			sch = c.classes[t]
		}
	}
	return diagnoseSPDX3(c, sch, el, []string{"@graph", strconv.Itoa(i)})
}

func capLines(msgs []string) []string {
	if len(msgs) > maxSchemaErrors {
		msgs = msgs[:maxSchemaErrors]
	}
	return msgs
}

func (c *compiled) hasClass(name string) bool {
	_, ok := c.classes[name]
	return ok
}

// spdx3Leaf is one violation found in a validation error tree.
type spdx3Leaf struct {
	loc  []string
	kind jsonschema.ErrorKind
	msg  string
	// unevaluated marks a property that unevaluatedProperties refused.
	unevaluated bool
	// alts are, for a value that matched none of several alternatives,
	// what each alternative wanted.
	alts []string
}

// diagnoseSPDX3 validates inst against sch and turns the error tree into
// one line per violation. The SPDX 3 schema chooses an element's class with
// anyOf over every class (and a reference with anyOf over an inline object
// or an IRI), so a raw error tree lists, for one wrong value, the failure of
// every alternative. The alternatives the value plainly is not (another
// class, another JSON type) are set aside and only the failures of the
// alternative it meant are reported; when it meant none, one line says why.
func diagnoseSPDX3(c *compiled, sch *jsonschema.Schema, inst any, prefix []string) []string {
	err := sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{jsonPointer(prefix) + ": " + oneLine(err.Error())}
	}
	var leaves []spdx3Leaf
	d := spdx3Diag{c: c, inst: inst, docRoot: len(prefix) == 0}
	d.collect(ve, &leaves)
	seen := map[string]bool{}
	var lines []string
	for _, l := range leaves {
		if l.unevaluated && hasOtherError(leaves, l.loc[:len(l.loc)-1]) {
			// Once an object fails, unevaluatedProperties refuses all of
			// its properties: only the real failure is worth a line.
			continue
		}
		line := jsonPointer(append(slices.Clone(prefix), l.loc...)) + ": " + oneLine(l.msg)
		if !seen[line] {
			seen[line] = true
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		lines = []string{jsonPointer(prefix) + ": " + oneLine(kindMessage(ve.ErrorKind))}
	}
	sort.Strings(lines)
	return lines
}

// hasOtherError reports a violation, other than a refused property, at or
// below loc.
func hasOtherError(leaves []spdx3Leaf, loc []string) bool {
	for _, l := range leaves {
		if !l.unevaluated && len(l.loc) >= len(loc) && slices.Equal(l.loc[:len(loc)], loc) {
			return true
		}
	}
	return false
}

// spdx3Diag is what diagnosing one validated value needs: the schema's
// classes, the value, and whether it is the whole document.
type spdx3Diag struct {
	c       *compiled
	inst    any
	docRoot bool
}

func (d spdx3Diag) collect(e *jsonschema.ValidationError, out *[]spdx3Leaf) {
	alternatives := false
	switch k := e.ErrorKind.(type) {
	case *kind.AnyOf:
		alternatives = true
	case *kind.OneOf:
		alternatives = len(k.Subschemas) == 0
	case *kind.FalseSchema:
		if len(e.InstanceLocation) > 0 {
			*out = append(*out, spdx3Leaf{loc: e.InstanceLocation, msg: "property not allowed here (not in the SPDX 3.0.1 model of this class)", unevaluated: true})
			return
		}
	}
	if alternatives && len(e.Causes) > 0 {
		var meant []*jsonschema.ValidationError
		for _, b := range e.Causes {
			if !discriminated(b, e.InstanceLocation) {
				meant = append(meant, b)
			}
		}
		switch {
		case len(meant) == 0:
			*out = append(*out, spdx3Leaf{loc: e.InstanceLocation, msg: d.noAlternative(e)})
		case len(meant) == 1:
			d.collect(meant[0], out)
		default:
			var sub []spdx3Leaf
			for _, b := range meant {
				d.collect(b, &sub)
			}
			if leaf, ok := mergeAlternatives(e.InstanceLocation, sub, valueAt(d.inst, e.InstanceLocation)); ok {
				*out = append(*out, leaf)
			} else {
				*out = append(*out, sub...)
			}
		}
		return
	}
	if len(e.Causes) == 0 {
		*out = append(*out, spdx3Leaf{loc: e.InstanceLocation, kind: e.ErrorKind, msg: leafMessage(e.ErrorKind)})
		return
	}
	for _, cause := range e.Causes {
		d.collect(cause, out)
	}
}

// leafMessage is the validator's message for one violation, with the value
// met where the validator leaves it out.
func leafMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Enum:
		if len(k.Want) > 8 {
			var first []string
			for _, w := range k.Want[:8] {
				first = append(first, displayValue(w))
			}
			return fmt.Sprintf("%s is not one of the %d allowed values (%s, ...)", displayValue(k.Got), len(k.Want), strings.Join(first, ", "))
		}
		return displayValue(k.Got) + ": " + kindMessage(k)
	case *kind.Const:
		return displayValue(k.Got) + ": " + kindMessage(k)
	}
	return kindMessage(k)
}

// discriminated reports whether the failed alternative e is one the value
// at loc plainly is not: a value of another JSON type, an object of another
// class (its "type" is another constant), or an object without the "type"
// (or "@graph") the alternative requires.
func discriminated(e *jsonschema.ValidationError, loc []string) bool {
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		if slices.Equal(e.InstanceLocation, loc) {
			return true
		}
	case *kind.Const:
		if len(e.InstanceLocation) == len(loc)+1 && e.InstanceLocation[len(loc)] == "type" && slices.Equal(e.InstanceLocation[:len(loc)], loc) {
			return true
		}
	case *kind.Required:
		if slices.Equal(e.InstanceLocation, loc) && (slices.Contains(k.Missing, "type") || slices.Contains(k.Missing, "@graph")) {
			return true
		}
	case *kind.AnyOf, *kind.OneOf:
		if k, ok := k.(*kind.OneOf); ok && len(k.Subschemas) > 0 {
			break
		}
		// Nested alternatives rule the value out only when all of them do.
		if len(e.Causes) == 0 {
			return false
		}
		for _, cause := range e.Causes {
			if !discriminated(cause, loc) {
				return false
			}
		}
		return true
	}
	for _, cause := range e.Causes {
		if discriminated(cause, loc) {
			return true
		}
	}
	return false
}

// noAlternative says why the value at e's location matches none of the
// alternatives it was offered.
func (d spdx3Diag) noAlternative(e *jsonschema.ValidationError) string {
	v := valueAt(d.inst, e.InstanceLocation)
	if m, ok := v.(map[string]any); ok {
		t, has := m["type"]
		ts, isString := t.(string)
		switch {
		case !has && d.docRoot && len(e.InstanceLocation) == 0 && m["@graph"] == nil:
			return "missing property '@graph' (or 'type', for a document that is one element)"
		case !has:
			return "missing property 'type'"
		case !isString:
			return "property 'type' is not a string"
		case d.c.hasClass(ts):
			return fmt.Sprintf("an element of type %q is not allowed here", ts)
		default:
			return fmt.Sprintf("type %q is not a class of SPDX 3.0.1", ts)
		}
	}
	var got string
	var want []string
	walkErrors(e, func(x *jsonschema.ValidationError) {
		if t, ok := x.ErrorKind.(*kind.Type); ok && slices.Equal(x.InstanceLocation, e.InstanceLocation) {
			got = t.Got
			for _, w := range t.Want {
				if !slices.Contains(want, w) {
					want = append(want, w)
				}
			}
		}
	})
	if got != "" {
		return fmt.Sprintf("got %s, want %s", got, strings.Join(want, " or "))
	}
	return kindMessage(e.ErrorKind)
}

// mergeAlternatives turns the failures of several alternatives offered to
// one scalar value (an IRI, a blank node, one of some constants) into one
// line; ok is false when the failures lie deeper than the value itself.
func mergeAlternatives(loc []string, sub []spdx3Leaf, v any) (spdx3Leaf, bool) {
	_, isObject := v.(map[string]any)
	_, isArray := v.([]any)
	if isObject || isArray || len(sub) == 0 {
		return spdx3Leaf{}, false
	}
	var alts []string
	for _, l := range sub {
		if l.unevaluated || !slices.Equal(l.loc, loc) {
			return spdx3Leaf{}, false
		}
		more := l.alts
		if more == nil {
			more = []string{describeAlternative(l)}
		}
		for _, a := range more {
			if !slices.Contains(alts, a) {
				alts = append(alts, a)
			}
		}
	}
	return spdx3Leaf{loc: loc, alts: alts, msg: fmt.Sprintf("%s is not %s", displayValue(v), joinOr(alts))}, true
}

// describeAlternative names what an alternative that failed on a value
// wanted.
func describeAlternative(l spdx3Leaf) string {
	switch k := l.kind.(type) {
	case *kind.Pattern:
		switch k.Want {
		case patIRI:
			return "an IRI"
		case "^_:.+":
			return "a blank node (_:...)"
		}
		return "a string matching " + strconv.Quote(k.Want)
	case *kind.Const:
		return displayValue(k.Want)
	case *kind.Enum:
		return "one of the listed values"
	case *kind.Type:
		return "of type " + strings.Join(k.Want, " or ")
	}
	return l.msg
}

// joinOr joins "a", "b", "c" as "a, b or c".
func joinOr(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func displayValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 120 {
		return string(b[:120]) + "..."
	}
	return string(b)
}

func walkErrors(e *jsonschema.ValidationError, f func(*jsonschema.ValidationError)) {
	f(e)
	for _, c := range e.Causes {
		walkErrors(c, f)
	}
}

// valueAt returns the value at a location (JSON pointer tokens) of inst.
func valueAt(inst any, loc []string) any {
	v := inst
	for _, tok := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// kindMessage is the validator's own message for one violation.
func kindMessage(k jsonschema.ErrorKind) string {
	out := (&jsonschema.ValidationError{ErrorKind: k}).BasicOutput()
	if out.Error != nil {
		return out.Error.String()
	}
	return "validation failed"
}

// jsonPointer formats location tokens as a JSON pointer ("/" for the root).
func jsonPointer(loc []string) string {
	if len(loc) == 0 {
		return "/"
	}
	var sb strings.Builder
	for _, tok := range loc {
		sb.WriteByte('/')
		sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1"))
	}
	return sb.String()
}
