package vuln

import (
	"context"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
)

func demoDB(t testing.TB) *Database {
	t.Helper()
	db, err := LoadDatabase(context.Background(), []string{"../../examples/demo/vuln/osv"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func demoDoc() *sbom.Document {
	return &sbom.Document{File: "sbom.cdx.json", Components: []sbom.Component{
		{Ref: "log4j", Name: "log4j-core", Version: "2.14.1", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", Supplier: "Apache"},
		{Ref: "xnet", Name: "golang.org/x/net", Version: "v0.15.0", PURL: "pkg:golang/golang.org/x/net@v0.15.0"},
		{Ref: "crypto-1", Name: "golang.org/x/crypto", Version: "v0.16.0", PURL: "pkg:golang/golang.org/x/crypto@v0.16.0"},
		{Ref: "lodash", Name: "lodash", Version: "4.17.20", PURL: "pkg:npm/lodash@4.17.20"},
		{Ref: "requests", Name: "requests", Version: "2.31.0", PURL: "pkg:pypi/requests@2.31.0"},
		{Ref: "log4j-new", Name: "log4j-core", Version: "2.17.1", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"},
		{Name: "vendored-zlib", Version: "1.2.13"},
		{Name: "openssl", Version: "3.0.0", CPE: "cpe:2.3:a:openssl:openssl:3.0.0:*:*:*:*:*:*:*"},
	}}
}

// summary renders results as "component: id[flags]" lines.
func summary(rs []Result) string {
	var lines []string
	for _, r := range rs {
		var ms []string
		for _, m := range r.Matches {
			s := m.ID + "/" + string(m.Severity)
			if m.Fixed != "" {
				s += "/fix=" + m.Fixed
			}
			if m.KEV != nil {
				s += "/KEV"
			}
			if m.VEX != nil {
				s += "/vex=" + m.VEX.Status
			}
			if m.Suppressed {
				s += "/suppressed"
			}
			ms = append(ms, s)
		}
		line := r.Component.Name + "@" + r.Component.Version + ": " + strings.Join(ms, ",")
		if r.Reason != "" {
			line += " (" + r.Reason + ")"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func TestMatchDocument(t *testing.T) {
	db := demoDB(t)
	kev, err := ParseKEV("kev", readTestdata(t, "../../examples/demo/vuln/known_exploited_vulnerabilities.json"))
	if err != nil {
		t.Fatal(err)
	}
	vex, err := ParseVEX("demo.openvex.json", FormatOpenVEX, readTestdata(t, "../../examples/demo/vuln/pedigree-demo.openvex.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := summary(MatchDocument(db.Index, kev, []VEXInput{{Doc: vex, Evidence: "ev-vex"}}, demoDoc()))
	want := strings.Join([]string{
		"log4j-core@2.14.1: GHSA-jfh8-c2jp-5v3q/critical/fix=2.15.0/KEV",
		"golang.org/x/net@v0.15.0: GHSA-qppj-fm5r-hxr3/high/fix=0.17.0/KEV",
		"golang.org/x/crypto@v0.16.0: GHSA-45x7-px36-x8w8/medium/fix=0.17.0/vex=not_affected/suppressed",
		"lodash@4.17.20: GHSA-35jh-r3h4-6jhm/high/fix=4.17.21/vex=under_investigation",
		// not_affected without justification: recorded, not applied.
		"requests@2.31.0: GHSA-9wx4-h78v-vm56/medium/fix=2.32.0/vex=not_affected",
		"log4j-core@2.17.1: ",
		"vendored-zlib@1.2.13:  (" + ReasonNoIdentifier + ")",
		"openssl@3.0.0:  (" + ReasonCPEOnly + ")",
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestVEXPrecedenceAndFormats(t *testing.T) {
	db := demoDB(t)
	doc := demoDoc()
	cdx, err := ParseVEX("cdx", FormatCycloneDX, readTestdata(t, "testdata/cdx-vex.json"))
	if err != nil {
		t.Fatal(err)
	}
	csaf, err := ParseVEX("csaf", FormatCSAF, readTestdata(t, "testdata/csaf-vex.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A later OpenVEX statement says affected: it wins over the older
	// CycloneDX not_affected for x/crypto.
	later := &VEXDocument{File: "later", Format: FormatOpenVEX, Statements: []Statement{{Vulnerability: "GHSA-45x7-px36-x8w8",
		Product: Product{PURL: "pkg:golang/golang.org/x/crypto"}, Status: StatusAffected, Timestamp: "2026-02-01T00:00:00Z"},
		{Vulnerability: "CVE-2099-9999", Product: Product{PURL: "pkg:npm/lodash"}, Status: StatusAffected}}}
	rs := MatchDocument(db.Index, nil, []VEXInput{{Doc: cdx}, {Doc: csaf}, {Doc: later}}, doc)
	got := summary(rs[:4])
	want := strings.Join([]string{
		"log4j-core@2.14.1: GHSA-jfh8-c2jp-5v3q/critical/fix=2.15.0",
		"golang.org/x/net@v0.15.0: GHSA-qppj-fm5r-hxr3/high/fix=0.17.0/vex=not_affected/suppressed",
		"golang.org/x/crypto@v0.16.0: GHSA-45x7-px36-x8w8/medium/fix=0.17.0/vex=affected",
		"lodash@4.17.20: GHSA-35jh-r3h4-6jhm/high/fix=4.17.21/vex=fixed/suppressed,CVE-2099-9999//vex=affected",
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestProductMatches(t *testing.T) {
	c := ComponentRef{Ref: "r1", PURL: "pkg:deb/debian/openssl@3.0.11?arch=amd64&distro=debian-12", CPE: "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"}
	for p, want := range map[Product]bool{
		{PURL: "pkg:deb/debian/openssl"}:                        true,
		{PURL: "pkg:deb/debian/openssl@3.0.11"}:                 true,
		{PURL: "pkg:deb/debian/openssl@3.0.12"}:                 false,
		{PURL: "pkg:deb/debian/openssl?distro=debian-12"}:       true,
		{PURL: "pkg:deb/debian/openssl?distro=debian-11"}:       false,
		{PURL: "pkg:deb/ubuntu/openssl"}:                        false,
		{CPE: "CPE:2.3:A:OPENSSL:OPENSSL:3.0.11:*:*:*:*:*:*:*"}: true,
		{Ref: "r1"}: true,
		{Ref: "r2"}: false,
	} {
		if got := productMatches(p, c); got != want {
			t.Errorf("productMatches(%+v) = %v, want %v", p, got, want)
		}
	}
}
