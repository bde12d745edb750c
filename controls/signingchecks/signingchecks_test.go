package signingchecks

import (
	"encoding/json"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/evidence"
)

func ev(id, kind string, p any) evidence.Evidence {
	return evidence.Evidence{ID: id, Kind: kind, Target: "t", Payload: p}
}

func run(t *testing.T, id string, in ...evidence.Evidence) map[string]evidence.Status {
	t.Helper()
	for _, c := range All() {
		if c.ID != id {
			continue
		}
		out := map[string]evidence.Status{}
		for _, f := range c.Run(in) {
			if len(f.Evidence) == 0 {
				t.Errorf("%s: finding without evidence: %s", id, f.Message)
			}
			ref := ""
			if len(f.Subjects) > 0 {
				ref = f.Subjects[0].Ref
			}
			out[ref] = f.Status
		}
		return out
	}
	t.Fatalf("no check %s", id)
	return nil
}

func TestArtifactSigned(t *testing.T) {
	a := ev("a", files.KindArtifact, &files.Artifact{Path: "a.tgz", SHA256: "aa", Release: true})
	b := ev("b", files.KindArtifact, &files.Artifact{Path: "b.tgz", SHA256: "bb", Release: true})
	src := ev("g", files.KindArtifact, &files.Artifact{Path: "main.go", SHA256: "dd"})
	c := ev("c", files.KindArtifact, &files.Artifact{Path: "c.tgz", SHA256: "ee", Release: true})
	pgp := ev("k", keys.KindSignatureCheck, &keys.SignatureCheck{Method: "openpgp", Signature: "c.tgz.asc", Data: "c.tgz", Status: keys.StatusVerified})
	m := ev("m", files.KindArtifact, &files.Artifact{Path: "SHA256SUMS", SHA256: "cc", Metadata: true})
	sig := ev("s", signing.KindSignature, &signing.Signature{Status: signing.StatusVerified, Artifacts: []signing.ArtifactRef{{Path: "a.tgz", SHA256: "aa"}}})
	bad := ev("x", signing.KindSignature, &signing.Signature{Status: signing.StatusFailed, Artifacts: []signing.ArtifactRef{{Path: "b.tgz", SHA256: "bb"}}})
	pol := ev("p", signing.KindPolicy, &signing.Policy{Keys: 1})
	empty := ev("p", signing.KindPolicy, &signing.Policy{})
	tests := []struct {
		name string
		in   []evidence.Evidence
		want map[string]evidence.Status
	}{
		{"signed and unsigned", []evidence.Evidence{a, b, m, src, sig, bad, pol}, map[string]evidence.Status{"a.tgz": evidence.Pass, "b.tgz": evidence.Fail}},
		{"openpgp signature counts", []evidence.Evidence{c, pgp, pol}, map[string]evidence.Status{"c.tgz": evidence.Pass}},
		{"no policy", []evidence.Evidence{a, b, empty}, map[string]evidence.Status{"a.tgz": evidence.NotAssessed, "b.tgz": evidence.NotAssessed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "SIGN-ARTIFACT-SIGNED", tt.in...)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v", got)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s: %s, want %s", k, got[k], v)
				}
			}
		})
	}
}

func TestSLSALevel(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    signing.Provenance
		want evidence.Status
	}{
		{"meets", signing.Provenance{Path: "p", Status: signing.StatusVerified, LevelShown: 3, LevelClaimed: 3, MinLevel: 3}, evidence.Pass},
		{"below min", signing.Provenance{Path: "p", Status: signing.StatusVerified, LevelShown: 2, MinLevel: 3}, evidence.Fail},
		{"claims more", signing.Provenance{Path: "p", Status: signing.StatusVerified, LevelShown: 2, LevelClaimed: 3}, evidence.Fail},
		{"unverified with min", signing.Provenance{Path: "p", Status: signing.StatusFailed, MinLevel: 2}, evidence.Fail},
		{"unverified", signing.Provenance{Path: "p", Status: signing.StatusFailed}, evidence.NotAssessed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := ev("e", signing.KindProvenance, &tt.p)
			e.Subject = evidence.Subject{Type: "artifact", Ref: "x"}
			if got := run(t, "SIGN-SLSA-LEVEL", e)["x"]; got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStatusChecks(t *testing.T) {
	for _, tt := range []struct {
		check string
		kind  string
		p     any
		want  evidence.Status
	}{
		{"SIGN-SIGSTORE-BUNDLE-VERIFIED", signing.KindSignature, &signing.Signature{Path: "b", Status: signing.StatusVerified}, evidence.Pass},
		{"SIGN-SIGSTORE-BUNDLE-VERIFIED", signing.KindSignature, &signing.Signature{Path: "b", Status: signing.StatusFailed}, evidence.Fail},
		{"SIGN-SIGSTORE-BUNDLE-VERIFIED", signing.KindSignature, &signing.Signature{Path: "b", Status: signing.StatusNotAssessed}, evidence.NotAssessed},
		{"SIGN-PROVENANCE-VERIFIED", signing.KindProvenance, &signing.Provenance{Path: "b", Status: signing.StatusFailed}, evidence.Fail},
		{"SIGN-LAYOUT-VERIFIED", signing.KindLayout, &signing.Layout{Path: "b", Status: signing.StatusNotAssessed}, evidence.NotAssessed},
		{"SIGN-ATTESTATION-SUBJECT-MATCH", signing.KindAttestation, &signing.Attestation{Path: "b", Valid: false}, evidence.Fail},
		{"SIGN-ATTESTATION-SUBJECT-MATCH", signing.KindAttestation, &signing.Attestation{Path: "b", Valid: true}, evidence.Fail},
		{"SIGN-ATTESTATION-SUBJECT-MATCH", signing.KindAttestation, &signing.Attestation{Path: "b", Valid: true, Matched: []signing.ArtifactRef{{Path: "a"}}}, evidence.Pass},
		{"SIGN-TRUST-POLICY-MISSING", signing.KindPolicy, &signing.Policy{}, evidence.NotAssessed},
		{"SIGN-TRUST-POLICY-MISSING", signing.KindPolicy, &signing.Policy{Keys: 1, Problems: []string{"key x: bad"}}, evidence.Fail},
		{"SIGN-TRUST-POLICY-MISSING", signing.KindPolicy, &signing.Policy{TrustedRoots: 1}, evidence.Pass},
	} {
		e := ev("e", tt.kind, tt.p)
		e.Subject = evidence.Subject{Type: "x", Ref: "x"}
		got := run(t, tt.check, e)
		for _, s := range got {
			if s != tt.want {
				t.Errorf("%s %+v: got %s, want %s", tt.check, tt.p, s, tt.want)
			}
		}
		if len(got) != 1 {
			t.Errorf("%s: %d findings", tt.check, len(got))
		}
		// After a JSON round trip (pedigree.json) the verdict is the same.
		b, _ := json.Marshal(e.Payload)
		var generic any
		_ = json.Unmarshal(b, &generic)
		e.Payload = generic
		for _, s := range run(t, tt.check, e) {
			if s != tt.want {
				t.Errorf("%s after round trip: %s", tt.check, s)
			}
		}
	}
}

func TestNoEvidence(t *testing.T) {
	for _, c := range All() {
		if f := c.Run(nil); f != nil {
			t.Errorf("%s returned findings without evidence", c.ID)
		}
	}
}
