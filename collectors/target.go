package collectors

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
)

// DefaultMaxFileSize bounds what a collector reads of one file into memory.
const DefaultMaxFileSize = 256 << 20

// ErrTooLarge is returned for a file above the size limit.
var ErrTooLarge = errors.New("file exceeds the size limit")

// ErrOutsideTree is returned for a path or symlink that leaves the target.
var ErrOutsideTree = errors.New("path leaves the target tree")

// ErrNotRegular is returned for a target that is a pipe, device or socket.
var ErrNotRegular = errors.New("not a regular file or directory")

// File is one regular file of a target, as inventoried once for all
// collectors.
type File struct {
	// Path is slash-separated and relative to the target root.
	Path string
	Size int64
	Mode fs.FileMode
	// Link is the in-tree target when the file was reached through a symlink.
	Link string
}

// Target is a read-only view of one assessed directory or file. All access
// goes through an os.Root, so no symlink or ".." can reach outside it.
type Target struct {
	// Name identifies the target in evidence and reports.
	Name string
	// Dir is the directory as the user gave it (or the file's directory).
	Dir string
	// Files lists every regular file below Dir in lexical order (for a
	// single-file target, just that file).
	Files []File
	// Unread lists what the inventory met but no collector may open:
	// pipes, devices, sockets, dangling links (the files collector records
	// each as KindSkipped evidence).
	Unread []Skipped
	// MaxFileSize bounds ReadFile; zero means DefaultMaxFileSize.
	MaxFileSize int64
	// Now is the collection time recorded in evidence.
	Now time.Time
	// Role is what the target is (Roles); "" is detected.
	Role string
	// Excluded are the files left out of Files by an exclude rule: still
	// inventoried and reported, never judged as the product.
	Excluded []Exclusion

	root   *os.Root
	single bool
	rules  []excludeRule
}

// OpenTarget inventories path (a directory or a single file). A symlink that
// points outside the tree is an error naming it: pedigree never follows a link
// out of the tree it was given.
func OpenTarget(name, p string) (*Target, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", p, err)
	}
	t := &Target{Name: name, Now: time.Now().UTC()}
	if !st.IsDir() && !st.Mode().IsRegular() {
		// A pipe never ends and a device such as /dev/zero has no end
		// either: neither is an artifact to assess.
		return nil, fmt.Errorf("target %s: %w (it is %s)", p, ErrNotRegular, readlimit.Kind(st.Mode()))
	}
	if !st.IsDir() {
		t.Dir = filepath.Dir(p)
		t.root, err = os.OpenRoot(t.Dir)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", p, err)
		}
		t.Files = []File{{Path: filepath.Base(p), Size: st.Size(), Mode: st.Mode()}}
		t.single = true
		return t, nil
	}
	t.Dir = p
	t.root, err = os.OpenRoot(p)
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", p, err)
	}
	if err := t.inventory(); err != nil {
		t.root.Close()
		return nil, err
	}
	return t, nil
}

func (t *Target) inventory() error {
	fsys := t.root.FS()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("target %s: %s: %w", t.Dir, p, unwrapPathError(err))
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return t.addLink(p)
		}
		if !d.Type().IsRegular() {
			// Devices, sockets, fifos are never read, and never silently.
			t.Unread = append(t.Unread, Skipped{Path: p, Reason: readlimit.Kind(d.Type()) + ": never read"})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("target %s: %s: %w", t.Dir, p, unwrapPathError(err))
		}
		t.Files = append(t.Files, File{Path: p, Size: info.Size(), Mode: info.Mode()})
		return nil
	})
	sort.Slice(t.Files, func(i, j int) bool { return t.Files[i].Path < t.Files[j].Path })
	return err
}

// addLink keeps a symlink to an in-tree regular file and refuses one that
// leaves the tree. Links to directories are not walked (no cycles).
func (t *Target) addLink(p string) error {
	dest, err := t.root.Readlink(p)
	if err != nil {
		return fmt.Errorf("target %s: %s: %w", t.Dir, p, unwrapPathError(err))
	}
	resolved := dest
	if !path.IsAbs(filepath.ToSlash(dest)) {
		resolved = path.Join(path.Dir(p), filepath.ToSlash(dest))
	}
	if path.IsAbs(filepath.ToSlash(dest)) || resolved == ".." || strings.HasPrefix(resolved, "../") {
		return fmt.Errorf("target %s: symlink %s -> %s: %w", t.Dir, p, dest, ErrOutsideTree)
	}
	st, err := t.root.Stat(p)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
			return fmt.Errorf("target %s: symlink %s -> %s: %w", t.Dir, p, dest, ErrOutsideTree)
		}
		t.Unread = append(t.Unread, Skipped{Path: p, Reason: fmt.Sprintf("a symbolic link to %s, which does not exist", dest)})
		return nil
	}
	if st.Mode().IsRegular() {
		t.Files = append(t.Files, File{Path: p, Size: st.Size(), Mode: st.Mode(), Link: resolved})
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Close releases the target's root.
func (t *Target) Close() error {
	if t.root == nil {
		return nil
	}
	return t.root.Close()
}

// FS is the target as an fs.FS confined to the tree.
func (t *Target) FS() fs.FS { return t.root.FS() }

// Open opens a file of the target for streaming reads. A path that
// leaves the tree, by ".." or through a symlink, is ErrOutsideTree.
func (t *Target) Open(rel string) (*os.File, error) {
	f, err := t.root.Open(filepath.FromSlash(rel))
	if err != nil {
		err = unwrapPathError(err)
		if strings.Contains(err.Error(), "escapes") {
			err = ErrOutsideTree
		}
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return f, nil
}

// ReadFile reads a whole file, refusing one larger than the size limit.
func (t *Target) ReadFile(rel string) ([]byte, error) {
	limit := t.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	f, err := t.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Refuse a file known to be too large before reading any of it.
	var size int64 = -1
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > limit {
			return nil, fmt.Errorf("%s: %w (%d bytes)", rel, ErrTooLarge, limit)
		}
		size = st.Size()
	}
	b, err := readSized(f, size, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes)", rel, ErrTooLarge, limit)
	}
	return b, nil
}

// Evidence builds an Evidence about raw bytes read from this target, with
// a stable id.
func (t *Target) Evidence(collector, kind, source string, raw []byte, subject evidence.Subject, payload any) evidence.Evidence {
	return t.EvidenceOfSum(collector, kind, source, evidence.SHA256Hex(raw), int64(len(raw)), subject, payload)
}

// LargestFile is the size of the target's largest file: what a run's
// memory budget is measured against.
func (t *Target) LargestFile() int64 {
	var largest int64
	for _, f := range t.Files {
		largest = max(largest, f.Size)
	}
	return largest
}

// EvidenceOfSum is Evidence for a source whose bytes were hashed already
// and need not be held until the payload is built from them.
func (t *Target) EvidenceOfSum(collector, kind, source, sum string, size int64, subject evidence.Subject, payload any) evidence.Evidence {
	return evidence.Evidence{
		ID:          evidence.NewID(collector, kind, t.Name, source, sum),
		Collector:   collector,
		Kind:        kind,
		Subject:     subject,
		Target:      t.Name,
		Source:      source,
		SHA256:      sum,
		Size:        size,
		CollectedAt: t.Now,
		Payload:     payload,
	}
}

// readSized reads at most limit+1 bytes of f into a buffer of the size
// Stat gave (and one byte to notice a file that grew): growing a buffer by
// doubling would hold two or three copies of a large SBOM at once.
func readSized(f io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 {
		return io.ReadAll(io.LimitReader(f, limit+1))
	}
	b := make([]byte, size+1)
	n, err := io.ReadFull(f, b)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return b[:n], nil
	case err != nil:
		return nil, err
	}
	// The file grew since Stat: read on, up to the limit.
	rest, err := io.ReadAll(io.LimitReader(f, limit+1-int64(n)))
	return append(b, rest...), err
}
