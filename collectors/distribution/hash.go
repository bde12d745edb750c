package distribution

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
)

// Sums are the digests of one file, computed in one streaming pass so that
// memory does not grow with the file.
type Sums struct {
	Size   int64
	Hex    map[string]string // algorithm -> lower-case hex
	SHA256 string
}

// HashFile streams a target file through the named algorithms (those of
// files.NewHash; sha256 always).
func HashFile(t *collectors.Target, rel string, algs ...string) (*Sums, error) {
	f, err := t.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return HashReader(f, algs...)
}

// HashReader is HashFile over any reader.
func HashReader(r io.Reader, algs ...string) (*Sums, error) {
	h := NewHasher(algs...)
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sums(), nil
}

// Hasher computes Sums of the bytes written to it, for a stream that is
// read for something else too (an index parsed as it is hashed).
type Hasher struct {
	hs map[string]hash.Hash
	w  io.Writer
	n  int64
}

// NewHasher hashes with the named algorithms (those of files.NewHash;
// sha256 always).
func NewHasher(algs ...string) *Hasher {
	hs := map[string]hash.Hash{"sha256": sha256.New()}
	for _, a := range algs {
		if _, ok := hs[a]; ok {
			continue
		}
		if h := files.NewHash(a); h != nil {
			hs[a] = h
		}
	}
	ws := make([]io.Writer, 0, len(hs))
	for _, h := range hs {
		ws = append(ws, h)
	}
	return &Hasher{hs: hs, w: io.MultiWriter(ws...)}
}

func (h *Hasher) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	return h.w.Write(p)
}

// Sums are the digests of what was written so far.
func (h *Hasher) Sums() *Sums {
	s := &Sums{Size: h.n, Hex: map[string]string{}}
	for a, hh := range h.hs {
		s.Hex[a] = hex.EncodeToString(hh.Sum(nil))
	}
	s.SHA256 = s.Hex["sha256"]
	return s
}
