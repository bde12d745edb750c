package dsse

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func envelope(t testing.TB, payload []byte, keyID string, sign func(pae []byte) []byte) []byte {
	t.Helper()
	pt := "application/vnd.in-toto+json"
	b, err := json.Marshal(map[string]any{
		"payloadType": pt,
		"payload":     base64.StdEncoding.EncodeToString(payload),
		"signatures":  []any{map[string]string{"keyid": keyID, "sig": base64.StdEncoding.EncodeToString(sign(PAE(pt, payload)))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerify(t *testing.T) {
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	epub, edpriv, _ := ed25519.GenerateKey(rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	payload := []byte(`{"_type":"https://in-toto.io/Statement/v1"}`)
	der := func(pae []byte) []byte {
		d := sha256.Sum256(pae)
		s, _ := ecdsa.SignASN1(rand.Reader, ek, d[:])
		return s
	}
	p1363 := func(pae []byte) []byte {
		d := sha256.Sum256(pae)
		r, s, _ := ecdsa.Sign(rand.Reader, ek, d[:])
		out := make([]byte, 64)
		r.FillBytes(out[:32])
		s.FillBytes(out[32:])
		return out
	}
	pss := func(pae []byte) []byte {
		d := sha256.Sum256(pae)
		s, _ := rsa.SignPSS(rand.Reader, rk, 5, d[:], &rsa.PSSOptions{SaltLength: 32})
		return s
	}
	tests := []struct {
		name string
		env  []byte
		key  Key
		want error
	}{
		{"ecdsa der", envelope(t, payload, "k1", der), Key{Public: &ek.PublicKey}, nil},
		{"ecdsa p1363", envelope(t, payload, "k1", p1363), Key{Public: &ek.PublicKey, KeyID: "k1"}, nil},
		{"ed25519", envelope(t, payload, "", func(p []byte) []byte { return ed25519.Sign(edpriv, p) }), Key{Public: epub}, nil},
		{"rsa pss", envelope(t, payload, "", pss), Key{Public: &rk.PublicKey, Scheme: "rsassa-pss-sha256"}, nil},
		{"wrong key id", envelope(t, payload, "k1", der), Key{Public: &ek.PublicKey, KeyID: "k2"}, ErrKeyID},
		{"wrong key", envelope(t, payload, "", der), Key{Public: epub}, ErrSignature},
		{"scheme pinned to pkcs1", envelope(t, payload, "", pss), Key{Public: &rk.PublicKey, Scheme: "rsa-pkcs1v15-sha256"}, ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.env)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Verify(tt.key)
			if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	// A payload changed after signing.
	good := envelope(t, payload, "", der)
	e, _ := Parse(good)
	e.Payload = append(e.Payload, ' ')
	if _, err := e.Verify(Key{Public: &ek.PublicKey}); err == nil {
		t.Fatal("altered payload verified")
	}
}

func TestParseBad(t *testing.T) {
	for name, in := range map[string]string{
		"not json":   "nope",
		"no type":    `{"payload":"e30=","signatures":[{"sig":"AA=="}]}`,
		"no payload": `{"payloadType":"x","signatures":[{"sig":"AA=="}]}`,
		"no sigs":    `{"payloadType":"x","payload":"e30="}`,
		"bad base64": `{"payloadType":"x","payload":"!!!","signatures":[{"sig":"AA=="}]}`,
		"deep":       strings.Repeat("[", 1000),
		"truncated":  `{"payloadType":"x","payload":"e30=","signatures":[{"sig":"AA=="`,
	} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestJSONDepth(t *testing.T) {
	for in, want := range map[string]int{`{}`: 1, `{"a":[1,{"b":"[[["}]}`: 3, `"[["`: 0, `[[[]]]`: 3} {
		if got := JSONDepth([]byte(in)); got != want {
			t.Errorf("%s: %d, want %d", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"keyid":"","sig":"AA=="}]}`))
	f.Add([]byte("{\"payloadType\":\"x\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AA==\"}]}\n{}"))
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse(b)
		if err != nil {
			return
		}
		if _, err := e.Verify(Key{Public: &ek.PublicKey}); err == nil {
			t.Fatal("verified with a fresh key")
		}
	})
}
