package sbom

import (
	stdjson "encoding/json"

	cdx "github.com/CycloneDX/cyclonedx-go"
	gojson "github.com/goccy/go-json"
)

// The decoder copies its whole input before it decodes it (and its pool
// keeps the copy until a later collection): on a large SBOM, a second copy
// of the file beside the file and the model. decodeSplit decodes the
// document member by member and its long arrays item by item, each from
// its own bytes in the file, converting each component as soon as it is
// decoded, so that neither the copy nor the decoded components as a whole
// ever exist.
//
// It takes only the plain case: a top-level object whose keys are plain
// ASCII, each named once and in the case of the field it fills, and every
// part decoding without an error. Anything else (a syntax or type error, a
// key given twice or in another case, trailing data, an unsupported
// specVersion) reports false before d is changed for good, and the caller
// decodes the document whole, which words the error as it always has. So
// both ways give the same document.

// span is a byte range of the input.
type span struct{ start, end int }

// splitMember is a top-level member: its key and its value's bytes.
type splitMember struct {
	key   string
	value span
}

// splitFields are the top-level keys slimBOM decodes.
var splitFields = map[string]bool{
	"bomFormat": true, "specVersion": true, "serialNumber": true, "metadata": true,
	"components": true, "dependencies": true, "signature": true,
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isJSONSpace(b[i]) {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value starting at b[i], or -1. It
// only finds where the value ends (strings, nesting); the value's bytes are
// checked by whoever decodes them.
func skipValue(b []byte, i int) int {
	start, depth := i, 0
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(b) {
				return -1
			}
			i++
			if depth == 0 {
				return i
			}
		case c == '{' || c == '[':
			depth++
			i++
		case c == '}' || c == ']':
			if depth == 0 { // the end of a scalar
				if i == start {
					return -1
				}
				return i
			}
			depth--
			i++
			if depth == 0 {
				return i
			}
		case depth == 0 && (c == ',' || c == ':' || isJSONSpace(c)):
			return i
		default:
			i++
		}
	}
	if depth != 0 {
		return -1
	}
	return i
}

// plainKey reports whether the JSON string b[start:end] (quotes included)
// is printable ASCII without escapes, and returns it.
func plainKey(b []byte, start, end int) (string, bool) {
	if end-start < 2 || b[start] != '"' || b[end-1] != '"' {
		return "", false
	}
	for _, c := range b[start+1 : end-1] {
		if c < 0x20 || c > 0x7e || c == '\\' || c == '"' {
			return "", false
		}
	}
	return string(b[start+1 : end-1]), true
}

// topMembers splits a top-level object into its members. It reports false
// for anything but a well-delimited object followed by nothing but space,
// for a key that is not plain, and for a key of slimBOM given twice or in
// another case than the field's.
func topMembers(b []byte) ([]splitMember, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	var out []splitMember
	seen := map[string]bool{}
	if i < len(b) && b[i] == '}' {
		return out, skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		kend := skipValue(b, i)
		if kend < 0 {
			return nil, false
		}
		key, ok := plainKey(b, i, kend)
		if !ok {
			return nil, false
		}
		if !splitFields[key] {
			for f := range splitFields {
				if equalFoldASCII(f, key) {
					return nil, false // the decoder would fill f from it
				}
			}
		} else if seen[key] {
			return nil, false
		}
		seen[key] = true
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipSpace(b, i+1)
		vend := skipValue(b, i)
		if vend < 0 || vend == i {
			return nil, false
		}
		out = append(out, splitMember{key: key, value: span{i, vend}})
		i = skipSpace(b, vend)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return out, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// arrayItems returns the spans of the items of the array b[s.start:s.end],
// or false when it is not a well-delimited array.
func arrayItems(b []byte, s span) ([]span, bool) {
	i := s.start
	if b[i] != '[' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	var out []span
	if i < s.end && b[i] == ']' {
		return out, i+1 == s.end
	}
	for {
		end := skipValue(b, i)
		if end < 0 || end == i || end > s.end {
			return nil, false
		}
		out = append(out, span{i, end})
		i = skipSpace(b, end)
		if i >= s.end {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return out, i+1 == s.end
		default:
			return nil, false
		}
	}
}

// decodeSplit decodes raw into d as decodeSlimAs does, part by part (see
// above). It reports false, with d as it was, when the document is not the
// plain case.
func decodeSplit[C slimComp[C]](d *Document, raw []byte) (formatProblem string, ok bool) {
	members, ok := topMembers(raw)
	if !ok {
		return "", false
	}
	var (
		bom   slimBOM[C]
		comps []span
	)
	for _, m := range members {
		v := raw[m.value.start:m.value.end]
		var err error
		switch m.key {
		case "bomFormat":
			err = gojson.Unmarshal(v, &bom.BOMFormat)
		case "specVersion":
			err = gojson.Unmarshal(v, &bom.SpecVersion)
		case "serialNumber":
			err = gojson.Unmarshal(v, &bom.SerialNumber)
		case "metadata":
			err = gojson.Unmarshal(v, &bom.Metadata)
		case "signature":
			err = gojson.Unmarshal(v, &bom.Signature)
		case "dependencies":
			bom.Dependencies, ok = decodeItems[cdx.Dependency](raw, m.value)
			if !ok {
				return "", false
			}
		case "components":
			if v[0] != '[' {
				err = gojson.Unmarshal(v, &bom.Components)
				break
			}
			if comps, ok = arrayItems(raw, m.value); !ok {
				return "", false
			}
			if comps == nil {
				bom.Components = []C{}
			}
		default:
			// Not decoded, but a syntax error in it fails the whole
			// decode: it must fail here too.
			if !stdjson.Valid(v) {
				return "", false
			}
		}
		if err != nil {
			return "", false
		}
	}
	if bom.BOMFormat != cdx.BOMFormat {
		formatProblem = "/bomFormat: value must be '" + cdx.BOMFormat + "'"
	}
	if !knownCDXVersions[bom.SpecVersion] {
		return "", false // the whole decode words it, after any error of its own
	}
	// Each component is decoded alone before anything of d changes: an
	// error in any of them must leave d as it was. Converted at once, the
	// decoded form of one component lives only while it is converted.
	saved := *d
	if d.SpecVersion == "" {
		d.SpecVersion = bom.SpecVersion
	}
	meta := &cdx.BOM{SerialNumber: bom.SerialNumber, Metadata: bom.Metadata}
	if bom.Dependencies != nil {
		meta.Dependencies = &bom.Dependencies
	}
	fromBOM(d, meta)
	if len(comps) > 0 {
		d.Components = make([]Component, 0, len(comps))
		one := make([]C, 1)
		for _, s := range comps {
			var c C
			if err := gojson.Unmarshal(raw[s.start:s.end], &c); err != nil {
				*d = saved
				return "", false
			}
			one[0] = c
			appendSlim(&d.Components, one, "")
		}
	} else if len(bom.Components) > 0 {
		d.Components = make([]Component, 0, countSlim(bom.Components))
		appendSlim(&d.Components, bom.Components, "")
	}
	if len(bom.Signature) > 0 && string(bom.Signature) != "null" {
		d.Signed = true
	}
	return formatProblem, true
}

// decodeItems decodes the items of the array at s one by one.
func decodeItems[T any](raw []byte, s span) ([]T, bool) {
	if raw[s.start] != '[' {
		var out []T
		return out, gojson.Unmarshal(raw[s.start:s.end], &out) == nil
	}
	items, ok := arrayItems(raw, s)
	if !ok {
		return nil, false
	}
	out := make([]T, len(items))
	for i, it := range items {
		if err := gojson.Unmarshal(raw[it.start:it.end], &out[i]); err != nil {
			return nil, false
		}
	}
	return out, true
}
