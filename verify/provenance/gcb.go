package provenance

import (
	"crypto"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// LoadGCBKeys reads a folder of Cloud Build KMS public keys, one PEM file per
// key named <region>.key (global-pae*.key for the DSSE PAE signing keys).
func LoadGCBKeys(dir string) (map[string]crypto.PublicKey, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.key"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("gcb keys: no *.key file in %s", dir)
	}
	out := map[string]crypto.PublicKey{}
	for _, f := range files {
		b, err := readlimit.File(f, readlimit.Trust)
		if err != nil {
			return nil, err
		}
		k, err := sigstore.ParsePublicKey(b)
		if err != nil {
			return nil, fmt.Errorf("gcb keys: %s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".key")] = k
	}
	return out, nil
}

// verifyGCB checks Cloud Build provenance (gcloud artifacts ...
// --show-provenance output): a DSSE envelope signed by a KMS key of the
// build's region (over the payload) or by the global PAE key (over DSSE's
// pre-authentication encoding). slsa-verifier carries the same keys built in;
// pedigree takes them from files.
func verifyGCB(raw []byte, tr Trust, exp Expect, art Artifact) (*Result, error) {
	var f struct {
		ImageSummary struct {
			Digest string `json:"digest"`
		} `json:"image_summary"`
		ProvenanceSummary struct {
			Provenance []struct {
				Envelope json.RawMessage `json:"envelope"`
			} `json:"provenance"`
		} `json:"provenance_summary"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errf("Cloud Build provenance: %v", err)
	}
	if len(tr.GCBKeys) == 0 {
		return nil, errf("Cloud Build provenance needs the Cloud Build KMS public keys (--gcb-keys)")
	}
	if len(f.ProvenanceSummary.Provenance) == 0 {
		return nil, errf("Cloud Build provenance holds no provenance entry")
	}
	var lastErr error
	for _, p := range f.ProvenanceSummary.Provenance {
		res, err := verifyGCBEnvelope(p.Envelope, tr, exp, art)
		if err == nil {
			return res, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func verifyGCBEnvelope(raw []byte, tr Trust, exp Expect, art Artifact) (*Result, error) {
	env, err := dsse.Parse(raw)
	if err != nil {
		return nil, errf("%v", err)
	}
	var reasons []string
	verified := ""
	for _, s := range env.Signatures {
		region := gcbRegion(s.KeyID)
		sig, err := dsse.DecodeB64(s.Sig)
		if err != nil {
			reasons = append(reasons, "signature is not base64")
			continue
		}
		type cand struct {
			name string
			msg  []byte
		}
		var cands []cand
		if region != "" {
			cands = append(cands, cand{region, env.Payload})
		}
		if region == "global" {
			var pae []string
			for name := range tr.GCBKeys {
				if strings.HasPrefix(name, "global-pae") {
					pae = append(pae, name)
				}
			}
			sort.Strings(pae)
			for _, n := range pae {
				cands = append(cands, cand{n, dsse.PAE(env.PayloadType, env.Payload)})
			}
		}
		for _, c := range cands {
			k := tr.GCBKeys[c.name]
			if k == nil {
				continue
			}
			if _, err := dsse.VerifyRaw(k, "", c.msg, sig); err == nil {
				verified = c.name
				break
			}
			reasons = append(reasons, fmt.Sprintf("cannot verify with public key %q", c.name))
		}
		if verified != "" {
			break
		}
		if len(cands) == 0 {
			reasons = append(reasons, fmt.Sprintf("no key for signature key id %q", s.KeyID))
		}
	}
	if verified == "" {
		return nil, errf("no valid signature: %s", strings.Join(reasons, "; "))
	}
	st, err := statement.FromEnvelope(env)
	if err != nil {
		return nil, errf("%v", err)
	}
	if err := matchSubject(st, art); err != nil {
		return nil, err
	}
	claims, err := ParseClaims(gcbStatement(st, env.Payload))
	if err != nil {
		return nil, err
	}
	res := &Result{Format: "gcb", Signer: "Cloud Build KMS key " + verified, Claims: *claims, Subjects: st.SubjectDigests(), BuilderID: claims.BuilderID}
	if exp.BuilderID == "" {
		return nil, errf("Cloud Build provenance needs an expected builder id (--builder-id)")
	}
	if !strings.HasPrefix(res.BuilderID, "https://cloudbuild.googleapis.com/GoogleHostedWorker") {
		return nil, errf("untrusted builder %s: not a Cloud Build hosted worker", res.BuilderID)
	}
	if err := matchBuilder(exp.BuilderID, res.BuilderID); err != nil {
		return nil, err
	}
	if err := checkSource(claims.SourceURI, exp.SourceURI); err != nil {
		return nil, err
	}
	if err := checkRefs(res.Claims, exp); err != nil {
		return nil, err
	}
	if err := checkParams(res.Claims, exp); err != nil {
		return nil, err
	}
	res.LevelShown = 3
	res.LevelClaimed = claimedLevel(res.BuilderID)
	return res, nil
}

// gcbStatement takes the SLSA predicate from "slsaProvenance" where Cloud
// Build put it (v0.1 statements carry both).
func gcbStatement(st *statement.Statement, payload []byte) *statement.Statement {
	var x struct {
		SLSA json.RawMessage `json:"slsaProvenance"`
	}
	if json.Unmarshal(payload, &x) == nil && len(x.SLSA) > 0 && len(st.Predicate) == 0 {
		c := *st
		c.Predicate = x.SLSA
		return &c
	}
	return st
}

// gcbRegion reads the region of a KMS key id
// "projects/p/locations/<region>/keyRings/...".
func gcbRegion(keyID string) string {
	parts := strings.Split(keyID, "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "locations" {
			return parts[i+1]
		}
	}
	return ""
}
