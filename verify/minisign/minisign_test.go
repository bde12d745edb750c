package minisign

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// Test vectors published with the minisign reference Go implementation
// (github.com/jedisct1/go-minisign, minisign_test.go, commit 1c139d1c,
// MIT): one key, a legacy and a prehashed signature over "test".
const vecKey = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"

const vecLegacy = "untrusted comment: signature from minisign secret key\nRWQf6LRCGA9i59SLOFxz6NxvASXDJeRtuZykwQepbDEGt87ig1BNpWaVWuNrm73YiIiJbq71Wi+dP9eKL8OC351vwIasSSbXxwA=\ntrusted comment: timestamp:1635442742\tfile:test\n0YteLgV960ia80vnA/fHbvkyjl/IoP/HNOCaZfrF0CdhAlp7ok+Tpkya+VpWPX5C/Is3q8a/kEDSY7fBmmgJCg==\n"

const vecHashed = "untrusted comment: signature from minisign secret key\nRUQf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1mGTkUidF/z7SrlQgXdy8ofjb7bNJJylDOocrCo8KLzZwo=\ntrusted comment: timestamp:1635443258\tfile:test\thashed\n/cj37GK60vryibFn+ftOgbCvW9NKhKYgjVpFFQUcWPAnjO23wrvVDTt7cloNC06maoBli9q6qwZDXXoaxweICQ==\n"

func TestVectors(t *testing.T) {
	k, err := ParsePublicKey([]byte(vecKey))
	if err != nil {
		t.Fatal(err)
	}
	if k.KeyIDHex() != "E7620F1842B4E81F" {
		t.Errorf("key id %s", k.KeyIDHex())
	}
	tamperedComment := strings.Replace(vecLegacy, "file:test", "file:evil", 1)
	for _, tc := range []struct {
		name, sig, msg string
		want           error
	}{
		{"legacy", vecLegacy, "test", nil},
		{"prehashed", vecHashed, "test", nil},
		{"legacy wrong message", vecLegacy, "tesT", ErrBadSignature},
		{"prehashed wrong message", vecHashed, "test\n", ErrBadSignature},
		{"trusted comment altered", tamperedComment, "test", ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSignature([]byte(tc.sig))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Verify(strings.NewReader(tc.msg), s, []*PublicKey{k})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && (res.KeyID != "E7620F1842B4E81F" || !strings.HasPrefix(res.TrustedComment, "timestamp:")) {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestSignify(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	id := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	pubFile := "untrusted comment: signify public key\n" + base64.StdEncoding.EncodeToString(append(append([]byte("Ed"), id...), pub...)) + "\n"
	msg := "SHA256 (a.tgz) = 00\n"
	sig := ed25519.Sign(priv, []byte(msg))
	sigLines := "untrusted comment: verify with x.pub\n" + base64.StdEncoding.EncodeToString(append(append([]byte("Ed"), id...), sig...)) + "\n"
	k, err := ParsePublicKey([]byte(pubFile))
	if err != nil || k.Format != Signify {
		t.Fatalf("key %v %v", k, err)
	}
	// Detached and embedded (signify -e) forms.
	s, err := ParseSignature([]byte(sigLines))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(strings.NewReader(msg), s, []*PublicKey{k}); err != nil {
		t.Fatal(err)
	}
	e, err := ParseSignature([]byte(sigLines + msg))
	if err != nil || string(e.Embedded) != msg {
		t.Fatalf("embedded %q %v", e.Embedded, err)
	}
	if _, err := Verify(nil, e, []*PublicKey{k}); err != nil {
		t.Fatal(err)
	}
	other, _, _ := ed25519.GenerateKey(nil)
	k2 := &PublicKey{Key: other, KeyID: [8]byte{9}}
	if _, err := Verify(strings.NewReader(msg), s, []*PublicKey{k2}); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestMalformed(t *testing.T) {
	for _, in := range []string{"", "untrusted comment: x", "untrusted comment: x\n!!!", "untrusted comment: x\nRWQ=", strings.Repeat("a", maxText+1)} {
		if _, err := ParseSignature([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseSignature(%.20q) = %v", in, err)
		}
		if _, err := ParsePublicKey([]byte(in)); err == nil {
			t.Errorf("ParsePublicKey(%.20q) accepted", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(vecLegacy))
	f.Add([]byte(vecKey))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseSignature(b)
		ParsePublicKey(b)
	})
}
