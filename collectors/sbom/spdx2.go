package sbom

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"sort"
	"strings"

	gojson "github.com/goccy/go-json"
	"github.com/spdx/tools-golang/convert"
	"github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	common2 "github.com/spdx/tools-golang/spdx/common"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdx/v2/v2_1"
	"github.com/spdx/tools-golang/spdx/v2/v2_2"
	"github.com/spdx/tools-golang/spdx/v2/v2_3"
	"github.com/spdx/tools-golang/tagvalue"
	spdxyaml "github.com/spdx/tools-golang/yaml"
)

// parseSPDX2 reads SPDX 2.x JSON, tag-value or YAML with tools-golang. The
// library upgrades every document to its 2.3 model in memory; SpecVersion
// keeps the version the document states.
func parseSPDX2(d *Document, raw []byte, o Options) {
	var (
		doc *spdx.Document
		err error
	)
	switch d.Encoding {
	case EncodingJSON:
		switch {
		case o.SkipSchema:
			d.SchemaErrors = []string{"schema validation skipped"}
		case int64(len(raw)) > o.schemaLimit():
			d.SchemaErrors = []string{fmt.Sprintf("document is %d bytes, above sbom.schema-max-size (%d): not validated against the schema", len(raw), o.schemaLimit())}
		default:
			validateSPDX2JSON(d, raw)
		}
		h := readSPDX2Head(raw)
		var comps []Component
		if doc, comps = readSPDX23Split(raw, h); doc != nil {
			d.Components = comps
		} else {
			doc, err = readSPDX2JSON(raw, h.version)
		}
	case EncodingTagValue:
		doc, err = tagvalue.Read(bytes.NewReader(raw))
		if err != nil && strings.Contains(err.Error(), "Snippet") {
			// tools-golang's tag-value reader refuses a snippet that follows
			// a package without files (its own 2.2 example does this).
			// Snippets are no components: read the document without them.
			if doc2, err2 := tagvalue.Read(bytes.NewReader(stripSnippets(raw))); err2 == nil {
				doc, err = doc2, nil
			}
		}
	case EncodingYAML:
		doc, err = spdxyaml.Read(bytes.NewReader(raw))
	}
	if err != nil {
		d.Error = fmt.Sprintf("decode SPDX %s: %s", d.Encoding, oneLine(err.Error()))
		return
	}
	if doc == nil {
		d.Error = "decode SPDX: empty document"
		return
	}
	if d.Encoding != EncodingJSON {
		// No JSON schema applies to tag-value or YAML: check the fields the
		// specification makes mandatory.
		d.SchemaErrors = spdx2Structural(doc)
		d.SchemaValid = len(d.SchemaErrors) == 0
		d.SchemaChecked = true
	}
	fromSPDX2(d, doc)
}

// spdx2Head is what one walk of an SPDX 2.x JSON document's top-level
// object finds: its spdxVersion and the spans of the members the split
// decoding sets aside.
type spdx2Head struct {
	// version is the document's spdxVersion; nil when it has none, it is
	// no string or the document is no JSON the decoders read.
	version                   *string
	packages, files, snippets span
}

// readSPDX2Head walks the top-level object once for the spdxVersion,
// packages, files and snippets members (each as memberSpan finds it) and
// decodes the version alone. When the walk cannot find the version (the
// object is not one it can walk, or a key differs from spdxVersion only in
// case), the version is read by decoding the whole document, as before.
func readSPDX2Head(raw []byte) spdx2Head {
	sp := memberSpans(raw, "spdxVersion", "packages", "files", "snippets")
	h := spdx2Head{packages: sp[1], files: sp[2], snippets: sp[3]}
	var head struct {
		SPDXVersion *string `json:"spdxVersion"`
	}
	switch v := sp[0]; {
	case v.ok:
		// Invalid JSON elsewhere is found by the decoding that follows,
		// with the error encoding/json's whole decode gives.
		if gojson.Unmarshal(raw[v.start:v.end], &head.SPDXVersion) != nil {
			return h
		}
	case gojson.Unmarshal(raw, &head) != nil:
		return h
	}
	h.version = head.SPDXVersion
	return h
}

// readSPDX2JSON is tools-golang's json.Read without its two extra copies
// of the document: it finds the version by decoding the whole file into a
// generic map (several times the file's size on a large SBOM) and reads
// the input into a growing buffer first. Here the version is read alone
// (readSPDX2Head) and the bytes are decoded once into the model of that
// version, then converted as json.Read converts them. Anything the short
// path cannot decide (no version, an unknown one) goes to json.Read, so its
// errors stay word for word; invalid JSON fails the one decode as it fails
// json.Read's first (encoding/json checks the whole input before decoding).
func readSPDX2JSON(raw []byte, version *string) (*spdx.Document, error) {
	if version == nil {
		return json.Read(bytes.NewReader(raw))
	}
	var from common2.AnyDocument
	switch *version {
	case v2_1.Version:
		from = &v2_1.Document{}
	case v2_2.Version:
		from = &v2_2.Document{}
	case v2_3.Version:
		from = &v2_3.Document{}
	default:
		return json.Read(bytes.NewReader(raw))
	}
	if err := stdjson.Unmarshal(raw, from); err != nil {
		return nil, err
	}
	var doc spdx.Document
	if err := convert.Document(from, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// readSPDX23Split reads an SPDX 2.3 JSON document with its packages
// decoded and converted one at a time, and its files and snippets (which
// no check reads) decoded one at a time and dropped: the whole model of a
// 200,000-package document is never held. What tools-golang derives from
// the packages while decoding the document (a CONTAINS relationship for
// each hasFiles entry not stated already) is derived the same way here.
// It returns a nil document, having done nothing, for anything else
// (another version, a document it cannot split, any decoding error): the
// caller then reads it whole, which reports errors as before.
func readSPDX23Split(raw []byte, h spdx2Head) (*spdx.Document, []Component) {
	if wholeDecode || h.version == nil || *h.version != v2_3.Version {
		return nil, nil
	}
	pkgs := h.packages
	if !pkgs.ok || raw[pkgs.start] != '[' {
		return nil, nil
	}
	spans := []span{pkgs}
	var files, snippets span
	for _, m := range []struct {
		from span
		s    *span
	}{{h.files, &files}, {h.snippets, &snippets}} {
		if m.from.ok && raw[m.from.start] == '[' {
			*m.s = m.from
			spans = append(spans, *m.s)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	rest := make([]byte, 0, 1024)
	at := 0
	for _, sp := range spans {
		rest = append(append(rest, raw[at:sp.start]...), "null"...)
		at = sp.end
	}
	rest = append(rest, raw[at:]...)
	var doc v2_3.Document
	if stdjson.Unmarshal(rest, &doc) != nil {
		return nil, nil
	}
	// Files and snippets are decoded only for a decoding error to be
	// found as the whole decode finds it.
	for _, x := range []struct {
		s   span
		new func() any
	}{{files, func() any { return &v2_3.File{} }}, {snippets, func() any { return &v2_3.Snippet{} }}} {
		if x.s.end == 0 {
			continue
		}
		arr := raw[x.s.start:x.s.end]
		if !arrayElements(arr, func(s, e int) bool { return stdjson.Unmarshal(arr[s:e], x.new()) == nil }) {
			return nil, nil
		}
	}
	arr := raw[pkgs.start:pkgs.end]
	n := 0
	if !arrayElements(arr, func(int, int) bool { n++; return true }) {
		return nil, nil
	}
	comps := make([]Component, 0, n)
	var contains []*v2_3.Relationship
	if !arrayElements(arr, func(s, e int) bool {
		el := arr[s:e]
		if string(el) == "null" {
			return false // tools-golang fails on it: read whole, as it always was
		}
		var p v2_3.Package
		if stdjson.Unmarshal(el, &p) != nil {
			return false
		}
		// encoding/json reads "hasfiles", "HASFILES" or an escaped
		// spelling of the key as hasFiles too.
		if containsFold(el, `"hasfiles"`) || bytes.IndexByte(el, '\\') >= 0 {
			var hf struct {
				HasFiles []common.DocElementID `json:"hasFiles"`
			}
			if stdjson.Unmarshal(el, &hf) != nil {
				return false
			}
			for _, f := range hf.HasFiles {
				contains = append(contains, &v2_3.Relationship{RefA: common.DocElementID{ElementRefID: p.PackageSPDXIdentifier},
					RefB: f, Relationship: common.TypeRelationshipContains})
			}
		}
		comps = append(comps, spdx2Component(&p))
		return true
	}) {
		return nil, nil
	}
	if len(contains) > 0 {
		exists := make(map[string]bool, len(doc.Relationships)+len(contains))
		for _, r := range doc.Relationships {
			exists[relKey(r)] = true
		}
		for _, r := range contains {
			if k := relKey(r); !exists[k] {
				doc.Relationships = append(doc.Relationships, r)
				exists[k] = true
			}
		}
	}
	splitDecodes.Add(1)
	return &doc, comps
}

// relKey is tools-golang's key for telling relationships apart when it
// adds the ones it derives (CONTAINED_BY and DESCRIBED_BY turned round).
func relKey(r *v2_3.Relationship) string {
	a, b, rel := r.RefA, r.RefB, r.Relationship
	switch r.Relationship {
	case common.TypeRelationshipContainedBy:
		rel, a, b = common.TypeRelationshipContains, r.RefB, r.RefA
	case common.TypeRelationshipDescribeBy:
		rel, a, b = common.TypeRelationshipDescribe, r.RefB, r.RefA
	}
	return common.RenderDocElementID(a) + "-" + rel + "->" + common.RenderDocElementID(b)
}

func validateSPDX2JSON(d *Document, raw []byte) {
	c, err := compiledFor(schemaFile(d.Format, d.Encoding, d.SpecVersion))
	if err != nil {
		d.SchemaErrors = []string{fmt.Sprintf("no embedded schema for %s", d.SpecVersion)}
		return
	}
	errs, checked := c.validateRaw(raw)
	if !checked {
		d.SchemaErrors = errs
		return
	}
	d.SchemaErrors = errs
	d.SchemaValid = len(d.SchemaErrors) == 0
	d.SchemaChecked = true
}

// spdx2Structural checks the document-level fields SPDX 2.2/2.3 require.
func spdx2Structural(doc *spdx.Document) []string {
	var errs []string
	if doc.DocumentName == "" {
		errs = append(errs, "DocumentName is missing")
	}
	if doc.DocumentNamespace == "" {
		errs = append(errs, "DocumentNamespace is missing")
	}
	if doc.DataLicense == "" {
		errs = append(errs, "DataLicense is missing")
	}
	if doc.CreationInfo == nil || doc.CreationInfo.Created == "" {
		errs = append(errs, "Created is missing")
	}
	if doc.CreationInfo == nil || len(doc.CreationInfo.Creators) == 0 {
		errs = append(errs, "Creator is missing")
	}
	for i, p := range doc.Packages {
		if p == nil {
			continue
		}
		if p.PackageName == "" {
			errs = append(errs, fmt.Sprintf("package %d: PackageName is missing", i+1))
		}
		if p.PackageSPDXIdentifier == "" {
			errs = append(errs, fmt.Sprintf("package %d: SPDXID is missing", i+1))
		}
		if len(errs) >= maxSchemaErrors {
			break
		}
	}
	return errs
}

func spdxRef(id common.DocElementID) string {
	if id.SpecialID != "" {
		return id.SpecialID
	}
	ref := "SPDXRef-" + string(id.ElementRefID)
	if id.DocumentRefID != "" {
		ref = "DocumentRef-" + string(id.DocumentRefID) + ":" + ref
	}
	return ref
}

func fromSPDX2(d *Document, doc *spdx.Document) {
	d.Name = doc.DocumentName
	d.SerialNumber = doc.DocumentNamespace
	if ci := doc.CreationInfo; ci != nil {
		d.Timestamp = strings.TrimSpace(ci.Created)
		for _, c := range ci.Creators {
			switch c.CreatorType {
			case "Tool":
				if c.Creator != "" {
					d.Tools = append(d.Tools, c.Creator)
				}
			case "Person", "Organization":
				if c.Creator != "" {
					d.Authors = append(d.Authors, c.CreatorType+": "+c.Creator)
					if contact := emailIn(c.Creator); contact != "" {
						d.AuthorContacts = append(d.AuthorContacts, contact)
					}
				}
			}
		}
	}
	byID := make(map[string]int, max(len(doc.Packages), len(d.Components)))
	if d.Components == nil {
		d.Components = make([]Component, 0, len(doc.Packages))
		for _, p := range doc.Packages {
			if p != nil {
				d.Components = append(d.Components, spdx2Component(p))
			}
		}
	}
	for i := range d.Components {
		byID[d.Components[i].Ref] = i
	}
	var described []string
	d.Dependencies = map[string][]string{}
	for _, r := range doc.Relationships {
		if r == nil {
			continue
		}
		a, b := spdxRef(r.RefA), spdxRef(r.RefB)
		switch strings.ToUpper(r.Relationship) {
		case "DESCRIBES":
			described = append(described, b)
			continue
		case "DESCRIBED_BY":
			described = append(described, a)
			continue
		case "DEPENDS_ON", "CONTAINS", "STATIC_LINK", "DYNAMIC_LINK", "HAS_PREREQUISITE", "DEPENDENCY_MANIFEST_OF",
			"BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF",
			"TEST_DEPENDENCY_OF", "RUNTIME_DEPENDENCY_OF", "DEPENDENCY_OF", "CONTAINED_BY", "PACKAGE_OF",
			"GENERATED_FROM", "ANCESTOR_OF", "DESCENDANT_OF", "VARIANT_OF", "COPY_OF", "FILE_ADDED", "PATCH_FOR", "PATCH_APPLIED":
			from, to := a, b
			if strings.HasSuffix(strings.ToUpper(r.Relationship), "_OF") || strings.ToUpper(r.Relationship) == "CONTAINED_BY" {
				from, to = b, a
			}
			if to != "NONE" && to != "NOASSERTION" {
				d.Dependencies[from] = append(d.Dependencies[from], to)
			}
		}
		// The corpus rule: any relationship other than DESCRIBES/DESCRIBED_BY.
		d.HasDependencies = true
	}
	if len(d.Dependencies) == 0 {
		d.Dependencies = nil
	}
	for _, ref := range described {
		if i, ok := byID[ref]; ok {
			p := d.Components[i]
			d.Primary = &p
			break
		}
	}
}

// spdx2Component is the Component of one SPDX 2 package.
func spdx2Component(p *spdx.Package) Component {
	c := Component{
		Ref: "SPDXRef-" + string(p.PackageSPDXIdentifier), Type: strings.ToLower(p.PrimaryPackagePurpose),
		Name: p.PackageName, Version: p.PackageVersion,
	}
	if p.PackageFileName != "" {
		c.More().FileName = p.PackageFileName
	}
	if p.PackageSupplier != nil && !noAssertion(p.PackageSupplier.Supplier) {
		c.Supplier = strings.TrimSpace(p.PackageSupplier.Supplier)
	}
	if p.PackageOriginator != nil && !noAssertion(p.PackageOriginator.Originator) {
		if v := strings.TrimSpace(p.PackageOriginator.Originator); v != "" {
			c.More().Originator = v
		}
	}
	if !noAssertion(p.PackageDownloadLocation) {
		if v := strings.TrimSpace(p.PackageDownloadLocation); v != "" {
			c.More().DownloadLocation = v
		}
	}
	if p.PackageSourceInfo != "" {
		c.More().VCS = p.PackageSourceInfo
	}
	for _, ck := range p.PackageChecksums {
		c.Hashes = append(c.Hashes, Hash{Algorithm: normHashAlg(string(ck.Algorithm)), Value: ck.Value})
	}
	for _, l := range []string{p.PackageLicenseConcluded, p.PackageLicenseDeclared} {
		if !noAssertion(l) {
			c.Licenses = append(c.Licenses, l)
			break
		}
	}
	for _, r := range p.PackageExternalReferences {
		if r == nil {
			continue
		}
		cat := strings.ToUpper(strings.ReplaceAll(r.Category, "_", "-"))
		if cat != "PACKAGE-MANAGER" && cat != "SECURITY" {
			continue
		}
		switch r.RefType {
		case "purl":
			if c.PURL == "" {
				c.PURL = strings.TrimSpace(r.Locator)
			}
		case "cpe22Type", "cpe23Type":
			if c.CPE == "" {
				c.CPE = strings.TrimSpace(r.Locator)
			}
		}
	}
	return c
}

// emailIn finds an e-mail address in an SPDX agent string
// ("Organization: ExampleCo (contact@example.com)").
func emailIn(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 {
		if j := strings.IndexByte(s[i:], ')'); j > 0 {
			e := strings.TrimSpace(s[i+1 : i+j])
			if strings.Contains(e, "@") {
				return e
			}
		}
	}
	return ""
}

// stripSnippets removes snippet sections (SnippetSPDXID up to the next tag
// that is not a snippet field) from a tag-value document, including
// multi-line <text> values.
func stripSnippets(raw []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(raw))
	in, inText := false, false
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i+1], raw[i+1:]
		} else {
			raw = nil
		}
		if inText {
			if bytes.Contains(line, []byte("</text>")) {
				inText = false
			}
			if in {
				continue
			}
			out.Write(line)
			continue
		}
		trim := bytes.TrimSpace(line)
		tag := trim
		if i := bytes.IndexByte(trim, ':'); i > 0 {
			tag = trim[:i]
		}
		opensText := bytes.Contains(line, []byte("<text>")) && !bytes.Contains(line, []byte("</text>"))
		switch {
		case bytes.Equal(tag, []byte("SnippetSPDXID")):
			in = true
		case in && (len(trim) == 0 || trim[0] == '#' || bytes.HasPrefix(tag, []byte("Snippet")) || bytes.Equal(tag, []byte("LicenseInfoInSnippet"))):
		default:
			in = false
		}
		if opensText {
			inText = true
		}
		if in {
			continue
		}
		out.Write(line)
	}
	return out.Bytes()
}

// containsFold tells whether b holds sub (ASCII, lower case) in any case.
func containsFold(b []byte, sub string) bool {
	for i := 0; i+len(sub) <= len(b); i++ {
		if b[i] == sub[0] && bytes.EqualFold(b[i:i+len(sub)], []byte(sub)) {
			return true
		}
	}
	return false
}
