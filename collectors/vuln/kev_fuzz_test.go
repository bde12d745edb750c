package vuln

import (
	"strings"
	"testing"
)

// FuzzParseKEV: a KEV catalog is a file from elsewhere.
func FuzzParseKEV(f *testing.F) {
	f.Add([]byte(`{"title":"t","count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache"}]}`))
	f.Add([]byte(`{"vulnerabilities":[{"cveID":"nope"}]}`))
	f.Add([]byte(`{"vulnerabilities":null}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKEV("kev.json", b)
		if err != nil {
			if !strings.Contains(err.Error(), "kev.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for id, e := range k.Entries {
			if !strings.HasPrefix(id, "CVE-") || e.CVE != id {
				t.Fatalf("entry %q (%q) is not an upper-case CVE id", id, e.CVE)
			}
		}
		if k.Count != len(k.Entries) {
			t.Fatalf("count %d, %d entries", k.Count, len(k.Entries))
		}
	})
}
