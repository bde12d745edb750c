package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"golang.org/x/term"
)

// progress reports long work on stderr: one live line on a terminal, plain
// lines otherwise (logs, CI), nothing with --quiet.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	live  bool
	quiet bool
	dirty bool
}

func newProgress(quiet bool) *progress {
	return &progress{w: os.Stderr, live: term.IsTerminal(int(os.Stderr.Fd())), quiet: quiet}
}

func (p *progress) step(done, total int, what string) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s", done, total, what)
		p.dirty = true
		return
	}
	fmt.Fprintf(p.w, "pedigree: [%d/%d] %s\n", done, total, what)
}

func (p *progress) say(format string, args ...any) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty {
		fmt.Fprint(p.w, "\r\033[K")
		p.dirty = false
	}
	fmt.Fprintf(p.w, "pedigree: "+format+"\n", args...)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty {
		fmt.Fprint(p.w, "\r\033[K")
		p.dirty = false
	}
}

func newLogger(format string, quiet bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q is invalid (want text or json)", format)
}
