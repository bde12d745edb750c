package evidence

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Namespace is the UUIDv5 namespace of everything pedigree names
// deterministically, so that two runs over unchanged input agree.
var Namespace = uuid.MustParse("6f1d6a52-54b4-5c1e-9a0c-7065646967ee")

// StableUUID derives a UUIDv5 from the parts, joined unambiguously.
func StableUUID(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
	}
	return uuid.NewSHA1(Namespace, []byte(b.String())).String()
}

// NewID gives evidence a stable id from what identifies it.
func NewID(collector, kind, target, source, sha256 string) string {
	return StableUUID("evidence", collector, kind, target, source, sha256)
}

// Identify sets f.ID from the check, the subjects and the location, the
// things that make a finding the same finding in the next run.
func (f *Finding) Identify() {
	parts := []string{"finding", f.CheckID}
	for _, s := range f.Subjects {
		parts = append(parts, s.Type, s.Ref)
	}
	if f.Location != nil {
		parts = append(parts, f.Location.Path, strconv.Itoa(f.Location.Line), strconv.Itoa(f.Location.Column))
	}
	if len(f.Subjects) == 0 && f.Location == nil {
		parts = append(parts, f.Message)
	}
	f.ID = StableUUID(parts...)
}
