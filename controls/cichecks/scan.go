package cichecks

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

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

// Scan collects and judges the pipelines under each path (a workflow file,
// an action.yml, a GitLab file, or a repository directory) and returns the
// findings ordered by file and position, without duplicates. An error names
// a path that could not be opened.
func Scan(ctx context.Context, paths []string, o ScanOptions) ([]Result, error) {
	if o.Rules == nil {
		o.Rules = Rules()
	}
	n := o.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	results := make([][]Result, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, n)
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i], errs[i] = scanOne(ctx, p, o)
		}()
	}
	wg.Wait()
	var out []Result
	for i := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i]...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
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
	return dedup, ctx.Err()
}

func scanOne(ctx context.Context, p string, o ScanOptions) ([]Result, error) {
	t, err := collectors.OpenTarget(p, p)
	if err != nil {
		return nil, fmt.Errorf("ci scan: %w", err)
	}
	isDir := t.Dir == p
	defer t.Close()
	t.MaxFileSize = o.MaxFileSize
	ev, err := ci.New(o.Skip...).Collect(ctx, t)
	if err != nil {
		return nil, err
	}
	base := p
	if !isDir {
		base = filepath.Dir(p)
	}
	var out []Result
	for _, e := range ev {
		pl, ok := e.Payload.(*ci.Pipeline)
		if !ok {
			continue
		}
		file := filepath.Join(base, filepath.FromSlash(pl.Path))
		if !isDir && pl.Path == filepath.Base(p) {
			file = p
		}
		for _, pr := range Run(pl, o.Rules, o.Opts) {
			r := Result{File: file, Line: pr.Line, Column: pr.Column, Rule: pr.Rule.ID,
				Severity: pr.Severity, Message: pr.Message, Controls: []string{}}
			if o.Controls != nil {
				if cs := o.Controls(pr.Rule.CheckID()); cs != nil {
					r.Controls = cs
				}
			}
			out = append(out, r)
		}
	}
	return out, nil
}
