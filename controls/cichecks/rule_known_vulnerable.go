package cichecks

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/pedigree-dev/pedigree/evidence"
)

//go:embed data/advisories.yaml
var defaultAdvisories []byte

// Advisories is an offline list of known-vulnerable actions.
type Advisories struct {
	Source     string     `yaml:"source"`
	Date       string     `yaml:"date"`
	Advisories []Advisory `yaml:"advisories"`
}

// Advisory is one advisory against one action.
type Advisory struct {
	ID         string   `yaml:"id"`
	Action     string   `yaml:"action"`
	Introduced string   `yaml:"introduced"`
	Fixed      string   `yaml:"fixed"`
	Versions   []string `yaml:"versions"`
	Commits    []string `yaml:"commits"`
	Summary    string   `yaml:"summary"`
}

// ParseAdvisories reads an advisory list (the embedded format).
func ParseAdvisories(name string, b []byte) (*Advisories, error) {
	var a Advisories
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, x := range a.Advisories {
		if x.ID == "" || x.Action == "" {
			return nil, fmt.Errorf("%s: advisories[%d]: id and action are required", name, i)
		}
		if x.Fixed == "" && len(x.Versions) == 0 && len(x.Commits) == 0 {
			return nil, fmt.Errorf("%s: advisories[%d] (%s): give fixed, versions or commits", name, i, x.ID)
		}
	}
	return &a, nil
}

// DefaultAdvisories is the list shipped with pedigree (parsed once; each
// call returns its own copy of the list).
func DefaultAdvisories() *Advisories {
	a := *parsedDefaultAdvisories()
	a.Advisories = slices.Clone(a.Advisories)
	return &a
}

var parsedDefaultAdvisories = sync.OnceValue(func() *Advisories {
	a, err := ParseAdvisories("advisories.yaml", defaultAdvisories)
	if err != nil {
		panic(err) // embedded data is tested
	}
	return a
})

// NewKnownVulnerableAction flags actions at versions with a known advisory,
// from the shipped offline list.
func NewKnownVulnerableAction() *Rule {
	return NewKnownVulnerableActionWith(DefaultAdvisories())
}

// NewKnownVulnerableActionWith uses the given advisory list.
func NewKnownVulnerableActionWith(db *Advisories) *Rule {
	// Advisories by lower-cased action name, in list order; for ASCII names
	// (all real ones) a lookup finds what strings.EqualFold would.
	byAction := map[string][]Advisory{}
	asciiDB := true
	for _, adv := range db.Advisories {
		k := strings.ToLower(adv.Action)
		byAction[k] = append(byAction[k], adv)
		asciiDB = asciiDB && isASCII(adv.Action)
	}
	lookup := func(name string) []Advisory {
		if asciiDB && isASCII(name) {
			return byAction[name]
		}
		var out []Advisory
		for _, adv := range db.Advisories {
			if strings.EqualFold(adv.Action, name) {
				out = append(out, adv)
			}
		}
		return out
	}
	return &Rule{
		ID:    "known-vulnerable-action",
		Title: "Action version with a known advisory",
		Rationale: "An action runs with the job's token and secrets; a version with a published vulnerability (or a " +
			"compromised release) exposes them. Source: " + db.Source + ", " + db.Date + ".",
		Remediation: "Upgrade to a fixed version and pin its commit SHA.",
		Severity:    evidence.High,
		Platforms:   github,
		judge: func(c *Context) {
			check := func(s *actionlint.String) {
				if s == nil {
					return
				}
				name, ref, ok := splitUses(s.Value)
				if !ok {
					return
				}
				name = strings.ToLower(name)
				advs := lookup(name)
				if len(advs) == 0 {
					return
				}
				ver := ref
				if isSHA(ref) {
					ver = ""
					if m := versionComment.FindStringSubmatch(c.P.Source.Line(valuePos(c.P.Source, s).Line)); m != nil {
						ver = m[1]
					}
				}
				for _, adv := range advs {
					if affected(adv, ref, ver) {
						c.Errorf(valuePos(c.P.Source, s), "%s@%s is affected by %s: %s", name, ref, adv.ID, adv.Summary)
					}
				}
			}
			if c.P.Workflow != nil {
				for _, j := range c.P.SortedJobs() {
					if j.WorkflowCall != nil {
						check(j.WorkflowCall.Uses)
					}
				}
			}
			for _, sr := range c.steps() {
				if a := uses(sr.step); a != nil {
					check(a.Uses)
				}
			}
		},
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func affected(a Advisory, ref, ver string) bool {
	for _, sha := range a.Commits {
		if strings.EqualFold(sha, ref) {
			return true
		}
	}
	if ver == "" {
		return false
	}
	v, n, ok := parseVersion(ver)
	if !ok {
		return false
	}
	for _, x := range a.Versions {
		if xv, _, ok := parseVersion(x); ok && n == 3 && cmpVersion(v, xv) == 0 {
			return true
		}
	}
	if a.Fixed == "" {
		return false
	}
	fixed, _, ok := parseVersion(a.Fixed)
	if !ok {
		return false
	}
	if a.Introduced != "" {
		if intro, _, ok := parseVersion(a.Introduced); ok && n == 3 && cmpVersion(v, intro) < 0 {
			return false
		}
	}
	if n < 3 {
		// A partial tag (v4, v4.1) follows the newest release of that line:
		// affected only when the whole line predates the fix.
		for i := 0; i < n; i++ {
			if v[i] != fixed[i] {
				return v[i] < fixed[i]
			}
		}
		return false
	}
	return cmpVersion(v, fixed) < 0
}

// parseVersion reads v1, 1.2, v1.2.3 into three numbers and how many were
// given.
func parseVersion(s string) ([3]int, int, bool) {
	var out [3]int
	s = strings.TrimPrefix(strings.TrimSpace(strings.ToLower(s)), "v")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return out, 0, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, 0, false
		}
		out[i] = n
	}
	return out, len(parts), true
}

func cmpVersion(a, b [3]int) int {
	for i := range 3 {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
