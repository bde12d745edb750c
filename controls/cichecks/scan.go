package cichecks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Result is one finding of `ci scan`.
type Result struct {
	File     string            `json:"file"`
	Line     int               `json:"line"`
	Column   int               `json:"column"`
	Rule     string            `json:"rule"`
	Severity evidence.Severity `json:"severity"`
	Message  string            `json:"message"`
	Controls []string          `json:"controls"`
}

// ScanOptions configures Scan.
type ScanOptions struct {
	Rules []*Rule
	Opts  *Options
	// Skip lists path prefixes not to scan inside directories.
	Skip []string
	// Controls maps a check id to the control labels it evidences.
	Controls func(checkID string) []string
	// MaxFileSize bounds what is read of one file.
	MaxFileSize int64
	// Concurrency bounds paths scanned at once (default GOMAXPROCS).
	Concurrency int
}

// ErrNoPipeline is returned (wrapped, naming the paths) when a path holds
// no pipeline file: a silent "clean" would be a false one.
var ErrNoPipeline = errors.New("no pipeline file (GitHub Actions workflow, action.yml or GitLab CI file) found")

// Scan collects and judges the pipelines under each path (a workflow file,
// an action.yml, a GitLab file, or a repository directory) and returns the
// findings ordered by file and position, without duplicates. An error names
// a path that could not be opened. A path holding no pipeline file is an
// ErrNoPipeline error returned with the findings of the other paths.
//
// Files named one by one are read through one os.Root per folder rather
// than one target each, and each file is parsed once and judged by every
// rule over one shared index of its syntax tree.
func Scan(ctx context.Context, paths []string, o ScanOptions) ([]Result, error) {
	if o.Rules == nil {
		o.Rules = Rules()
	}
	n := o.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	n = min(n, len(paths))
	s := &scanner{o: o, col: ci.New(o.Skip...), folders: map[string]*folder{}, controls: map[*Rule][]string{}}
	defer s.close()
	results := make([][]Result, len(paths))
	found := make([]int, len(paths))
	errs := make([]error, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return
				}
				results[i], found[i], errs[i] = s.scanOne(ctx, paths[i])
			}
		}()
	}
	wg.Wait()
	total := 0
	var empty []string
	for i := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		total += len(results[i])
		if found[i] == 0 {
			empty = append(empty, paths[i])
		}
	}
	var noPipeline error
	if len(empty) > 0 && ctx.Err() == nil {
		noPipeline = fmt.Errorf("ci scan: %s: %w", strings.Join(empty, ", "), ErrNoPipeline)
	}
	if total == 0 {
		return nil, cmp.Or(ctx.Err(), noPipeline)
	}
	out := make([]Result, 0, total)
	for i := range paths {
		out = append(out, results[i]...)
	}
	less := func(a, b Result) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return cmp.Compare(a.Line, b.Line)
		}
		if a.Column != b.Column {
			return cmp.Compare(a.Column, b.Column)
		}
		return strings.Compare(a.Rule, b.Rule)
	}
	if !slices.IsSortedFunc(out, less) {
		slices.SortStableFunc(out, less)
	}
	dedup := out[:0]
	for i, r := range out {
		if i > 0 {
			p := out[i-1]
			if p.File == r.File && p.Line == r.Line && p.Column == r.Column && p.Rule == r.Rule && p.Message == r.Message {
				continue
			}
		}
		dedup = append(dedup, r)
	}
	return dedup, cmp.Or(ctx.Err(), noPipeline)
}

// scanner is the state of one Scan shared by its workers.
type scanner struct {
	o   ScanOptions
	col *ci.Collector
	// controls holds each rule's control labels, looked up once, when the
	// rule first finds something: a clean file never reads the mapping.
	controls   map[*Rule][]string
	controlsMu sync.Mutex
	mu         sync.Mutex
	folders    map[string]*folder
}

// folder is a directory holding files named on the command line, opened
// once for all of them.
type folder struct {
	once sync.Once
	f    *ci.Folder
	err  error
}

func (s *scanner) folder(dir string) (*ci.Folder, error) {
	s.mu.Lock()
	fo := s.folders[dir]
	if fo == nil {
		fo = &folder{}
		s.folders[dir] = fo
	}
	s.mu.Unlock()
	fo.once.Do(func() {
		fo.f, fo.err = ci.OpenFolder(dir)
		if fo.err == nil {
			fo.f.MaxFileSize = s.o.MaxFileSize
		}
	})
	return fo.f, fo.err
}

func (s *scanner) close() {
	for _, fo := range s.folders {
		if fo.f != nil {
			fo.f.Close()
		}
	}
}

// scanOne scans one path and returns its findings and how many pipeline
// files it held.
func (s *scanner) scanOne(ctx context.Context, p string) ([]Result, int, error) {
	// The common case, a file: read it through its folder's root without a
	// stat of its own. Anything else (a directory, an error to report as
	// the path's) takes the general way below.
	if name := filepath.Base(p); name != "." && name != ".." && p != "" && !os.IsPathSeparator(p[len(p)-1]) {
		if f, err := s.folder(filepath.Dir(p)); err == nil {
			if raw, isDir, err := f.ReadEntry(name); err == nil && !isDir {
				pls, err := s.col.File(ctx, f, name, raw)
				if err != nil {
					return nil, 0, err
				}
				return s.results(pls, p, false), len(pls), nil
			}
		}
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, 0, fmt.Errorf("ci scan: target %s: %w", p, err)
	}
	var pls []*ci.Pipeline
	if st.IsDir() {
		t, err := collectors.OpenTarget(p, p)
		if err != nil {
			return nil, 0, fmt.Errorf("ci scan: %w", err)
		}
		defer t.Close()
		t.MaxFileSize = s.o.MaxFileSize
		if pls, err = s.col.Pipelines(ctx, t); err != nil {
			return nil, 0, err
		}
	} else {
		f, err := s.folder(filepath.Dir(p))
		if err != nil {
			return nil, 0, fmt.Errorf("ci scan: target %s: %w", p, err)
		}
		// A file named on its own that cannot be read (a pipe, a device, one
		// above the size limit) is the user's input error, not a silence.
		raw, _, err := f.ReadEntry(filepath.Base(p))
		if err != nil {
			// The folder names the file by its base name; name it as given.
			return nil, 0, fmt.Errorf("ci scan: %s: %s", p, strings.TrimPrefix(err.Error(), filepath.Base(p)+": "))
		}
		if pls, err = s.col.File(ctx, f, filepath.Base(p), raw); err != nil {
			return nil, 0, err
		}
	}
	return s.results(pls, p, st.IsDir()), len(pls), nil
}

// controlsOf returns the control labels of r's check (never nil).
func (s *scanner) controlsOf(r *Rule) []string {
	s.controlsMu.Lock()
	defer s.controlsMu.Unlock()
	cs, ok := s.controls[r]
	if !ok {
		if s.o.Controls != nil {
			cs = s.o.Controls(r.CheckID())
		}
		if cs == nil {
			cs = []string{}
		}
		s.controls[r] = cs
	}
	return cs
}

// results judges the pipelines found under path p.
func (s *scanner) results(pls []*ci.Pipeline, p string, isDir bool) []Result {
	base := p
	if !isDir {
		base = filepath.Dir(p)
	}
	var out []Result
	for _, pl := range pls {
		var file string
		if !isDir && pl.Path == filepath.Base(p) {
			file = p
		} else {
			file = filepath.Join(base, filepath.FromSlash(pl.Path))
		}
		for _, pr := range Run(pl, s.o.Rules, s.o.Opts) {
			cs := s.controlsOf(pr.Rule)
			out = append(out, Result{File: file, Line: pr.Line, Column: pr.Column, Rule: pr.Rule.ID,
				Severity: pr.Severity, Message: pr.Message, Controls: cs})
		}
	}
	return out
}
