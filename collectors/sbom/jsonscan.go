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
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return 0, 0, false
	}
	for i < len(b) {
		if b[i] != '"' {
			return 0, 0, false
		}
		k := skipString(b, i)
		if k < 0 {
			return 0, 0, false
		}
		name := b[i+1 : k-1]
		match := string(name) == key
		if !match && bytes.IndexByte(name, '\\') >= 0 {
			u, err := strconv.Unquote(string(b[i:k]))
			match = err == nil && u == key
			if err == nil && !match && strings.EqualFold(u, key) {
				return 0, 0, false
			}
		} else if !match && bytes.EqualFold(name, []byte(key)) {
			// encoding/json matches a key to a field whatever its case
			// (the last one wins): only the whole decode reads such a
			// document as the split one would not.
			return 0, 0, false
		}
		i = skipSpace(b, k)
		if i >= len(b) || b[i] != ':' {
			return 0, 0, false
		}
		i = skipSpace(b, i+1)
		e := skipValue(b, i)
		if e < 0 {
			return 0, 0, false
		}
		if match {
			start, end, ok = i, e, true
		}
		i = skipSpace(b, e)
		if i >= len(b) {
			return 0, 0, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return start, end, ok
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false
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
