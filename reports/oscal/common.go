package oscal

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

// NS is the namespace of pedigree's own props and characterization facets.
// OSCAL reserves names without a namespace for NIST's own vocabulary.
const NS = "https://github.com/pedigree-dev/pedigree/ns/oscal"

// uid is evidence.StableUUID("oscal", parts...), computed without the
// intermediate allocations: a large document needs hundreds of thousands.
func uid(parts ...string) string {
	var stack [256]byte
	name := append(stack[:0], evidence.Namespace[:]...)
	name = append(name, "5:oscal"...)
	for _, p := range parts {
		name = strconv.AppendInt(name, int64(len(p)), 10)
		name = append(name, ':')
		name = append(name, p...)
	}
	sum := sha1.Sum(name)
	sum[6] = sum[6]&0x0f | 0x50 // version 5
	sum[8] = sum[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], sum[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], sum[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], sum[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], sum[8:10])
	out[23] = '-'
	hex.Encode(out[24:], sum[10:16])
	return string(out[:])
}

var uuidRe = lazyre.New(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`)

// runUUID is the run's own UUID: the RunID when it is a version 4 or 5 UUID
// as OSCAL demands, else one derived from it.
func runUUID(a *assessment.Assessment) string {
	if uuidRe.MatchString(a.RunID) {
		return strings.ToLower(a.RunID)
	}
	return uid("run", a.RunID)
}

// prop is one pedigree-namespaced property. OSCAL prop values are one-line
// tokens of text; whitespace is collapsed.
func prop(name, value string) types.Property {
	return types.Property{Ns: NS, Name: name, Value: text(oneLine(value), "(none)")}
}

// oneLine collapses whitespace runs to one space and trims the ends, as
// strings.Join(strings.Fields(s), " ") does; text that is already so (the
// common case) is returned as it is.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports ASCII text with no whitespace but single spaces
// between words.
func isOneLine(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// text returns s, or alt when s is blank: OSCAL's required text fields must
// not be empty.
func text(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// slice returns nil for an empty slice so that optional OSCAL arrays
// (minItems 1) are left out rather than written empty.
func slice[T any](s []T) *[]T {
	if len(s) == 0 {
		return nil
	}
	return &s
}

func times(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC()
		}
	}
	return time.Time{}
}

// href makes a URI reference of an evidence source: a URL stays as it is, a
// path is percent-encoded.
func href(source string) string {
	if u, err := url.Parse(source); err == nil && len(u.Scheme) > 1 && u.Host != "" {
		return source
	}
	return (&url.URL{Path: source}).String()
}

// metadata is the metadata every document shares.
func metadata(a *assessment.Assessment, title string) types.Metadata {
	md := types.Metadata{
		Title:        title,
		LastModified: times(a.FinishedAt, a.StartedAt),
		Version:      times(a.StartedAt, a.FinishedAt).Format(time.RFC3339),
		OscalVersion: oscalschema.Version,
		Props: &[]types.Property{
			prop("tool", a.Tool.Name),
			prop("tool-version", text(a.Tool.Version, "unknown")),
			prop("run-id", a.RunID),
		},
	}
	parties := assessors(a)
	if len(parties) > 0 {
		md.Roles = &[]types.Role{{ID: "assessor", Title: "Assessor"}}
		var ps []types.Party
		var ids []string
		for _, name := range parties {
			ps = append(ps, types.Party{UUID: partyUUID(name), Type: "person", Name: name})
			ids = append(ids, partyUUID(name))
		}
		md.Parties = &ps
		md.ResponsibleParties = &[]types.ResponsibleParty{{RoleId: "assessor", PartyUuids: ids}}
	}
	return md
}

func partyUUID(name string) string { return uid("party", name) }

// assessors are the people who recorded manual evidence, sorted.
func assessors(a *assessment.Assessment) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range a.Controls {
		if c.Manual != nil && c.Manual.Assessor != "" && !seen[c.Manual.Assessor] {
			seen[c.Manual.Assessor] = true
			out = append(out, c.Manual.Assessor)
		}
	}
	out = append(out, cmmcAssessors(a, seen)...)
	sort.Strings(out)
	return out
}

func toolName(a *assessment.Assessment) string { return text(a.Tool.Name, "pedigree") }

func toolUUID(a *assessment.Assessment) string { return uid("component", "tool", toolName(a)) }

func toolComponent(a *assessment.Assessment) types.SystemComponent {
	return types.SystemComponent{
		UUID:        toolUUID(a),
		Type:        "software",
		Title:       toolName(a),
		Description: "pedigree assesses software supply-chain integrity against NIST SP 800-53 Rev 5 and SP 800-161 Rev 1; its collectors only read the targets.",
		Props:       &[]types.Property{prop("version", text(a.Tool.Version, "unknown"))},
		Status:      types.SystemComponentStatus{State: "operational"},
	}
}

func toolOrigin(a *assessment.Assessment) types.Origin {
	return types.Origin{Actors: []types.OriginActor{{Type: "tool", ActorUuid: toolUUID(a)}}}
}

func targetUUID(name string) string { return uid("component", "target", name) }

func targetComponents(a *assessment.Assessment) []types.SystemComponent {
	out := make([]types.SystemComponent, 0, len(a.Targets))
	for _, t := range a.Targets {
		desc := fmt.Sprintf("Assessed target %s: %s (%d files).", text(t.Name, "target"), text(t.Path, "(no path)"), t.Files)
		props := []types.Property{prop("target", text(t.Name, "target")), prop("files", fmt.Sprint(t.Files))}
		if n := t.Note(); n != "" {
			desc += " " + strings.ToUpper(n[:1]) + n[1:] + "."
		}
		if t.Role != "" {
			props = append(props, prop("target-role", t.Role))
		}
		if t.Excluded > 0 {
			props = append(props, prop("excluded-files", fmt.Sprint(t.Excluded)))
		}
		out = append(out, types.SystemComponent{
			UUID:        targetUUID(t.Name),
			Type:        "software",
			Title:       text(t.Name, "target"),
			Description: desc,
			Props:       &props,
			Status:      types.SystemComponentStatus{State: "operational"},
		})
	}
	return out
}

// reviewedControls lists the controls in scope.
func reviewedControls(a *assessment.Assessment) types.ReviewedControls {
	sel := types.AssessedControls{Description: scopeText(a)}
	var ids []types.AssessedControlsSelectControlById
	for _, id := range a.Scope.ControlIDs {
		ids = append(ids, types.AssessedControlsSelectControlById{ControlId: id})
	}
	if len(ids) == 0 {
		// Nothing in scope: OSCAL needs a selection, and "none" is not
		// expressible; say so rather than claim include-all.
		sel.Remarks = "No control was in scope."
		sel.ExcludeControls = nil
	}
	sel.IncludeControls = slice(ids)
	var props []types.Property
	if a.Scope.Baseline != "" {
		props = append(props, prop("baseline", a.Scope.Baseline))
	}
	if a.Scope.CatalogVersion != "" {
		props = append(props, prop("catalog-version", a.Scope.CatalogVersion))
	}
	return types.ReviewedControls{
		Description:       "Controls in scope of this assessment: " + scopeText(a) + ".",
		ControlSelections: []types.AssessedControls{sel},
		Props:             slice(props),
	}
}

func scopeText(a *assessment.Assessment) string {
	var parts []string
	if a.Scope.Baseline != "" {
		parts = append(parts, "SP 800-53 Rev 5 "+strings.ToUpper(a.Scope.Baseline)+" baseline")
	}
	if a.Scope.Profile != "" {
		parts = append(parts, "profile "+text(a.Scope.ProfileTitle, a.Scope.Profile))
	}
	if len(parts) == 0 {
		parts = append(parts, "controls chosen by the run")
	}
	return fmt.Sprintf("%s (%d controls)", strings.Join(parts, " and "), len(a.Scope.ControlIDs))
}

func targetNames(a *assessment.Assessment) string {
	var ns []string
	for _, t := range a.Targets {
		ns = append(ns, text(t.Name, t.Path))
	}
	if len(ns) == 0 {
		return "no target"
	}
	return strings.Join(ns, ", ")
}

// checkIndex indexes the checks that ran.
func checkIndex(a *assessment.Assessment) map[string]*assessment.Check {
	m := make(map[string]*assessment.Check, len(a.Checks))
	for i := range a.Checks {
		m[a.Checks[i].ID] = &a.Checks[i]
	}
	return m
}

func method(c *assessment.Check) string {
	if c != nil && (c.Method == "TEST" || c.Method == "EXAMINE") {
		return c.Method
	}
	return "TEST"
}

// buildWorkers bounds the goroutines that make the parts of a document
// (0: GOMAXPROCS); tests set 1 to compare with a sequential build.
var buildWorkers = 0

// parallel calls fn(i) for every i < n, on several goroutines when n is
// large. fn must only write what belongs to i.
func parallel(n int, fn func(i int)) { parallelBlocks(n, 256, fn) }

// parallelBlocks is parallel handing out block indices at a time.
func parallelBlocks(n, block int, fn func(i int)) {
	workers := buildWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, (n+block-1)/block)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(block))) - block
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+block, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}
