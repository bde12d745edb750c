package sbomchecks

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// CPE 2.2 URI syntax (NISTIR 7695 §6.1). The 2.3 formatted string is
// checked by cpe23 below, which implements the grammar of NISTIR 7695 §6.2
// (the pattern the SPDX 2.3 specification gives for cpe23Type) without a
// backtracking regular expression.
var reCPE22 = lazyre.New(`^[cC][pP][eE]:/[AHOaho]?(:[A-Za-z0-9\._\-~%]*){0,6}$`)

// cpe23 checks the CPE 2.3 formatted-string grammar.
func cpe23(s string) bool {
	rest, ok := strings.CutPrefix(s, "cpe:2.3:")
	if !ok {
		return false
	}
	// Split on unescaped colons into exactly 11 fields.
	var buf [11]string
	fields := buf[:0]
	start := 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			i++
		case ':':
			if len(fields) == 10 {
				return false
			}
			fields = append(fields, rest[start:i])
			start = i + 1
		}
	}
	fields = append(fields, rest[start:])
	if len(fields) != 11 {
		return false
	}
	if p := fields[0]; len(p) != 1 || !strings.ContainsAny(p, "aho*-") {
		return false
	}
	for i, f := range fields[1:] {
		if i == 5 { // language
			if !cpeLang(f) {
				return false
			}
			continue
		}
		if !cpeValue(f) {
			return false
		}
	}
	return true
}

// cpeValue: "*", "-", or (\?*|\*?) (alnum | - . _ | \punct)+ (\?*|\*?).
func cpeValue(f string) bool {
	if f == "*" || f == "-" {
		return true
	}
	i, j := 0, len(f)
	if strings.HasPrefix(f, "*") {
		i = 1
	} else {
		for i < j && f[i] == '?' {
			i++
		}
	}
	if j > i && f[j-1] == '*' && (j < 2 || f[j-2] != '\\') {
		j--
	} else {
		for j > i && f[j-1] == '?' && (j < 2 || f[j-2] != '\\') {
			j--
		}
	}
	if i >= j {
		return false
	}
	for k := i; k < j; k++ {
		c := f[k]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == '_':
		case c == '\\':
			if k+1 >= j || !strings.ContainsRune(`\*?!"#$%&'()+,/:;<=>@[]^`+"`"+`{|}~`, rune(f[k+1])) {
				return false
			}
			k++
		default:
			return false
		}
	}
	return true
}

// cpeLang: "*", "-", or [a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?.
func cpeLang(f string) bool {
	if f == "*" || f == "-" {
		return true
	}
	lang, region, hasRegion := strings.Cut(f, "-")
	alpha := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
				return false
			}
		}
		return true
	}
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	if len(lang) < 2 || len(lang) > 3 || !alpha(lang) {
		return false
	}
	if !hasRegion {
		return true
	}
	return len(region) == 2 && alpha(region) || len(region) == 3 && digits(region)
}

// ValidPURL parses a purl with packageurl-go and says why it is invalid.
func ValidPURL(s string) error {
	p, err := packageurl.FromString(s)
	if err != nil {
		return err
	}
	if p.Type == "" || p.Name == "" {
		return fmt.Errorf("purl needs a type and a name")
	}
	return nil
}

// ValidCPE checks CPE 2.3 formatted-string or CPE 2.2 URI syntax.
func ValidCPE(s string) error {
	switch {
	case strings.HasPrefix(s, "cpe:2.3:"):
		if !cpe23(s) {
			return fmt.Errorf("not a CPE 2.3 formatted string (cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other)")
		}
	case strings.HasPrefix(strings.ToLower(s), "cpe:/"):
		if !reCPE22.MatchString(s) {
			return fmt.Errorf("not a CPE 2.2 URI (cpe:/part:vendor:product:...)")
		}
	default:
		return fmt.Errorf("neither a CPE 2.3 formatted string (cpe:2.3:...) nor a CPE 2.2 URI (cpe:/...)")
	}
	return nil
}

// NewIdentifiersValid checks that purl and CPE values parse.
func NewIdentifiersValid() controls.Check {
	c := controls.Check{
		ID:          "SBOM-IDENTIFIERS-VALID",
		Title:       "SBOM component identifiers (purl, CPE) are well-formed",
		Rationale:   "A malformed purl or CPE matches no vulnerability record: the component silently drops out of risk analysis.",
		Remediation: "Fix the generator or the SBOM so that purls follow the package-url specification and CPEs the CPE 2.3 formatted-string syntax.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "TEST",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			checked, nBad, bad := validateIdentifiers(d.doc.Components)
			switch {
			case checked == 0:
				out = append(out, finding(c, d, evidence.NotAssessed, "no purl or CPE to validate ("+plural(len(d.doc.Components), "component", "components")+" without identifiers; see SBOM-NTIA-MINIMUM)"))
			case nBad > 0:
				out = append(out, finding(c, d, evidence.Fail, fmt.Sprintf("%d of %d identifiers are malformed: %s", nBad, checked, named(nBad, bad))))
			default:
				out = append(out, finding(c, d, evidence.Pass, fmt.Sprintf("all %d purl/CPE identifiers are well-formed", checked)))
			}
		}
		return out
	}
	return c
}

// validateIdentifiers parses every purl and CPE; large SBOMs are split
// across GOMAXPROCS workers (the work is pure). It returns how many were
// checked, how many are malformed, and the first three problems in
// component order.
func validateIdentifiers(comps []sbom.Component) (checked, nBad int, first []string) {
	type result struct {
		checked, bad int
		first        []string
	}
	one := func(cs []sbom.Component) result {
		var r result
		for i := range cs {
			comp := &cs[i]
			if comp.PURL != "" {
				r.checked++
				if err := ValidPURL(comp.PURL); err != nil {
					r.bad++
					if len(r.first) < 3 {
						r.first = append(r.first, fmt.Sprintf("%s purl %q: %s", comp.Label(), comp.PURL, err))
					}
				}
			}
			if comp.CPE != "" {
				r.checked++
				if err := ValidCPE(comp.CPE); err != nil {
					r.bad++
					if len(r.first) < 3 {
						r.first = append(r.first, fmt.Sprintf("%s cpe %q: %s", comp.Label(), comp.CPE, err))
					}
				}
			}
		}
		return r
	}
	workers := runtime.GOMAXPROCS(0)
	if len(comps) < 10000 || workers < 2 {
		r := one(comps)
		return r.checked, r.bad, r.first
	}
	results := make([]result, workers)
	chunk := (len(comps) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(comps))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = one(comps[lo:hi])
		}()
	}
	wg.Wait()
	for _, r := range results {
		checked += r.checked
		nBad += r.bad
		for _, f := range r.first {
			if len(first) < 3 {
				first = append(first, f)
			}
		}
	}
	return checked, nBad, first
}
