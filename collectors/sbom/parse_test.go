package sbom

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
)

const minimalCDX = `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
 "metadata":{"timestamp":"2025-01-01T00:00:00Z","tools":{"components":[{"type":"application","name":"gen"}]},
  "component":{"type":"application","bom-ref":"app","name":"app","version":"1.0",
   "hashes":[{"alg":"SHA-256","content":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]}},
 "components":[
  {"type":"library","bom-ref":"a","name":"a","version":"1","purl":"pkg:npm/a@1","supplier":{"name":"A Inc"},
   "components":[{"type":"library","bom-ref":"a-inner","name":"inner","version":"0.1"}]},
  {"type":"library","bom-ref":"b","name":"b","version":"2","cpe":"cpe:2.3:a:b:b:2:*:*:*:*:*:*:*"}],
 "dependencies":[{"ref":"app","dependsOn":["a","b"]}]}`

func TestDetect(t *testing.T) {
	tests := []struct {
		name, in    string
		ok          bool
		format, enc string
		specVersion string
	}{
		{"cyclonedx json", minimalCDX, true, FormatCycloneDX, EncodingJSON, "1.6"},
		{"cyclonedx json with BOM mark", "\xef\xbb\xbf  " + minimalCDX, true, FormatCycloneDX, EncodingJSON, "1.6"},
		{"cyclonedx xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"/>`, true, FormatCycloneDX, EncodingXML, "1.5"},
		{"spdx json", `{"spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT"}`, true, FormatSPDX, EncodingJSON, "SPDX-2.2"},
		{"spdx tag-value", "## doc\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", true, FormatSPDX, EncodingTagValue, "SPDX-2.3"},
		{"spdx yaml", "---\nspdxVersion: SPDX-2.3\nname: x\n", true, FormatSPDX, EncodingYAML, "SPDX-2.3"},
		{"spdx 3 json-ld", `{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}`, true, FormatSPDX, EncodingJSONLD, "3.0.1"},
		// A CycloneDX document with a wrong bomFormat is still CycloneDX:
		// its schema, or a bomFormat beside a specVersion, says so.
		{"cyclonedx json, wrong bomFormat, $schema", `{"$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json", "bomFormat": "SPDX", "specVersion": "1.6"}`, true, FormatCycloneDX, EncodingJSON, "1.6"},
		{"cyclonedx json, lower-case bomFormat", `{"bomFormat": "cyclonedx", "specVersion": "1.5"}`, true, FormatCycloneDX, EncodingJSON, "1.5"},
		{"cyclonedx json, no bomFormat, $schema", `{"$schema": "https://cyclonedx.org/schema/bom-1.4.schema.json", "specVersion": "1.4"}`, true, FormatCycloneDX, EncodingJSON, "1.4"},
		{"specVersion alone", `{"specVersion": "1.6", "name": "x"}`, false, "", "", ""},
		{"other json", `{"name": "package.json"}`, false, "", "", ""},
		{"other xml", `<project><modelVersion>4.0.0</modelVersion></project>`, false, "", "", ""},
		{"binary", "\x7fELF\x00\x00SPDXVersion: SPDX-2.3", false, "", "", ""},
		{"empty", "   ", false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, ok := Detect([]byte(tt.in))
			if ok != tt.ok || k.Format != tt.format || k.Encoding != tt.enc || k.SpecVersion != tt.specVersion {
				t.Errorf("Detect = %+v, %v; want %s/%s/%s, %v", k, ok, tt.format, tt.enc, tt.specVersion, tt.ok)
			}
		})
	}
}

func TestParseCycloneDX(t *testing.T) {
	d, err := Parse("bom.json", []byte(minimalCDX))
	if err != nil {
		t.Fatal(err)
	}
	if d.Error != "" || !d.SchemaValid || !d.SchemaChecked {
		t.Fatalf("error %q valid %v schema %v", d.Error, d.SchemaValid, d.SchemaErrors)
	}
	if len(d.Components) != 3 || d.Components[1].Parent() != "a" || d.Components[1].Name != "inner" {
		t.Errorf("components = %+v", d.Components)
	}
	if d.Primary == nil || d.Primary.Ref != "app" || len(d.Primary.Hashes) != 1 || d.Primary.Hashes[0].Algorithm != "SHA-256" {
		t.Errorf("primary = %+v", d.Primary)
	}
	if !d.HasDependencies || !d.HasAuthor() || !d.HasTimestamp() {
		t.Errorf("deps %v author %v timestamp %v", d.HasDependencies, d.HasAuthor(), d.HasTimestamp())
	}
	if m := d.CountMissing(); m != (Missing{Supplier: 2, Version: 0, Identifier: 1, Hash: 3}) {
		t.Errorf("missing = %+v", m)
	}
}

func TestParseSPDX3(t *testing.T) {
	raw, err := os.ReadFile("testdata/app.spdx3.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse("app.spdx3.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	if d.Error != "" || d.Format != FormatSPDX || d.Encoding != EncodingJSONLD || d.SpecVersion != "3.0.1" {
		t.Fatalf("doc = %+v", d)
	}
	if !d.SchemaChecked || !d.SchemaValid {
		t.Errorf("schema: %v %v", d.SchemaValid, d.SchemaErrors)
	}
	if len(d.Components) != 2 || d.Primary == nil || d.Primary.Name != "acme-app" {
		t.Fatalf("components %+v primary %+v", d.Components, d.Primary)
	}
	lib := d.Components[1]
	if lib.PURL != "pkg:npm/left-pad@1.3.0" || lib.Supplier != "Acme Corp" {
		t.Errorf("lib = %+v", lib)
	}
	if d.Primary.Hashes[0].Algorithm != "SHA-256" || d.Primary.DownloadLocation() == "" {
		t.Errorf("primary = %+v", d.Primary)
	}
	if !d.HasDependencies || d.Dependencies[d.Primary.Ref][0] != lib.Ref {
		t.Errorf("dependencies = %v", d.Dependencies)
	}
	if len(d.Authors) != 1 || d.Authors[0] != "Acme Corp" || len(d.Tools) != 1 || d.Timestamp == "" || len(d.AuthorContacts) != 1 {
		t.Errorf("authors %v tools %v contacts %v", d.Authors, d.Tools, d.AuthorContacts)
	}
	if len(d.Lifecycle) != 1 || d.Lifecycle[0] != "build" {
		t.Errorf("lifecycle %v", d.Lifecycle)
	}
	if pass, first := d.NTIAMinimum(); !pass {
		t.Errorf("NTIA: first missing %s", first)
	}
}

// TestBadInput: every malformed input is a one-line error on the document
// (or ErrNotSBOM), never a panic.
func TestBadInput(t *testing.T) {
	deep := `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":` +
		strings.Repeat(`[{"type":"library","name":"x","components":`, 10000) + `[]` + strings.Repeat(`}]`, 10000) + `}`
	deepArrays := `{"bomFormat":"CycloneDX","specVersion":"1.6","x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`
	tests := []struct {
		name, in string
		wantErr  string // substring of Document.Error; "" means no error
		invalid  bool   // SchemaValid must be false
	}{
		{"truncated json", minimalCDX[:len(minimalCDX)/2], "decode CycloneDX JSON", true},
		{"wrong type", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":{"name":1}}`, "decode CycloneDX JSON", true},
		{"wrong nested type", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":["x"]}]}`, "decode CycloneDX JSON", true},
		{"unknown spec version", `{"bomFormat":"CycloneDX","specVersion":"9.9","version":1}`, "decode CycloneDX JSON", true},
		{"10000-deep components", deep, "", true},
		{"10001-deep arrays", deepArrays, "", true},
		{"truncated xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>a</na`, "decode CycloneDX XML", true},
		{"xml external entity", `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>`, "DOCTYPE", true},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><metadata><component type="application"><name>&lol3;</name></component></metadata></bom>`, "DOCTYPE", true},
		{"undeclared entity", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&lol9;</name></component></components></bom>`, "decode CycloneDX XML", true},
		{"spdx truncated", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[{"name":`, "decode SPDX json", true},
		{"spdx tag-value garbage", "SPDXVersion: SPDX-2.3\nPackageName: a\nPackageChecksum: nonsense\n", "decode SPDX tag-value", true},
		{"spdx 3 wrong type", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":{"a":1}}`, "decode SPDX 3", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("x", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tt.wantErr == "" && d.Error != "" && !strings.Contains(d.Error, "depth") {
				t.Errorf("unexpected error %q", d.Error)
			}
			if tt.wantErr != "" && !strings.Contains(d.Error, tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", d.Error, tt.wantErr)
			}
			if strings.Contains(d.Error, "\n") {
				t.Errorf("error is not one line: %q", d.Error)
			}
			if tt.invalid && d.SchemaValid {
				t.Errorf("SchemaValid = true for bad input")
			}
		})
	}
}

func TestDuplicateRefs(t *testing.T) {
	in := `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
	 {"type":"library","bom-ref":"x","name":"a"},{"type":"library","bom-ref":"x","name":"b"}]}`
	d, err := Parse("x", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.DuplicateRefs) != 1 || d.DuplicateRefs[0] != "x" {
		t.Errorf("duplicates = %v", d.DuplicateRefs)
	}
}

func TestSPDXTagValueSnippetAfterPackage(t *testing.T) {
	in := "SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\nDocumentNamespace: https://x\nCreator: Tool: t\nCreated: 2020-01-01T00:00:00Z\n\n" +
		"PackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n\n" +
		"SnippetSPDXID: SPDXRef-s\nSnippetFromFileSPDXID: SPDXRef-f\nSnippetCopyrightText: <text>a\nb</text>\n\n" +
		"Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n"
	d, err := Parse("x.spdx", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if d.Error != "" || len(d.Components) != 1 || d.SpecVersion != "SPDX-2.2" || d.Primary == nil {
		t.Errorf("doc = %+v", d)
	}
}

func TestCollectorSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := minimalCDX + strings.Repeat(" ", 4096)
	if err := os.WriteFile(filepath.Join(dir, "big.json"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.cdx"), []byte(minimalCDX), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := NewCollector(int64(len(minimalCDX)+10)).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 2 {
		t.Fatalf("evidence = %d, want 2", len(ev))
	}
	byFile := map[string]*Document{}
	for _, e := range ev {
		byFile[e.Source] = e.Payload.(*Document)
		if e.Kind != EvidenceKind || e.Collector != CollectorName {
			t.Errorf("evidence %+v", e)
		}
	}
	if d := byFile["big.json"]; d == nil || !strings.Contains(d.Error, "above the sbom max-size") || d.Format != FormatCycloneDX {
		t.Errorf("big.json = %+v", d)
	}
	if d := byFile["ok.cdx"]; d == nil || d.Error != "" {
		t.Errorf("ok.cdx = %+v", d)
	}
}

func TestSummaryMarshal(t *testing.T) {
	d := &Document{File: "x"}
	for i := 0; i < SummaryLimit+1; i++ {
		d.Components = append(d.Components, Component{Name: "c"})
	}
	b, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"truncated":true`)) || bytes.Contains(b, []byte(`"name":"c"`)) || !bytes.Contains(b, []byte(`"componentCount":2001`)) {
		t.Errorf("summary = %.200s", b)
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{minimalCDX, `<bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>`, "SPDXVersion: SPDX-2.3\n", "spdxVersion: SPDX-2.2\n", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}`, "<!DOCTYPE x [<!ENTITY a 'b'>]><bom/>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if k, ok := Detect(b); ok && (k.Format == "" || k.Encoding == "") {
			t.Fatalf("detected without format: %+v", k)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimalCDX))
	f.Add([]byte(`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>a</name></component></components></bom>`))
	f.Add([]byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[{"SPDXID":"SPDXRef-a","name":"a","downloadLocation":"NOASSERTION"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseWith("f", b, Options{SkipSchema: true})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}

func FuzzSPDX3(f *testing.F) {
	raw, err := os.ReadFile("testdata/app.spdx3.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[{"type":"Relationship","from":{"spdxId":"a"},"to":[{}],"relationshipType":"dependsOn"}]}`))
	f.Add([]byte(`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","type":"software_Package","spdxId":"x","creationInfo":{"created":"x"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := &Document{Format: FormatSPDX, Encoding: EncodingJSONLD}
		parseSPDX3(d, b, Options{SkipSchema: true})
		finishDocument(d)
	})
}

func FuzzTagValue(f *testing.F) {
	f.Add([]byte("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\nDocumentNamespace: https://x\nCreator: Tool: t\nCreated: 2020-01-01T00:00:00Z\nPackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NOASSERTION\nRelationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n"))
	f.Add([]byte("SPDXVersion: SPDX-2.2\nPackageName: p\nSnippetSPDXID: SPDXRef-s\nSnippetCopyrightText: <text>x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := &Document{Format: FormatSPDX, Encoding: EncodingTagValue, SpecVersion: "SPDX-2.3"}
		parseSPDX2(d, b, Options{})
		_ = stripSnippets(b)
	})
}

// TestWrongBOMFormat: a CycloneDX document whose bomFormat is wrong is read
// as a CycloneDX document that fails its schema, whether or not the schema
// check ran; its components are still read.
func TestWrongBOMFormat(t *testing.T) {
	for _, format := range []string{`"SPDX"`, `"cyclonedx"`, `""`, `"CycloneDX "`} {
		raw := []byte(strings.Replace(minimalCDX, `"bomFormat":"CycloneDX"`, `"bomFormat":`+format, 1))
		for _, o := range []Options{{}, {SchemaMaxSize: 10}} {
			doc, err := ParseWith("bom.json", raw, o)
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if doc.Format != FormatCycloneDX || doc.SchemaValid || doc.Error != "" {
				t.Errorf("%s (schema limit %d): format %q, schemaValid %v, error %q", format, o.SchemaMaxSize, doc.Format, doc.SchemaValid, doc.Error)
			}
			if !strings.Contains(strings.Join(doc.SchemaErrors, "\n"), "/bomFormat") {
				t.Errorf("%s (schema limit %d): schema errors %q do not name /bomFormat", format, o.SchemaMaxSize, doc.SchemaErrors)
			}
			if doc.ComponentCount != 3 {
				t.Errorf("%s: %d components, want 3", format, doc.ComponentCount)
			}
		}
	}
}

// XML readers replace tabs and line breaks in an xs:normalizedString (a
// component's description, name, publisher) with spaces before validating,
// so a value wrapped over lines is valid CycloneDX XML; a real violation
// beside it is still one.
func TestCycloneDXXMLWrappedStringsAreValid(t *testing.T) {
	for _, v := range []string{"1.2", "1.4", "1.6"} {
		doc := `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/` + v + `" version="1"><components>` +
			`<component type="library"><publisher>Example
	Corp</publisher><name>a</name><version>1.0.0</version><description>
                A library that does
                several things, "quoted" and \n-escaped.
            </description></component></components></bom>`
		d, err := Parse("bom.xml", []byte(doc))
		if err != nil || d.Error != "" || !d.SchemaChecked || !d.SchemaValid {
			t.Errorf("%s: err %v %q, valid %v: %v", v, err, d.Error, d.SchemaValid, d.SchemaErrors)
		}
		bad := strings.Replace(doc, `type="library"`, `type="gadget"`, 1)
		d, err = Parse("bom.xml", []byte(bad))
		if err != nil || !d.SchemaChecked || d.SchemaValid {
			t.Errorf("%s: an unknown component type passes: err %v, valid %v", v, err, d.SchemaValid)
		}
	}
	if got := string(xmlWhitespace([]byte(`{"a":"x\ny\r\tz\\n\u000A\\u000a"}`))); got != `{"a":"x y  z\\n \\u000a"}` {
		t.Errorf("xmlWhitespace = %s", got)
	}
}
