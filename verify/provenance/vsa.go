package provenance

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/statement"
)

// VSAExpect is what a verification summary attestation must state.
type VSAExpect struct {
	// SubjectDigests are "alg:value" that some subject must carry (all).
	SubjectDigests []string `json:"subjectDigests,omitempty"`
	VerifierID     string   `json:"verifierId,omitempty"`
	ResourceURI    string   `json:"resourceUri,omitempty"`
	// VerifiedLevels must all be present.
	VerifiedLevels []string `json:"verifiedLevels,omitempty"`
}

// Empty is true when nothing is expected.
func (v VSAExpect) Empty() bool {
	return len(v.SubjectDigests) == 0 && v.VerifierID == "" && v.ResourceURI == "" && len(v.VerifiedLevels) == 0
}

// VSA is a verified VSA's content.
type VSA struct {
	VerifierID         string   `json:"verifierId"`
	ResourceURI        string   `json:"resourceUri"`
	VerificationResult string   `json:"verificationResult"`
	VerifiedLevels     []string `json:"verifiedLevels"`
	TimeVerified       string   `json:"timeVerified,omitempty"`
}

// CheckVSA judges a (signature-verified) envelope's VSA statement: result
// PASSED, verifier, resource, levels and subject digests as expected.
func CheckVSA(env *dsse.Envelope, exp VSAExpect) (*VSA, error) {
	st, err := statement.FromEnvelope(env)
	if err != nil {
		return nil, errf("%v", err)
	}
	if st.PredicateType != PredicateVSA {
		return nil, errf("predicate type %q is not a SLSA verification summary (%s)", st.PredicateType, PredicateVSA)
	}
	var p struct {
		Verifier struct {
			ID string `json:"id"`
		} `json:"verifier"`
		TimeVerified       string   `json:"timeVerified"`
		ResourceURI        string   `json:"resourceUri"`
		VerificationResult string   `json:"verificationResult"`
		VerifiedLevels     []string `json:"verifiedLevels"`
	}
	if err := json.Unmarshal(st.Predicate, &p); err != nil {
		return nil, errf("VSA predicate: %v", err)
	}
	v := &VSA{VerifierID: p.Verifier.ID, ResourceURI: p.ResourceURI, VerificationResult: p.VerificationResult,
		VerifiedLevels: p.VerifiedLevels, TimeVerified: p.TimeVerified}
	if p.VerificationResult != "PASSED" {
		return nil, errf("VSA verification result is %q, not PASSED", p.VerificationResult)
	}
	if exp.VerifierID != "" && p.Verifier.ID != exp.VerifierID {
		return nil, errf("VSA verifier id does not match: expected %s, got %s", exp.VerifierID, p.Verifier.ID)
	}
	if exp.ResourceURI != "" && p.ResourceURI != exp.ResourceURI {
		return nil, errf("VSA resource URI does not match: expected %s, got %s", exp.ResourceURI, p.ResourceURI)
	}
	have := map[string]bool{}
	for _, l := range p.VerifiedLevels {
		have[l] = true
	}
	for _, l := range exp.VerifiedLevels {
		if !have[l] {
			return nil, errf("VSA does not state verified level %s (states %s)", l, strings.Join(p.VerifiedLevels, ", "))
		}
	}
	for _, d := range exp.SubjectDigests {
		alg, val, ok := strings.Cut(d, ":")
		if !ok {
			return nil, errf("subject digest %q is not alg:value", d)
		}
		if len(st.Match(statement.Digests{strings.ToLower(alg): val})) == 0 {
			return nil, errf("no VSA subject has digest %s (subjects: %s)", d, strings.Join(st.SubjectDigests(), ", "))
		}
	}
	return v, nil
}

// LevelOf reads the highest SLSA_BUILD_LEVEL_n of a VSA.
func (v *VSA) LevelOf() int {
	max := 0
	for _, l := range v.VerifiedLevels {
		var n int
		if _, err := fmt.Sscanf(l, "SLSA_BUILD_LEVEL_%d", &n); err == nil && n > max {
			max = n
		}
	}
	return max
}
