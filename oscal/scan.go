package oscal

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// maxDepth bounds the nesting of arrays and objects, as encoding/json does.
const maxDepth = 10000

// maxURICache bounds the URIs whose format verdict a walker remembers
// (namespaces and systems repeat on every prop of a large document).
const maxURICache = 4096

// pathTok is one token of the JSON pointer to the value being validated:
// an object key (the raw bytes between its quotes, decoded only when a
// problem is reported) or an array index.
type pathTok struct {
	key []byte
	idx int
}

// walker validates JSON bytes against compiled nodes in one pass, without
// building the document in memory. It stops at the first syntax error.
type walker struct {
	b     []byte
	i     int
	depth int

	err *SyntaxError // the first syntax error
	// dup is set when an object holds the same constrained key twice:
	// decoders keep the last value, so the streaming verdict could differ
	// from the reference's; the caller decodes and retries.
	dup bool

	path  []pathTok
	probs []Problem
	buf   []byte // scratch for decoded strings
	uris  map[string]bool

	par *splitter // nil: validate every array in place

	// spans holds, for the arrays being walked that want uniqueItems,
	// their items' start and end offsets: one stack for all of them, each
	// array's run above its parent's, so that no array allocates its own.
	spans []int

	// trusted is set while a value already read once is read again (the
	// branches of not, allOf, anyOf, oneOf, if): its bytes are known to be
	// well-formed, so what no branch constrains is skipped by structure
	// alone.
	trusted bool
	// quiet is set while only a verdict is wanted (not, if): problems are
	// counted, not worded.
	quiet int
}

func (w *walker) stopped() bool { return w.err != nil || w.dup }

func (w *walker) syntax(msg string) {
	if w.err == nil && !w.dup {
		w.err = newJSONSyntax(w.b, int64(w.i), msg)
	}
}

func (w *walker) unexpected(what string) {
	if w.i >= len(w.b) {
		w.i = len(w.b)
		w.syntax("unexpected end of JSON input (truncated document)")
		return
	}
	w.syntax(fmt.Sprintf("invalid character %s %s", quoteChar(w.b[w.i]), what))
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

func (w *walker) ws() {
	b, i := w.b, w.i
	for i < len(b) {
		switch b[i] {
		case ' ':
			// Indentation comes in runs: eight spaces at a time.
			for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:]) == 0x2020202020202020 {
				i += 8
			}
			for i < len(b) && b[i] == ' ' {
				i++
			}
		case '\t', '\n', '\r':
			i++
		default:
			w.i = i
			return
		}
	}
	w.i = i
}

// plain marks the bytes a string can hold as they are: printable ASCII
// but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

// str reads a string at w.i (a '"'), returning its raw content and its
// decoded value (raw itself when nothing needs decoding; else in w.buf,
// valid until the next call).
func (w *walker) str() (raw, val []byte, ok bool) {
	b := w.b
	j := w.i + 1
	start := j
	escaped, nonASCII := false, false
	for {
		for j < len(b) && plain[b[j]] {
			j++
		}
		if j >= len(b) {
			w.i = len(b)
			w.syntax("unexpected end of JSON input (truncated document)")
			return nil, nil, false
		}
		c := b[j]
		switch {
		case c == '"':
			raw = b[start:j]
			w.i = j + 1
			if !escaped && (!nonASCII || utf8.Valid(raw)) {
				return raw, raw, true
			}
			w.buf = unquote(w.buf[:0], raw)
			return raw, w.buf, true
		case c == '\\':
			escaped = true
			if j+1 >= len(b) {
				w.i = len(b)
				w.syntax("unexpected end of JSON input (truncated document)")
				return nil, nil, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := 2; k < 6; k++ {
					if j+k >= len(b) {
						w.i = len(b)
						w.syntax("unexpected end of JSON input (truncated document)")
						return nil, nil, false
					}
					if !isHex(b[j+k]) {
						w.i = j + k
						w.unexpected("in \\u hexadecimal character escape")
						return nil, nil, false
					}
				}
				j += 6
			default:
				w.i = j + 1
				w.unexpected("in string escape code")
				return nil, nil, false
			}
		case c < 0x20:
			w.i = j
			w.unexpected("in string literal")
			return nil, nil, false
		default:
			nonASCII = true
			j++
		}
	}
}

// unquote decodes the content of a well-formed JSON string as
// encoding/json does: invalid UTF-8 and unpaired surrogates become U+FFFD.
func unquote(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r := hex4(s[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, hex4(s[i+2:i+6])); dec != utf8.RuneError {
							i += 6
							dst = utf8.AppendRune(dst, dec)
							continue
						}
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default: // " \ /
				dst = append(dst, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			dst = utf8.AppendRune(dst, r)
			i += size
		}
	}
	return dst
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// number reads a number at w.i; integer reports a literal without fraction
// or exponent.
func (w *walker) number() (lit []byte, integer, ok bool) {
	b := w.b
	start := w.i
	j := start
	if j < len(b) && b[j] == '-' {
		j++
	}
	digits := func() bool {
		k := j
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		return j > k
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && isDigit(b[j]):
		digits()
	default:
		w.i = j
		w.unexpected("in numeric literal")
		return nil, false, false
	}
	integer = true
	if j < len(b) && b[j] == '.' {
		integer = false
		j++
		if !digits() {
			w.i = j
			w.unexpected("after decimal point in numeric literal")
			return nil, false, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		integer = false
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if !digits() {
			w.i = j
			w.unexpected("in exponent of numeric literal")
			return nil, false, false
		}
	}
	w.i = j
	return b[start:j], integer, true
}

func (w *walker) literal(word string) bool {
	if len(w.b)-w.i >= len(word) && string(w.b[w.i:w.i+len(word)]) == word {
		w.i += len(word)
		return true
	}
	for k := 0; k < len(word); k++ {
		if w.i+k >= len(w.b) {
			w.i = len(w.b)
			w.syntax("unexpected end of JSON input (truncated document)")
			return false
		}
		if w.b[w.i+k] != word[k] {
			w.i += k
			w.unexpected("in literal " + word + " (expecting " + quoteChar(word[k]) + ")")
			return false
		}
	}
	return false
}

// skip reads one value without validating it against any schema.
func (w *walker) skip() {
	w.ws()
	if w.i >= len(w.b) {
		w.unexpected("")
		return
	}
	if w.trusted {
		w.skipTrusted()
		return
	}
	switch c := w.b[w.i]; {
	case c == '{':
		if !w.enter() {
			return
		}
		w.i++
		w.ws()
		if w.i < len(w.b) && w.b[w.i] == '}' {
			w.i++
			w.depth--
			return
		}
		for !w.stopped() {
			w.ws()
			if w.i >= len(w.b) || w.b[w.i] != '"' {
				w.unexpected("looking for beginning of object key string")
				return
			}
			if _, _, ok := w.str(); !ok {
				return
			}
			w.ws()
			if w.i >= len(w.b) || w.b[w.i] != ':' {
				w.unexpected("after object key")
				return
			}
			w.i++
			w.skip()
			if !w.next('}', "object key:value pair") {
				return
			}
		}
	case c == '[':
		if !w.enter() {
			return
		}
		w.i++
		w.ws()
		if w.i < len(w.b) && w.b[w.i] == ']' {
			w.i++
			w.depth--
			return
		}
		for !w.stopped() {
			w.skip()
			if !w.next(']', "array element") {
				return
			}
		}
	case c == '"':
		w.str()
	case c == 't':
		w.literal("true")
	case c == 'f':
		w.literal("false")
	case c == 'n':
		w.literal("null")
	case c == '-' || isDigit(c):
		w.number()
	default:
		w.unexpected("looking for beginning of value")
	}
}

func (w *walker) enter() bool {
	w.depth++
	if w.depth > maxDepth {
		w.syntax(fmt.Sprintf("exceeded max depth of %d", maxDepth))
		return false
	}
	return true
}

// next reads the ',' or the closing byte after a member or element; it
// reports whether another member or element follows.
func (w *walker) next(closing byte, after string) bool {
	if w.stopped() {
		return false
	}
	w.ws()
	if w.i < len(w.b) {
		switch w.b[w.i] {
		case ',':
			w.i++
			return true
		case closing:
			w.i++
			w.depth--
			return false
		}
	}
	w.unexpected("after " + after)
	return false
}

// value validates the value at w.i against n (nil: anything goes).
func (w *walker) value(n *node) {
	w.ws()
	if n == nil {
		w.skip()
		return
	}
	if n.fallback != nil {
		w.referenceValue(n.fallback)
		return
	}
	if n.boolSchema != 0 {
		w.skip()
		if n.boolSchema == 2 && !w.stopped() {
			w.report(&kind.FalseSchema{})
		}
		return
	}
	if w.i >= len(w.b) {
		w.unexpected("")
		return
	}
	start := w.i
	var (
		t       uint8
		sval    []byte
		lit     []byte
		integer bool
	)
	switch c := w.b[w.i]; {
	case c == '{':
		t = tObject
	case c == '[':
		t = tArray
	case c == '"':
		t = tString
		var ok bool
		if _, sval, ok = w.str(); !ok {
			return
		}
	case c == 't' || c == 'f':
		t = tBoolean
		word := "true"
		if c == 'f' {
			word = "false"
		}
		if !w.literal(word) {
			return
		}
	case c == 'n':
		t = tNull
		if !w.literal("null") {
			return
		}
	case c == '-' || isDigit(c):
		t = tNumber
		var ok bool
		if lit, integer, ok = w.number(); !ok {
			return
		}
	default:
		w.unexpected("looking for beginning of value")
		return
	}

	// type, enum and format: a failure ends the value's validation, as
	// in the reference.
	if n.types != 0 && n.types&t == 0 && !(t == tNumber && n.types&tInteger != 0 && isIntegerLiteral(lit, integer)) {
		if t == tObject || t == tArray {
			w.skip()
		}
		w.report(&kind.Type{Got: typeName(t), Want: n.typeWant})
		return
	}
	if n.hasConst {
		if t == tObject || t == tArray {
			w.skip()
			if w.stopped() {
				return
			}
		}
		got := decodeValue(w.b[start:w.i])
		if !jsonEqual(got, n.constVal) {
			w.report(&kind.Const{Got: got, Want: n.constVal})
			return
		}
		if t == tObject || t == tArray {
			w.i = start
		}
	}
	if n.enum != nil {
		if t == tString {
			if _, ok := n.enum[string(sval)]; !ok {
				w.report(&kind.Enum{Got: string(sval), Want: n.enumVals})
				return
			}
		} else {
			if t == tObject || t == tArray {
				w.skip()
			}
			if w.stopped() {
				return
			}
			w.report(&kind.Enum{Got: decodeValue(w.b[start:w.i]), Want: n.enumVals})
			return
		}
	}
	if n.format != nil && t == tString {
		if err := w.checkFormat(n, sval); err != nil {
			w.report(&kind.Format{Got: string(sval), Want: n.format.Name, Err: err})
			return
		}
	}

	switch t {
	case tObject:
		if n.isObj {
			w.object(n)
		} else {
			w.skip()
		}
	case tArray:
		if n.isArr {
			w.array(n)
		} else {
			w.skip()
		}
	case tString:
		if n.minLength >= 0 || n.maxLength >= 0 {
			l := utf8.RuneCount(sval)
			if n.minLength >= 0 && l < n.minLength {
				w.report(&kind.MinLength{Got: l, Want: n.minLength})
			}
			if n.maxLength >= 0 && l > n.maxLength {
				w.report(&kind.MaxLength{Got: l, Want: n.maxLength})
			}
		}
		if n.pattern != nil && !n.patFast(bytesString(sval)) {
			w.report(&kind.Pattern{Got: string(sval), Want: n.patternStr})
		}
	case tNumber:
		if n.minimum != nil {
			w.checkMinimum(n, lit, integer)
		}
	}
	if w.stopped() {
		return
	}
	if len(n.allOf) > 0 || len(n.anyOf) > 0 || len(n.oneOf) > 0 || n.not != nil || n.ifn != nil {
		end := w.i
		w.combinators(n, start)
		w.i = end
	}
}

// bytesString views b as a string without copying, for matchers that do
// not keep their argument.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func isIntegerLiteral(lit []byte, integer bool) bool {
	if integer {
		return true
	}
	d, ok := decimalOf(lit)
	return ok && d.isInt()
}

// checkFormat asks the reference's format function, with fast paths for
// the formats that fill a large document.
func (w *walker) checkFormat(n *node, s []byte) error {
	switch n.formatKind {
	case fmtDateTime:
		if isValidDateTime(bytesString(s)) {
			return nil
		}
	case fmtURIReference:
		if isSimpleURIReference(bytesString(s)) {
			return nil
		}
	case fmtURI:
		if ok, seen := w.uris[string(s)]; seen {
			if ok {
				return nil
			}
			return n.format.Validate(string(s))
		}
		err := n.format.Validate(string(s))
		if w.uris == nil {
			w.uris = map[string]bool{}
		}
		if len(w.uris) < maxURICache {
			w.uris[string(s)] = err == nil
		}
		return err
	}
	return n.format.Validate(string(s))
}

func (w *walker) checkMinimum(n *node, lit []byte, integer bool) {
	if integer && n.minIsInt && len(lit) <= 18 {
		v, err := strconv.ParseInt(string(lit), 10, 64)
		if err == nil {
			if v < n.minimumInt {
				w.report(&kind.Minimum{Got: new(big.Rat).SetInt64(v), Want: n.minimum})
			}
			return
		}
	}
	var r *big.Rat
	d, ok := decimalOf(lit)
	switch {
	case !ok:
		// An exponent too large for big.Rat: the value is huge or tiny.
		r = hugeOrTiny(lit)
	case d.magnitude() > farBeyond || d.magnitude() < -farBeyond:
		if ordinary(n.minimum) {
			r = d.stand() // compares and prints as the number would
			break
		}
		fallthrough
	default:
		r, _ = new(big.Rat).SetString(string(lit))
	}
	if r.Cmp(n.minimum) < 0 {
		w.report(&kind.Minimum{Got: r, Want: n.minimum})
	}
}

// hugeOrTiny stands for a number whose exponent is too large for big.Rat:
// ±1e100000 for a positive exponent, ±1e-100000 for a negative one (zero
// when the mantissa is), which compares as the number does with any
// schema minimum.
func hugeOrTiny(lit []byte) *big.Rat {
	s := string(lit)
	neg := strings.HasPrefix(s, "-")
	mant, exp, _ := strings.Cut(strings.ToLower(strings.TrimPrefix(s, "-")), "e")
	if strings.Trim(mant, "0.") == "" {
		return new(big.Rat)
	}
	return standIn(neg, strings.HasPrefix(exp, "-"))
}

// object validates the object at w.i; it returns the set of n's
// properties it holds.
func (w *walker) object(n *node) (seen uint64) {
	if !w.enter() {
		return
	}
	w.i++
	var (
		addl   []string
		others map[string]bool // keys met under an additionalProperties schema
	)
	w.ws()
	if w.i < len(w.b) && w.b[w.i] == '}' {
		w.i++
		w.depth--
	} else {
		for !w.stopped() {
			w.ws()
			if w.i >= len(w.b) || w.b[w.i] != '"' {
				w.unexpected("looking for beginning of object key string")
				return
			}
			raw, key, ok := w.str()
			if !ok {
				return
			}
			w.ws()
			if w.i >= len(w.b) || w.b[w.i] != ':' {
				w.unexpected("after object key")
				return
			}
			w.i++
			var child *node
			if idx, known := n.props[string(key)]; known {
				if seen&(1<<idx) != 0 {
					w.dup = true
					return
				}
				seen |= 1 << idx
				child = n.propNodes[idx]
				if n.undeclared&(1<<idx) != 0 {
					if n.noAddl {
						addl = w.additional(addl, key)
					} else if n.addl != nil {
						child = n.addl
					}
				}
			} else if n.noAddl {
				addl = w.additional(addl, key)
			} else if n.addl != nil {
				if others == nil {
					others = map[string]bool{}
				}
				if others[string(key)] {
					w.dup = true
					return
				}
				others[string(key)] = true
				child = n.addl
			}
			if child == nil {
				w.skip()
			} else {
				w.path = append(w.path, pathTok{key: raw})
				w.value(child)
				w.path = w.path[:len(w.path)-1]
			}
			if !w.next('}', "object key:value pair") {
				break
			}
		}
	}
	if w.stopped() {
		return
	}
	if w.quiet > 0 {
		// Only a verdict is wanted: count the problems, word none (a
		// branch of a oneOf tried on every item of a large array would
		// otherwise allocate each message it never shows).
		for _, idx := range n.required {
			if seen&(1<<idx) == 0 {
				w.probs = append(w.probs, Problem{})
				break
			}
		}
		if addl != nil {
			w.probs = append(w.probs, Problem{})
		}
		return seen
	}
	var missing []string
	for k, idx := range n.required {
		if seen&(1<<idx) == 0 {
			missing = append(missing, n.reqNames[k])
		}
	}
	if missing != nil {
		w.report(&kind.Required{Missing: missing})
	}
	if addl != nil {
		sort.Strings(addl)
		addl = dedupe(addl)
		w.report(&kind.AdditionalProperties{Properties: addl})
	}
	return seen
}

// additional records an additional property: its name, or, while only a
// verdict is wanted, that there is one.
func (w *walker) additional(addl []string, key []byte) []string {
	if w.quiet > 0 {
		if addl == nil {
			addl = quietAdditional
		}
		return addl
	}
	return append(addl, string(key))
}

// quietAdditional stands for "some additional property" in quiet mode.
var quietAdditional = []string{}

func dedupe(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func (w *walker) array(n *node) {
	if !w.enter() {
		return
	}
	open := w.i
	w.i++
	count := 0
	w.ws()
	if w.i < len(w.b) && w.b[w.i] == ']' {
		w.i++
		w.depth--
	} else if w.par != nil && n.items != nil && w.par.try(w, n.items, open) {
		count = w.par.count
	} else {
		base := len(w.spans) // this array's item offsets follow, for uniqueItems
		for !w.stopped() {
			w.path = append(w.path, pathTok{idx: count})
			if n.unique {
				w.ws()
				w.spans = append(w.spans, w.i)
			}
			w.value(n.items)
			if n.unique {
				w.spans = append(w.spans, w.i)
			}
			w.path = w.path[:len(w.path)-1]
			count++
			if !w.next(']', "array element") {
				break
			}
		}
		if n.unique && !w.stopped() && count > 1 {
			w.uniqueItems(w.spans[base:])
		}
		w.spans = w.spans[:base]
	}
	if w.stopped() {
		return
	}
	if n.minItems >= 0 && count < n.minItems {
		w.report(&kind.MinItems{Got: count, Want: n.minItems})
	}
	if n.maxItems >= 0 && count > n.maxItems {
		w.report(&kind.MaxItems{Got: count, Want: n.maxItems})
	}
}

// skipTrusted skips a value whose bytes were read once already and are
// well-formed JSON: brackets are counted and strings jumped over, nothing
// is decoded.
func (w *walker) skipTrusted() {
	b, i, depth := w.b, w.i, 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i++
			for {
				k := bytes.IndexByte(b[i:], '"')
				if k < 0 {
					w.i = len(b)
					return
				}
				i += k
				n := 0
				for j := i - 1; b[j] == '\\'; j-- {
					n++
				}
				i++
				if n%2 == 0 {
					break
				}
			}
			if depth == 0 {
				w.i = i
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				w.i = i + 1
				return
			}
		default:
			if depth == 0 {
				for i < len(b) && !isDelimiter(b[i]) {
					i++
				}
				w.i = i
				return
			}
		}
		i++
	}
	w.i = i
}

func isDelimiter(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// combinators applies not, allOf, anyOf, oneOf and if/then/else to the
// value at start.
func (w *walker) combinators(n *node, start int) {
	defer func(was bool) { w.trusted = was }(w.trusted)
	w.trusted = true
	if n.not != nil {
		if w.holds(n.not, start) {
			w.report(&kind.Not{})
		}
		if w.stopped() {
			return
		}
	}
	defer func() {
		if n.ifn == nil || w.stopped() {
			return
		}
		holds := w.holds(n.ifn, start)
		if w.stopped() {
			return
		}
		switch {
		case holds && n.then != nil:
			w.i = start
			w.value(n.then)
		case !holds && n.els != nil:
			w.i = start
			w.value(n.els)
		}
	}()
	for _, b := range n.allOf {
		w.i = start
		w.value(b)
	}
	// anyOf and oneOf are judged quietly first: in a valid document a
	// branch matches, and the problems of the others are never read. Only
	// a value no branch accepts is walked again to word them.
	if len(n.anyOf) > 0 && w.anyHolds(n.anyOf, start) {
		// matched
	} else if len(n.anyOf) > 0 && !w.stopped() {
		mark := len(w.probs)
		matched := false
		for _, b := range n.anyOf {
			w.i = start
			before := len(w.probs)
			w.value(b)
			if w.stopped() {
				return
			}
			if len(w.probs) == before {
				matched = true
				break
			}
		}
		sub := append([]Problem(nil), w.probs[mark:]...)
		w.probs = w.probs[:mark]
		if !matched {
			w.alternatives(sub, "")
		}
	}
	if w.stopped() {
		return
	}
	first, second := -1, -1
	if len(n.oneOf) > 0 {
		for i, b := range n.oneOf {
			if w.holds(b, start) {
				if first == -1 {
					first = i
				} else {
					second = i
					break
				}
			}
			if w.stopped() {
				return
			}
		}
	}
	if first != -1 && second != -1 {
		w.report(&kind.OneOf{Subschemas: []int{first, second}})
	} else if len(n.oneOf) > 0 && first == -1 {
		mark := len(w.probs)
		matched := -1
		var sub []Problem
		for i, b := range n.oneOf {
			w.i = start
			before := len(w.probs)
			w.value(b)
			if w.stopped() {
				return
			}
			ok := len(w.probs) == before
			if !ok && matched == -1 {
				sub = append(sub, w.probs[before:]...)
			}
			w.probs = w.probs[:mark]
			if ok {
				if matched != -1 {
					w.report(&kind.OneOf{Subschemas: []int{matched, i}})
					break
				}
				matched = i
			}
		}
		if matched == -1 {
			w.alternatives(sub, (&kind.OneOf{}).LocalizedString(printer))
		}
	}
}

// alternatives reports the problems of an anyOf/oneOf none of whose
// branches matched: one problem ("... ; or ...") when all are about the
// value itself, else each of them (see collect).
func (w *walker) alternatives(sub []Problem, empty string) {
	ptr := w.pointer()
	if len(sub) == 0 {
		if empty == "" {
			empty = (&kind.AnyOf{}).LocalizedString(printer)
		}
		w.probs = append(w.probs, Problem{Pointer: ptr, Message: empty})
		return
	}
	for _, p := range sub {
		if p.Pointer != ptr {
			w.probs = append(w.probs, sub...)
			return
		}
	}
	msgs := make([]string, 0, len(sub))
	seen := map[string]bool{}
	for _, p := range sub {
		if !seen[p.Message] {
			seen[p.Message] = true
			msgs = append(msgs, p.Message)
		}
	}
	w.probs = append(w.probs, Problem{Pointer: ptr, Message: strings.Join(msgs, "; or ")})
}

func (w *walker) report(k jsonschema.ErrorKind) {
	if w.quiet > 0 {
		w.probs = append(w.probs, Problem{})
		return
	}
	w.probs = append(w.probs, Problem{Pointer: w.pointer(), Message: describeKind(k)})
}

func (w *walker) pointer() string {
	var sb strings.Builder
	var tmp []byte
	for _, t := range w.path {
		sb.WriteByte('/')
		if t.key == nil {
			sb.WriteString(strconv.Itoa(t.idx))
			continue
		}
		tmp = unquote(tmp[:0], t.key)
		s := strings.ReplaceAll(string(tmp), "~", "~0")
		sb.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return sb.String()
}

// decodeValue is the generic value of well-formed JSON, as the reference
// sees it (numbers as json.Number), for messages.
func decodeValue(b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(b)
	}
	return v
}

// holds reports whether the value at start is valid against n, leaving no
// problem behind.
func (w *walker) holds(n *node, start int) bool {
	mark := len(w.probs)
	w.i = start
	w.quiet++
	w.value(n)
	w.quiet--
	ok := len(w.probs) == mark
	w.probs = w.probs[:mark]
	return ok
}

// anyHolds reports whether one of the branches holds for the value at start.
func (w *walker) anyHolds(branches []*node, start int) bool {
	for _, b := range branches {
		if w.holds(b, start) {
			return true
		}
		if w.stopped() {
			return false
		}
	}
	return false
}
