package oscal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxDocumentSize bounds the size of a document ReadFile accepts (the
// largest official OSCAL files, resolved catalogs, are a few MB).
const MaxDocumentSize = 256 << 20

// maxAliasNodes bounds the values YAML aliases may expand to, so that a
// small file cannot blow up into a huge tree ("billion laughs"). Values
// outside aliases are bounded by the size of the input.
const maxAliasNodes = 1_000_000

// ErrTooLarge is a document over MaxDocumentSize.
var ErrTooLarge = errors.New("document too large")

// SyntaxError is a document that is not well-formed JSON or YAML. Error
// gives one line naming the place: the byte offset (and line:column) for
// JSON, the line for YAML.
type SyntaxError struct {
	Format string // JSON or YAML
	Offset int64  // byte offset, -1 when unknown
	Line   int    // 1-based, 0 when unknown
	Column int    // 1-based, 0 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	var where []string
	if e.Offset >= 0 {
		where = append(where, fmt.Sprintf("offset %d", e.Offset))
	}
	if e.Line > 0 {
		if e.Column > 0 {
			where = append(where, fmt.Sprintf("line %d, column %d", e.Line, e.Column))
		} else {
			where = append(where, fmt.Sprintf("line %d", e.Line))
		}
	}
	loc := ""
	if len(where) > 0 {
		loc = " at " + strings.Join(where, ", ")
	}
	return fmt.Sprintf("invalid %s%s: %s", e.Format, loc, e.Msg)
}

// ReadFile reads and decodes an OSCAL document (see Decode), refusing
// files over MaxDocumentSize. Errors name the file.
func ReadFile(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Refuse from the file's own description before reading: a huge file
	// costs nothing, and a device or pipe is not a document.
	if st, err := f.Stat(); err == nil {
		switch {
		case st.IsDir():
			return nil, fmt.Errorf("%s: is a directory, not a document", path)
		case !st.Mode().IsRegular():
			return nil, fmt.Errorf("%s: not a regular file (it is %s)", path, readlimit.Kind(st.Mode()))
		case st.Size() > MaxDocumentSize:
			return nil, fmt.Errorf("%s: %w (%d bytes, over %d MiB)", path, ErrTooLarge, st.Size(), MaxDocumentSize>>20)
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > MaxDocumentSize {
		return nil, fmt.Errorf("%s: %w (over %d MiB)", path, ErrTooLarge, MaxDocumentSize>>20)
	}
	doc, err := Decode(path, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

// Decode parses an OSCAL document as JSON or YAML into the generic values
// Validate takes (numbers as json.Number). A name ending in .json is JSON, in
// .yaml or .yml YAML; otherwise a document starting with '{' is JSON.
func Decode(name string, b []byte) (any, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return DecodeJSON(b)
	case ".yaml", ".yml":
		return DecodeYAML(b)
	}
	if t := bytes.TrimLeft(b, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return DecodeJSON(b)
	}
	return DecodeYAML(b)
}

// DecodeJSON parses one JSON value; trailing data is an error.
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonSyntax(b, err, dec.InputOffset())
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		for off < int64(len(b)) && strings.IndexByte(" \t\r\n", b[off]) >= 0 {
			off++
		}
		return nil, newJSONSyntax(b, off, "unexpected data after the document")
	}
	return v, nil
}

func jsonSyntax(b []byte, err error, decOffset int64) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		msg := se.Error()
		// The decoder counts the offending byte; point at it.
		off := se.Offset
		if off > 0 && off <= int64(len(b)) && !strings.Contains(msg, "end of JSON input") {
			off--
		}
		return newJSONSyntax(b, off, msg)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newJSONSyntax(b, int64(len(b)), "unexpected end of JSON input (truncated document)")
	case errors.Is(err, io.EOF):
		return newJSONSyntax(b, 0, "empty document")
	}
	return newJSONSyntax(b, decOffset, err.Error())
}

func newJSONSyntax(b []byte, off int64, msg string) *SyntaxError {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &SyntaxError{Format: "JSON", Offset: off, Line: line, Column: col, Msg: msg}
}

// DecodeYAML parses the first YAML document. Scalars keep their written
// text where JSON has no type for them: an unquoted 2026-01-02T15:04:05Z
// stays a string, as OSCAL's JSON form has it.
func DecodeYAML(b []byte) (any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return nil, yamlSyntax(err)
	}
	if n.Kind == 0 {
		return nil, &SyntaxError{Format: "YAML", Offset: -1, Msg: "empty document"}
	}
	budget := maxAliasNodes
	return yamlValue(&n, &budget, 0, false)
}

func yamlSyntax(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	se := &SyntaxError{Format: "YAML", Offset: -1, Msg: msg}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if l, err := strconv.Atoi(rest[:i]); err == nil {
				se.Line = l
				se.Msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return se
}

const maxYAMLDepth = 1000

func yamlValue(n *yaml.Node, budget *int, depth int, inAlias bool) (any, error) {
	if inAlias {
		*budget--
	}
	if *budget < 0 {
		return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: n.Line, Column: n.Column, Msg: "document expands to too many values (alias bomb?)"}
	}
	if depth > maxYAMLDepth {
		return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("nested deeper than %d levels", maxYAMLDepth)}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(n.Content[0], budget, depth+1, inAlias)
	case yaml.AliasNode:
		return yamlValue(n.Alias, budget, depth+1, true)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, budget, depth+1, inAlias)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: k.Line, Column: k.Column, Msg: "a mapping key must be a scalar"}
			}
			if k.Tag == "!!merge" {
				return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: k.Line, Column: k.Column, Msg: "merge keys (<<) are not supported in OSCAL documents"}
			}
			if _, dup := out[k.Value]; dup {
				return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: k.Line, Column: k.Column, Msg: fmt.Sprintf("key %q appears twice", k.Value)}
			}
			val, err := yamlValue(v, budget, depth+1, inAlias)
			if err != nil {
				return nil, err
			}
			out[k.Value] = val
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			var v bool
			if err := n.Decode(&v); err != nil {
				return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: n.Line, Column: n.Column, Msg: err.Error()}
			}
			return v, nil
		case "!!int":
			if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
				return json.Number(strconv.FormatInt(i, 10)), nil
			}
			if isDecimal(n.Value) {
				return json.Number(strings.TrimPrefix(n.Value, "+")), nil
			}
			return n.Value, nil
		case "!!float":
			var f float64
			if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				// JSON has no number for .inf or .nan: keep the text.
				return n.Value, nil
			}
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
		}
		return n.Value, nil
	}
	return nil, &SyntaxError{Format: "YAML", Offset: -1, Line: n.Line, Column: n.Column, Msg: "unsupported YAML node"}
}

func isDecimal(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
