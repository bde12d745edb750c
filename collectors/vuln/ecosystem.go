package vuln

import (
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// Package is a component as the OSV database names it.
type Package struct {
	// Ecosystem is the OSV base ecosystem (Go, npm, PyPI, Debian, ...).
	Ecosystem string
	// Release is the distribution release from the purl's distro qualifier
	// ("12" for Debian bookworm, "v3.18" for Alpine), when known.
	Release string
	// Name is the package name in the ecosystem's spelling (Maven
	// group:artifact, npm @scope/name, a distro source package).
	Name    string
	Version string
}

// Unmatchable reasons, as reported by VULN-UNMATCHABLE-COMPONENTS.
const (
	ReasonNoIdentifier   = "no purl or CPE"
	ReasonCPEOnly        = "CPE only (OSV is keyed by package, not CPE)"
	ReasonBadPURL        = "purl does not parse"
	ReasonUnsupportedEco = "purl type has no OSV ecosystem"
	ReasonNoVersion      = "no version"
	// A placeholder (UNKNOWN, (devel), latest, an unresolved ${variable},
	// Go's zero pseudo-version of a replaced module) is no version: every
	// advisory's range would "contain" it.
	ReasonPlaceholderVersion = "placeholder version, not comparable"
	ReasonRangeVersion       = "version is a range or wildcard, not one version"
)

// purlEcosystems maps purl types to OSV ecosystems; distro types are
// resolved by namespace in osvPackage.
var purlEcosystems = map[string]string{
	"golang":       "Go",
	"npm":          "npm",
	"pypi":         "PyPI",
	"maven":        "Maven",
	"cargo":        "crates.io",
	"nuget":        "NuGet",
	"gem":          "RubyGems",
	"composer":     "Packagist",
	"hex":          "Hex",
	"pub":          "Pub",
	"swift":        "SwiftURL",
	"cran":         "CRAN",
	"hackage":      "Hackage",
	"conan":        "ConanCenter",
	"github":       "GitHub Actions",
	"bitnami":      "Bitnami",
	"julia":        "Julia",
	"opam":         "opam",
	"bioconductor": "Bioconductor",
}

var distroEcosystems = map[string]map[string]string{
	"deb": {"debian": "Debian", "ubuntu": "Ubuntu"},
	"apk": {"alpine": "Alpine", "wolfi": "Wolfi", "chainguard": "Chainguard", "alpaquita": "Alpaquita", "minimos": "MinimOS"},
	"rpm": {"redhat": "Red Hat", "rhel": "Red Hat", "almalinux": "AlmaLinux", "rocky": "Rocky Linux", "rocky-linux": "Rocky Linux",
		"opensuse": "openSUSE", "suse": "SUSE", "sles": "SUSE", "mageia": "Mageia", "openeuler": "openEuler"},
}

var debianCodenames = map[string]string{
	"hamm": "2", "slink": "2.1", "potato": "2.2", "woody": "3.0", "sarge": "3.1", "etch": "4", "lenny": "5",
	"squeeze": "6", "wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11",
	"bookworm": "12", "trixie": "13", "forky": "14", "sid": "sid",
}

// PackageFromPURL maps a purl (and the component's own version when the
// purl has none) to the OSV package it names. The reason is empty when the
// package can be looked up.
func PackageFromPURL(purl, version string) (Package, string) {
	p, err := packageurl.FromString(purl)
	if err != nil {
		return Package{}, ReasonBadPURL
	}
	pkg := Package{Version: p.Version}
	if pkg.Version == "" {
		pkg.Version = version
	}
	switch p.Type {
	case "deb", "apk", "rpm":
		q := p.Qualifiers.Map()
		eco := distroEcosystems[p.Type][strings.ToLower(p.Namespace)]
		if eco == "" {
			return Package{}, ReasonUnsupportedEco
		}
		pkg.Ecosystem = eco
		pkg.Name = p.Name
		// The OSV name is the source package; syft and others record it in
		// the upstream (or source) qualifier.
		if up := firstNonEmpty(q["upstream"], q["source"]); up != "" {
			pkg.Name = sourceName(p.Type, up)
		}
		if ep := q["epoch"]; ep != "" && ep != "0" && !strings.Contains(pkg.Version, ":") && pkg.Version != "" {
			pkg.Version = ep + ":" + pkg.Version
		}
		pkg.Release = distroRelease(eco, firstNonEmpty(q["distro"], q["os_version"]))
	default:
		eco := purlEcosystems[p.Type]
		if eco == "" {
			return Package{}, ReasonUnsupportedEco
		}
		pkg.Ecosystem = eco
		switch p.Type {
		case "maven":
			pkg.Name = p.Namespace + ":" + p.Name
		case "npm", "golang", "composer", "swift", "github":
			pkg.Name = p.Name
			if p.Namespace != "" {
				pkg.Name = p.Namespace + "/" + p.Name
			}
		default:
			pkg.Name = p.Name
		}
	}
	if pkg.Ecosystem == "Go" && (pkg.Name == "stdlib" || pkg.Name == "toolchain") {
		// Toolchain versions are written go1.21.3; OSV's are 1.21.3.
		pkg.Version = strings.TrimPrefix(pkg.Version, "go")
	}
	if why := VersionProblem(pkg.Version); why != "" {
		return pkg, why
	}
	return pkg, ""
}

// VersionProblem says why a version string cannot be compared with an
// advisory's ranges, or "" when it can. The rule is by class: a version
// carries at least one digit, is not a range or wildcard, and is not a
// template left unexpanded.
func VersionProblem(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ReasonNoVersion
	}
	if strings.IndexFunc(v, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 {
		// UNKNOWN, NOASSERTION, (devel), latest, master, dev-main, *, x, -
		if strings.Trim(v, "*xX.") == "" {
			return ReasonRangeVersion
		}
		return ReasonPlaceholderVersion
	}
	for _, t := range []string{"${", "{{", "$(", "%{", "@{"} {
		if strings.Contains(v, t) {
			return ReasonPlaceholderVersion
		}
	}
	// Go writes this pseudo-version for a module replaced by a local path.
	if strings.TrimPrefix(v, "v") == "0.0.0-00010101000000-000000000000" {
		return ReasonPlaceholderVersion
	}
	switch v[0] {
	case '>', '<', '=', '^', '~', '!', '[', '(', ']':
		return ReasonRangeVersion
	}
	if strings.Contains(v, "||") || strings.Contains(v, " - ") || strings.ContainsAny(v, " ,") && strings.ContainsAny(v, "<>=") {
		return ReasonRangeVersion
	}
	for seg := range strings.SplitSeq(v, ".") {
		if seg == "*" || seg == "x" || seg == "X" {
			return ReasonRangeVersion
		}
	}
	if strings.HasSuffix(v, "+") && !strings.Contains(v, "-") {
		// Gradle's 1.2+ (a trailing + after a build suffix is a version).
		return ReasonRangeVersion
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

var rpmSource = lazyre.New(`^(.+)-[^-]+-[^-]+\.src\.rpm$`)

// sourceName reads the source package out of an upstream qualifier: deb
// and apk write "name" or "name@version", rpm the source rpm file name.
func sourceName(typ, up string) string {
	if typ == "rpm" {
		if m := rpmSource.FindStringSubmatch(up); m != nil {
			return m[1]
		}
	}
	if i := strings.IndexAny(up, "@ "); i > 0 {
		return up[:i]
	}
	return up
}

// distroRelease turns a purl distro qualifier ("debian-12", "bookworm",
// "alpine-3.18.4", "ubuntu-22.04") into the release part of an OSV
// ecosystem string.
func distroRelease(eco, distro string) string {
	d := strings.ToLower(strings.TrimSpace(distro))
	if d == "" {
		return ""
	}
	for _, pre := range []string{"debian-", "debian", "ubuntu-", "alpine-", "alpine", "wolfi-", "rhel-", "el"} {
		if rest, ok := strings.CutPrefix(d, pre); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			d = rest
			break
		}
	}
	switch eco {
	case "Debian":
		if n, ok := debianCodenames[d]; ok {
			return n
		}
		major, _, _ := strings.Cut(d, ".")
		return major
	case "Alpine":
		parts := strings.Split(d, ".")
		if len(parts) >= 2 {
			return "v" + parts[0] + "." + parts[1]
		}
		return ""
	case "Ubuntu":
		return d
	}
	return ""
}

// baseEcosystem is the ecosystem without its ":release" suffix.
func baseEcosystem(eco string) string {
	base, _, _ := strings.Cut(eco, ":")
	return base
}

// releaseMatches reports whether an advisory's ecosystem string ("Debian:12",
// "Alpine:v3.18", "Ubuntu:22.04:LTS") applies to a component's release. An
// advisory without a release, or a component without one, matches.
func releaseMatches(advEco, release string) bool {
	_, suffix, ok := strings.Cut(advEco, ":")
	if !ok || suffix == "" || release == "" {
		return true
	}
	switch baseEcosystem(advEco) {
	case "Debian", "Alpine":
		return suffix == release
	case "Ubuntu":
		for _, part := range strings.Split(suffix, ":") {
			if part == release {
				return true
			}
		}
		return false
	}
	return true
}

// normalizeName is the index key spelling of a package name: case-folded
// (Go purls are lower-cased by the purl library, NuGet and PyPI names are
// case-insensitive), and PyPI names normalised per PEP 503.
func normalizeName(eco, name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if eco == "PyPI" {
		var b strings.Builder
		sep := false
		for _, r := range n {
			if r == '-' || r == '_' || r == '.' {
				sep = true
				continue
			}
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		}
		n = b.String()
	}
	return n
}

func indexKey(eco, name string) string {
	base := baseEcosystem(eco)
	return base + "\x00" + normalizeName(base, name)
}
