package ci

import (
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
)

// maxCombinations bounds a matrix's expansion (GitHub allows 256 jobs).
const maxCombinations = 1024

// Combination is one job of a matrix: a value per matrix key (lower case).
type Combination map[string]actionlint.RawYAMLValue

// MatrixCombinations expands a job's strategy.matrix into its combinations
// as GitHub does: the product of its rows, less the combinations an
// exclude: entry matches, with each include: entry merged into the
// combinations it matches or added as one of its own. ok is false when the
// matrix (or a part of it) comes from an expression and cannot be known
// here; a job without a matrix has one empty combination.
func MatrixCombinations(j *actionlint.Job) (out []Combination, ok bool) {
	if j == nil || j.Strategy == nil || j.Strategy.Matrix == nil {
		return []Combination{{}}, true
	}
	m := j.Strategy.Matrix
	if m.Expression != nil {
		return nil, false
	}
	combos := []Combination{{}}
	keys := make([]string, 0, len(m.Rows))
	for k := range m.Rows {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		row := m.Rows[k]
		if row == nil {
			continue
		}
		if row.Expression != nil {
			return nil, false
		}
		var next []Combination
		for _, c := range combos {
			for _, v := range row.Values {
				n := make(Combination, len(c)+1)
				for ck, cv := range c {
					n[ck] = cv
				}
				n[k] = v
				next = append(next, n)
				if len(next) > maxCombinations {
					return nil, false
				}
			}
		}
		combos = next
	}
	if len(keys) == 0 {
		combos = nil
	}
	if ex := m.Exclude; ex != nil {
		if ex.Expression != nil {
			return nil, false
		}
		kept := combos[:0]
		for _, c := range combos {
			drop := false
			for _, e := range ex.Combinations {
				if e != nil && e.Expression == nil && matches(c, e) {
					drop = true
					break
				}
			}
			if !drop {
				kept = append(kept, c)
			}
		}
		combos = kept
	}
	if in := m.Include; in != nil {
		if in.Expression != nil {
			return nil, false
		}
		original := map[string]bool{}
		for _, k := range keys {
			original[k] = true
		}
		for _, e := range in.Combinations {
			if e == nil {
				continue
			}
			if e.Expression != nil {
				return nil, false
			}
			merged := false
			for _, c := range combos {
				if matchesOriginal(c, e, original) {
					for k, a := range e.Assigns {
						if a != nil && !original[k] {
							c[k] = a.Value
						}
					}
					merged = true
				}
			}
			if !merged {
				n := Combination{}
				for k, a := range e.Assigns {
					if a != nil {
						n[k] = a.Value
					}
				}
				combos = append(combos, n)
			}
		}
	}
	if len(combos) == 0 {
		combos = []Combination{{}}
	}
	return combos, true
}

// matches says whether an exclude: entry matches a combination: every key
// it names has an equal value.
func matches(c Combination, e *actionlint.MatrixCombination) bool {
	for k, a := range e.Assigns {
		if a == nil || !rawEqual(c[k], a.Value) {
			return false
		}
	}
	return true
}

// matchesOriginal says whether an include: entry can extend a combination:
// it overwrites none of the combination's original values.
func matchesOriginal(c Combination, e *actionlint.MatrixCombination, original map[string]bool) bool {
	for k, a := range e.Assigns {
		if a != nil && original[k] && !rawEqual(c[k], a.Value) {
			return false
		}
	}
	return true
}

func rawEqual(a, b actionlint.RawYAMLValue) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.String() == b.String()
}

// MatrixExpansion is one value an expression-bearing string takes.
type MatrixExpansion struct {
	Value string
	// Via names the matrix keys it was read from ("matrix.os"), empty for
	// a literal.
	Via string
}

// ExpandMatrix substitutes the ${{ matrix.* }} placeholders of s with
// each combination of the job's matrix and returns the distinct results.
// ok is false when s holds another expression (inputs, a function) or a
// matrix value that cannot be known.
func ExpandMatrix(j *actionlint.Job, s string) (out []MatrixExpansion, ok bool) {
	if !strings.Contains(s, "${{") {
		return []MatrixExpansion{{Value: s}}, true
	}
	type ph struct {
		start, end int
		path       []string
	}
	var phs []ph
	for off := 0; ; {
		i := strings.Index(s[off:], "${{")
		if i < 0 {
			break
		}
		start := off + i
		j := strings.Index(s[start:], "}}")
		if j < 0 {
			return nil, false
		}
		end := start + j + 2
		path := strings.Split(strings.ToLower(strings.TrimSpace(s[start+3:end-2])), ".")
		if len(path) < 2 || path[0] != "matrix" {
			return nil, false
		}
		for _, p := range path {
			if p == "" || strings.ContainsAny(p, " ()[]'\"=!&|<>") {
				return nil, false
			}
		}
		phs = append(phs, ph{start, end, path})
		off = end
	}
	combos, ok := MatrixCombinations(j)
	if !ok {
		return nil, false
	}
	seen := map[string]bool{}
	for _, c := range combos {
		var b strings.Builder
		var via []string
		prev := 0
		for _, p := range phs {
			v, ok := lookup(c[p.path[1]], p.path[2:])
			if !ok {
				return nil, false
			}
			b.WriteString(s[prev:p.start])
			b.WriteString(v)
			prev = p.end
			via = append(via, strings.Join(p.path, "."))
		}
		b.WriteString(s[prev:])
		if v := b.String(); !seen[v] {
			seen[v] = true
			out = append(out, MatrixExpansion{Value: v, Via: strings.Join(via, ", ")})
		}
	}
	return out, true
}

// MatrixValues is ExpandMatrix for a value that may be a list (runs-on:
// ${{ matrix.runner }} with runner: [[self-hosted, linux]]): each
// combination's labels.
func MatrixValues(j *actionlint.Job, s string) (out [][]string, via string, ok bool) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "${{") || !strings.HasSuffix(t, "}}") || strings.Count(t, "${{") != 1 {
		return nil, "", false
	}
	path := strings.Split(strings.ToLower(strings.TrimSpace(t[3:len(t)-2])), ".")
	if len(path) < 2 || path[0] != "matrix" {
		return nil, "", false
	}
	combos, ok := MatrixCombinations(j)
	if !ok {
		return nil, "", false
	}
	seen := map[string]bool{}
	for _, c := range combos {
		v, ok := descend(c[path[1]], path[2:])
		if !ok {
			return nil, "", false
		}
		var labels []string
		switch x := v.(type) {
		case *actionlint.RawYAMLString:
			labels = []string{x.Value}
		case *actionlint.RawYAMLArray:
			for _, e := range x.Elems {
				str, isStr := e.(*actionlint.RawYAMLString)
				if !isStr {
					return nil, "", false
				}
				labels = append(labels, str.Value)
			}
		default:
			return nil, "", false
		}
		if k := strings.Join(labels, "\x00"); !seen[k] {
			seen[k] = true
			out = append(out, labels)
		}
	}
	return out, strings.Join(path, "."), true
}

// descend reads the value under path of a matrix value; ok is false when
// the path goes through something other than an object.
func descend(v actionlint.RawYAMLValue, path []string) (actionlint.RawYAMLValue, bool) {
	for _, p := range path {
		o, ok := v.(*actionlint.RawYAMLObject)
		if !ok {
			return nil, false
		}
		v = o.Props[p]
	}
	return v, true
}

// lookup reads a scalar under path of a matrix value.
func lookup(v actionlint.RawYAMLValue, path []string) (string, bool) {
	v, ok := descend(v, path)
	if !ok {
		return "", false
	}
	switch x := v.(type) {
	case *actionlint.RawYAMLString:
		if strings.Contains(x.Value, "${{") {
			return "", false
		}
		return x.Value, true
	case nil:
		return "", true // GitHub expands a missing key to an empty string
	}
	return "", false
}
