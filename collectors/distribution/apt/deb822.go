package apt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxStanza bounds one paragraph of a Release or Packages file: a real
// stanza is a few KiB; a 10 MB one is an attack on memory.
const MaxStanza = 1 << 20

// ErrStanzaTooLarge is a paragraph above MaxStanza.
var ErrStanzaTooLarge = errors.New("stanza exceeds the size limit")

// stanza is one deb822 paragraph: field names (as written) to values,
// continuation lines joined with "\n".
type stanza struct {
	fields map[string]string
	line   int // first line
}

func (s stanza) get(name string) string {
	for k, v := range s.fields {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// readStanzas streams paragraphs to fn, never holding more than one. The
// stanza's fields are reused for the next paragraph: fn must copy what it
// keeps past its call.
func readStanzas(r io.Reader, fn func(stanza) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	cur := stanza{fields: map[string]string{}}
	var last string
	size, lineNo := 0, 0
	flush := func() error {
		if len(cur.fields) == 0 {
			return nil
		}
		err := fn(cur)
		clear(cur.fields)
		cur.line = 0
		size, last = 0, ""
		return err
	}
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: accumulate up to the limit.
			buf := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				if len(buf)+size > MaxStanza {
					return fmt.Errorf("line %d: %w (%d bytes)", lineNo+1, ErrStanzaTooLarge, MaxStanza)
				}
				line, err = br.ReadSlice('\n')
				buf = append(buf, line...)
			}
			line = buf
		}
		if err != nil && err != io.EOF {
			// A reader that failed mid-line (a corrupt or over-long
			// compressed stream) leaves a partial line: the failure is
			// what to report, not the fragment.
			return fmt.Errorf("line %d: %w", lineNo+1, err)
		}
		if len(line) > 0 {
			lineNo++
			size += len(line)
			if size > MaxStanza {
				return fmt.Errorf("line %d: %w (%d bytes)", lineNo, ErrStanzaTooLarge, MaxStanza)
			}
			l := string(bytes.TrimRight(line, "\r\n"))
			switch {
			case strings.TrimSpace(l) == "":
				if e := flush(); e != nil {
					return e
				}
			case l[0] == ' ' || l[0] == '\t':
				if last != "" {
					cur.fields[last] += "\n" + strings.TrimSpace(l)
				}
			case l[0] == '#':
			default:
				k, v, ok := strings.Cut(l, ":")
				if !ok {
					return fmt.Errorf("line %d: not a field: %.60q", lineNo, l)
				}
				if len(cur.fields) == 0 {
					cur.line = lineNo
				}
				last = k
				cur.fields[k] = strings.TrimSpace(v)
			}
		}
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", lineNo, err)
		}
	}
}

// entry is one line of a Release hash section: "<hash> <size> <name>".
type entry struct {
	Hash string
	Size int64
	Name string
}

func parseEntries(v string) ([]entry, error) {
	var out []entry
	for _, l := range strings.Split(v, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return out, fmt.Errorf("hash entry %.80q: want <hash> <size> <name>", l)
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || n < 0 {
			return out, fmt.Errorf("hash entry %.80q: size is not a number", l)
		}
		out = append(out, entry{Hash: strings.ToLower(f[0]), Size: n, Name: f[2]})
	}
	return out, nil
}
