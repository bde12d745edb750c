package oscal

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// fastSchema is the embedded schema compiled for the fast validator.
type fastSchema struct {
	// root accepts the union of the models' branches: "$schema" and one
	// property per model, nothing else. A document holding exactly one
	// model is valid against it iff it is valid against that model's
	// branch of the schema's root oneOf.
	root *node
	// modelBit is the bit of each model's property in root's seen set.
	modelBit map[string]uint64
}

var (
	fastOnce sync.Once
	fastSch  *fastSchema
	fastErr  error
)

func fastSchemas() (*fastSchema, error) {
	fastOnce.Do(func() {
		s, err := compiledSchemas()
		if err != nil {
			fastErr = err
			return
		}
		fastSch, fastErr = buildFast(s)
	})
	return fastSch, fastErr
}

func buildFast(s *compiled) (*fastSchema, error) {
	c := &fastCompiler{memo: map[*jsonschema.Schema]*node{}}
	root := &node{loc: "(models)", minItems: -1, maxItems: -1, isObj: true, noAddl: true, props: map[string]int{}}
	var directive *node
	for _, m := range Models {
		branch, err := c.compile(s.models[m])
		if err != nil {
			return nil, fmt.Errorf("compile OSCAL schema for %s: %w", m, err)
		}
		// The branch is {properties: {$schema, <model>}, required:
		// [<model>], additionalProperties: false}; anything else would
		// make the union above wrong.
		mi, hasModel := branch.props[m]
		di, hasDirective := branch.props["$schema"]
		if !branch.isObj || !branch.noAddl || len(branch.props) != 2 || !hasModel || !hasDirective ||
			len(branch.required) != 1 || branch.reqNames[0] != m || branch.types != 0 && branch.types != tObject ||
			branch.enum != nil || len(branch.allOf)+len(branch.anyOf)+len(branch.oneOf) > 0 {
			return nil, fmt.Errorf("OSCAL schema branch for %s has an unexpected shape", m)
		}
		if directive == nil {
			directive = branch.propNodes[di]
		} else if directive != branch.propNodes[di] {
			return nil, fmt.Errorf("OSCAL schema branches differ in $schema")
		}
		root.props[m] = len(root.propNodes)
		root.propNodes = append(root.propNodes, branch.propNodes[mi])
	}
	root.props["$schema"] = len(root.propNodes)
	root.propNodes = append(root.propNodes, directive)
	fs := &fastSchema{root: root, modelBit: map[string]uint64{}}
	for _, m := range Models {
		fs.modelBit[m] = 1 << root.props[m]
	}
	return fs, nil
}

// errRetry is a document the streaming walk cannot judge as the reference
// would (an object holding a key twice): decode it and validate the value.
type errRetry struct{}

func (errRetry) Error() string { return "retry through decoding" }

// validate checks JSON bytes. It returns nil, a *ValidationError, a
// *SyntaxError, or errRetry.
func (fs *fastSchema) validate(b []byte, arrays Arrays) error {
	w := &walker{b: b}
	if len(arrays) > 0 {
		w.par = &splitter{arrays: arrays}
	}
	w.ws()
	if w.i >= len(b) {
		return newJSONSyntax(b, 0, "empty document")
	}
	var found []string
	if b[w.i] != '{' {
		typ := "a number"
		switch b[w.i] {
		case '[':
			typ = "an array"
		case '"':
			typ = "a string"
		case 't', 'f':
			typ = "a boolean"
		case 'n':
			typ = "null"
		}
		w.skip()
		if err := w.end(); err != nil {
			return err
		}
		return notObject(typ)
	}
	seen := w.object(fs.root)
	if err := w.end(); err != nil {
		return err
	}
	for _, m := range Models {
		if seen&fs.modelBit[m] != 0 {
			found = append(found, m)
		}
	}
	if verr := modelProblem(found); verr != nil {
		return verr
	}
	if len(w.probs) == 0 {
		return nil
	}
	return &ValidationError{Model: found[0], Problems: sortProblems(w.probs)}
}

// end checks that only whitespace follows the document.
func (w *walker) end() error {
	if w.err == nil && !w.dup {
		w.ws()
		if w.i < len(w.b) {
			w.syntax("unexpected data after the document")
		}
	}
	if w.err != nil {
		return w.err
	}
	if w.dup {
		return errRetry{}
	}
	return nil
}

// Validate checks a decoded JSON value (map[string]any, []any, string,
// json.Number or float64, bool, nil; see Decode) against the OSCAL 1.1.3
// complete schema. It returns nil, a *ValidationError, or an error when the
// embedded schema itself cannot be compiled (a build defect).
func Validate(doc any) error {
	fs, err := fastSchemas()
	if err != nil {
		return err
	}
	if _, verr := modelCheck(doc); verr != nil {
		return verr
	}
	e := &encoder{arrays: Arrays{}}
	if !e.append(doc, 0) {
		return validateReference(doc)
	}
	err = fs.validate(e.b, e.arrays)
	if _, retry := err.(errRetry); retry {
		return validateReference(doc) // cannot happen: a map has no duplicate keys
	}
	return err
}

// ValidateJSON validates a JSON document in its encoded form, without
// decoding it: the path for documents pedigree writes. Malformed JSON is
// an error that is not a *ValidationError.
func ValidateJSON(b []byte) error { return ValidateJSONChunked(b, nil) }

// ValidateJSONChunked is ValidateJSON for a document whose long arrays'
// chunks the caller knows (it encoded them): their items are validated in
// parallel. Chunks that do not match the document are noticed, and the
// array is then validated in one piece; the result is the same either way.
func ValidateJSONChunked(b []byte, arrays Arrays) error {
	fs, err := fastSchemas()
	if err != nil {
		return err
	}
	err = fs.validate(b, arrays)
	switch err.(type) {
	case errRetry:
		v, derr := DecodeJSON(b)
		if derr != nil {
			return fmt.Errorf("decode generated document: %w", derr)
		}
		return Validate(v)
	case *SyntaxError:
		return fmt.Errorf("decode generated document: %w", err)
	}
	return err
}

// splitItems and chunkItems: an array of at least splitItems items is
// encoded in chunks of chunkItems, validated in parallel.
const (
	splitItems = 1024
	chunkItems = 512
)

// encoder encodes a decoded JSON value, in any key order (the problems
// found are sorted), noting the chunks of its long arrays.
type encoder struct {
	b      []byte
	arrays Arrays
}

// append reports false for what JSON cannot hold exactly: Go values of
// other types, strings that are not UTF-8, invalid json.Numbers, NaN and
// infinities, nesting deeper than maxDepth.
func (e *encoder) append(v any, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case bool:
		e.b = strconv.AppendBool(e.b, x)
	case string:
		if !utf8.ValidString(x) {
			return false
		}
		e.b = appendString(e.b, x)
	case json.Number:
		if !isNumber(string(x)) {
			return false
		}
		e.b = append(e.b, x...)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		e.b = strconv.AppendFloat(e.b, x, 'g', -1, 64)
	case int:
		e.b = strconv.AppendInt(e.b, int64(x), 10)
	case int64:
		e.b = strconv.AppendInt(e.b, x, 10)
	case []any:
		open := len(e.b)
		e.b = append(e.b, '[')
		var chunks []Chunk
		for i, el := range x {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			if len(x) >= splitItems && i%chunkItems == 0 {
				chunks = append(chunks, Chunk{Offset: len(e.b), Index: i})
			}
			if !e.append(el, depth+1) {
				return false
			}
		}
		e.b = append(e.b, ']')
		if chunks != nil {
			e.arrays[open] = chunks
		}
	case map[string]any:
		e.b = append(e.b, '{')
		first := true
		for k, el := range x {
			if !utf8.ValidString(k) {
				return false
			}
			if !first {
				e.b = append(e.b, ',')
			}
			first = false
			e.b = appendString(e.b, k)
			e.b = append(e.b, ':')
			if !e.append(el, depth+1) {
				return false
			}
		}
		e.b = append(e.b, '}')
	default:
		return false
	}
	return true
}

const hexDigits = "0123456789abcdef"

func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// isNumber reports a JSON number literal.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	w := &walker{b: []byte(s)}
	_, _, ok := w.number()
	return ok && w.i == len(s)
}
