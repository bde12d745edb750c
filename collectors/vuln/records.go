package vuln

import "fmt"

// IndexRecords indexes OSV JSON records held in memory (a snapshot shipped
// with pedigree, say). A record that does not decode is an error naming
// its position: embedded data is meant to be exact.
func IndexRecords(records [][]byte) (*Index, error) {
	var advs []Advisory
	var affs []Affected
	for i, b := range records {
		v, err := ParseOSV(b)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		a, af, ok := compact(v)
		if !ok {
			continue // withdrawn
		}
		for k := range af {
			af[k].Advisory = int32(len(advs))
		}
		advs = append(advs, a)
		affs = append(affs, af...)
	}
	return NewIndex(advs, affs), nil
}

// Entries returns the affected entries naming a package of an ecosystem,
// in index order: what a caller matching on other than versions (commit
// hashes of GIT ranges) reads.
func (ix *Index) Entries(ecosystem, name string) []*Affected {
	if ix == nil {
		return nil
	}
	var out []*Affected
	for _, i := range ix.byKey[indexKey(ecosystem, name)] {
		out = append(out, &ix.Affected[i])
	}
	return out
}
