package vuln

import (
	"os"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stmts renders statements as "vuln status product justification" lines.
func stmts(d *VEXDocument) []string {
	var out []string
	for _, s := range d.Statements {
		p := firstNonEmpty(s.Product.PURL, s.Product.CPE, s.Product.Ref)
		out = append(out, strings.Join([]string{s.Vulnerability, s.Status, p, s.Justification}, " "))
	}
	return out
}

func TestParseVEX(t *testing.T) {
	tests := []struct {
		file, format string
		want         []string
		problems     int
	}{
		{"../../examples/demo/vuln/pedigree-demo.openvex.json", FormatOpenVEX, []string{
			"CVE-2023-48795 not_affected pkg:golang/golang.org/x/crypto@v0.16.0 vulnerable_code_not_in_execute_path",
			"CVE-2024-35195 not_affected pkg:pypi/requests@2.31.0 ",
			"CVE-2021-23337 under_investigation pkg:npm/lodash@4.17.20 ",
		}, 0},
		{"testdata/cdx-vex.json", FormatCycloneDX, []string{
			"CVE-2023-48795 not_affected pkg:golang/golang.org/x/crypto@v0.16.0 code_not_reachable",
			"CVE-2021-23337 fixed pkg:npm/lodash@4.17.20 ",
		}, 1},
		{"testdata/csaf-vex.json", FormatCSAF, []string{
			"CVE-2023-44487 not_affected pkg:golang/golang.org/x/net@v0.15.0 vulnerable_code_not_in_execute_path",
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			b := readTestdata(t, tt.file)
			if got := DetectVEX(b); got != tt.format {
				t.Fatalf("DetectVEX = %q, want %q", got, tt.format)
			}
			d, err := ParseVEX(tt.file, tt.format, b)
			if err != nil {
				t.Fatal(err)
			}
			if got := stmts(d); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(d.Problems) != tt.problems {
				t.Errorf("problems = %v", d.Problems)
			}
		})
	}
}

func TestCSAFImpactAndParent(t *testing.T) {
	d, err := ParseVEX("csaf", FormatCSAF, readTestdata(t, "testdata/csaf-vex.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := d.Statements[0]
	if s.Impact != "pedigree-demo serves no HTTP/2." || s.Product.Parent != "pkg:generic/pedigree-demo@1.0.0" || s.Aliases[0] != "GHSA-qppj-fm5r-hxr3" {
		t.Errorf("statement = %+v", s)
	}
}

func TestOpenVEXv001(t *testing.T) {
	b := []byte(`{"@context":"https://openvex.dev/ns","@id":"x","author":"a","timestamp":"2023-01-01T00:00:00Z",
	"statements":[{"vulnerability":"CVE-2023-1","products":["pkg:npm/a@1.0.0"],"subcomponents":["pkg:npm/b@2.0.0"],"status":"fixed"},
	{"vulnerability":"CVE-2023-2","products":["pkg:npm/a@1.0.0"],"status":"maybe"}]}`)
	if DetectVEX(b) != FormatOpenVEX {
		t.Fatal("not detected")
	}
	d, err := ParseVEX("v001", FormatOpenVEX, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(stmts(d), "|"); got != "CVE-2023-1 fixed pkg:npm/a@1.0.0 |CVE-2023-1 fixed pkg:npm/b@2.0.0 " || len(d.Problems) != 1 {
		t.Errorf("got %q problems %v", got, d.Problems)
	}
}

func TestVEXErrors(t *testing.T) {
	for _, b := range []string{`{"@context":"https://openvex.dev/ns/v0.2.0","statements":{}}`, `{"@context":"https://openvex.dev/ns/v0.2.0",`} {
		format := DetectVEX([]byte(b))
		if format == "" {
			format = FormatOpenVEX
		}
		_, err := ParseVEX("bad.json", format, []byte(b))
		if err == nil || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: err = %v", b, err)
		}
	}
	if DetectVEX([]byte(`{"bomFormat":"CycloneDX","components":[]}`)) != "" {
		t.Error("an SBOM without vulnerabilities was taken for VEX")
	}
}

func TestParseKEV(t *testing.T) {
	k, err := ParseKEV("kev", readTestdata(t, "../../examples/demo/vuln/known_exploited_vulnerabilities.json"))
	if err != nil {
		t.Fatal(err)
	}
	if k.Count != 3 || k.CatalogVersion != "2026.01.14" {
		t.Errorf("kev = %+v", k)
	}
	if e, ok := k.Lookup([]string{"cve-2021-44228"}); !ok || e.DueDate != "2021-12-24" {
		t.Errorf("lookup = %+v %v", e, ok)
	}
	if _, err := ParseKEV("bad", []byte(`{"vulnerabilities":[{"cveID":"GHSA-x"}]}`)); err == nil || !strings.Contains(err.Error(), "/vulnerabilities/0/cveID") {
		t.Errorf("err = %v", err)
	}
	if _, err := ParseKEV("bad", []byte("{\n\"vulnerabilities\": [1,")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseVEX(f *testing.F) {
	for _, n := range []string{"../../examples/demo/vuln/pedigree-demo.openvex.json", "testdata/cdx-vex.json", "testdata/csaf-vex.json",
		"../../examples/demo/vuln/known_exploited_vulnerabilities.json"} {
		f.Add(readTestdata(f, n))
	}
	f.Add([]byte(`{"@context":"openvex","statements":[{"vulnerability":{"name":1}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		format := DetectVEX(b)
		if format == "kev" {
			ParseKEV("fuzz", b)
			return
		}
		for _, fm := range []string{FormatOpenVEX, FormatCycloneDX, FormatCSAF} {
			d, err := ParseVEX("fuzz", fm, b)
			if err == nil && d.Format != fm {
				t.Fatal("format not recorded")
			}
		}
	})
}
