package vuln

import (
	"bufio"
	"context"
	"encoding/gob"
	"os"
	"path/filepath"

	"github.com/pedigree-dev/pedigree/internal/outfile"
)

const (
	cacheMagic = "pedigree-osv-index"
	// cacheFormat changes whenever Advisory, Affected or their scoring
	// change, so that an old cache is rebuilt rather than misread.
	cacheFormat = 1
)

// cacheFile is what an index cache stores: the compact records, already
// decoded and scored, keyed by the digest of the database inputs.
type cacheFile struct {
	Magic             string
	Format            int
	Digest            string
	Advisories        []Advisory
	Affected          []Affected
	Withdrawn         int
	Newest            int64
	Problems          []Problem
	ProblemsTruncated int
	// Records counts the records read per source path.
	Records map[string]int
}

// readCache returns the cache at file when it is intact and was built from
// inputs with this digest; any doubt means nil and a rebuild.
func readCache(file, digest string) (cf *cacheFile) {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	defer func() {
		if recover() != nil {
			cf = nil
		}
	}()
	var c cacheFile
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&c); err != nil {
		return nil
	}
	if c.Magic != cacheMagic || c.Format != cacheFormat || c.Digest != digest {
		return nil
	}
	for i := range c.Affected {
		if c.Affected[i].Advisory < 0 || int(c.Affected[i].Advisory) >= len(c.Advisories) {
			return nil
		}
	}
	if c.Records == nil {
		c.Records = map[string]int{}
	}
	return &c
}

// writeCache stores cf atomically: a temporary file renamed into place,
// registered with outfile so that the forced exit after an interrupt
// removes it (outfile.RemoveTemps), and abandoned at the first write after
// ctx is done.
func writeCache(ctx context.Context, file string, cf *cacheFile) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	o, err := outfile.Create(ctx, file, 0o600, nil)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(o, 1<<20)
	if err := gob.NewEncoder(w).Encode(cf); err != nil {
		o.Abort()
		return err
	}
	if err := w.Flush(); err != nil {
		o.Abort()
		return err
	}
	return o.Commit()
}
