package oci

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Bounds on what a layout or archive may make pedigree hold or do.
const (
	// MaxJSONBlob bounds a manifest, index or config read whole.
	MaxJSONBlob = 4 << 20
	// maxKept bounds the JSON blobs one archive keeps in memory in all.
	maxKept = 256 << 20
	// maxEntries bounds the entries of one archive (tar bombs).
	maxEntries = 200000
	// maxExpanded bounds what a compressed archive may expand to.
	maxExpanded = 64 << 30
)

// blob is one content-addressed file of a layout or archive.
type blob struct {
	// name is where it lies (target path, or archive entry name).
	name string
	size int64
	// sha256 is the digest of its bytes once computed ("" before).
	sha256 string
	// data holds small JSON blobs.
	data []byte
	// link is set for a blob that is a symlink (directory) or a link
	// entry (archive); it is never followed.
	link string
}

// store is an image layout seen as blobs by digest: an oci-layout folder of
// the target, or an OCI / docker save tarball read in one streaming pass.
type store struct {
	t *collectors.Target
	// path is the layout folder or the archive, relative to the target.
	path    string
	archive bool
	// gz is set for a gzip-compressed archive.
	gz bool
	// files are the top-level documents: index.json, manifest.json, oci-layout.
	files map[string][]byte
	// blobs by "sha256:<hex>" as named in blobs/sha256/<hex>; legacy
	// docker save entries by their entry name.
	blobs map[string]*blob
	// problems are archive entries refused (traversal, links, bombs).
	problems []string
}

func (s *store) where(b *blob) string {
	if s.archive {
		return s.path + "!" + b.name
	}
	return b.name
}

// digestOf reads a blob's digest, streaming it once.
func (s *store) digestOf(b *blob) (string, error) {
	if b.sha256 != "" || s.archive {
		return b.sha256, nil
	}
	if b.link != "" {
		return "", fmt.Errorf("%s is a symlink to %s; blobs must be regular files", b.name, b.link)
	}
	sums, err := distribution.HashFile(s.t, b.name)
	if err != nil {
		return "", err
	}
	b.sha256, b.size = sums.SHA256, sums.Size
	return b.sha256, nil
}

// json returns a small blob's bytes.
func (s *store) json(b *blob) ([]byte, error) {
	if b.data != nil {
		return b.data, nil
	}
	if s.archive {
		return nil, fmt.Errorf("%s: %d bytes, above the %d-byte limit for a JSON document", s.where(b), b.size, MaxJSONBlob)
	}
	if b.link != "" {
		return nil, fmt.Errorf("%s is a symlink to %s; blobs must be regular files", b.name, b.link)
	}
	if b.size > MaxJSONBlob {
		return nil, fmt.Errorf("%s: %d bytes, above the %d-byte limit for a JSON document", b.name, b.size, MaxJSONBlob)
	}
	tt := *s.t
	tt.MaxFileSize = MaxJSONBlob
	data, err := tt.ReadFile(b.name)
	if err != nil {
		return nil, err
	}
	b.data = data
	return data, nil
}

// errDeferred is an archive entry too large to have been kept on the
// first pass: it is read on a second pass (readEntries).
var errDeferred = errors.New("read on a second pass over the archive")

// tooLargeError is an attachment above the limit, refused before reading.
type tooLargeError struct {
	where       string
	size, limit int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes, above the %d-byte limit for an attached SBOM or attestation (sbom.max-size): not read (raise sbom.max-size to assess it)", e.where, e.size, e.limit)
}

// attachment returns a signature, attestation or SBOM blob's bytes, read
// whole only up to limit (the size the blob's descriptor and the file
// agree on was checked by the integrity walk). A large archive entry is
// errDeferred: the archive is not seekable, so it is read on one more pass.
func (s *store) attachment(b *blob, limit int64) ([]byte, error) {
	switch {
	case b.data != nil:
		return b.data, nil
	case b.link != "":
		return nil, fmt.Errorf("%s is a link to %s; links are never followed", s.where(b), b.link)
	case b.size > limit:
		return nil, &tooLargeError{where: s.where(b), size: b.size, limit: limit}
	case s.archive:
		return nil, errDeferred
	}
	tt := *s.t
	tt.MaxFileSize = limit
	data, err := tt.ReadFile(b.name)
	if err != nil {
		return nil, err
	}
	return data, s.same(b, data)
}

// same refuses bytes that are not those the integrity walk digested (the
// file changed between the two reads).
func (s *store) same(b *blob, data []byte) error {
	if b.sha256 != "" && evidence.SHA256Hex(data) != b.sha256 {
		return fmt.Errorf("%s changed while it was read: its digest is no longer sha256:%s", s.where(b), b.sha256)
	}
	return nil
}

// readEntries reads the archive's blobs in want once more, in archive
// order, each through a reader bounded by limit, and hands each to fn: one
// extra pass for all the attachments the first pass did not keep, and one
// attachment in memory at a time.
func (s *store) readEntries(want map[string]*blob, limit int64, fn func(b *blob, data []byte, err error)) error {
	tr, c, err := tarReader(s.t, s.path, s.gz)
	if err != nil {
		return err
	}
	defer c.Close()
	left := len(want)
	for n := 0; n < maxEntries && left > 0; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.path, err)
		}
		b := want[path.Clean(strings.TrimPrefix(h.Name, "./"))]
		if b == nil || h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > limit {
			fn(b, nil, &tooLargeError{where: s.where(b), size: h.Size, limit: limit})
			left--
			continue
		}
		data := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			fn(b, nil, fmt.Errorf("%s: %w", s.where(b), err))
			left--
			continue
		}
		if s.same(b, data) != nil {
			continue // a duplicate entry name: the blob is the entry with its digest
		}
		delete(want, b.name)
		left--
		fn(b, data, nil)
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fn(want[n], nil, fmt.Errorf("%s was not found again on a second read of the archive", s.where(want[n])))
	}
	return nil
}

// openDir indexes an oci-layout folder of the target.
func openDir(t *collectors.Target, dir string) (*store, error) {
	s := &store{t: t, path: dir, files: map[string][]byte{}, blobs: map[string]*blob{}}
	prefix := dir + "/"
	if dir == "." {
		prefix = ""
	}
	for _, f := range t.Files {
		rel, ok := strings.CutPrefix(f.Path, prefix)
		if !ok {
			continue
		}
		switch rel {
		case "index.json", "oci-layout", "manifest.json":
			tt := *t
			tt.MaxFileSize = MaxJSONBlob
			b, err := tt.ReadFile(f.Path)
			if err != nil {
				return nil, err
			}
			s.files[rel] = b
			continue
		}
		parts := strings.Split(rel, "/")
		if len(parts) == 3 && parts[0] == "blobs" {
			s.blobs[parts[1]+":"+parts[2]] = &blob{name: f.Path, size: f.Size, link: f.Link}
		}
	}
	return s, nil
}

// isTar sniffs an uncompressed or gzip-compressed tar archive.
func isTar(t *collectors.Target, rel string) (gz bool, ok bool) {
	head, err := distribution.Head(t, rel)
	if err != nil || len(head) < 2 {
		return false, false
	}
	if head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return false, false
		}
		inner := make([]byte, 512)
		n, _ := io.ReadFull(zr, inner)
		return true, n >= 262 && string(inner[257:262]) == "ustar"
	}
	return false, len(head) >= 262 && string(head[257:262]) == "ustar"
}

// tarReader opens an archive of the target, decompressing a gzip one up
// to maxExpanded bytes.
func tarReader(t *collectors.Target, rel string, gz bool) (*tar.Reader, io.Closer, error) {
	f, err := t.Open(rel)
	if err != nil {
		return nil, nil, err
	}
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(bufio.NewReader(f))
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", rel, err)
		}
		r = io.LimitReader(zr, maxExpanded)
	}
	return tar.NewReader(r), f, nil
}

// looksLikeImageArchive lists an archive's entry names (headers only, data
// skipped) and says whether it holds an OCI layout or a docker save image.
func looksLikeImageArchive(t *collectors.Target, rel string, gz bool) bool {
	tr, c, err := tarReader(t, rel, gz)
	if err != nil {
		return false
	}
	defer c.Close()
	for range maxEntries {
		h, err := tr.Next()
		if err != nil {
			return false
		}
		switch path.Clean(h.Name) {
		case "oci-layout", "manifest.json":
			return true
		}
	}
	return false
}

// openTar reads an archive in one pass: every entry is hashed as it
// streams by; small JSON entries are kept; nothing is written to disk.
func openTar(t *collectors.Target, rel string, gz bool) (*store, error) {
	s := &store{t: t, path: rel, archive: true, gz: gz, files: map[string][]byte{}, blobs: map[string]*blob{}}
	tr, c, err := tarReader(t, rel, gz)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	kept := 0
	for n := 0; ; n++ {
		if n >= maxEntries {
			s.problems = append(s.problems, fmt.Sprintf("more than %d entries: the rest was not read (tar bomb?)", maxEntries))
			break
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.problems = append(s.problems, fmt.Sprintf("archive unreadable after %d entries: %v", n, err))
			break
		}
		name := h.Name
		clean := path.Clean(strings.TrimPrefix(name, "./"))
		if path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") {
			s.problems = append(s.problems, fmt.Sprintf("entry %q leaves the archive; not read", name))
			continue
		}
		switch h.Typeflag {
		case tar.TypeReg:
		case tar.TypeSymlink, tar.TypeLink:
			s.problems = append(s.problems, fmt.Sprintf("entry %q is a link to %q; links are never followed", name, h.Linkname))
			if d := blobDigest(clean); d != "" {
				s.blobs[d] = &blob{name: clean, link: h.Linkname}
			}
			continue
		case tar.TypeDir:
			continue
		default:
			continue
		}
		var keep *bytes.Buffer
		if h.Size <= MaxJSONBlob && kept+int(h.Size) <= maxKept {
			keep = &bytes.Buffer{}
		}
		var src io.Reader = tr
		if keep != nil {
			src = io.TeeReader(tr, keep)
		}
		sums, err := distribution.HashReader(src)
		if err != nil {
			s.problems = append(s.problems, fmt.Sprintf("entry %q: %v", name, err))
			break
		}
		b := &blob{name: clean, size: sums.Size, sha256: sums.SHA256}
		if keep != nil && looksJSON(keep.Bytes()) {
			b.data = keep.Bytes()
			kept += keep.Len()
		}
		switch clean {
		case "index.json", "oci-layout", "manifest.json":
			if b.data != nil {
				s.files[clean] = b.data
			}
			continue
		}
		if d := blobDigest(clean); d != "" {
			s.blobs[d] = b
		} else {
			s.blobs[clean] = b // legacy docker save: <id>.json, <id>/layer.tar
		}
	}
	return s, nil
}

// blobDigest maps blobs/<alg>/<hex> to "<alg>:<hex>".
func blobDigest(name string) string {
	parts := strings.Split(name, "/")
	if len(parts) == 3 && parts[0] == "blobs" && parts[1] != "" && parts[2] != "" {
		return parts[1] + ":" + parts[2]
	}
	return ""
}

func looksJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}
