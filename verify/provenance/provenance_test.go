package provenance

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/verify/dsse"
)

func TestMatchVersionedTag(t *testing.T) {
	for _, tt := range []struct {
		exp, got string
		ok       bool
	}{
		{"v14", "v14", true}, {"v13.0.30", "v13.0.30", true}, {"v13", "v13.0.30", true},
		{"v13.1", "v13.0.30", false}, {"v2", "v1.9.9", false}, {"v1.2.3-rc1", "v1.2.3", false},
		{"v1.2", "v1", false}, {"vX", "v1", false},
	} {
		if err := matchVersionedTag(tt.exp, tt.got); (err == nil) != tt.ok {
			t.Errorf("%s vs %s: %v", tt.exp, tt.got, err)
		}
	}
}

func TestMatchBuilder(t *testing.T) {
	a := "https://github.com/o/r/.github/workflows/b.yml@refs/tags/v1"
	for exp, ok := range map[string]bool{
		"https://github.com/o/r/.github/workflows/b.yml":                 true,
		"https://github.com/o/r/.github/workflows/b.yml@refs/tags/v1":    true,
		"https://github.com/o/r/.github/workflows/b.yml@refs/tags/v2":    false,
		"https://github.com/o/r/.github/workflows/other.yml":             false,
		"https://github.com/fork/r/.github/workflows/b.yml@refs/tags/v1": false,
	} {
		if err := matchBuilder(exp, a); (err == nil) != ok {
			t.Errorf("%s: %v", exp, err)
		}
	}
}

func TestNormalizeRepo(t *testing.T) {
	for in, want := range map[string]string{
		"git+https://github.com/O/R@refs/tags/v1": "github.com/o/r",
		"https://github.com/o/r.git":              "github.com/o/r",
		"github.com/o/r":                          "github.com/o/r",
	} {
		if got := NormalizeRepo(in); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}

// keySigned builds a key-signed DSSE SLSA v1 provenance.
func keySigned(t *testing.T, priv ed25519.PrivateKey, digest string) []byte {
	st := map[string]any{
		"_type": "https://in-toto.io/Statement/v1", "predicateType": PredicateV1,
		"subject": []any{map[string]any{"name": "a", "digest": map[string]string{"sha256": digest}}},
		"predicate": map[string]any{
			"buildDefinition": map[string]any{"buildType": "bt", "externalParameters": map[string]any{"v": "1"},
				"resolvedDependencies": []any{map[string]any{"uri": "git+https://github.com/o/r@refs/heads/main"}}},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://builder.example/b@v1"}},
		},
	}
	p, _ := json.Marshal(st)
	sig := ed25519.Sign(priv, dsse.PAE("application/vnd.in-toto+json", p))
	b, _ := json.Marshal(map[string]any{"payloadType": "application/vnd.in-toto+json", "payload": base64.StdEncoding.EncodeToString(p),
		"signatures": []any{map[string]string{"sig": base64.StdEncoding.EncodeToString(sig)}}})
	return b
}

func TestKeySigned(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, _, _ := ed25519.GenerateKey(rand.Reader)
	sum := sha256.Sum256([]byte("artifact"))
	d := hex.EncodeToString(sum[:])
	raw := keySigned(t, priv, d)
	art := Artifact{Digests: map[string]string{"sha256": d}}
	base := Expect{SourceURI: "github.com/o/r", BuilderID: "https://builder.example/b"}
	tests := []struct {
		name string
		tr   Trust
		exp  Expect
		art  Artifact
		ok   bool
	}{
		{"ok", Trust{Keys: []crypto.PublicKey{pub}}, base, art, true},
		{"branch ok", Trust{Keys: []crypto.PublicKey{pub}}, Expect{SourceURI: "github.com/o/r", BuilderID: "https://builder.example/b", SourceBranch: "main", ExternalParameters: map[string]any{"v": "1"}}, art, true},
		{"wrong key", Trust{Keys: []crypto.PublicKey{otherPub}}, base, art, false},
		{"no builder expectation", Trust{Keys: []crypto.PublicKey{pub}}, Expect{SourceURI: "github.com/o/r"}, art, false},
		{"wrong source", Trust{Keys: []crypto.PublicKey{pub}}, Expect{SourceURI: "github.com/o/x", BuilderID: base.BuilderID}, art, false},
		{"wrong branch", Trust{Keys: []crypto.PublicKey{pub}}, Expect{SourceURI: "github.com/o/r", BuilderID: base.BuilderID, SourceBranch: "dev"}, art, false},
		{"wrong tag", Trust{Keys: []crypto.PublicKey{pub}}, Expect{SourceURI: "github.com/o/r", BuilderID: base.BuilderID, SourceTag: "v1"}, art, false},
		{"wrong params", Trust{Keys: []crypto.PublicKey{pub}}, Expect{SourceURI: "github.com/o/r", BuilderID: base.BuilderID, ExternalParameters: map[string]any{"v": 1}}, art, false},
		{"other artifact", Trust{Keys: []crypto.PublicKey{pub}}, base, Artifact{Digests: map[string]string{"sha256": strings.Repeat("0", 64)}}, false},
		{"no key", Trust{}, base, art, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Verify(raw, tt.tr, tt.exp, tt.art)
			if tt.ok != (err == nil) {
				t.Fatalf("ok=%v err=%v", tt.ok, err)
			}
			if err != nil && !errors.Is(err, ErrFailed) {
				t.Fatalf("not ErrFailed: %v", err)
			}
			if err == nil && (res.LevelShown != 2 || res.Format != "key") {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	f.Add(string(keySigned(&testing.T{}, priv, strings.Repeat("a", 64))))
	f.Add(`{"provenance_summary":{"provenance":[{"envelope":{}}]}}`)
	f.Add(`{"attestations":[{"predicateType":"https://slsa.dev/provenance/v1","bundle":{}}]}`)
	f.Add(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`)
	f.Fuzz(func(t *testing.T, s string) {
		tr := Trust{Keys: []crypto.PublicKey{pub}, GCBKeys: map[string]crypto.PublicKey{"global": pub}}
		_, _ = Verify([]byte(s), tr, Expect{SourceURI: "github.com/o/r", BuilderID: "https://builder.example/b"},
			Artifact{Digests: map[string]string{"sha256": strings.Repeat("a", 64)}})
	})
}

// TestMatchRunnerBuilder: slsa-verifier's equivalence of the GitHub runner's
// builder ids, both ways, and nothing wider.
func TestMatchRunnerBuilder(t *testing.T) {
	const (
		bare   = "https://github.com/actions/runner"
		hosted = "https://github.com/actions/runner/github-hosted"
		self   = "https://github.com/actions/runner/self-hosted"
	)
	for _, tt := range []struct {
		exp, got string
		ok       bool
	}{
		{hosted, hosted, true},
		{hosted, bare, true}, // SLSA v0.2 npm provenance
		{bare, hosted, true}, // SLSA v1 npm provenance, policy with the bare id
		{bare, bare, true},
		{self, bare, false},
		{bare, self, false},
		{self, hosted, false},
		{hosted, self, false},
		{hosted, "https://github.com/actions/runner-fork", false},
		{hosted, "https://github.com/other/runner", false},
		{"https://github.com/other/runner/github-hosted", bare, false},
		{hosted + "@v1", bare + "@v1", true},
		{hosted + "@v1", bare + "@v2", false},
	} {
		if err := matchRunnerBuilder(tt.exp, tt.got); (err == nil) != tt.ok {
			t.Errorf("expected %s, provenance %s: %v", tt.exp, tt.got, err)
		}
	}
}
