package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

// fixture writes a target folder with the Small assessment's sources and
// an output folder with two reports.
func fixture(t *testing.T) (*assessment.Assessment, []string, []Source) {
	t.Helper()
	dir := t.TempDir()
	a := assessmenttest.Small()
	app := filepath.Join(dir, "app")
	for _, rel := range []string{"dist/app.cdx.json", ".github/workflows/release.yml", "dist/app.tar.gz.sig"} {
		p := filepath.Join(app, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("content of "+rel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a.Targets = []assessment.Target{{Name: "app", Path: app}, {Name: "lib", Path: filepath.Join(dir, "lib-missing")}}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, n := range []string{"pedigree.json", "pedigree.md"} {
		p := filepath.Join(out, n)
		if err := os.WriteFile(p, []byte("report "+n), 0o644); err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, p)
	}
	return a, outputs, SourcesOf(a)
}

type keyPair struct {
	name      string
	priv, pub []byte
}

func keys(t *testing.T) []keyPair {
	t.Helper()
	var out []keyPair
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	for _, k := range []struct {
		name string
		k    any
		pub  any
	}{{"ecdsa-p256", ec, &ec.PublicKey}, {"ecdsa-p384", ec384, &ec384.PublicKey}, {"ed25519", ed, ed.Public()}} {
		der, err := x509.MarshalPKCS8PrivateKey(k.k)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := MarshalPublicKey(k.pub)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, keyPair{k.name, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), pub})
	}
	var seed [mldsa65.SeedSize]byte
	rand.Read(seed[:])
	pk, _ := mldsa65.NewKeyFromSeed(&seed)
	pub, err := MarshalPublicKey(pk)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, keyPair{"ml-dsa-65", MarshalMLDSA65PrivateKey(seed), pub})
	return out
}

func TestCreateVerifySigned(t *testing.T) {
	ctx := context.Background()
	a, outputs, sources := fixture(t)
	ks := keys(t)
	for i, k := range ks {
		t.Run(k.name, func(t *testing.T) {
			signer, err := ParseSigner(k.priv)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := ParseVerifier(k.pub)
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "evidence.tar.gz")
			if err := Create(ctx, dst, outputs, sources, a, signer); err != nil {
				t.Fatal(err)
			}
			res, err := VerifyFile(ctx, dst, Options{Key: pub})
			if err != nil {
				t.Fatal(err)
			}
			if !res.SignatureVerified || res.Files != 5 {
				t.Fatalf("result %+v, want 5 files and a verified signature", res)
			}
			if got := res.Statement.Predicate; got.Verdict != "FAIL" || got.Controls["not-satisfied"] != 2 || got.Sources != 3 || len(got.UnavailableSources) != 1 {
				t.Errorf("predicate %+v", got)
			}
			// Another key does not verify it.
			other, _ := ParseVerifier(ks[(i+1)%len(ks)].pub)
			if _, err := VerifyFile(ctx, dst, Options{Key: other}); !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), "does not verify with key") {
				t.Fatalf("verify with another key: %v", err)
			}
		})
	}
}

func TestManifestIsInTotoStatement(t *testing.T) {
	ctx := context.Background()
	a, outputs, sources := fixture(t)
	dst := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := Create(ctx, dst, outputs, sources, a, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := ReadFile(ctx, dst, ManifestName, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var st intoto.Statement
	if err := protojson.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	if err := st.Validate(); err != nil {
		t.Fatalf("manifest is not a valid in-toto Statement: %v", err)
	}
	res, err := VerifyFile(ctx, dst, Options{})
	if err != nil || res.Signed || res.Files != 5 {
		t.Fatalf("unsigned verify: %+v %v", res, err)
	}
	// A key given for an unsigned bundle fails.
	ks := keys(t)
	pub, _ := ParseVerifier(ks[0].pub)
	if _, err := VerifyFile(ctx, dst, Options{Key: pub}); !errors.Is(err, ErrMismatch) {
		t.Fatalf("unsigned bundle with a key: %v", err)
	}
	// ReadFile checks the digest.
	got, err := ReadFile(ctx, dst, OutputsDir+"pedigree.json", Limits{})
	if err != nil || string(got) != "report pedigree.json" {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}
}

// entry is one tar member of a hand-made archive.
type entry struct {
	name, body, link string
	typ              byte
}

func archive(t testing.TB, es []entry) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for _, e := range es {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: e.typ, Linkname: e.link}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, e.body)
	}
	tw.Close()
	gz.Close()
	return b.Bytes()
}

// rewrite copies a bundle, changing members with edit.
func rewrite(t *testing.T, src string, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var es []entry
	if err := walk(f, DefaultLimits, func(n string, _ int64, r io.Reader) error {
		b, _ := io.ReadAll(r)
		if nb := edit(n, b); nb != nil {
			es = append(es, entry{name: n, body: string(nb)})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return archive(t, es)
}

func TestTampered(t *testing.T) {
	ctx := context.Background()
	a, outputs, sources := fixture(t)
	k := keys(t)[2]
	signer, _ := ParseSigner(k.priv)
	pub, _ := ParseVerifier(k.pub)
	dst := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := Create(ctx, dst, outputs, sources, a, signer); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(string, []byte) []byte
		want []string
	}{
		{"changed source", func(n string, b []byte) []byte {
			if n == "sources/app/dist/app.cdx.json" {
				return []byte("tampered")
			}
			return b
		}, []string{"sources/app/dist/app.cdx.json differs"}},
		{"two changed", func(n string, b []byte) []byte {
			if strings.HasPrefix(n, OutputsDir) {
				return append(b, '!')
			}
			return b
		}, []string{"2 problems", "outputs/pedigree.json differs", "outputs/pedigree.md differs"}},
		{"removed", func(n string, b []byte) []byte {
			if n == "outputs/pedigree.md" {
				return nil
			}
			return b
		}, []string{"outputs/pedigree.md is listed in the manifest but missing"}},
		{"manifest edited", func(n string, b []byte) []byte {
			if n == ManifestName {
				return bytes.Replace(b, []byte(`"FAIL"`), []byte(`"PASS"`), 1)
			}
			return b
		}, []string{"manifest.json differs from the payload"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "t.tar.gz")
			os.WriteFile(p, rewrite(t, dst, tt.edit), 0o644)
			_, err := VerifyFile(ctx, p, Options{Key: pub})
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("err = %v, want a mismatch", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the bundle", err)
			}
		})
	}
}

func TestUnsafeArchives(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		lim  Limits
		want string
	}{
		{"dot-dot", func(t *testing.T) []byte { return archive(t, []entry{{name: "../../etc/passwd", body: "x"}}) }, Limits{}, "not a plain relative path"},
		{"absolute", func(t *testing.T) []byte { return archive(t, []entry{{name: "/etc/passwd", body: "x"}}) }, Limits{}, "not a plain relative path"},
		{"inner dot-dot", func(t *testing.T) []byte { return archive(t, []entry{{name: "outputs/../../x", body: "x"}}) }, Limits{}, "not a plain relative path"},
		{"backslash", func(t *testing.T) []byte { return archive(t, []entry{{name: `..\x`, body: "x"}}) }, Limits{}, "not a plain relative path"},
		{"symlink", func(t *testing.T) []byte {
			return archive(t, []entry{{name: "outputs/x", typ: tar.TypeSymlink, link: "/etc/passwd"}})
		}, Limits{}, "symbolic link"},
		{"hard link", func(t *testing.T) []byte {
			return archive(t, []entry{{name: "x", typ: tar.TypeLink, link: "/etc/shadow"}})
		}, Limits{}, "hard link"},
		{"device", func(t *testing.T) []byte { return archive(t, []entry{{name: "x", typ: tar.TypeChar}}) }, Limits{}, "only regular files"},
		{"duplicate", func(t *testing.T) []byte { return archive(t, []entry{{name: "a", body: "1"}, {name: "a", body: "2"}}) }, Limits{}, "appears twice"},
		{"too many", func(t *testing.T) []byte { return archive(t, []entry{{name: "a"}, {name: "b"}, {name: "c"}}) }, Limits{MaxFiles: 2, MaxFileSize: 10, MaxTotal: 1 << 20, MaxManifest: 10}, "more than 2 entries"},
		{"10 GB entry", bomb10GB, Limits{}, "more than the limit"},
		{"decompression bomb", func(t *testing.T) []byte {
			// Many small entries whose total passes the limit.
			var es []entry
			for i := range 40 {
				es = append(es, entry{name: "f" + string(rune('a'+i%26)) + string(rune('a'+i/26)), body: strings.Repeat("0", 1<<16)})
			}
			return archive(t, es)
		}, Limits{MaxFiles: 100, MaxFileSize: 1 << 20, MaxTotal: 1 << 20, MaxManifest: 1 << 20}, "more than 1048576 bytes"},
		{"truncated", func(t *testing.T) []byte {
			b := archive(t, []entry{{name: "a", body: strings.Repeat("x", 5000)}})
			return b[:len(b)/2]
		}, Limits{}, "truncated"},
		{"not gzip", func(t *testing.T) []byte { return []byte("{}") }, Limits{}, "not a gzip archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.tar.gz")
			if err := os.WriteFile(p, tt.data(t), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := VerifyFile(ctx, p, Options{Limits: tt.lim})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %v, want one naming %s and saying %q", err, p, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// bomb10GB is a tar.gz whose one entry claims 10 GB of zeros; the data
// is gzip members of 1 MiB of zeros each, so the file is small but would
// decompress to gigabytes.
func bomb10GB(t *testing.T) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "outputs/zeros", Mode: 0o644, Size: 10 << 30, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	zeros := make([]byte, 1<<20)
	for range 8 { // 8 MiB of actual data is enough to show it is refused early
		gz.Write(zeros)
	}
	gz.Close()
	return b.Bytes()
}

func TestSourcesStayInTarget(t *testing.T) {
	ctx := context.Background()
	a, outputs, _ := fixture(t)
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o600)
	app := a.Targets[0].Path
	if err := os.Symlink(outside, filepath.Join(app, "link")); err != nil {
		t.Skip(err)
	}
	srcs := []Source{{Target: "app", Dir: app, Rel: "link"}, {Target: "app", Dir: app, Rel: "../secret"}, {Target: "app", Dir: app, Rel: "dist/app.cdx.json"}}
	dst := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := Create(ctx, dst, outputs, srcs, a, nil); err != nil {
		t.Fatal(err)
	}
	res, err := VerifyFile(ctx, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Statement.Predicate; p.Sources != 1 || len(p.UnavailableSources) != 2 {
		t.Fatalf("sources %d, unavailable %v; want the symlink and ../ refused", p.Sources, p.UnavailableSources)
	}
}

func TestKeyErrors(t *testing.T) {
	for _, tt := range []struct{ name, pem, want string }{
		{"empty", "", "no PEM block"},
		{"cert", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a private key"},
		{"garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", ""},
	} {
		if _, err := ParseSigner([]byte(tt.pem)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// FuzzVerify: no archive makes the reader panic or run past its limits.
func FuzzVerify(f *testing.F) {
	f.Add(archive(f, []entry{{name: ManifestName, body: `{"_type":"https://in-toto.io/Statement/v1"}`}}))
	f.Add(archive(f, []entry{{name: "../x", body: "x"}}))
	f.Add(archive(f, []entry{{name: "a", typ: tar.TypeSymlink, link: "b"}}))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("not an archive"))
	lim := Limits{MaxFiles: 50, MaxFileSize: 1 << 20, MaxTotal: 4 << 20, MaxManifest: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		Verify(context.Background(), bytes.NewReader(data), Options{Limits: lim})
	})
}
