package sbom

import (
	"bytes"
	"strconv"
	"strings"
	"sync/atomic"
)

// wholeDecode, set by tests, turns the split decoding off so that its
// result can be compared with the whole decoding's; splitDecodes counts
// the documents the split decoding read.
var (
	wholeDecode  bool
	splitDecodes atomic.Int64
)

// The scanner below finds where values start and end in JSON bytes without
// decoding them, so that a large array can be decoded one element at a time
// (see decodeSlimAs). It validates only what it needs to find the ends: a
// document it cannot walk is handed to the ordinary decoder, whose error is
// the one reported.

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"',
// or -1.
func skipString(b []byte, i int) int {
	i++
	for i < len(b) {
		j := bytes.IndexAny(b[i:], "\"\\")
		if j < 0 {
			return -1
		}
		i += j
		if b[i] == '"' {
			return i + 1
		}
		i += 2 // a backslash and the byte it escapes
	}
	return -1
}

// skipValue returns the index after the value starting at b[i] (no leading
// space), or -1 when the bytes end first. Nesting is counted, not
// recursed, so a deeply nested document costs no stack.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	// A number or a literal: up to the next delimiter.
	start := i
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if i == start {
				return -1
			}
			return i
		}
		i++
	}
	return i
}

// memberSpan finds the value of the top-level member key of the JSON object
// in b and returns its bounds; ok is false when b is not an object the
// scanner can walk or has no such member. Like the decoders, the last of
// duplicate members wins.
func memberSpan(b []byte, key string) (start, end int, ok bool) {
	s := memberSpans(b, key)[0]
	return s.start, s.end, s.ok
}

// span is the bounds of one member's value, as memberSpan returns them.
type span struct {
	start, end int
	ok         bool
}

// memberSpans is memberSpan for several distinct keys in one walk of b:
// the i-th span is what memberSpan(b, keys[i]) returns.
func memberSpans(b []byte, keys ...string) []span {
	out := make([]span, len(keys))
	fail := func() []span { clear(out); return out }
	// A key matched by a member that encoding/json would read as it in
	// another case: memberSpan gives up on it (only the whole decode reads
	// such a document as the split one would not).
	lost := make([]bool, len(keys))
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return fail()
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return fail()
	}
	for i < len(b) {
		if b[i] != '"' {
			return fail()
		}
		k := skipString(b, i)
		if k < 0 {
			return fail()
		}
		name := b[i+1 : k-1]
		var u string
		var uerr error
		escaped := bytes.IndexByte(name, '\\') >= 0
		if escaped {
			u, uerr = strconv.Unquote(string(b[i:k]))
		}
		match := -1
		for j, key := range keys {
			if lost[j] {
				continue
			}
			m := string(name) == key
			if !m && escaped {
				m = uerr == nil && u == key
				if uerr == nil && !m && strings.EqualFold(u, key) {
					lost[j] = true
				}
			} else if !m && bytes.EqualFold(name, []byte(key)) {
				lost[j] = true
			}
			if m {
				match = j
			}
		}
		i = skipSpace(b, k)
		if i >= len(b) || b[i] != ':' {
			return fail()
		}
		i = skipSpace(b, i+1)
		e := skipValue(b, i)
		if e < 0 {
			return fail()
		}
		if match >= 0 {
			out[match] = span{i, e, true}
		}
		i = skipSpace(b, e)
		if i >= len(b) {
			return fail()
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			for j := range out {
				if lost[j] {
					out[j] = span{}
				}
			}
			return out
		default:
			return fail()
		}
	}
	return fail()
}

// arrayElements calls fn with the bounds of each element of the JSON array
// b (as memberSpan returns it); false when b is no array it can walk or fn
// returns false.
func arrayElements(b []byte, fn func(start, end int) bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return skipSpace(b, i+1) == len(b)
	}
	for i < len(b) {
		e := skipValue(b, i)
		if e < 0 || !fn(i, e) {
			return false
		}
		i = skipSpace(b, e)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
	return false
}
