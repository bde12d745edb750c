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
	n, err := io.Copy(io.MultiWriter(ws...), r)
	if err != nil {
		return nil, err
	}
	s := &Sums{Size: n, Hex: map[string]string{}}
	for a, h := range hs {
		s.Hex[a] = hex.EncodeToString(h.Sum(nil))
	}
	s.SHA256 = s.Hex["sha256"]
	return s, nil
}
