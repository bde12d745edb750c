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
	"github.com/pedigree-dev/pedigree/evidence"
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
	return writeStreamed(ctx, w, a)
}

// streamAbove is the number of elements above which a large list of the
// assessment (evidence, findings, the component and crypto tables) is
// written element by element: encoded whole, a 1,000,000-component or
// 100,000-file assessment is held three times over (the encoder's buffer,
// a copy of it, the lists themselves).
const streamAbove = 10000

// streamMarker stands, as the first field of a single element, for each
// streamed list while the rest of the assessment is encoded whole. It is
// found as `"<field>": "<marker>"`, which no string value can contain
// unescaped; a head in which it is not found exactly once is not spliced.
const streamMarker = "pedigree-stream-rows-go-here"

func encodeIndented(buf *bytes.Buffer, v any, prefix string) error {
	enc := gojson.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	return enc.Encode(v)
}

// streamedList is one list written element by element.
type streamedList struct {
	needle string
	n      int
	elem   func(i int) any
	// at and end are the bounds of the marker element in the head.
	at, end int
	indent  string
}

// writeStreamed writes what the whole encoding writes, byte for byte, with
// every list longer than streamAbove encoded one element at a time into a
// small buffer.
func writeStreamed(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
	b := *a
	var lists []*streamedList
	add := func(n int, field string, elem func(int) any, mark func()) {
		if n > streamAbove {
			lists = append(lists, &streamedList{needle: `"` + field + `": "` + streamMarker + `"`, n: n, elem: elem})
			mark()
		}
	}
	add(len(a.Evidence), "id", func(i int) any { return &a.Evidence[i] },
		func() { b.Evidence = []evidence.Evidence{{ID: streamMarker}} })
	add(len(a.Findings), "id", func(i int) any { return &a.Findings[i] },
		func() { b.Findings = []evidence.Finding{{ID: streamMarker}} })
	add(len(a.Inventory.Components), "sbom", func(i int) any { return &a.Inventory.Components[i] },
		func() { b.Inventory.Components = []assessment.Component{{SBOM: streamMarker}} })
	add(len(a.Inventory.Crypto), "kind", func(i int) any { return &a.Inventory.Crypto[i] },
		func() { b.Inventory.Crypto = []assessment.CryptoAsset{{Kind: streamMarker}} })
	if len(lists) == 0 {
		return writeWhole(ctx, w, a)
	}
	var head bytes.Buffer
	if err := encodeIndented(&head, &b, ""); err != nil {
		return fmt.Errorf("encode %s: %w", Filename, err)
	}
	hb := head.Bytes()
	// Find each marker element, in the order of the lists, which is the
	// order of the fields (evidence, findings, inventory).
	from := 0
	for _, l := range lists {
		m := bytes.Index(hb[from:], []byte(l.needle))
		if m < 0 {
			return writeWhole(ctx, w, a)
		}
		m += from
		open := bytes.LastIndexByte(hb[:m], '{')
		line := bytes.LastIndexByte(hb[:max(open, 0)], '\n')
		if open < 0 || line < 0 {
			return writeWhole(ctx, w, a)
		}
		l.indent = string(hb[line+1 : open])
		end := bytes.Index(hb[m:], []byte("\n"+l.indent+"}"))
		if end < 0 {
			return writeWhole(ctx, w, a)
		}
		l.at, l.end = open, m+end+len(l.indent)+2
		from = l.end
	}
	if bytes.Count(hb, []byte(`": "`+streamMarker+`"`)) != len(lists) {
		return writeWhole(ctx, w, a)
	}
	var buf bytes.Buffer
	flush := func(force bool) error {
		if !force && buf.Len() < 1<<20 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		buf.Reset()
		return err
	}
	at := 0
	for _, l := range lists {
		buf.Write(hb[at:l.at])
		for i := range l.n {
			if i > 0 {
				buf.WriteString(",\n")
				buf.WriteString(l.indent)
			}
			if err := encodeIndented(&buf, l.elem(i), l.indent); err != nil {
				return fmt.Errorf("encode %s: element %d: %w", Filename, i, err)
			}
			buf.Truncate(buf.Len() - 1) // the encoder's newline
			if err := flush(false); err != nil {
				return err
			}
		}
		at = l.end
	}
	buf.Write(hb[at:])
	return flush(true)
}

// writeWhole encodes the assessment in one piece.
func writeWhole(ctx context.Context, w io.Writer, a *assessment.Assessment) error {
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

// Load reads a pedigree.json strictly (see Decode): unknown fields,
// trailing data, a schema version other than 1.x and anything its JSON
// Schema forbids are errors, as is a file larger than MaxSize; each error
// is one line naming the file and the place (byte offset or JSON pointer).
func Load(path string) (*assessment.Assessment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read into a buffer of the file's size: ReadAll's doubling would
	// hold up to twice the document while it grows.
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() <= MaxSize {
		buf.Grow(int(st.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b := buf.Bytes()
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
	// A valid document, the usual case, is judged by walking its bytes:
	// the generic tree the reference validator needs costs ten times the
	// document. Anything else takes the reference's path, for its exact
	// messages.
	ok, err := validFast(b)
	if err != nil {
		return nil, err
	}
	var a assessment.Assessment
	if ok {
		// Valid against a schema that closes every object, it holds no
		// field the model lacks; Unmarshal reads it in place, where a
		// Decoder would first copy it into a buffer of its own.
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		return &a, nil
	}
	if err := validateReference(b); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%w: at offset %d: %v", ErrInvalid, dec.InputOffset(), err)
	}
	return &a, nil
}

// validFast tells whether b is a schema-valid pedigree.json by the
// byte-walking validator (the schema pins schemaVersion to 1.x); false
// means "not shown valid", not invalid.
func validFast(b []byte) (bool, error) {
	v, err := fastValidator()
	if err != nil {
		return false, err
	}
	probs, err := v.Validate(b)
	return err == nil && len(probs) == 0, nil
}

var fastValidator = sync.OnceValues(func() (*oscal.FastValidator, error) {
	s, err := compiled()
	if err != nil {
		return nil, err
	}
	return oscal.CompileFast(s)
})

// validateReference checks syntax, version and schema with the reference
// validator over the decoded document.
func validateReference(b []byte) error {
	// Syntax first, with the offset of the offending byte.
	v, err := oscal.DecodeJSON(b)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Replace(err.Error(), "invalid JSON", "not JSON", 1))
	}
	if m, ok := v.(map[string]any); ok {
		if sv, ok := m["schemaVersion"].(string); ok && !strings.HasPrefix(sv, "1.") {
			return fmt.Errorf("%w: /schemaVersion: %q is not supported (this pedigree reads 1.x)", ErrInvalid, sv)
		}
	}
	s, err := compiled()
	if err != nil {
		return err
	}
	if err := s.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("%w: %s", ErrInvalid, firstProblem(ve))
		}
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
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
