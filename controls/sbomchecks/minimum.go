package sbomchecks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// element is one required element: a per-component predicate or a
// document-level one.
type element struct {
	name string
	comp func(*sbom.Component) bool // nil for document-level elements
	doc  func(*sbom.Document) bool
}

var (
	elSupplier   = element{name: "supplier", comp: (*sbom.Component).HasSupplier}
	elName       = element{name: "name", comp: func(c *sbom.Component) bool { return strings.TrimSpace(c.Name) != "" }}
	elVersion    = element{name: "version", comp: (*sbom.Component).HasVersion}
	elIdentifier = element{name: "identifier", comp: (*sbom.Component).HasIdentifier}
	elDeps       = element{name: "dependencies", doc: func(d *sbom.Document) bool { return d.HasDependencies }}
	elAuthor     = element{name: "author", doc: (*sbom.Document).HasAuthor}
	elTimestamp  = element{name: "timestamp", doc: (*sbom.Document).HasTimestamp}
)

// ntiaElements is the NTIA (July 2021) minimum element set, in the order
// the first missing one is named.
var ntiaElements = []element{elSupplier, elName, elVersion, elIdentifier, elDeps, elAuthor, elTimestamp}

// cisaElements adds what CISA's 2025 minimum elements add to NTIA's:
// component hash, license, tool name and generation context; the SBOM
// author is a person or organisation, not only the tool.
var cisaElements = []element{
	elSupplier, elName, elVersion, elIdentifier,
	{name: "hash", comp: (*sbom.Component).HasHash},
	{name: "license", comp: (*sbom.Component).HasLicense},
	elDeps,
	{name: "author", doc: func(d *sbom.Document) bool { return len(d.Authors) > 0 || d.Supplier != "" }},
	{name: "tool name", doc: func(d *sbom.Document) bool { return len(d.Tools) > 0 }},
	elTimestamp,
	{name: "generation context", doc: func(d *sbom.Document) bool { return len(d.Lifecycle) > 0 }},
}

// bsiElements are the required fields of BSI TR-03183-2 v2.0 (SBOM creator
// contact, timestamp; per component creator, name, version, file name,
// dependencies, distribution licence, SHA-512 of the deployable component,
// and the executable/archive/structured properties).
var bsiElements = []element{
	{name: "SBOM creator e-mail or URL", doc: func(d *sbom.Document) bool { return len(d.AuthorContacts) > 0 }},
	elTimestamp,
	{name: "format version (CycloneDX 1.5+ or SPDX 2.2.1+)", doc: bsiFormatOK},
	{name: "component creator", comp: (*sbom.Component).HasSupplier},
	elName, elVersion,
	{name: "filename", comp: func(c *sbom.Component) bool { return c.FileName() != "" }},
	elDeps,
	{name: "distribution licence", comp: (*sbom.Component).HasLicense},
	{name: "SHA-512 hash", comp: func(c *sbom.Component) bool {
		for _, h := range c.Hashes {
			if h.Algorithm == "SHA-512" {
				return true
			}
		}
		return false
	}},
	{name: "executable property", comp: bsiProp("bsi:component:executable")},
	{name: "archive property", comp: bsiProp("bsi:component:archive")},
	{name: "structured property", comp: bsiProp("bsi:component:structured")},
}

func bsiProp(name string) func(*sbom.Component) bool {
	return func(c *sbom.Component) bool { return c.Properties()[name] != "" }
}

func bsiFormatOK(d *sbom.Document) bool {
	switch d.Format {
	case sbom.FormatCycloneDX:
		parts := strings.SplitN(d.SpecVersion, ".", 2)
		if len(parts) != 2 {
			return false
		}
		maj, err1 := strconv.Atoi(parts[0])
		min, err2 := strconv.Atoi(parts[1])
		return err1 == nil && err2 == nil && (maj > 1 || maj == 1 && min >= 5)
	case sbom.FormatSPDX:
		v := strings.TrimPrefix(d.SpecVersion, "SPDX-")
		return v >= "2.2" && v != "2.2.0"
	}
	return false
}

// NewNTIAMinimum checks the NTIA minimum elements of an SBOM.
func NewNTIAMinimum() controls.Check {
	c := controls.Check{
		ID:          "SBOM-NTIA-MINIMUM",
		Title:       "SBOM has the NTIA minimum elements",
		Rationale:   "The NTIA minimum elements (supplier, name, version, unique identifier, dependency relationship, author, timestamp) are the least an SBOM must say for components to be tracked and matched to vulnerabilities.",
		Remediation: "Generate the SBOM with a tool that records supplier, version and purl/CPE for every component, the dependency graph, the author and a timestamp.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		return checkElements(c, ev, "NTIA minimum elements", ntiaElements)
	}
	return c
}

// NewCISA2025Minimum checks CISA's 2025 minimum elements.
func NewCISA2025Minimum() controls.Check {
	c := controls.Check{
		ID:          "SBOM-CISA-2025-MINIMUM",
		Title:       "SBOM has the CISA 2025 minimum elements",
		Rationale:   "CISA's 2025 minimum elements add component hashes, licenses, the generating tool and the generation context (lifecycle phase) to NTIA's, so that an SBOM's components can be verified and its origin judged.",
		Remediation: "Record a SHA-256 hash and license for every component, the tool name and the lifecycle phase (CycloneDX metadata.lifecycles, SPDX 3 sbomType) in the SBOM.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		return checkElements(c, ev, "CISA 2025 minimum elements", cisaElements)
	}
	return c
}

// NewBSITR03183 checks the required fields of BSI TR-03183-2 v2.
func NewBSITR03183() controls.Check {
	c := controls.Check{
		ID:          "SBOM-BSI-TR03183",
		Title:       "SBOM has the fields BSI TR-03183-2 requires",
		Rationale:   "BSI TR-03183-2 (the EU Cyber Resilience Act's reference SBOM profile) requires creator contacts, SHA-512 hashes of deployable components, file names, licences and executable/archive/structured properties.",
		Remediation: "Generate a CycloneDX 1.5+ (or SPDX 2.2.1+) SBOM with the bsi:component:* properties, SHA-512 hashes and a creator e-mail or URL.",
		Severity:    evidence.Low,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		return checkElements(c, ev, "BSI TR-03183-2 required fields", bsiElements)
	}
	return c
}

// judgeable says whether a minimum-element check may judge a document: a
// document that failed its schema is left to SBOM-SCHEMA-VALID.
func judgeable(d *sbom.Document) (bool, string) {
	if d.Error != "" {
		return false, "the SBOM could not be read: " + d.Error
	}
	if d.SchemaChecked && !d.SchemaValid {
		first := ""
		if len(d.SchemaErrors) > 0 {
			first = " (" + d.SchemaErrors[0] + ")"
		}
		return false, "the SBOM is not valid against its schema" + first + ", so its elements are not judged; see SBOM-SCHEMA-VALID"
	}
	return true, ""
}

// ElementResult is the outcome of one element set on one document.
type ElementResult struct {
	Pass bool
	// First is the first missing element in the set's order.
	First string
	// Message says what is missing, with counts and first offenders.
	Message string
}

// JudgeElements checks one document against an element set.
func JudgeElements(d *sbom.Document, set []element) ElementResult {
	if len(d.Components) == 0 {
		return ElementResult{First: "components", Message: "the SBOM lists no components"}
	}
	var parts []string
	first := ""
	for _, el := range set {
		ok := true
		if el.comp != nil {
			n, first := offenders(d, func(c *sbom.Component) bool { return !el.comp(c) })
			if n > 0 {
				ok = false
				parts = append(parts, fmt.Sprintf("%s missing in %d of %d components (%s)", el.name, n, len(d.Components), named(n, first)))
			}
		} else if !el.doc(d) {
			ok = false
			parts = append(parts, "no "+el.name)
		}
		if !ok && first == "" {
			first = el.name
		}
	}
	if first == "" {
		return ElementResult{Pass: true, Message: fmt.Sprintf("all %d components and the document carry every element", len(d.Components))}
	}
	return ElementResult{First: first, Message: strings.Join(parts, "; ")}
}

func checkElements(c controls.Check, ev []evidence.Evidence, what string, set []element) []evidence.Finding {
	var out []evidence.Finding
	for _, d := range docs(ev) {
		if ok, why := judgeable(d.doc); !ok {
			out = append(out, finding(c, d, evidence.NotAssessed, what+" not judged: "+why))
			continue
		}
		r := JudgeElements(d.doc, set)
		if r.Pass {
			out = append(out, finding(c, d, evidence.Pass, what+" present: "+r.Message))
		} else {
			out = append(out, finding(c, d, evidence.Fail, what+" incomplete (first missing: "+r.First+"): "+r.Message))
		}
	}
	return out
}
