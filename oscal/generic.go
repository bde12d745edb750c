package oscal

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// The fast validator is not specific to OSCAL: any draft-07 schema compiled
// by the reference compiler can be walked. Keywords the walker does not
// implement (const, not, if/then/else, min/maxLength, maximum, ...) make
// their subschema a fallback: the value there is decoded on its own and
// validated by the reference, so the verdict and the problems are the
// reference's while the large arrays of a document (an SBOM's components)
// are walked in place, never decoded into a tree.

// FastValidator validates JSON bytes against one compiled schema.
type FastValidator struct {
	root *node
}

// ErrNeedsDecode is returned by FastValidator.Validate for a document the
// byte walk cannot judge as the reference would (an object holding a
// constrained key twice, where decoders keep the last value): validate the
// decoded document with the reference instead.
var ErrNeedsDecode = errors.New("document needs decoding to be validated")

// CompileFast builds a fast validator for a schema compiled by
// santhosh-tekuri/jsonschema.
func CompileFast(s *jsonschema.Schema) (*FastValidator, error) {
	c := &fastCompiler{memo: map[*jsonschema.Schema]*node{}, allowFallback: true}
	n, err := c.compile(s)
	if err != nil {
		return nil, err
	}
	return &FastValidator{root: n}, nil
}

// Validate walks the JSON document b once and returns its problems,
// sorted (nil when valid). Malformed JSON is a *SyntaxError; ErrNeedsDecode
// asks for the reference over the decoded document.
func (v *FastValidator) Validate(b []byte) ([]Problem, error) {
	w := &walker{b: b}
	w.ws()
	if w.i >= len(b) {
		return nil, newJSONSyntax(b, 0, "empty document")
	}
	w.value(v.root)
	if err := w.end(); err != nil {
		if _, retry := err.(errRetry); retry {
			return nil, ErrNeedsDecode
		}
		return nil, err
	}
	if len(w.probs) == 0 {
		return nil, nil
	}
	return sortProblems(w.probs), nil
}

// ReferenceProblems validates a decoded document (json.Number numbers) with
// the reference and returns its problems in the fast validator's form: the
// oracle the fast validator is held to, and its fallback.
func ReferenceProblems(s *jsonschema.Schema, doc any) ([]Problem, error) {
	err := s.Validate(doc)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	var ps []Problem
	collect(ve, nil, &ps)
	return sortProblems(ps), nil
}

// referenceValue validates the value at w.i with the reference: it is
// skipped, decoded on its own and its problems placed under the current
// pointer.
func (w *walker) referenceValue(s *jsonschema.Schema) {
	start := w.i
	w.skip()
	if w.stopped() {
		return
	}
	v := decodeValue(w.b[start:w.i])
	err := s.Validate(v)
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		w.probs = append(w.probs, Problem{Pointer: w.pointer(), Message: err.Error()})
		return
	}
	collect(ve, w.tokens(), &w.probs)
}

// tokens is the current path as decoded pointer tokens.
func (w *walker) tokens() []string {
	out := make([]string, len(w.path))
	var tmp []byte
	for i, t := range w.path {
		if t.key == nil {
			out[i] = fmt.Sprint(t.idx)
			continue
		}
		tmp = unquote(tmp[:0], t.key)
		out[i] = string(tmp)
	}
	return out
}

var hashSeed = maphash.MakeSeed()

// uniqueItems reports the first two equal items of an array, as the
// reference does: the first item equal to an earlier one, and the first of
// those. Items are compared by a hash of their JSON value (key order,
// whitespace, escapes and number spelling do not change it); items whose
// hashes agree are decoded and compared exactly.
func (w *walker) uniqueItems(spans []int) {
	n := len(spans) / 2
	// Items sorted by hash, then index: equal items sit in one run. A
	// slice of pairs rather than a map of lists, so that a long array
	// costs one allocation of 16 bytes an item.
	byHash := make([]hashedItem, n)
	for i := range byHash {
		byHash[i] = hashedItem{valueHash(w.b[spans[2*i]:spans[2*i+1]]), i}
	}
	slices.SortFunc(byHash, func(a, b hashedItem) int {
		if c := cmp.Compare(a.h, b.h); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	// The pair to report is the reference's: the first item equal to an
	// earlier one, with the first such earlier one.
	first, second := -1, -1
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && byHash[hi].h == byHash[lo].h {
			hi++
		}
		for k := lo + 1; k < hi; k++ {
			i := byHash[k].i
			if second != -1 && i >= second {
				break
			}
			for m := lo; m < k; m++ {
				j := byHash[m].i
				a := decodeValue(w.b[spans[2*j]:spans[2*j+1]])
				b := decodeValue(w.b[spans[2*i]:spans[2*i+1]])
				if jsonEqual(a, b) {
					first, second = j, i
					break
				}
			}
		}
		lo = hi
	}
	if second != -1 {
		w.report(&kind.UniqueItems{Duplicates: [2]int{first, second}})
	}
}

type hashedItem struct {
	h uint64
	i int
}

// valueHash hashes well-formed JSON by value.
func valueHash(b []byte) uint64 {
	w := &walker{b: b}
	return w.hashValue()
}

func mix(h, x uint64) uint64 {
	h ^= x
	h *= 0x100000001b3
	return h ^ h>>29
}

func (w *walker) hashValue() uint64 {
	w.ws()
	if w.i >= len(w.b) {
		return 0
	}
	switch c := w.b[w.i]; {
	case c == '{':
		w.i++
		var sum uint64
		count := uint64(0)
		for {
			w.ws()
			if w.i < len(w.b) && w.b[w.i] == '}' {
				w.i++
				break
			}
			_, key, ok := w.str()
			if !ok {
				return 0
			}
			kh := maphash.Bytes(hashSeed, key)
			w.ws()
			w.i++ // ':'
			vh := w.hashValue()
			// Members are summed: the hash does not depend on their order.
			sum += mix(kh, vh)
			count++
			w.ws()
			if w.i < len(w.b) && w.b[w.i] == ',' {
				w.i++
			}
		}
		return mix(mix(1, sum), count)
	case c == '[':
		w.i++
		h := uint64(2)
		for {
			w.ws()
			if w.i < len(w.b) && w.b[w.i] == ']' {
				w.i++
				break
			}
			h = mix(h, w.hashValue())
			w.ws()
			if w.i < len(w.b) && w.b[w.i] == ',' {
				w.i++
			}
		}
		return mix(h, 3)
	case c == '"':
		_, val, ok := w.str()
		if !ok {
			return 0
		}
		return mix(4, maphash.Bytes(hashSeed, val))
	case c == 't':
		w.i += 4
		return 5
	case c == 'f':
		w.i += 5
		return 6
	case c == 'n':
		w.i += 4
		return 7
	default:
		lit, _, ok := w.number()
		if !ok {
			return 0
		}
		return mix(8, maphash.String(hashSeed, canonicalNumber(lit)))
	}
}

// canonicalNumber spells a number so that equal numbers are spelt alike.
func canonicalNumber(lit []byte) string {
	d, ok := decimalOf(lit)
	if !ok {
		return string(lit) // beyond big.Rat: compared exactly on a collision
	}
	return d.canonical()
}

// jsonEqual is the reference's equality of decoded JSON values: numbers by
// value, objects whatever their key order.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		dx, ok1 := decimalOf([]byte(x))
		dy, ok2 := decimalOf([]byte(y))
		return ok1 && ok2 && dx == dy
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false
}
