package vuln

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// Default bounds of what a database may make pedigree read.
const (
	// DefaultMaxRecordSize bounds one OSV record (a file or zip member).
	DefaultMaxRecordSize = 16 << 20
	// DefaultMaxZipEntries bounds the members of one zip export.
	DefaultMaxZipEntries = 4_000_000
	// DefaultMaxZipBytes bounds what one zip export may decompress to in all.
	DefaultMaxZipBytes = 64 << 30
	// maxProblems bounds the problems kept in the evidence payload.
	maxProblems = 1000
)

var errNoID = errors.New("record has no id")

// ErrNoDatabase is returned when a configured database path is missing.
var ErrNoDatabase = errors.New("OSV database path not found")

// LoadOptions bound and tune loading. The zero value is usable.
type LoadOptions struct {
	MaxRecordSize int64
	MaxZipEntries int
	MaxZipBytes   int64
	// CacheDir holds index cache files; empty means no cache.
	CacheDir string
	// Workers decode records in parallel (default GOMAXPROCS).
	Workers int
}

func (o *LoadOptions) defaults() {
	if o.MaxRecordSize <= 0 {
		o.MaxRecordSize = DefaultMaxRecordSize
	}
	if o.MaxZipEntries <= 0 {
		o.MaxZipEntries = DefaultMaxZipEntries
	}
	if o.MaxZipBytes <= 0 {
		o.MaxZipBytes = DefaultMaxZipBytes
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
}

// source is one unit read: a zip export, or the loose JSON records of one
// directory (or one JSON file given directly).
type source struct {
	path  string   // as reported
	zip   bool     // a zip export at path
	files []string // loose records: absolute file paths
	sum   string
	size  int64
}

// LoadDatabase reads the OSV database at paths (directories of OSV JSON
// records, all.zip exports, or single record files), reusing the index
// cache in o.CacheDir when the inputs' SHA-256 digest matches. Malformed
// records are skipped and listed in Database.Problems; only a missing path
// or an unreadable directory is an error.
func LoadDatabase(ctx context.Context, paths []string, o LoadOptions) (*Database, error) {
	o.defaults()
	db := &Database{Paths: append([]string(nil), paths...), Ecosystems: map[string]int{}}
	srcs, err := discover(paths)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for i := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := srcs[i].hash(); err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%s\x00%s\x00%d\n", srcs[i].path, srcs[i].sum, srcs[i].size)
	}
	db.Digest = hex.EncodeToString(h.Sum(nil))

	var cf *cacheFile
	if o.CacheDir != "" {
		db.CacheFile = filepath.Join(o.CacheDir, "osv-index-"+db.Digest[:32]+".gob")
		cf = readCache(db.CacheFile, db.Digest)
	}
	if cf != nil {
		db.Cache = "hit"
	} else {
		cf, err = build(ctx, srcs, o)
		if err != nil {
			return nil, err
		}
		cf.Digest = db.Digest
		db.Cache = "off"
		if o.CacheDir != "" {
			if err := writeCache(ctx, db.CacheFile, cf); err != nil {
				db.Cache = "write failed: " + err.Error()
			} else {
				db.Cache = "stored"
			}
		}
	}
	for _, s := range srcs {
		db.Sources = append(db.Sources, SourceFile{Path: s.path, SHA256: s.sum, Size: s.size, Records: cf.Records[s.path]})
	}
	db.Index = NewIndex(cf.Advisories, cf.Affected)
	db.Advisories = len(cf.Advisories)
	db.Withdrawn = cf.Withdrawn
	db.Packages = db.Index.Packages()
	for i := range cf.Affected {
		db.Ecosystems[baseEcosystem(cf.Affected[i].Ecosystem)]++
	}
	if cf.Newest > 0 {
		db.Newest = time.Unix(cf.Newest, 0).UTC()
	}
	db.Problems, db.ProblemsTruncated = cf.Problems, cf.ProblemsTruncated
	return db, nil
}

// discover lists the sources under the configured paths, sorted.
func discover(paths []string) ([]source, error) {
	var out []source
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNoDatabase, p, unwrapPath(err))
		}
		if !st.IsDir() {
			if isZip(p) {
				out = append(out, source{path: p, zip: true})
			} else {
				out = append(out, source{path: p, files: []string{p}})
			}
			continue
		}
		byDir := map[string][]string{}
		root, err := os.OpenRoot(p)
		if err != nil {
			return nil, fmt.Errorf("OSV database %s: %w", p, err)
		}
		err = fs.WalkDir(root.FS(), ".", func(rel string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("OSV database %s: %s: %w", p, rel, unwrapPath(err))
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil // symlinks, devices: never followed
			}
			full := filepath.Join(p, filepath.FromSlash(rel))
			switch {
			case isZip(rel):
				out = append(out, source{path: full, zip: true})
			case strings.EqualFold(path.Ext(rel), ".json"):
				dir := filepath.Join(p, filepath.FromSlash(path.Dir(rel)))
				byDir[dir] = append(byDir[dir], full)
			}
			return nil
		})
		root.Close()
		if err != nil {
			return nil, err
		}
		for dir, files := range byDir {
			sort.Strings(files)
			out = append(out, source{path: dir, files: files})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

func isZip(p string) bool { return strings.EqualFold(filepath.Ext(p), ".zip") }

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// hash sets the source's SHA-256: of the zip file, or over the names and
// digests of its loose records.
func (s *source) hash() error {
	if s.zip || (len(s.files) == 1 && s.files[0] == s.path) {
		f, err := os.Open(s.path)
		if err != nil {
			return fmt.Errorf("OSV database: %w", err)
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return fmt.Errorf("OSV database %s: %w", s.path, err)
		}
		s.sum, s.size = hex.EncodeToString(h.Sum(nil)), n
		return nil
	}
	set := sha256.New()
	buf := make([]byte, 64<<10)
	for _, file := range s.files {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("OSV database: %w", err)
		}
		h := sha256.New()
		n, err := io.CopyBuffer(h, f, buf)
		f.Close()
		if err != nil {
			return fmt.Errorf("OSV database %s: %w", file, err)
		}
		s.size += n
		fmt.Fprintf(set, "%s\x00%x\n", filepath.Base(file), h.Sum(nil))
	}
	s.sum = hex.EncodeToString(set.Sum(nil))
	return nil
}

// job is one record's bytes on their way to a decoder.
type job struct {
	seq    int
	source string
	file   string
	member string
	data   []byte
}

type decoded struct {
	seq     int
	source  string
	adv     Advisory
	affs    []Affected
	skipped bool // withdrawn
	prob    *Problem
}

// build decodes every record of the sources in parallel.
func build(ctx context.Context, srcs []source, o LoadOptions) (*cacheFile, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, o.Workers*4)
	results := make(chan decoded, o.Workers*4)
	var probs []Problem
	var pmu sync.Mutex
	addProblem := func(p Problem) {
		pmu.Lock()
		probs = append(probs, p)
		pmu.Unlock()
	}
	go func() {
		defer close(jobs)
		seq := 0
		send := func(j job) bool {
			j.seq = seq
			seq++
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, s := range srcs {
			if s.zip {
				if !readZip(ctx, s.path, o, send, addProblem) {
					return
				}
				continue
			}
			for _, f := range s.files {
				b, err := readBounded(f, o.MaxRecordSize)
				if err != nil {
					addProblem(Problem{File: f, Error: err.Error()})
					continue
				}
				if !send(job{source: s.path, file: f, data: b}) {
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				for _, d := range decodeJob(j) {
					results <- d
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var all []decoded
	for d := range results {
		if d.prob != nil {
			addProblem(*d.prob)
			continue
		}
		all = append(all, d)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return assemble(all, probs), nil
}

// decodeJob decodes one file or member: one record, or a JSON array of them.
func decodeJob(j job) []decoded {
	where := func(err error) *Problem {
		return &Problem{File: j.file, Member: j.member, Error: oneLine(err.Error())}
	}
	data := bytes.TrimLeft(j.data, " \t\r\n\ufeff")
	var raws [][]byte
	if len(data) > 0 && data[0] == '[' {
		arr, err := splitArray(data)
		if err != nil {
			return []decoded{{seq: j.seq, prob: where(err)}}
		}
		raws = arr
	} else {
		raws = [][]byte{data}
	}
	out := make([]decoded, 0, len(raws))
	for _, raw := range raws {
		v, err := ParseOSV(raw)
		if err != nil {
			out = append(out, decoded{seq: j.seq, prob: where(fmt.Errorf("not an OSV record: %w", err))})
			continue
		}
		adv, affs, ok := compact(v)
		out = append(out, decoded{seq: j.seq, source: j.source, adv: adv, affs: affs, skipped: !ok})
	}
	return out
}

// assemble orders the records by id (the latest `modified` wins when two
// sources carry the same id) so that the index, and its cache, do not
// depend on decoding order.
func assemble(all []decoded, probs []Problem) *cacheFile {
	cf := &cacheFile{Magic: cacheMagic, Format: cacheFormat, Records: map[string]int{}}
	sort.Slice(all, func(i, j int) bool {
		if all[i].adv.ID != all[j].adv.ID {
			return all[i].adv.ID < all[j].adv.ID
		}
		if all[i].adv.Modified != all[j].adv.Modified {
			return all[i].adv.Modified > all[j].adv.Modified
		}
		return all[i].seq < all[j].seq
	})
	for i, d := range all {
		cf.Records[d.source]++
		if i > 0 && all[i-1].adv.ID == d.adv.ID {
			continue // an older copy of the same record
		}
		if d.skipped {
			cf.Withdrawn++
			continue
		}
		idx := int32(len(cf.Advisories))
		cf.Advisories = append(cf.Advisories, d.adv)
		if d.adv.Modified > cf.Newest {
			cf.Newest = d.adv.Modified
		}
		for _, af := range d.affs {
			af.Advisory = idx
			cf.Affected = append(cf.Affected, af)
		}
	}
	sort.Slice(probs, func(i, j int) bool {
		if probs[i].File != probs[j].File {
			return probs[i].File < probs[j].File
		}
		return probs[i].Member < probs[j].Member
	})
	if len(probs) > maxProblems {
		cf.ProblemsTruncated = len(probs) - maxProblems
		probs = probs[:maxProblems]
	}
	cf.Problems = probs
	return cf
}

// readBounded reads a whole file, refusing one above limit bytes.
func readBounded(file string, limit int64) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	return readLimited(f, limit)
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("record larger than %d bytes: skipped", limit)
	}
	return b, nil
}

// readZip streams the JSON members of one zip export to send. It never
// extracts anything: member names are only reported, an unsafe name (an
// absolute path, a ".." element) is refused, sizes are bounded per member
// and in total, and a header that lies about a size is caught by the
// limited reader. It returns false when the run was cancelled.
func readZip(ctx context.Context, file string, o LoadOptions, send func(job) bool, problem func(Problem)) bool {
	// The entry count is checked from the directory's end record before
	// archive/zip allocates a header per entry.
	if n, err := zipEntries(file); err == nil && n > uint64(o.MaxZipEntries) {
		problem(Problem{File: file, Error: fmt.Sprintf("zip archive has %d members, above the limit of %d: skipped", n, o.MaxZipEntries)})
		return true
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		problem(Problem{File: file, Error: "not a readable zip archive: " + oneLine(err.Error())})
		return true
	}
	defer zr.Close()
	if len(zr.File) > o.MaxZipEntries {
		problem(Problem{File: file, Error: fmt.Sprintf("zip archive has %d members, above the limit of %d: skipped", len(zr.File), o.MaxZipEntries)})
		return true
	}
	var total int64
	for _, f := range zr.File {
		if ctx.Err() != nil {
			return false
		}
		name := f.Name
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(name), ".json") {
			continue
		}
		if !safeMemberName(name) {
			problem(Problem{File: file, Member: name, Error: "unsafe member name (absolute or leaves the archive): skipped"})
			continue
		}
		if f.Mode()&fs.ModeSymlink != 0 || !f.Mode().IsRegular() && f.Mode()&fs.ModeType != 0 {
			problem(Problem{File: file, Member: name, Error: "not a regular file: skipped"})
			continue
		}
		if f.Flags&0x1 != 0 {
			problem(Problem{File: file, Member: name, Error: "encrypted member: skipped"})
			continue
		}
		if f.UncompressedSize64 > uint64(o.MaxRecordSize) {
			problem(Problem{File: file, Member: name, Error: fmt.Sprintf("member of %d bytes, above the record limit of %d: skipped", f.UncompressedSize64, o.MaxRecordSize)})
			continue
		}
		rc, err := f.Open()
		if err != nil {
			problem(Problem{File: file, Member: name, Error: oneLine(err.Error())})
			continue
		}
		b, err := readLimited(rc, o.MaxRecordSize)
		rc.Close()
		if err != nil {
			problem(Problem{File: file, Member: name, Error: oneLine(err.Error())})
			continue
		}
		total += int64(len(b))
		if total > o.MaxZipBytes {
			problem(Problem{File: file, Error: fmt.Sprintf("zip archive decompresses to more than %d bytes: the rest is skipped", o.MaxZipBytes)})
			return true
		}
		if !send(job{source: file, file: file, member: name, data: b}) {
			return false
		}
	}
	return true
}

func safeMemberName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || strings.Contains(name, "\x00") {
		return false
	}
	if len(name) >= 2 && name[1] == ':' {
		return false
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			return false
		}
	}
	return true
}

// splitArray splits a JSON array into its elements without decoding them.
func splitArray(b []byte) ([][]byte, error) {
	var out [][]byte
	depth, start, inStr, esc := 0, -1, false, false
	for i, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '[', '{':
			depth++
			if depth > 64 {
				return nil, errors.New("JSON nested deeper than 64 levels")
			}
			if depth == 2 && start < 0 {
				start = i
			}
		case ']', '}':
			depth--
			if depth == 1 && start >= 0 {
				out = append(out, b[start:i+1])
				start = -1
			}
			if depth == 0 {
				return out, nil
			}
			if depth < 0 {
				return nil, errors.New("unbalanced JSON array")
			}
		}
	}
	return nil, errors.New("truncated JSON array")
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return truncate(s, 300)
}

func zipEntries(file string) (uint64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return readlimit.ZipEntries(f, st.Size())
}
