package vuln

import (
	"sort"
	"sync"
	"sync/atomic"

	"github.com/google/osv-scalibr/semantic"
)

// Index is an OSV database ready for matching: advisories and their
// affected entries, keyed by (base ecosystem, normalised package name).
// Range events are parsed lazily, once per affected entry, so that a
// database of every ecosystem costs only what the SBOMs actually query.
// An Index is safe for concurrent queries.
type Index struct {
	Advisories []Advisory
	Affected   []Affected

	byKey  map[string][]int32
	parsed []atomic.Pointer[parsedAffected]
	// versions caches parsed versions per ordering: advisories share
	// boundary versions and SBOMs repeat component versions, and parsing
	// (big integers) dominates matching otherwise.
	versions sync.Map // versionKey -> parsedVersion
}

type versionKey struct{ ordering, v string }

type parsedVersion struct {
	v   semantic.Version
	err error
}

// parser returns a caching parser of one ordering ("semver" or a base
// ecosystem); nil when the ordering is unknown.
func (ix *Index) parser(ordering string, p versionParser) versionParser {
	if p == nil {
		return nil
	}
	return func(s string) (semantic.Version, error) {
		k := versionKey{ordering, s}
		if pv, ok := ix.versions.Load(k); ok {
			return pv.(parsedVersion).v, pv.(parsedVersion).err
		}
		v, err := p(s)
		ix.versions.Store(k, parsedVersion{v, err})
		return v, err
	}
}

type parsedAffected struct {
	ranges []prange
}

// NewIndex indexes advisories and affected entries (Affected.Advisory
// indexes advs).
func NewIndex(advs []Advisory, affs []Affected) *Index {
	ix := &Index{Advisories: advs, Affected: affs, byKey: make(map[string][]int32, len(affs))}
	for i := range affs {
		if affs[i].Name == "" || int(affs[i].Advisory) >= len(advs) || affs[i].Advisory < 0 {
			continue
		}
		k := indexKey(affs[i].Ecosystem, affs[i].Name)
		ix.byKey[k] = append(ix.byKey[k], int32(i))
	}
	ix.parsed = make([]atomic.Pointer[parsedAffected], len(affs))
	return ix
}

// Packages counts the distinct (ecosystem, name) keys.
func (ix *Index) Packages() int { return len(ix.byKey) }

func (ix *Index) parsedOf(i int32) *parsedAffected {
	if p := ix.parsed[i].Load(); p != nil {
		return p
	}
	af := &ix.Affected[i]
	eco := ix.parser(baseEcosystem(af.Ecosystem), ecosystemParser(af.Ecosystem))
	sem := ix.parser("semver", semverParser)
	p := &parsedAffected{ranges: make([]prange, len(af.Ranges))}
	for j, r := range af.Ranges {
		p.ranges[j] = parseRange(r, eco, sem)
	}
	ix.parsed[i].Store(p)
	return p
}

// Hit is one advisory that affects a queried package version.
type Hit struct {
	Advisory *Advisory
	// Affected are the entries that matched (several when a record lists
	// the package twice, or for several distro releases).
	Affected []*Affected
	// Fixed is the first fixed version above the queried one; empty when no
	// fix is recorded (or only last_affected is).
	Fixed string
	// ByVersions is true when the version is listed in `versions`.
	ByVersions bool
}

// Query returns the advisories affecting pkg at pkg.Version, in advisory id
// order, and the ids of advisories naming the package whose ranges could
// not be evaluated for this version (an unparseable version, a GIT-only
// range without a `versions` list): a blind spot, not a pass.
func (ix *Index) Query(pkg Package) (hits []Hit, undecided []string) {
	if ix == nil || pkg.Version == "" {
		return nil, nil
	}
	cands := ix.byKey[indexKey(pkg.Ecosystem, pkg.Name)]
	if len(cands) == 0 {
		return nil, nil
	}
	var (
		ecoV, semV semantic.Version
		ecoDone    bool
		semDone    bool
		byAdv      map[int32]int
		undecSet   map[int32]bool
	)
	for _, i := range cands {
		af := &ix.Affected[i]
		if baseEcosystem(af.Ecosystem) != pkg.Ecosystem || !releaseMatches(af.Ecosystem, pkg.Release) {
			continue
		}
		affected, fixed, decided := false, "", false
		if inVersions(af.Versions, pkg.Version) {
			affected, decided = true, true
		}
		pa := ix.parsedOf(i)
		for j := range pa.ranges {
			pr := &pa.ranges[j]
			var v semantic.Version
			switch pr.typ {
			case RangeSemver:
				if !semDone {
					semV, _ = ix.parser("semver", semverParser)(pkg.Version)
					semDone = true
				}
				v = semV
			case RangeEcosystem:
				if !ecoDone {
					if p := ix.parser(pkg.Ecosystem, ecosystemParser(pkg.Ecosystem)); p != nil {
						if pv, err := p(pkg.Version); err == nil {
							ecoV = pv
						}
					}
					ecoDone = true
				}
				v = ecoV
			default:
				continue
			}
			in, fx, ok := pr.includes(v)
			if !ok {
				continue
			}
			decided = true
			if in {
				affected = true
				if fx != "" && fixed == "" {
					fixed = fx
				}
			}
		}
		if !decided && len(af.Versions) == 0 && len(af.Ranges) > 0 {
			if undecSet == nil {
				undecSet = map[int32]bool{}
			}
			undecSet[af.Advisory] = true
			continue
		}
		if !affected {
			continue
		}
		if byAdv == nil {
			byAdv = map[int32]int{}
		}
		if k, ok := byAdv[af.Advisory]; ok {
			h := &hits[k]
			h.Affected = append(h.Affected, af)
			if h.Fixed == "" {
				h.Fixed = fixed
			}
			h.ByVersions = h.ByVersions || inVersions(af.Versions, pkg.Version)
			continue
		}
		byAdv[af.Advisory] = len(hits)
		hits = append(hits, Hit{Advisory: &ix.Advisories[af.Advisory], Affected: []*Affected{af}, Fixed: fixed,
			ByVersions: inVersions(af.Versions, pkg.Version)})
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].Advisory.ID < hits[b].Advisory.ID })
	for a := range undecSet {
		if _, hit := byAdv[a]; !hit {
			undecided = append(undecided, ix.Advisories[a].ID)
		}
	}
	sort.Strings(undecided)
	return hits, undecided
}
