package vuln

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Options configure the collector: the database, KEV and VEX files the
// user supplies (none is ever fetched).
type Options struct {
	// OSV lists database paths; empty means no database (VULN-DB-MISSING).
	OSV []string
	// KEV is the CISA KEV catalog JSON file, if any.
	KEV string
	// VEX lists VEX documents applied to every target.
	VEX []string
	// Load bounds and caches database loading.
	Load LoadOptions
	// MaxFileSize bounds a KEV or VEX file (default collectors.DefaultMaxFileSize).
	MaxFileSize int64
}

// Collector loads the configured database, KEV catalog and VEX documents
// once, and finds VEX documents (and a KEV catalog) inside each target.
type Collector struct {
	opts   Options
	once   sync.Once
	global []evidence.Evidence
	err    error
}

// New returns a collector. It checks that every configured path exists, so
// that a typo is an input error before any work starts.
func New(o Options) (*Collector, error) {
	for _, p := range append(append(append([]string(nil), o.OSV...), o.VEX...), o.KEV) {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("vuln: %s: %w", p, unwrapPath(err))
		}
	}
	return &Collector{opts: o}, nil
}

// Name is the collector's stable name.
func (c *Collector) Name() string { return CollectorName }

// Collect returns the global evidence (database, KEV, configured VEX) and
// the VEX documents and KEV catalogs found in the target.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	c.once.Do(func() { c.global, c.err = c.loadGlobal(ctx, t) })
	if c.err != nil {
		return nil, c.err
	}
	out := append([]evidence.Evidence(nil), c.global...)
	limit := t.MaxFileSize
	if limit <= 0 {
		limit = collectors.DefaultMaxFileSize
	}
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !strings.EqualFold(path.Ext(f.Path), ".json") || f.Size > limit || f.Size < 2 {
			continue
		}
		if !looksLikeVEX(t, f.Path, limit) {
			continue
		}
		raw, err := t.ReadFile(f.Path)
		if err != nil {
			continue
		}
		if e, ok := documentEvidence(raw, f.Path, func(kind string, subj evidence.Subject, payload any) evidence.Evidence {
			return t.Evidence(CollectorName, kind, f.Path, raw, subj, payload)
		}); ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// looksLikeVEX peeks at the head of a JSON file for the markers of the
// formats this collector reads, so that large SBOMs are not decoded twice.
func looksLikeVEX(t *collectors.Target, rel string, limit int64) bool {
	f, err := t.Open(rel)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.Contains(head, []byte("openvex")), bytes.Contains(head, []byte(`"csaf_version"`)),
		bytes.Contains(head, []byte(`"catalogVersion"`)) && bytes.Contains(head, []byte(`"cveID"`)):
		return true
	case bytes.Contains(head, []byte(`"bomFormat"`)):
		// A CycloneDX BOM is VEX when it has analysed vulnerabilities.
		if bytes.Contains(head, []byte(`"analysis"`)) {
			return true
		}
		if n < len(head) {
			return false
		}
		return containsStream(io.LimitReader(f, limit), []byte(`"analysis"`))
	}
	return false
}

// documentEvidence parses a VEX document or KEV catalog and makes its
// evidence; ok is false for anything else.
func documentEvidence(raw []byte, name string, mk func(kind string, subj evidence.Subject, payload any) evidence.Evidence) (evidence.Evidence, bool) {
	format := DetectVEX(raw)
	subj := evidence.Subject{Ref: name, Digest: "sha256:" + evidence.SHA256Hex(raw)}
	switch format {
	case "":
		return evidence.Evidence{}, false
	case "kev":
		k, err := ParseKEV(name, raw)
		if err != nil {
			return evidence.Evidence{}, false
		}
		subj.Type = "kev-catalog"
		return mk(KindKEV, subj, k), true
	}
	subj.Type = "vex"
	d, err := ParseVEX(name, format, raw)
	if err != nil {
		d = &VEXDocument{File: name, Format: format, Error: oneLine(err.Error())}
	}
	return mk(KindVEX, subj, d), true
}

// loadGlobal reads what the configuration names, once for all targets.
// Its evidence has no target, so its id is the same in every target and
// the engine keeps one copy.
func (c *Collector) loadGlobal(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	mk := func(kind, source, sum string, size int64, subj evidence.Subject, payload any) evidence.Evidence {
		return evidence.Evidence{ID: evidence.NewID(CollectorName, kind, "", source, sum), Collector: CollectorName,
			Kind: kind, Subject: subj, Source: source, SHA256: sum, Size: size, CollectedAt: t.Now, Payload: payload}
	}
	if len(c.opts.OSV) > 0 {
		db, err := LoadDatabase(ctx, c.opts.OSV, c.opts.Load)
		if err != nil {
			return nil, err
		}
		var size int64
		for _, s := range db.Sources {
			size += s.Size
		}
		source := strings.Join(db.Paths, ", ")
		out = append(out, mk(KindDatabase, source, db.Digest, size,
			evidence.Subject{Type: "vulnerability-database", Ref: source, Digest: "sha256:" + db.Digest}, db))
	}
	limit := c.opts.MaxFileSize
	if limit <= 0 {
		limit = collectors.DefaultMaxFileSize
	}
	if c.opts.KEV != "" {
		raw, err := readBounded(c.opts.KEV, limit)
		if err != nil {
			return nil, fmt.Errorf("KEV catalog %s: %w", c.opts.KEV, err)
		}
		k, err := ParseKEV(c.opts.KEV, raw)
		if err != nil {
			return nil, err
		}
		sum := evidence.SHA256Hex(raw)
		out = append(out, mk(KindKEV, c.opts.KEV, sum, int64(len(raw)),
			evidence.Subject{Type: "kev-catalog", Ref: c.opts.KEV, Digest: "sha256:" + sum}, k))
	}
	vex := append([]string(nil), c.opts.VEX...)
	sort.Strings(vex)
	for _, p := range vex {
		raw, err := readBounded(p, limit)
		if err != nil {
			return nil, fmt.Errorf("VEX %s: %w", p, err)
		}
		e, ok := documentEvidence(raw, p, func(kind string, subj evidence.Subject, payload any) evidence.Evidence {
			return mk(kind, p, evidence.SHA256Hex(raw), int64(len(raw)), subj, payload)
		})
		if !ok || e.Kind != KindVEX {
			return nil, fmt.Errorf("VEX %s: not an OpenVEX, CycloneDX VEX or CSAF 2.0 document", p)
		}
		out = append(out, e)
	}
	return out, nil
}

// containsStream reports whether r holds needle, reading it in bounded
// chunks so that a large SBOM is scanned without being held in memory.
func containsStream(r io.Reader, needle []byte) bool {
	buf := make([]byte, 1<<20+len(needle))
	keep := 0
	for {
		n, err := r.Read(buf[keep:])
		if bytes.Contains(buf[:keep+n], needle) {
			return true
		}
		if err != nil {
			return false
		}
		if keep+n >= len(needle) {
			copy(buf, buf[keep+n-len(needle)+1:keep+n])
			keep = len(needle) - 1
		} else {
			keep += n
		}
	}
}
