package distribution

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"io"

	"github.com/pedigree-dev/pedigree/collectors"
)

// Sums are the digests of one file, computed in one streaming pass so that
// memory does not grow with the file.
type Sums struct {
	Size   int64
	Hex    map[string]string // algorithm -> lower-case hex
	SHA256 string
}

// HashFile streams a target file through the named algorithms (md5, sha1,
// sha256, sha384, sha512; sha256 always).
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
		switch a {
		case "md5":
			hs[a] = md5.New()
		case "sha1":
			hs[a] = sha1.New()
		case "sha384":
			hs[a] = sha512.New384()
		case "sha512":
			hs[a] = sha512.New()
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
