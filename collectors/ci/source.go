package ci

import (
	"sort"
	"strings"
	"unsafe"

	"github.com/rhysd/actionlint"
)

// Source is the raw text of a pipeline file with a line index, so that rules
// can anchor a finding at the exact line and column of a token the parsers
// do not position (the `on:` key, a string inside a block scalar).
type Source struct {
	// Raw is the file's content; it must not be modified (the text may
	// share its memory).
	Raw   []byte
	text  string // Raw as a string, so that lines are sliced, not copied
	lines []int  // byte offset of each line start
}

func newSource(raw []byte) *Source {
	return indexSource(raw, string(raw))
}

// ownedSource is newSource for bytes nothing else holds or will modify (a
// file the collector has just read): the text shares their memory instead
// of copying them.
func ownedSource(raw []byte) *Source {
	if len(raw) == 0 {
		return newSource(raw)
	}
	return indexSource(raw, unsafe.String(unsafe.SliceData(raw), len(raw)))
}

func indexSource(raw []byte, text string) *Source {
	s := &Source{Raw: raw, text: text, lines: make([]int, 1, strings.Count(text, "\n")+1)}
	for off := 0; ; {
		i := strings.IndexByte(s.text[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		s.lines = append(s.lines, off)
	}
	return s
}

// Text is the whole source as a string (not a copy).
func (s *Source) Text() string { return s.text }

// Lines is the number of lines.
func (s *Source) Lines() int { return len(s.lines) }

// Line returns line n (1-based) without its newline.
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.Raw)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	return strings.TrimSuffix(s.text[start:end], "\r")
}

// Offset converts a 1-based position to a byte offset (clamped).
func (s *Source) Offset(p *actionlint.Pos) int {
	if p == nil || p.Line < 1 {
		return 0
	}
	if p.Line > len(s.lines) {
		return len(s.Raw)
	}
	off := s.lines[p.Line-1] + p.Col - 1
	if off < 0 {
		off = 0
	}
	if off > len(s.Raw) {
		off = len(s.Raw)
	}
	return off
}

// PosOf converts a byte offset to a 1-based position. Columns count bytes,
// as actionlint's and yaml's do.
func (s *Source) PosOf(off int) *actionlint.Pos {
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return &actionlint.Pos{Line: i + 1, Col: off - s.lines[i] + 1}
}

// Find returns the position of the first occurrence of needle at or after
// from, and the offset just past it; ok is false when there is none.
func (s *Source) Find(from int, needle string) (pos *actionlint.Pos, next int, ok bool) {
	if from < 0 || from > len(s.Raw) || needle == "" {
		return nil, from, false
	}
	i := strings.Index(s.text[from:], needle)
	if i < 0 {
		return nil, from, false
	}
	return s.PosOf(from + i), from + i + len(needle), true
}

// KeyAbove finds the nearest line at or above line whose text, after its
// indentation, starts with key followed by ':' and whose indentation is at
// most maxIndent (-1: any). It returns the key's position, or nil.
func (s *Source) KeyAbove(line int, key string, maxIndent int) *actionlint.Pos {
	spellings := [3]string{key, `"` + key + `"`, `'` + key + `'`}
	for n := line; n >= 1 && n > line-200; n-- {
		text := s.Line(n)
		trimmed := strings.TrimLeft(text, " ")
		indent := len(text) - len(trimmed)
		trimmed = strings.TrimPrefix(trimmed, "- ")
		if strings.HasPrefix(trimmed, "- ") {
			continue
		}
		if maxIndent >= 0 && indent > maxIndent {
			continue
		}
		for _, k := range spellings {
			if len(trimmed) > len(k) && trimmed[len(k)] == ':' && strings.HasPrefix(trimmed, k) {
				col := strings.Index(text, k) + 1
				return &actionlint.Pos{Line: n, Col: col}
			}
		}
	}
	return nil
}

// TopLevelKey returns the position of a top-level mapping key (at column 1),
// accepting the YAML spellings GitHub accepts for `on` (on, "on", true).
func (s *Source) TopLevelKey(names ...string) *actionlint.Pos {
	spellings := make([]string, 0, 3*len(names))
	for _, k := range names {
		spellings = append(spellings, k, `"`+k+`"`, `'`+k+`'`)
	}
	for n := 1; n <= len(s.lines); n++ {
		text := s.Line(n)
		for _, q := range spellings {
			if strings.HasPrefix(text, q) {
				rest := strings.TrimLeft(text[len(q):], " ")
				if strings.HasPrefix(rest, ":") {
					return &actionlint.Pos{Line: n, Col: 1}
				}
			}
		}
	}
	return nil
}

// FirstKey returns the position of the first top-level content line: not
// blank, not a comment, not a document marker.
func (s *Source) FirstKey() *actionlint.Pos {
	for n := 1; n <= len(s.lines); n++ {
		text := s.Line(n)
		t := strings.TrimSpace(text)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" || strings.HasPrefix(t, "%") {
			continue
		}
		return &actionlint.Pos{Line: n, Col: len(text) - len(strings.TrimLeft(text, " ")) + 1}
	}
	return &actionlint.Pos{Line: 1, Col: 1}
}
