package catalogs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	oscal "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	"go.yaml.in/yaml/v3"
)

// MaxDocumentSize bounds an OSCAL file pedigree reads (the full SP 800-53
// catalog is about 10 MB pretty-printed).
const MaxDocumentSize = 64 << 20

// ErrNotOSCAL is returned for a file that holds neither a catalog nor a
// profile where one was expected.
var ErrNotOSCAL = errors.New("not an OSCAL catalog or profile")

// readDocument reads a file, refusing one over MaxDocumentSize.
func readDocument(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > MaxDocumentSize {
		return nil, fmt.Errorf("%s: larger than %d MB", path, MaxDocumentSize>>20)
	}
	return b, nil
}

// DecodeDocument decodes an OSCAL document (JSON or YAML, OSCAL 1.0.x or
// 1.1.x) into the 1.1.3 types. name is used in errors only.
func DecodeDocument(name string, b []byte) (*oscal.OscalModels, error) {
	trimmed := bytes.TrimLeft(b, " \t\r\n\ufeff")
	trimmed = bytes.TrimPrefix(trimmed, []byte("\xef\xbb\xbf"))
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%s: empty document", name)
	}
	if trimmed[0] == '<' {
		return nil, fmt.Errorf("%s: OSCAL XML is not supported; use the JSON or YAML form", name)
	}
	js := trimmed
	if trimmed[0] != '{' {
		var doc any
		if err := yaml.Unmarshal(trimmed, &doc); err != nil {
			return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		var err error
		js, err = json.Marshal(yamlToJSON(doc, 0))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	var m oscal.OscalModels
	if err := json.Unmarshal(js, &m); err != nil {
		return nil, fmt.Errorf("%s: %s", name, jsonError(js, err))
	}
	return &m, nil
}

// yamlToJSON makes a decoded YAML value JSON-encodable: yaml.v3 gives
// map[string]any for string-keyed mappings, but other key types are
// stringified here so that a malformed file yields a type error naming the
// field rather than an encoder failure.
func yamlToJSON(v any, depth int) any {
	if depth > 10000 {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = yamlToJSON(x, depth+1)
		}
		return t
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[fmt.Sprint(k)] = yamlToJSON(x, depth+1)
		}
		return out
	case []any:
		for i, x := range t {
			t[i] = yamlToJSON(x, depth+1)
		}
		return t
	default:
		return v
	}
}

// jsonError says where a JSON document is wrong: line and column for a
// syntax error, the JSON pointer for a type error.
func jsonError(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(b, se.Offset)
		return fmt.Sprintf("line %d, column %d: %s", line, col, se.Error())
	case errors.As(err, &te):
		ptr := "/" + strings.ReplaceAll(te.Field, ".", "/")
		line, col := lineCol(b, te.Offset)
		return fmt.Sprintf("%s (line %d, column %d): %s is not valid as %s", ptr, line, col, te.Value, te.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	}
	return err.Error()
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	prefix := b[:off]
	line := bytes.Count(prefix, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(prefix, '\n')
	return line, col
}

// LoadCatalog reads an OSCAL catalog file (JSON or YAML).
func LoadCatalog(path string) (*oscal.Catalog, error) {
	b, err := readDocument(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	m, err := DecodeDocument(path, b)
	if err != nil {
		return nil, err
	}
	if m.Catalog == nil {
		if m.Profile != nil {
			return nil, fmt.Errorf("%s: this is an OSCAL profile, not a catalog (resolve it with --profile)", path)
		}
		return nil, fmt.Errorf("%s: %w (no top-level \"catalog\")", path, ErrNotOSCAL)
	}
	return m.Catalog, nil
}

// LoadProfile reads an OSCAL profile file (JSON or YAML).
func LoadProfile(path string) (*oscal.Profile, error) {
	b, err := readDocument(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	m, err := DecodeDocument(path, b)
	if err != nil {
		return nil, err
	}
	if m.Profile == nil {
		return nil, fmt.Errorf("%s: %w (no top-level \"profile\")", path, ErrNotOSCAL)
	}
	return m.Profile, nil
}

// WalkControls calls fn for every control of a catalog in document order,
// with its group (nil for top-level controls) and parent control.
func WalkControls(c *oscal.Catalog, fn func(group *oscal.Group, parent, ctl *oscal.Control)) {
	var walkCtl func(g *oscal.Group, parent *oscal.Control, cs *[]oscal.Control)
	walkCtl = func(g *oscal.Group, parent *oscal.Control, cs *[]oscal.Control) {
		if cs == nil {
			return
		}
		for i := range *cs {
			ctl := &(*cs)[i]
			fn(g, parent, ctl)
			walkCtl(g, ctl, ctl.Controls)
		}
	}
	var walkGroups func(gs *[]oscal.Group)
	walkGroups = func(gs *[]oscal.Group) {
		if gs == nil {
			return
		}
		for i := range *gs {
			g := &(*gs)[i]
			walkCtl(g, nil, g.Controls)
			walkGroups(g.Groups)
		}
	}
	walkCtl(nil, nil, c.Controls)
	walkGroups(c.Groups)
}
