package provenance

import (
	"encoding/json"
	"strings"

	"github.com/pedigree-dev/pedigree/verify/statement"
)

// SLSA predicate types.
const (
	PredicateV01 = "https://slsa.dev/provenance/v0.1"
	PredicateV02 = "https://slsa.dev/provenance/v0.2"
	PredicateV1  = "https://slsa.dev/provenance/v1"
	PredicateVSA = "https://slsa.dev/verification_summary/v1"
	// PredicateNPMPublish is npm's registry publish attestation.
	PredicateNPMPublish = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1"
)

// Claims is what a provenance states, normalised over SLSA v0.1, v0.2 and v1.
type Claims struct {
	PredicateType string `json:"predicateType"`
	BuilderID     string `json:"builderId,omitempty"`
	BuildType     string `json:"buildType,omitempty"`
	// SourceURI is the source repository as stated ("git+https://github.com/o/r").
	SourceURI string `json:"sourceUri,omitempty"`
	// SourceRef is the git ref built (refs/tags/v1.2.3, refs/heads/main).
	SourceRef string `json:"sourceRef,omitempty"`
	// SourceDigest is the commit (sha1/gitCommit).
	SourceDigest string `json:"sourceDigest,omitempty"`
	// BaseRef is the branch a tag was pushed from, when the event says.
	BaseRef string `json:"baseRef,omitempty"`
	// Tag and Branch from Cloud Build substitutions.
	Tag    string `json:"tag,omitempty"`
	Branch string `json:"branch,omitempty"`
	// ExternalParameters is the v1 externalParameters (or v0.2
	// invocation.parameters), kept raw for policy comparison.
	ExternalParameters json.RawMessage `json:"externalParameters,omitempty"`
}

type v02 struct {
	Builder struct {
		ID string `json:"id"`
	} `json:"builder"`
	BuildType  string `json:"buildType"`
	Invocation struct {
		ConfigSource struct {
			URI    string            `json:"uri"`
			Digest map[string]string `json:"digest"`
		} `json:"configSource"`
		Parameters  json.RawMessage `json:"parameters"`
		Environment struct {
			GithubRef     string          `json:"github_ref"`
			GithubPayload json.RawMessage `json:"github_event_payload"`
		} `json:"environment"`
	} `json:"invocation"`
	Materials []struct {
		URI    string            `json:"uri"`
		Digest map[string]string `json:"digest"`
	} `json:"materials"`
	// v0.1 (Cloud Build)
	Recipe struct {
		Type      string `json:"type"`
		Arguments struct {
			Substitutions map[string]string `json:"substitutions"`
		} `json:"arguments"`
	} `json:"recipe"`
}

type v1 struct {
	BuildDefinition struct {
		BuildType          string          `json:"buildType"`
		ExternalParameters json.RawMessage `json:"externalParameters"`
		InternalParameters json.RawMessage `json:"internalParameters"`
		ResolvedDeps       []struct {
			URI    string            `json:"uri"`
			Digest map[string]string `json:"digest"`
		} `json:"resolvedDependencies"`
	} `json:"buildDefinition"`
	RunDetails struct {
		Builder struct {
			ID string `json:"id"`
		} `json:"builder"`
	} `json:"runDetails"`
}

// ParseClaims reads the SLSA predicate of a statement. A statement of
// another predicate type gives an error.
func ParseClaims(st *statement.Statement) (*Claims, error) {
	c := &Claims{PredicateType: st.PredicateType}
	switch st.PredicateType {
	case PredicateV1:
		var p v1
		if err := json.Unmarshal(st.Predicate, &p); err != nil {
			return nil, errf("SLSA v1 predicate: %v", err)
		}
		c.BuilderID = p.RunDetails.Builder.ID
		c.BuildType = p.BuildDefinition.BuildType
		c.ExternalParameters = p.BuildDefinition.ExternalParameters
		var ext struct {
			Workflow struct {
				Ref        string `json:"ref"`
				Repository string `json:"repository"`
			} `json:"workflow"`
			Source struct {
				URI string `json:"uri"`
			} `json:"source"`
		}
		_ = json.Unmarshal(p.BuildDefinition.ExternalParameters, &ext)
		var internal struct {
			GithubRef     string          `json:"GITHUB_REF"`
			GithubPayload json.RawMessage `json:"GITHUB_EVENT_PAYLOAD"`
		}
		_ = json.Unmarshal(p.BuildDefinition.InternalParameters, &internal)
		if len(p.BuildDefinition.ResolvedDeps) > 0 {
			d := p.BuildDefinition.ResolvedDeps[0]
			c.SourceURI, c.SourceRef = splitRef(d.URI)
			c.SourceDigest = firstOf(d.Digest, "gitCommit", "sha1")
		}
		if c.SourceURI == "" {
			c.SourceURI = firstNonEmpty(ext.Workflow.Repository, ext.Source.URI)
		}
		c.SourceRef = firstNonEmpty(c.SourceRef, ext.Workflow.Ref, internal.GithubRef)
		c.BaseRef = baseRef(internal.GithubPayload)
	case PredicateV02:
		var p v02
		if err := json.Unmarshal(st.Predicate, &p); err != nil {
			return nil, errf("SLSA v0.2 predicate: %v", err)
		}
		c.BuilderID = p.Builder.ID
		c.BuildType = p.BuildType
		c.ExternalParameters = p.Invocation.Parameters
		c.SourceURI, c.SourceRef = splitRef(p.Invocation.ConfigSource.URI)
		c.SourceDigest = firstOf(p.Invocation.ConfigSource.Digest, "sha1", "gitCommit")
		if c.SourceURI == "" && len(p.Materials) > 0 {
			c.SourceURI, c.SourceRef = splitRef(p.Materials[0].URI)
			c.SourceDigest = firstOf(p.Materials[0].Digest, "sha1", "gitCommit")
		}
		c.SourceRef = firstNonEmpty(c.SourceRef, p.Invocation.Environment.GithubRef)
		c.BaseRef = baseRef(p.Invocation.Environment.GithubPayload)
	case PredicateV01:
		var p v02
		if err := json.Unmarshal(st.Predicate, &p); err != nil {
			return nil, errf("SLSA v0.1 predicate: %v", err)
		}
		c.BuilderID = p.Builder.ID
		c.BuildType = p.Recipe.Type
		if len(p.Materials) > 0 {
			c.SourceURI, c.SourceRef = splitRef(p.Materials[0].URI)
			c.SourceDigest = firstOf(p.Materials[0].Digest, "sha1", "gitCommit")
		}
		subs := p.Recipe.Arguments.Substitutions
		c.Tag, c.Branch = subs["TAG_NAME"], subs["BRANCH_NAME"]
		switch {
		case c.Tag != "":
			c.SourceRef = firstNonEmpty(c.SourceRef, "refs/tags/"+c.Tag)
		case c.Branch != "":
			c.SourceRef = firstNonEmpty(c.SourceRef, "refs/heads/"+c.Branch)
		}
	default:
		return nil, errf("predicate type %q is not SLSA provenance", st.PredicateType)
	}
	return c, nil
}

func baseRef(payload json.RawMessage) string {
	var ev struct {
		BaseRef string `json:"base_ref"`
	}
	_ = json.Unmarshal(payload, &ev)
	return ev.BaseRef
}

// splitRef splits "git+https://github.com/o/r@refs/tags/v1" into the
// repository and the ref.
func splitRef(uri string) (string, string) {
	if i := strings.LastIndex(uri, "@"); i > 0 && strings.Contains(uri[i:], "refs/") {
		return uri[:i], uri[i+1:]
	}
	return uri, ""
}

func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// NormalizeRepo turns "git+https://github.com/o/r.git@ref" and
// "github.com/o/r" into "github.com/o/r".
func NormalizeRepo(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "git+")
	for _, p := range []string{"https://", "http://", "ssh://", "git://"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimPrefix(s, "git@")
	if r, _ := splitRef(s); r != "" {
		s = r
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	return strings.ToLower(s)
}
