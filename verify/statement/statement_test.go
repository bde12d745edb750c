package statement

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	d := strings.Repeat("ab", 32)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"v1", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"p","predicate":{}}`, true},
		{"v0.1", `{"_type":"https://in-toto.io/Statement/v0.1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"p","predicate":{"x":1}}`, true},
		{"bad type", `{"_type":"https://example.com/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"p","predicate":{}}`, false},
		{"no subject", `{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{}}`, false},
		{"no digest", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a"}],"predicateType":"p","predicate":{}}`, false},
		{"short sha256", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"abcd"}}],"predicateType":"p","predicate":{}}`, false},
		{"no predicate type", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicate":{}}`, false},
		{"no predicate", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"p"}`, false},
		{"deep", strings.Repeat(`{"a":`, 200), false},
		{"truncated", `{"_type":"https://in-toto.io/Statement/v1","subject":[`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if tt.ok != (err == nil) {
				t.Fatalf("ok=%v, err=%v", tt.ok, err)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	d := strings.Repeat("ab", 32)
	st, err := Parse([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `","sha512":"` + strings.Repeat("00", 64) + `"}}],"predicateType":"p","predicate":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Match(Digests{"sha256": strings.ToUpper(d)})) != 1 {
		t.Error("sha256 match")
	}
	if len(st.Match(Digests{"sha256": d, "sha512": strings.Repeat("11", 64)})) != 0 {
		t.Error("conflicting sha512 matched")
	}
	if len(st.Match(Digests{"md5": "x"})) != 0 {
		t.Error("no shared algorithm matched")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"x":"y"}}],"predicateType":"p","predicate":{}}`))
	f.Add([]byte(`{"_type":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := Parse(b)
		if err == nil && (len(st.Subject) == 0 || st.PredicateType == "") {
			t.Fatalf("accepted an invalid statement: %s", b)
		}
	})
}

// TestParseLarge: above the size where the predicate is not decoded for
// validation, the statement's own fields are still validated and the
// predicate must still be an object; above the caller's limit it is refused.
func TestParseLarge(t *testing.T) {
	d := strings.Repeat("ab", 32)
	big := `"` + strings.Repeat("x", elideAbove) + `"`
	subj := `"subject":[{"name":"a","digest":{"sha256":"` + d + `"}}]`
	for _, tt := range []struct {
		name, in string
		limit    int
		ok       bool
	}{
		{"object predicate", `{"_type":"https://in-toto.io/Statement/v1",` + subj + `,"predicateType":"p","predicate":{"blob":` + big + `}}`, MaxSize, true},
		{"string predicate", `{"_type":"https://in-toto.io/Statement/v1",` + subj + `,"predicateType":"p","predicate":` + big + `}`, MaxSize, false},
		{"bad type", `{"_type":"https://example.com/Statement/v1",` + subj + `,"predicateType":"p","predicate":{"blob":` + big + `}}`, MaxSize, false},
		{"no subject", `{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{"blob":` + big + `}}`, MaxSize, false},
		{"no predicate type", `{"_type":"https://in-toto.io/Statement/v1",` + subj + `,"predicate":{"blob":` + big + `}}`, MaxSize, false},
		{"above the limit", `{"_type":"https://in-toto.io/Statement/v1",` + subj + `,"predicateType":"p","predicate":{"blob":` + big + `}}`, elideAbove, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseLimit([]byte(tt.in), tt.limit)
			if tt.ok != (err == nil) {
				t.Fatalf("ok=%v, err=%v", tt.ok, err)
			}
			if err == nil && len(s.Predicate) < elideAbove {
				t.Errorf("predicate of %d bytes kept", len(s.Predicate))
			}
		})
	}
}
