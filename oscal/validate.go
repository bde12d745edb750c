package oscal

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Problem is one place where a document breaks the schema.
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value; "" is
	// the document itself.
	Pointer string
	Message string
}

// String is the problem as one line: "pointer: message".
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "/"
	}
	return ptr + ": " + p.Message
}

// ValidationError is a document that does not conform to the OSCAL schema.
// Problems are sorted by JSON pointer (array indices in numeric order),
// then by message, and free of duplicates.
type ValidationError struct {
	// Model is the document's root key (assessment-results, ...), empty
	// when the document names none.
	Model    string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	what := "OSCAL document"
	if e.Model != "" {
		what = "OSCAL " + e.Model
	}
	if len(e.Problems) == 0 {
		return what + " is invalid"
	}
	more := ""
	if n := len(e.Problems) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Sprintf("%s does not conform to the OSCAL %s schema: %s%s", what, Version, e.Problems[0], more)
}

// ModelOf returns the OSCAL model a decoded document holds: its one root key
// among Models. ok is false when there is none or more than one.
func ModelOf(doc any) (model string, ok bool) {
	obj, isObj := doc.(map[string]any)
	if !isObj {
		return "", false
	}
	n := 0
	for _, m := range Models {
		if _, has := obj[m]; has {
			model = m
			n++
		}
	}
	if n != 1 {
		return "", false
	}
	return model, true
}

// validateReference validates a decoded document with the reference
// validator (santhosh-tekuri/jsonschema): the yardstick the fast validator
// is tested against, and its fallback for values it cannot take (Go values
// that are not JSON, strings that are not UTF-8).
func validateReference(doc any) error {
	s, err := compiledSchemas()
	if err != nil {
		return err
	}
	model, verr := modelCheck(doc)
	if verr != nil {
		return verr
	}
	err = s.models[model].Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("validate %s: %w", model, err)
	}
	var ps []Problem
	collect(ve, nil, &ps)
	return &ValidationError{Model: model, Problems: sortProblems(ps)}
}

// modelCheck returns the model of a document, or the one problem that
// makes it no OSCAL document at all.
func modelCheck(doc any) (string, *ValidationError) {
	obj, isObj := doc.(map[string]any)
	if !isObj {
		return "", notObject(jsonType(doc))
	}
	var found []string
	for _, m := range Models {
		if _, has := obj[m]; has {
			found = append(found, m)
		}
	}
	if verr := modelProblem(found); verr != nil {
		return "", verr
	}
	return found[0], nil
}

func notObject(typ string) *ValidationError {
	return &ValidationError{Problems: []Problem{{Message: "an OSCAL document is a JSON object, got " + typ}}}
}

// modelProblem is the problem of a document whose root holds no model or
// several; nil for one.
func modelProblem(found []string) *ValidationError {
	switch len(found) {
	case 0:
		return &ValidationError{Problems: []Problem{{Message: "not an OSCAL document: it has none of the root keys " + strings.Join(Models, ", ")}}}
	case 1:
		return nil
	}
	return &ValidationError{Problems: []Problem{{Message: "one OSCAL document holds one model, found " + strings.Join(found, ", ")}}}
}

var printer = message.NewPrinter(language.English)

// collect flattens the error tree to its leaves. An anyOf/oneOf whose
// branches all fail at the same value becomes one problem ("... or ..."):
// the schema offers alternatives, and listing them apart reads as several
// faults.
func collect(ve *jsonschema.ValidationError, prefix []string, out *[]Problem) {
	switch ve.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		var sub []Problem
		for _, c := range ve.Causes {
			collect(c, prefix, &sub)
		}
		ptr := pointer(prefix, ve.InstanceLocation)
		same := len(sub) > 0
		for _, p := range sub {
			if p.Pointer != ptr {
				same = false
				break
			}
		}
		switch {
		case same:
			msgs := make([]string, 0, len(sub))
			seen := map[string]bool{}
			for _, p := range sub {
				if !seen[p.Message] {
					seen[p.Message] = true
					msgs = append(msgs, p.Message)
				}
			}
			*out = append(*out, Problem{Pointer: ptr, Message: strings.Join(msgs, "; or ")})
		case len(sub) == 0:
			*out = append(*out, Problem{Pointer: ptr, Message: describe(ve)})
		default:
			*out = append(*out, sub...)
		}
		return
	}
	if len(ve.Causes) == 0 {
		*out = append(*out, Problem{Pointer: pointer(prefix, ve.InstanceLocation), Message: describe(ve)})
		return
	}
	for _, c := range ve.Causes {
		collect(c, prefix, out)
	}
}

// patternText says in words what the OSCAL datatypes' patterns demand, by
// pattern; the raw patterns (the date-time one is 400 characters) help
// nobody. It is filled from the schema's definitions at compile time.
var patternText = map[string]string{}

var datatypeText = map[string]string{
	"UUIDDatatype":                 "is not a version 4 or 5 UUID",
	"DateTimeWithTimezoneDatatype": "is not a date-time with a time zone (RFC 3339, e.g. 2026-01-02T15:04:05Z)",
	"DateDatatype":                 "is not a date (YYYY-MM-DD, optional time zone)",
	"StringDatatype":               "must be non-empty, on one line, without leading or trailing whitespace",
	"TokenDatatype":                "is not a token (a letter or '_', then letters, digits, '.', '-' or '_')",
	"URIDatatype":                  "is not an absolute URI",
	"Base64Datatype":               "is not base64",
}

func init() { patternText["^.+@.+$"] = "is not an email address" }

func describe(ve *jsonschema.ValidationError) string { return describeKind(ve.ErrorKind) }

// describeKind says a problem in one line: the reference's message, with
// the datatypes' patterns in words and the offending value quoted.
func describeKind(ek jsonschema.ErrorKind) string {
	switch k := ek.(type) {
	case *kind.Pattern:
		if txt, ok := patternText[k.Want]; ok {
			return quote(k.Got) + " " + txt
		}
		return fmt.Sprintf("%s does not match pattern %q", quote(k.Got), k.Want)
	case *kind.Format:
		return fmt.Sprintf("%s is not a valid %s", quote(fmt.Sprint(k.Got)), k.Want)
	case *kind.Enum:
		return strings.Replace(k.LocalizedString(printer), "value must", quote(fmt.Sprint(k.Got))+" must", 1)
	case *kind.AdditionalProperties:
		// The reference lists them in map order: sort, so that a message
		// is the same from one run to the next.
		props := append([]string(nil), k.Properties...)
		sort.Strings(props)
		return (&kind.AdditionalProperties{Properties: props}).LocalizedString(printer)
	}
	return ek.LocalizedString(printer)
}

// quote quotes s, shortened to keep a problem on one readable line.
func quote(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

func pointer(prefix, tokens []string) string {
	var b strings.Builder
	for _, t := range append(prefix[:len(prefix):len(prefix)], tokens...) {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}

func sortProblems(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool {
		if c := ComparePointers(ps[i].Pointer, ps[j].Pointer); c != 0 {
			return c < 0
		}
		return ps[i].Message < ps[j].Message
	})
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// ComparePointers orders JSON pointers token by token, array indices
// numerically (/results/2 before /results/10), a parent before its children.
func ComparePointers(a, b string) int {
	ta, tb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if c := compareToken(ta[i], tb[i]); c != 0 {
			return c
		}
	}
	return len(ta) - len(tb)
}

func compareToken(a, b string) int {
	if isIndex(a) && isIndex(b) {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
	}
	return strings.Compare(a, b)
}

func isIndex(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a number"
}
