package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// ErrMismatch marks a bundle whose files or signature do not match its
// manifest.
var ErrMismatch = errors.New("bundle does not verify")

// Result says what a verification established.
type Result struct {
	// Files is the number of files whose digest matched the manifest.
	Files int
	// Signed is true when the bundle carries a signature envelope.
	Signed bool
	// SignatureVerified is true when a key was given and verified it.
	SignatureVerified bool
	// KeyID is the id of the key that verified the signature.
	KeyID     string
	Statement Statement
	// Problems lists every difference found, one line each, naming the file.
	Problems []string
}

// Options of Verify.
type Options struct {
	// Key verifies the signature; nil checks the digests only.
	Key Verifier
	// Limits bound reading the archive; zero uses DefaultLimits.
	Limits Limits
}

func (o Options) limits() Limits {
	if o.Limits.MaxFiles == 0 {
		return DefaultLimits
	}
	return o.Limits
}

// VerifyFile verifies the bundle at path.
func VerifyFile(ctx context.Context, path string, o Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := Verify(ctx, f, o)
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}

// Verify reads a bundle, checks every file's SHA-256 against the manifest
// and, with a key, the manifest's DSSE signature. It returns an error
// wrapping ErrMismatch that names the files that differ, ErrUnsafe for an
// archive refused for safety, or another error for a malformed one.
func Verify(ctx context.Context, r io.Reader, o Options) (*Result, error) {
	lim := o.limits()
	var manifest, envelope []byte
	sums := map[string]string{}
	err := walk(r, lim, func(name string, size int64, r io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch name {
		case ManifestName, SignatureName:
			if size > lim.MaxManifest {
				return fmt.Errorf("%w: %d bytes, more than %d", ErrUnsafe, size, lim.MaxManifest)
			}
			b, err := readAll(r, lim.MaxManifest)
			if err != nil {
				return err
			}
			if name == ManifestName {
				manifest = b
			} else {
				envelope = b
			}
			return nil
		}
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return err
		}
		sums[name] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if manifest == nil {
		return nil, fmt.Errorf("%w: no %s in the bundle", ErrMismatch, ManifestName)
	}
	res := &Result{}
	st, err := parseStatement(manifest)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMismatch, ManifestName, err)
	}
	res.Statement = *st

	listed := map[string]bool{}
	for _, s := range st.Subject {
		listed[s.Name] = true
		want := strings.ToLower(s.Digest["sha256"])
		got, ok := sums[s.Name]
		switch {
		case !ok:
			res.Problems = append(res.Problems, fmt.Sprintf("%s is listed in the manifest but missing from the bundle", s.Name))
		case got != want:
			res.Problems = append(res.Problems, fmt.Sprintf("%s differs: sha256 %s, manifest says %s", s.Name, got, want))
		default:
			res.Files++
		}
	}
	var extra []string
	for name := range sums {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		res.Problems = append(res.Problems, fmt.Sprintf("%s is in the bundle but not in the manifest", name))
	}

	if envelope != nil {
		res.Signed = true
		if err := checkSignature(ctx, envelope, manifest, o.Key, res); err != nil {
			res.Problems = append(res.Problems, err.Error())
		}
	} else if o.Key != nil {
		res.Problems = append(res.Problems, "the bundle is not signed ("+SignatureName+" is missing) but a key was given")
	}
	if len(res.Problems) > 0 {
		return res, fmt.Errorf("%w: %s", ErrMismatch, summarize(res.Problems))
	}
	return res, nil
}

func summarize(p []string) string {
	if len(p) == 1 {
		return p[0]
	}
	return fmt.Sprintf("%d problems: %s", len(p), strings.Join(p, "; "))
}

func parseStatement(b []byte) (*Statement, error) {
	var st Statement
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	if st.Type != StatementType {
		return nil, fmt.Errorf("_type is %q, want %q", st.Type, StatementType)
	}
	if st.PredicateType != PredicateType {
		return nil, fmt.Errorf("predicateType is %q, want %q", st.PredicateType, PredicateType)
	}
	for i, s := range st.Subject {
		if checkName(s.Name) != nil {
			return nil, fmt.Errorf("subject %d: %q is not a plain relative path", i, s.Name)
		}
		if d := s.Digest["sha256"]; len(d) != 64 {
			return nil, fmt.Errorf("subject %s: no sha256 digest", s.Name)
		}
	}
	return &st, nil
}

func checkSignature(ctx context.Context, envelope, manifest []byte, key Verifier, res *Result) error {
	var env dsse.Envelope
	if err := json.Unmarshal(envelope, &env); err != nil {
		return fmt.Errorf("%s: %v", SignatureName, err)
	}
	if env.PayloadType != PayloadType {
		return fmt.Errorf("%s: payloadType is %q, want %q", SignatureName, env.PayloadType, PayloadType)
	}
	payload, err := env.DecodeB64Payload()
	if err != nil {
		return fmt.Errorf("%s: payload: %v", SignatureName, err)
	}
	if !bytes.Equal(payload, manifest) {
		return fmt.Errorf("%s differs from the payload that %s signs", ManifestName, SignatureName)
	}
	if key == nil {
		return nil
	}
	ev, err := dsse.NewEnvelopeVerifier(key)
	if err != nil {
		return err
	}
	keys, err := ev.Verify(ctx, &env)
	if err != nil || len(keys) == 0 {
		id, _ := key.KeyID()
		return fmt.Errorf("%s: the signature does not verify with key %s", SignatureName, id)
	}
	res.SignatureVerified = true
	res.KeyID = keys[0].KeyID
	return nil
}

// ReadFile returns one file of a bundle, checked against the manifest when
// the bundle has one (the signature is not checked: use Verify for that).
func ReadFile(ctx context.Context, path, name string, lim Limits) ([]byte, error) {
	if lim.MaxFiles == 0 {
		lim = DefaultLimits
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var data, manifest []byte
	var names []string
	err = walk(f, lim, func(n string, size int64, r io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		names = append(names, n)
		if (n == name || n == ManifestName) && size > lim.MaxManifest {
			return fmt.Errorf("%w: %d bytes, more than %d", ErrUnsafe, size, lim.MaxManifest)
		}
		switch n {
		case name:
			b, err := readAll(r, lim.MaxManifest)
			data = b
			return err
		case ManifestName:
			b, err := readAll(r, lim.MaxManifest)
			manifest = b
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if data == nil {
		return nil, fmt.Errorf("%s: no %s in the bundle", path, name)
	}
	if manifest != nil {
		st, err := parseStatement(manifest)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %s: %v", path, ErrMismatch, ManifestName, err)
		}
		sum := sha256.Sum256(data)
		got := hex.EncodeToString(sum[:])
		found := false
		for _, s := range st.Subject {
			if s.Name == name {
				found = true
				if !strings.EqualFold(s.Digest["sha256"], got) {
					return nil, fmt.Errorf("%s: %w: %s differs from the manifest", path, ErrMismatch, name)
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("%s: %w: %s is not in the manifest", path, ErrMismatch, name)
		}
	}
	return data, nil
}

// Names lists the files of a bundle.
func Names(ctx context.Context, path string, lim Limits) ([]string, error) {
	if lim.MaxFiles == 0 {
		lim = DefaultLimits
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	err = walk(f, lim, func(n string, _ int64, _ io.Reader) error {
		names = append(names, n)
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return names, nil
}
