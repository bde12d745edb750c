package pgp

import (
	"bytes"
	"crypto"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func at(t time.Time) *packet.Config {
	return &packet.Config{Time: func() time.Time { return t }, Algorithm: packet.PubKeyAlgoEdDSA, DefaultHash: crypto.SHA256}
}

// newKey makes an EdDSA key created at t0, expiring after life (0: never).
func newKey(t testing.TB, name string, life time.Duration) *openpgp.Entity {
	t.Helper()
	cfg := at(t0)
	cfg.KeyLifetimeSecs = uint32(life / time.Second)
	e, err := openpgp.NewEntity(name, "", name+"@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func publicRing(t testing.TB, es ...*openpgp.Entity) openpgp.EntityList {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range es {
		if err := e.Serialize(&buf); err != nil {
			t.Fatal(err)
		}
	}
	el, err := ParseKeyring(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return el
}

func detached(t testing.TB, e *openpgp.Entity, data []byte, armored bool, cfg *packet.Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if armored {
		err = openpgp.ArmoredDetachSign(&buf, e, bytes.NewReader(data), cfg)
	} else {
		err = openpgp.DetachSign(&buf, e, bytes.NewReader(data), cfg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerifyDetached(t *testing.T) {
	alice := newKey(t, "alice", 0)
	bob := newKey(t, "bob", 0)
	data := []byte("pedigree-demo_1.0.0_linux_amd64.tar.gz contents\n")
	later := t0.Add(time.Hour)
	sigA := detached(t, alice, data, true, at(later))
	sigB := detached(t, alice, data, false, at(later))
	sigSHA1 := rawSign(t, alice, data, crypto.SHA1, later)
	future := detached(t, alice, data, false, at(t0.Add(72*time.Hour)))
	ring := publicRing(t, alice)
	now := t0.Add(2 * time.Hour)

	tests := []struct {
		name     string
		ring     openpgp.EntityList
		data     []byte
		sig      []byte
		want     error
		weak     bool
		contains string
	}{
		{name: "armored", ring: ring, data: data, sig: sigA},
		{name: "binary", ring: ring, data: data, sig: sigB},
		{name: "sha1 is weak but good", ring: ring, data: data, sig: sigSHA1, weak: true},
		{name: "other data", ring: ring, data: []byte("other"), sig: sigA, want: ErrBadSignature},
		{name: "wrong keyring", ring: publicRing(t, bob), data: data, sig: sigB, want: ErrUnknownSigner},
		{name: "empty signature", ring: ring, data: data, sig: nil, want: ErrMalformed},
		{name: "truncated", ring: ring, data: data, sig: sigB[:len(sigB)/2], want: ErrMalformed},
		{name: "garbage", ring: ring, data: data, sig: []byte("\x89\x01\x02hello"), want: ErrMalformed},
		{name: "armor broken", ring: ring, data: data, sig: []byte("-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n"), want: ErrMalformed},
		{name: "armor wrong type", ring: ring, data: data, sig: armored(t, "PGP MESSAGE", sigB), want: ErrMalformed},
		{name: "key packet not signature", ring: ring, data: data, sig: serialize(t, alice), want: ErrMalformed},
		{name: "future signature", ring: ring, data: data, sig: future, want: ErrFutureSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := VerifyDetached(bytes.NewReader(tt.data), tt.sig, Options{Keyring: tt.ring, Now: now})
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v (res %v), want %v", err, res, tt.want)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Primary != fingerprint(alice.PrimaryKey.Fingerprint) || res.UserIDs[0] != "alice <alice@example.org>" {
				t.Errorf("signer: %+v", res)
			}
			if (len(res.Weak) > 0) != tt.weak {
				t.Errorf("weak = %v, want %v", res.Weak, tt.weak)
			}
		})
	}
}

func TestKeyValidity(t *testing.T) {
	data := []byte("release\n")
	short := newKey(t, "short", 24*time.Hour)
	sig := detached(t, short, data, false, at(t0.Add(time.Hour)))
	ring := publicRing(t, short)
	later := t0.Add(30 * 24 * time.Hour)

	if _, err := VerifyDetached(bytes.NewReader(data), sig, Options{Keyring: ring, Validity: AtSignatureTime, Now: later}); err != nil {
		t.Fatalf("signature-time: %v", err)
	}
	_, err := VerifyDetached(bytes.NewReader(data), sig, Options{Keyring: ring, Validity: AtNow, Now: later})
	if !errors.Is(err, ErrKeyExpired) || !strings.Contains(err.Error(), "expired on 2024-03-02") {
		t.Fatalf("now: got %v, want key expired on 2024-03-02", err)
	}
	// Signed after the key expired: fails in either mode.
	late := rawSign(t, short, data, crypto.SHA256, t0.Add(48*time.Hour))
	if _, err := VerifyDetached(bytes.NewReader(data), late, Options{Keyring: ring, Now: later}); !errors.Is(err, ErrKeyExpired) {
		t.Fatalf("signed after expiry: got %v", err)
	}
}

func TestRevocation(t *testing.T) {
	data := []byte("release\n")
	for _, tt := range []struct {
		reason        packet.ReasonForRevocation
		atSigTimeFail bool
	}{
		{packet.KeySuperseded, false}, // revoked after signing: the old signature stands at signature time
		{packet.KeyCompromised, true}, // compromised: never valid
	} {
		e := newKey(t, "rev", 0)
		sig := detached(t, e, data, false, at(t0.Add(time.Hour)))
		if err := e.RevokeKey(tt.reason, "test", at(t0.Add(10*time.Hour))); err != nil {
			t.Fatal(err)
		}
		ring := publicRing(t, e)
		now := t0.Add(20 * time.Hour)
		_, err := VerifyDetached(bytes.NewReader(data), sig, Options{Keyring: ring, Now: now})
		if tt.atSigTimeFail != errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d at signature time: got %v", tt.reason, err)
		}
		if _, err := VerifyDetached(bytes.NewReader(data), sig, Options{Keyring: ring, Validity: AtNow, Now: now}); !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d now: got %v, want revoked", tt.reason, err)
		}
	}
}

func TestVerifyMessage(t *testing.T) {
	alice := newKey(t, "alice", 0)
	ring := publicRing(t, alice)
	now := t0.Add(2 * time.Hour)
	text := []byte("abc123  pedigree-demo.tar.gz\n")

	var clear bytes.Buffer
	w, err := clearsign.Encode(&clear, alice.PrivateKey, at(t0.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	w.Write(text)
	w.Close()

	inline := func(armored, compressed bool) []byte {
		var buf bytes.Buffer
		cfg := at(t0.Add(time.Hour))
		if compressed {
			cfg.DefaultCompressionAlgo = packet.CompressionZLIB
		}
		var out = &buf
		var aw, sw interface {
			Write([]byte) (int, error)
			Close() error
		}
		if armored {
			a, err := armor.Encode(out, "PGP MESSAGE", nil)
			if err != nil {
				t.Fatal(err)
			}
			aw = a
			sw, err = openpgp.Sign(a, alice, nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
		} else {
			var err error
			sw, err = openpgp.Sign(out, alice, nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
		}
		sw.Write(text)
		sw.Close()
		if aw != nil {
			aw.Close()
		}
		return buf.Bytes()
	}

	tests := []struct {
		name   string
		msg    []byte
		format string
		want   error
	}{
		{"cleartext", clear.Bytes(), "cleartext", nil},
		{"cleartext tampered", bytes.Replace(clear.Bytes(), []byte("abc123"), []byte("abc124"), 1), "", ErrBadSignature},
		{"cleartext no signature", []byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhello\n"), "", ErrMalformed},
		{"inline binary", inline(false, false), "inline", nil},
		{"inline armored", inline(true, false), "inline", nil},
		{"inline compressed", inline(false, true), "inline", nil},
		{"inline truncated", inline(false, false)[:40], "", ErrMalformed},
		{"not a message", []byte("hello world"), "", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, plain, err := VerifyMessage(tt.msg, Options{Keyring: ring, Now: now})
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tt.format || !bytes.Equal(bytes.TrimRight(plain, "\r\n"), bytes.TrimRight(text, "\n")) {
				t.Errorf("format %s, plain %q", res.Format, plain)
			}
		})
	}
}

func TestParseKeyring(t *testing.T) {
	a, b := newKey(t, "a", 0), newKey(t, "b", 0)
	var two bytes.Buffer
	for _, e := range []*openpgp.Entity{a, b} {
		w, _ := armor.Encode(&two, "PGP PUBLIC KEY BLOCK", nil)
		e.Serialize(w)
		w.Close()
		two.WriteString("\n")
	}
	el, err := ParseKeyring(two.Bytes())
	if err != nil || len(el) != 2 {
		t.Fatalf("two armored blocks: %d keys, %v", len(el), err)
	}
	// A KEYS file (Apache's, Debian's): text, key listings, then the
	// armored blocks.
	keys := append([]byte("This file contains the PGP keys of the release managers.\n\npub   ed25519 2026-01-01\nuid   a <a@example.org>\n\n"), two.Bytes()...)
	if el, err := ParseKeyring(keys); err != nil || len(el) != 2 {
		t.Errorf("KEYS file: %d keys, %v", len(el), err)
	}
	for _, bad := range [][]byte{nil, []byte("hello"), []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n%%%\n-----END PGP PUBLIC KEY BLOCK-----\n"), serialize(t, a)[:30]} {
		if _, err := ParseKeyring(bad); err == nil {
			t.Errorf("ParseKeyring(%q) succeeded", bad)
		}
	}
}

func TestWeakKey(t *testing.T) {
	cfg := at(t0)
	cfg.Algorithm = packet.PubKeyAlgoRSA
	cfg.RSABits = 1024
	e, err := openpgp.NewEntity("old", "", "old@example.org", cfg)
	if err != nil {
		t.Skipf("library refuses RSA-1024 generation: %v", err)
	}
	ki := KeyAlgorithm(e.PrimaryKey)
	if ki.Algorithm != "RSA" || ki.Bits != 1024 || len(ki.Weak) == 0 {
		t.Errorf("RSA-1024: %+v", ki)
	}
}

func serialize(t testing.TB, e *openpgp.Entity) []byte {
	var buf bytes.Buffer
	if err := e.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func armored(t testing.TB, typ string, b []byte) []byte {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, typ, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// rawSign makes a signature packet by hand, bypassing the library's own
// refusals (SHA-1, expired keys), to test what a verifier meets in the wild.
func rawSign(t testing.TB, e *openpgp.Entity, data []byte, h crypto.Hash, when time.Time) []byte {
	t.Helper()
	id := e.PrimaryKey.KeyId
	sig := &packet.Signature{Version: 4, SigType: packet.SigTypeBinary, PubKeyAlgo: e.PrimaryKey.PubKeyAlgo, Hash: h, CreationTime: when, IssuerKeyId: &id}
	cfg := at(when)
	cfg.DefaultHash = h
	off := false
	cfg.NonDeterministicSignaturesViaNotation = &off
	hh, err := sig.PrepareSign(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hh.Write(data)
	if err := sig.Sign(hh, e.PrivateKey, cfg); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sig.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSeveralSignatures: a file signed by several keys the keyring holds
// (Debian's InRelease: one signature per archive key) verifies, as gpgv
// judges it, when one signature is good and none is bad: a signature by a
// key expired since does not fail it, whatever its place; one that does
// not verify over the content fails it.
func TestSeveralSignatures(t *testing.T) {
	data := []byte("Origin: Debian\nSuite: stable\n")
	old := newKey(t, "old", 24*time.Hour)
	cur := newKey(t, "current", 0)
	ring := publicRing(t, old, cur)
	later := t0.Add(30 * 24 * time.Hour)
	oldSig := detached(t, old, data, false, at(t0.Add(time.Hour)))
	curSig := detached(t, cur, data, false, at(t0.Add(time.Hour)))
	badSig := detached(t, old, []byte("other content\n"), false, at(t0.Add(time.Hour)))
	join := func(s ...[]byte) []byte { return bytes.Join(s, nil) }
	for _, tc := range []struct {
		name string
		sig  []byte
		want error
	}{
		{"expired key first", join(oldSig, curSig), nil},
		{"expired key last", join(curSig, oldSig), nil},
		{"only the expired key", oldSig, ErrKeyExpired},
		{"a bad signature beside a good one", join(curSig, badSig), ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := VerifyDetached(bytes.NewReader(data), tc.sig, Options{Keyring: ring, Validity: AtNow, Now: later})
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tc.want == nil && res.Primary != fingerprint(cur.PrimaryKey.Fingerprint):
				t.Errorf("good signature by %s, want the current key", res.Primary)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestSeveralSignaturesGnuPG: the same, on signatures GnuPG made
// (testdata/several-signatures/SOURCES.md), with apt's verdicts.
func TestSeveralSignaturesGnuPG(t *testing.T) {
	const dir = "testdata/several-signatures/"
	ring, err := ParseKeyring(mustRead(t, dir+"keyring.gpg"))
	if err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, dir+"Release")
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	res, err := VerifyDetached(bytes.NewReader(data), mustRead(t, dir+"Release.gpg"), Options{Keyring: ring, Validity: AtNow, Now: now})
	if err != nil || len(res.UserIDs) == 0 || res.UserIDs[0] != "cur <cur@example.org>" {
		t.Fatalf("both: %+v, %v", res, err)
	}
	if _, err := VerifyDetached(bytes.NewReader(data), mustRead(t, dir+"Release.old.gpg"), Options{Keyring: ring, Validity: AtNow, Now: now}); !errors.Is(err, ErrKeyExpired) {
		t.Fatalf("old alone: %v", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
