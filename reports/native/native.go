// Package native writes pedigree.json, the assessment exactly as the run
// produced it, and loads it back so that reports can be re-rendered without
// rerunning the collectors. Its layout is published as a JSON Schema in
// schema/pedigree.schema.json.
package native

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	gojson "github.com/goccy/go-json"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/oscal"
	"github.com/pedigree-dev/pedigree/reports"
	"github.com/pedigree-dev/pedigree/schema"
)

const (
	// Format is the --format name.
	Format = "json"
	// Filename is the file written inside --out.
	Filename = "pedigree.json"
	// MaxSize bounds the pedigree.json Load reads.
	MaxSize = 1 << 30
)

// ErrInvalid is a pedigree.json that is malformed or breaks its schema.
var ErrInvalid = errors.New("invalid pedigree.json")

// Writer writes pedigree.json.
type Writer struct{}

var _ reports.Writer = Writer{}

// New returns the pedigree.json writer.
func New() Writer { return Writer{} }

func (Writer) Format() string   { return Format }
func (Writer) Filename() string { return Filename }

// Write renders a as indented JSON.
func (Writer) Write(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(a.Inventory.Components) > streamAbove {
		return writeStreamed(ctx, w, a)
	}
	var buf bytes.Buffer
	if err := encodeIndented(&buf, a, ""); err != nil {
		return fmt.Errorf("encode %s: %w", Filename, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// streamAbove is the number of inventory components above which the
// component table is written row by row: encoded whole, a
// 1,000,000-component assessment is held three times over (the encoder's
// buffer, a copy of it, the table itself).
const streamAbove = 10000

// inventoryMarker stands for the component table while the rest of the
// assessment is encoded whole. It is found as `"sbom": "<marker>"`, which
// no string value can contain unescaped, after every part an SBOM's text
// can reach.
const inventoryMarker = "pedigree-inventory-rows-go-here"

func encodeIndented(buf *bytes.Buffer, v any, prefix string) error {
	enc := gojson.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	return enc.Encode(v)
}

// writeStreamed writes what Write writes, byte for byte, with the
// component table encoded a row at a time into a small buffer.
func writeStreamed(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
	b := *a
	b.Inventory.Components = []assessment.Component{{SBOM: inventoryMarker}}
	var head bytes.Buffer
	if err := encodeIndented(&head, &b, ""); err != nil {
		return fmt.Errorf("encode %s: %w", Filename, err)
	}
	hb := head.Bytes()
	m := bytes.LastIndex(hb, []byte(`"sbom": "`+inventoryMarker+`"`))
	open := bytes.LastIndexByte(hb[:max(m, 0)], '{')
	line := bytes.LastIndexByte(hb[:max(open, 0)], '\n')
	end := bytes.IndexByte(hb[max(m, 0):], '}')
	if m < 0 || open < 0 || line < 0 || end < 0 {
		return fmt.Errorf("encode %s: the component table's place was not found", Filename)
	}
	end += m + 1
	indent := string(hb[line+1 : open])
	if _, err := w.Write(hb[:open]); err != nil {
		return err
	}
	var buf bytes.Buffer
	for i := range a.Inventory.Components {
		if i > 0 {
			buf.WriteString(",\n")
			buf.WriteString(indent)
		}
		if err := encodeIndented(&buf, &a.Inventory.Components[i], indent); err != nil {
			return fmt.Errorf("encode %s: component %d: %w", Filename, i, err)
		}
		buf.Truncate(buf.Len() - 1) // the encoder's newline
		if buf.Len() >= 1<<20 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	buf.Write(hb[end:])
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Load reads a pedigree.json strictly: unknown fields, trailing data, a
// schema version other than 1.x and anything its JSON Schema forbids are
// errors, each one line naming the file and the place (byte offset or JSON
// pointer).
func Load(path string) (*assessment.Assessment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", path, ErrInvalid, MaxSize>>20)
	}
	a, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// Decode parses pedigree.json bytes (see Load).
func Decode(b []byte) (*assessment.Assessment, error) {
	// Syntax first, with the offset of the offending byte.
	v, err := oscal.DecodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.Replace(err.Error(), "invalid JSON", "not JSON", 1))
	}
	if m, ok := v.(map[string]any); ok {
		if sv, ok := m["schemaVersion"].(string); ok && !strings.HasPrefix(sv, "1.") {
			return nil, fmt.Errorf("%w: /schemaVersion: %q is not supported (this pedigree reads 1.x)", ErrInvalid, sv)
		}
	}
	s, err := compiled()
	if err != nil {
		return nil, err
	}
	if err := s.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("%w: %s", ErrInvalid, firstProblem(ve))
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var a assessment.Assessment
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%w: at offset %d: %v", ErrInvalid, dec.InputOffset(), err)
	}
	return &a, nil
}

var printer = message.NewPrinter(language.English)

var (
	once      sync.Once
	sch       *jsonschema.Schema
	schemaErr error
)

func compiled() (*jsonschema.Schema, error) {
	once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Pedigree))
		if err != nil {
			schemaErr = fmt.Errorf("embedded pedigree schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(schema.PedigreeID, doc); err != nil {
			schemaErr = fmt.Errorf("embedded pedigree schema: %w", err)
			return
		}
		sch, schemaErr = c.Compile(schema.PedigreeID)
	})
	return sch, schemaErr
}

// firstProblem is the first leaf of the error tree, in pointer order, and a
// count of the rest.
func firstProblem(ve *jsonschema.ValidationError) string {
	var leaves []*jsonschema.ValidationError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, e)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	ptr := func(e *jsonschema.ValidationError) string {
		var sb strings.Builder
		for _, t := range e.InstanceLocation {
			sb.WriteByte('/')
			sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
		}
		if sb.Len() == 0 {
			return "/"
		}
		return sb.String()
	}
	best := leaves[0]
	for _, l := range leaves[1:] {
		if oscal.ComparePointers(ptr(l), ptr(best)) < 0 {
			best = l
		}
	}
	msg := ptr(best) + ": " + best.ErrorKind.LocalizedString(printer)
	if n := len(leaves) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}
