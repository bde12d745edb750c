package release

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"golang.org/x/crypto/blake2b"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/distribution/disttest"
	"github.com/pedigree-dev/pedigree/collectors/files"
)

func scan(t testing.TB, dir string, o distribution.Options) []*distribution.Finding {
	t.Helper()
	return disttest.Scan(t, func(tr *distribution.Trust) collectors.Collector { return New(tr) }, dir, o)
}

func pick(fs []*distribution.Finding, check string) *distribution.Finding {
	for _, f := range fs {
		if f.Check == check {
			return f
		}
	}
	return nil
}

// release writes app-1.0.tar.gz and its SHA256SUMS; more adds files.
func release(t *testing.T, more map[string]string) (string, []byte) {
	dir := t.TempDir()
	art := []byte("pretend tarball")
	os.WriteFile(filepath.Join(dir, "app-1.0.tar.gz"), art, 0o644)
	sum := sha256.Sum256(art)
	list := []byte(hex.EncodeToString(sum[:]) + "  app-1.0.tar.gz\n")
	os.WriteFile(filepath.Join(dir, "SHA256SUMS"), list, 0o644)
	for n, c := range more {
		os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644)
	}
	return dir, list
}

// testKey is a fresh OpenPGP key and its armored public key.
func testKey(t *testing.T) (*openpgp.Entity, string) {
	e, err := openpgp.NewEntity("rel", "", "rel@example.invalid", nil)
	if err != nil {
		t.Fatal(err)
	}
	var pub bytes.Buffer
	w, _ := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	e.Serialize(w)
	w.Close()
	return e, pub.String()
}

func TestOpenPGPSigned(t *testing.T) {
	e, pub := testKey(t)
	dir, list := release(t, nil)
	var sig bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&sig, e, bytes.NewReader(list), nil); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "SHA256SUMS.asc"), sig.Bytes(), 0o644)
	kr := filepath.Join(t.TempDir(), "keys.asc")
	os.WriteFile(kr, []byte(pub), 0o644)
	fs := scan(t, dir, distribution.Options{Keyrings: []string{kr}})
	if f := pick(fs, CheckChecksumsSigned); f.Outcome != distribution.Verified || !strings.Contains(f.Message, "covers all 1") {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
	if f := pick(fs, CheckAttestations); f.Outcome != distribution.Failed || !strings.Contains(f.Message, "has no provenance and no SBOM") {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
	// An artifact added after signing is not covered.
	os.WriteFile(filepath.Join(dir, "app-1.0.zip"), []byte("late"), 0o644)
	if f := pick(scan(t, dir, distribution.Options{Keyrings: []string{kr}}), CheckChecksumsSigned); f.Outcome != distribution.Failed || !strings.Contains(f.Message, "app-1.0.zip") {
		t.Errorf("uncovered: %s %s", f.Outcome, f.Message)
	}
	// No keyring: not assessed.
	os.Remove(filepath.Join(dir, "app-1.0.zip"))
	if f := pick(scan(t, dir, distribution.Options{}), CheckChecksumsSigned); f.Outcome != distribution.NotVerified {
		t.Errorf("no keyring: %s %s", f.Outcome, f.Message)
	}
}

func TestMinisignSignedAndAttested(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	id := []byte{7, 7, 7, 7, 7, 7, 7, 7}
	dir, list := release(t, map[string]string{"app-1.0.spdx.json": `{"spdxVersion":"SPDX-2.3"}`})
	h := blake2b.Sum512(list)
	sig := ed25519.Sign(priv, h[:])
	comment := "timestamp:1\tfile:SHA256SUMS\thashed"
	global := ed25519.Sign(priv, append(append([]byte{}, sig...), comment...))
	b64 := base64.StdEncoding.EncodeToString
	os.WriteFile(filepath.Join(dir, "SHA256SUMS.minisig"), []byte("untrusted comment: sig\n"+b64(append(append([]byte("ED"), id...), sig...))+"\ntrusted comment: "+comment+"\n"+b64(global)+"\n"), 0o644)
	// A provenance statement about the artifact, as a DSSE envelope line.
	sum := sha256.Sum256([]byte("pretend tarball"))
	st := `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app-1.0.tar.gz","digest":{"sha256":"` + hex.EncodeToString(sum[:]) + `"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}`
	os.WriteFile(filepath.Join(dir, "app.intoto.jsonl"), []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"`+b64([]byte(st))+`","signatures":[{"sig":"AA=="}]}`+"\n"), 0o644)
	keyFile := filepath.Join(t.TempDir(), "minisign.pub")
	os.WriteFile(keyFile, []byte("untrusted comment: minisign public key\n"+b64(append(append([]byte("Ed"), id...), pub...))+"\n"), 0o644)
	fs := scan(t, dir, distribution.Options{Keys: []string{keyFile}})
	if f := pick(fs, CheckChecksumsSigned); f.Outcome != distribution.Verified || !strings.Contains(f.Message, "minisign") {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
	if f := pick(fs, CheckAttestations); f.Outcome != distribution.Verified {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
	// The list altered after signing.
	os.WriteFile(filepath.Join(dir, "SHA256SUMS"), append(list, '\n'), 0o644)
	if f := pick(scan(t, dir, distribution.Options{Keys: []string{keyFile}}), CheckChecksumsSigned); f.Outcome != distribution.Failed || !strings.Contains(f.Message, "bad signature") {
		t.Errorf("altered: %s %s", f.Outcome, f.Message)
	}
}

func TestUnsignedList(t *testing.T) {
	dir, _ := release(t, nil)
	if f := pick(scan(t, dir, distribution.Options{}), CheckChecksumsSigned); f.Outcome != distribution.Failed || !strings.Contains(f.Message, "not signed") {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
}

// Every algorithm the checksum-list parser accepts is one the coverage
// check can hash: a list in one it could not would report its artifacts as
// differing from their checksums.
func TestEveryParsedAlgorithmIsHashed(t *testing.T) {
	art := []byte("pretend tarball")
	for _, alg := range []string{"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512-256"} {
		h := files.NewHash(alg)
		h.Write(art)
		sum := hex.EncodeToString(h.Sum(nil))
		lists := map[string]string{
			"BSD " + alg: strings.ToUpper(strings.Replace(alg, "-", "/", 1)) + " (app-1.0.tar.gz) = " + sum + "\n",
		}
		if alg != "sha512-256" { // GNU lines know an algorithm by its digest's length
			lists["GNU "+alg] = sum + "  app-1.0.tar.gz\n"
		}
		for name, list := range lists {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "app-1.0.tar.gz"), art, 0o644)
			os.WriteFile(filepath.Join(dir, "CHECKSUMS"), []byte(list), 0o644)
			f := pick(scan(t, dir, distribution.Options{}), CheckChecksumsSigned)
			if f == nil || strings.Contains(f.Message, "differ from their checksum") || !strings.Contains(f.Message, "covers all 1") {
				t.Errorf("%s: %+v", name, f)
			}
		}
	}
}

// git's own text files inside a clone's .git folder (a partial clone's
// pack .promisor, "<sha1> <ref>" per line; info/refs) read like checksum
// lists but are repository metadata, never a release page; a checksum list
// in the work tree beside them still is one.
func TestGitMetadataIsNotAReleasePage(t *testing.T) {
	refs := strings.Repeat("a", 40) + " HEAD\n" + strings.Repeat("b", 40) + " refs/heads/main\n"
	dir, _ := release(t, nil)
	for _, p := range []string{".git/objects/pack/pack-1.promisor", ".git/info/refs", "sub/module/.git/objects/pack/pack-2.promisor"} {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(refs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var lists []string
	for _, f := range scan(t, dir, distribution.Options{}) {
		if f.Check == CheckChecksumsSigned {
			lists = append(lists, f.Subject)
		}
	}
	if strings.Join(lists, ",") != "SHA256SUMS" {
		t.Errorf("checksum lists judged: %v, want only SHA256SUMS", lists)
	}
}

// A test snapshot named .snap beside a checksum list is no artifact the
// list must cover; a squashfs snap package is.
func TestSnapshotBesideListIsNotAnArtifact(t *testing.T) {
	dir, _ := release(t, map[string]string{"cli.test.js.snap": "// Jest Snapshot v1\n\nexports[`help 1`] = `usage`;\n"})
	if f := pick(scan(t, dir, distribution.Options{}), CheckChecksumsSigned); !strings.Contains(f.Message, "it covers all 1 artifact(s) beside it") {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
	dir, _ = release(t, map[string]string{"app_1.0_amd64.snap": "hsqs\x00\x00\x00\x01"})
	if f := pick(scan(t, dir, distribution.Options{}), CheckChecksumsSigned); !strings.Contains(f.Message, "1 artifact(s) not in the list: app_1.0_amd64.snap") {
		t.Errorf("%s %s", f.Outcome, f.Message)
	}
}
