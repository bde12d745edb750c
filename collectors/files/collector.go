// Package files inventories the files of a target (SHA-256, size) and parses
// the checksum files that ship with releases, so checks can tell which
// artifacts a checksum covers and whether its digest matches.
package files

import (
	"bytes"
	"context"
	"crypto/md5"  //nolint:gosec // only to verify MD5SUMS that a release ships
	"crypto/sha1" //nolint:gosec // only to verify SHA1SUMS that a release ships
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Name is the collector's name in evidence.
const Name = "files"

// Collector inventories files and checksum lists.
type Collector struct {
	// ReleasePatterns are extra path globs (path.Match, against the path
	// and the base name) of files to treat as release artifacts.
	ReleasePatterns []string
	// Workers bounds concurrent hashing (default GOMAXPROCS).
	Workers int
	// ArchiveBudget bounds the bytes decompressed over all the release
	// archives of one target (default DefaultArchiveBudget).
	ArchiveBudget int64
}

// New returns a files collector.
func New(releasePatterns []string) *Collector {
	return &Collector{ReleasePatterns: releasePatterns}
}

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	extra := map[string]map[string]bool{} // path → extra algorithms wanted
	for _, f := range t.Files {
		if !IsChecksumFile(f.Path) {
			continue
		}
		raw, err := t.ReadFile(f.Path)
		if err != nil {
			return nil, fmt.Errorf("checksum file %w", err)
		}
		cf := ParseChecksumFile(f.Path, raw)
		for _, e := range cf.Entries {
			if e.Algorithm != "sha256" && e.Path != "" {
				if extra[e.Path] == nil {
					extra[e.Path] = map[string]bool{}
				}
				extra[e.Path][e.Algorithm] = true
			}
		}
		out = append(out, t.Evidence(Name, KindChecksumFile, f.Path, raw,
			evidence.Subject{Type: "checksum-file", Ref: f.Path, Digest: "sha256:" + evidence.SHA256Hex(raw)}, cf))
	}

	for _, u := range t.Unread {
		out = append(out, t.SkippedEvidence(Name, u.Path, u.Size, u.Reason))
	}
	arts, err := c.hashAll(ctx, t, extra)
	if err != nil {
		return nil, err
	}
	for _, a := range arts {
		out = append(out, evidence.Evidence{
			ID:          evidence.NewID(Name, KindArtifact, t.Name, a.Path, a.SHA256),
			Collector:   Name,
			Kind:        KindArtifact,
			Subject:     evidence.Subject{Type: "artifact", Ref: a.Path, Digest: "sha256:" + a.SHA256},
			Target:      t.Name,
			Source:      a.Path,
			SHA256:      a.SHA256,
			Size:        a.Size,
			CollectedAt: t.Now,
			Payload:     a,
		})
	}
	return out, nil
}

func (c *Collector) hashAll(ctx context.Context, t *collectors.Target, extra map[string]map[string]bool) ([]*Artifact, error) {
	n := c.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	arts := make([]*Artifact, len(t.Files))
	errs := make([]error, len(t.Files))
	idx := make(chan int)
	budget := newArchiveBudget(c.ArchiveBudget)
	if c.ArchiveBudget <= 0 {
		budget = newArchiveBudget(DefaultArchiveBudget)
	}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			for i := range idx {
				f := t.Files[i]
				a, err := hashFile(ctx, t, f, extra[f.Path], buf, budget)
				if err != nil {
					errs[i] = err
					continue
				}
				a.Metadata = IsMetadata(f.Path)
				a.Release = !a.Metadata && (IsReleaseArtifact(f.Path) && !a.notPackage || matchAny(c.ReleasePatterns, f.Path))
				arts[i] = a
			}
		}()
	}
	for i := range t.Files {
		if ctx.Err() != nil {
			break
		}
		idx <- i
	}
	close(idx)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return arts, nil
}

func hashFile(ctx context.Context, t *collectors.Target, f collectors.File, extra map[string]bool, buf []byte, budget *archiveBudget) (*Artifact, error) {
	r, err := t.Open(f.Path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	hs := map[string]hash.Hash{"sha256": sha256.New()}
	for alg := range extra {
		if h := NewHash(alg); h != nil {
			hs[alg] = h
		}
	}
	ws := make([]io.Writer, 0, len(hs))
	for _, h := range hs {
		ws = append(ws, h)
	}
	w := io.MultiWriter(ws...)
	var size int64
	var head []byte
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k, err := r.Read(buf)
		if k > 0 {
			w.Write(buf[:k])
			size += int64(k)
			if len(head) < magicLen {
				head = append(head, buf[:min(k, magicLen-len(head))]...)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Path, err)
		}
	}
	a := &Artifact{Path: f.Path, Size: size, Digests: map[string]string{}}
	for alg, h := range hs {
		a.Digests[alg] = hex.EncodeToString(h.Sum(nil))
	}
	a.SHA256 = a.Digests["sha256"]
	a.notPackage = !ReleaseContent(f.Path, head)
	if IsReleaseArtifact(f.Path) && !a.notPackage {
		a.BuiltAt, a.BuiltAtProblem = builtAt(ctx, r, f.Path, size, budget)
	}
	return a, nil
}

// NewHash returns the hash of an algorithm a checksum list can name, as
// ParseChecksumFile spells it, or nil for another. Every pillar that checks
// a list's digests hashes through it so that none misses an algorithm the
// parser accepts.
func NewHash(alg string) hash.Hash {
	switch alg {
	case "sha512":
		return sha512.New()
	case "sha384":
		return sha512.New384()
	case "sha256":
		return sha256.New()
	case "sha224":
		return sha256.New224()
	case "sha512-256":
		return sha512.New512_256()
	case "sha1":
		return sha1.New() //nolint:gosec
	case "md5":
		return md5.New() //nolint:gosec
	}
	return nil
}

var releaseSuffixes = []string{
	".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar",
	".zip", ".7z", ".gz", ".xz", ".zst", ".bz2",
	".deb", ".rpm", ".apk", ".msi", ".msix", ".exe", ".dll", ".dmg", ".pkg", ".appimage", ".snap", ".flatpak",
	".jar", ".war", ".ear", ".aar", ".whl", ".gem", ".nupkg", ".crate", ".vsix", ".iso", ".img", ".bin", ".so", ".dylib", ".wasm", ".oci",
}

// packageMagic holds, for the release suffixes that text formats common in
// source trees share, the leading bytes of the package format: a .snap is
// a squashfs image only when it starts like one, not Jest's, Vitest's or
// insta's test snapshots.
var packageMagic = map[string][]string{
	".snap": {"hsqs", "sqsh"},
}

// magicLen is how much of a file ReleaseContent needs.
const magicLen = 4

// ReleaseContent tells whether a file whose name IsReleaseArtifact accepts
// has the content of that kind, from its first bytes: true for every
// suffix but those packageMagic lists, which must match.
func ReleaseContent(p string, head []byte) bool {
	base := strings.ToLower(path.Base(p))
	for suffix, magics := range packageMagic {
		if !strings.HasSuffix(base, suffix) {
			continue
		}
		for _, m := range magics {
			if bytes.HasPrefix(head, []byte(m)) {
				return true
			}
		}
		return false
	}
	return true
}

// IsReleaseArtifact tells from a name whether a file looks like something a
// release ships: an archive, a package, an installer, a binary.
func IsReleaseArtifact(p string) bool {
	base := strings.ToLower(path.Base(p))
	for _, s := range releaseSuffixes {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

var metadataSuffixes = []string{
	".asc", ".sig", ".gpg", ".pem", ".crt", ".cer", ".cert", ".pub", ".minisig", ".sigstore", ".sigstore.json", ".bundle",
	".intoto.jsonl", ".intoto.json", ".dsse", ".dsse.json", ".att", ".provenance", ".spdx", ".spdx.json", ".spdx.yaml",
	".cdx.json", ".cdx.xml", ".bom.json", ".bom.xml", ".vex.json", ".openvex.json", ".sbom", ".sbom.json",
}

// IsMetadata tells whether a file is about artifacts (a checksum list, a
// signature, a certificate, an SBOM, an attestation) rather than one.
func IsMetadata(p string) bool {
	if IsChecksumFile(p) {
		return true
	}
	base := strings.ToLower(path.Base(p))
	for _, s := range metadataSuffixes {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

func matchAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		if ok, _ := path.Match(pat, p); ok {
			return true
		}
		if ok, _ := path.Match(pat, path.Base(p)); ok {
			return true
		}
	}
	return false
}
