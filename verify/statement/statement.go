// Package statement parses and validates in-toto Statements (v0.1 and v1),
// the unsigned body of an attestation, and matches their subjects against
// artifact digests.
package statement

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	attv1 "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pedigree-dev/pedigree/verify/dsse"
)

// Statement types and the DSSE payload type of in-toto.
const (
	TypeV1      = "https://in-toto.io/Statement/v1"
	TypeV01     = "https://in-toto.io/Statement/v0.1"
	PayloadType = "application/vnd.in-toto+json"
	MaxSize     = 16 << 20
)

// elideAbove is the statement size above which the predicate is not
// decoded for validation (see ParseLimit).
const elideAbove = 1 << 20

// ErrInvalid is a statement that is not a valid in-toto Statement.
var ErrInvalid = errors.New("invalid in-toto statement")

// Subject is one subject of a statement.
type Subject struct {
	Name   string            `json:"name,omitempty"`
	URI    string            `json:"uri,omitempty"`
	Digest map[string]string `json:"digest"`
}

// Statement is a parsed, validated in-toto Statement.
type Statement struct {
	Type          string          `json:"_type"`
	Subject       []Subject       `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate,omitempty"`
}

// Version is "v1" or "v0.1".
func (s *Statement) Version() string {
	if s.Type == TypeV01 {
		return "v0.1"
	}
	return "v1"
}

// Parse decodes and validates a statement: type v1 or v0.1, at least one
// subject, each subject with a digest (hex of the right length for known
// algorithms), a predicate type and a predicate object.
func Parse(b []byte) (*Statement, error) { return ParseLimit(b, MaxSize) }

// ParseLimit is Parse with the caller's size limit. Above elideAbove the
// predicate (an SBOM, typically) is checked to be an object but is not
// decoded into protobuf values for validation, which costs many times its
// size in time and memory: the statement's own fields are validated alone.
func ParseLimit(b []byte, limit int) (*Statement, error) {
	if err := dsse.CheckJSON(b, limit); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var s Statement
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	head := b
	if len(b) > elideAbove {
		if p := bytes.TrimLeft(s.Predicate, " \t\r\n"); len(p) == 0 || p[0] != '{' {
			return nil, fmt.Errorf("%w: predicate is not an object", ErrInvalid)
		}
		var err error
		if head, err = json.Marshal(Statement{Type: s.Type, Subject: s.Subject, PredicateType: s.PredicateType, Predicate: json.RawMessage("{}")}); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	pb := &attv1.Statement{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(head, pb); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := pb.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	for i, sub := range s.Subject {
		for alg, d := range sub.Digest {
			if strings.TrimSpace(d) == "" {
				return nil, fmt.Errorf("%w: subject %d: empty %s digest", ErrInvalid, i, alg)
			}
		}
	}
	return &s, nil
}

// FromEnvelope parses the statement inside a DSSE envelope, checking the
// payload type.
func FromEnvelope(e *dsse.Envelope) (*Statement, error) { return FromEnvelopeLimit(e, MaxSize) }

// FromEnvelopeLimit is FromEnvelope with the caller's size limit (see
// ParseLimit).
func FromEnvelopeLimit(e *dsse.Envelope, limit int) (*Statement, error) {
	if e.PayloadType != PayloadType {
		return nil, fmt.Errorf("%w: envelope payloadType %q, want %q", ErrInvalid, e.PayloadType, PayloadType)
	}
	return ParseLimit(e.Payload, limit)
}

// Digests is a set of artifact digests by algorithm (lower-case hex).
type Digests map[string]string

// Match returns the subjects whose digest agrees with d on every algorithm
// they share (at least one shared).
func (s *Statement) Match(d Digests) []Subject {
	var out []Subject
	for _, sub := range s.Subject {
		shared, ok := 0, true
		for alg, v := range sub.Digest {
			if w, has := d[strings.ToLower(alg)]; has {
				shared++
				if !strings.EqualFold(v, w) {
					ok = false
				}
			}
		}
		if ok && shared > 0 {
			out = append(out, sub)
		}
	}
	return out
}

// SubjectDigests lists "alg:hex" of every subject, sorted, for reports.
func (s *Statement) SubjectDigests() []string {
	var out []string
	for _, sub := range s.Subject {
		for alg, v := range sub.Digest {
			out = append(out, strings.ToLower(alg)+":"+strings.ToLower(v))
		}
	}
	sort.Strings(out)
	return out
}
