package vuln

import (
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
)

func TestPackageFromPURL(t *testing.T) {
	tests := []struct {
		purl, version string
		want          Package
		reason        string
	}{
		{"pkg:golang/github.com/Masterminds/semver/v3@v3.2.0", "", Package{Ecosystem: "Go", Name: "github.com/masterminds/semver/v3", Version: "v3.2.0"}, ""},
		{"pkg:golang/stdlib@1.21.3", "", Package{Ecosystem: "Go", Name: "stdlib", Version: "1.21.3"}, ""},
		{"pkg:golang/stdlib@go1.21.3", "", Package{Ecosystem: "Go", Name: "stdlib", Version: "1.21.3"}, ""},
		{"pkg:npm/%40babel/traverse@7.22.0", "", Package{Ecosystem: "npm", Name: "@babel/traverse", Version: "7.22.0"}, ""},
		{"pkg:pypi/Django_Rest.Framework@3.15.1", "", Package{Ecosystem: "PyPI", Name: "django-rest.framework", Version: "3.15.1"}, ""},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "", Package{Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1"}, ""},
		{"pkg:cargo/smallvec@0.6.10", "", Package{Ecosystem: "crates.io", Name: "smallvec", Version: "0.6.10"}, ""},
		{"pkg:nuget/Newtonsoft.Json@12.0.3", "", Package{Ecosystem: "NuGet", Name: "Newtonsoft.Json", Version: "12.0.3"}, ""},
		{"pkg:gem/rails@6.1.7", "", Package{Ecosystem: "RubyGems", Name: "rails", Version: "6.1.7"}, ""},
		{"pkg:composer/symfony/http-kernel@5.4.0", "", Package{Ecosystem: "Packagist", Name: "symfony/http-kernel", Version: "5.4.0"}, ""},
		{"pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl", "", Package{Ecosystem: "Debian", Release: "12", Name: "openssl", Version: "3.0.11-1~deb12u1"}, ""},
		{"pkg:deb/debian/bash@5.2.15-2?epoch=1&distro=bookworm", "", Package{Ecosystem: "Debian", Release: "12", Name: "bash", Version: "1:5.2.15-2"}, ""},
		{"pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=ubuntu-22.04", "", Package{Ecosystem: "Ubuntu", Release: "22.04", Name: "openssl", Version: "3.0.2-0ubuntu1.10"}, ""},
		{"pkg:apk/alpine/libcrypto3@3.1.4-r0?distro=alpine-3.18.4&upstream=openssl", "", Package{Ecosystem: "Alpine", Release: "v3.18", Name: "openssl", Version: "3.1.4-r0"}, ""},
		{"pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?epoch=1&upstream=openssl-1.1.1k-7.el8_6.src.rpm", "", Package{Ecosystem: "Red Hat", Name: "openssl", Version: "1:1.1.1k-7.el8_6"}, ""},
		{"pkg:npm/lodash", "4.17.20", Package{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"}, ""},
		{"pkg:npm/lodash", "", Package{Ecosystem: "npm", Name: "lodash"}, ReasonNoVersion},
		{"pkg:generic/openssl@3.0.0", "", Package{}, ReasonUnsupportedEco},
		{"pkg:deb/kali/foo@1", "", Package{}, ReasonUnsupportedEco},
		{"not a purl", "", Package{}, ReasonBadPURL},
	}
	for _, tt := range tests {
		t.Run(tt.purl, func(t *testing.T) {
			got, reason := PackageFromPURL(tt.purl, tt.version)
			if reason != tt.reason {
				t.Fatalf("reason = %q, want %q", reason, tt.reason)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{"Django_Rest.Framework": "django-rest-framework", "zope.interface": "zope-interface", "a--b__c": "a-b-c"} {
		if got := normalizeName("PyPI", in); got != want {
			t.Errorf("normalizeName(%q) = %q, want %q", in, got, want)
		}
	}
	if indexKey("Maven:https://maven.google.com", "a:b") != indexKey("Maven", "A:B") {
		t.Error("Maven repository suffix or case changes the key")
	}
}

// TestVersionProblem: only a single comparable version may be matched; the
// class of placeholders, ranges and templates never is.
func TestVersionProblem(t *testing.T) {
	for v, want := range map[string]string{
		// comparable
		"1.2.3": "", "v0.15.0": "", "v0.0.0-20230101120000-abcdef123456": "", "1:5.2.15-2": "",
		"3.0.11-1~deb12u1": "", "2.0+dfsg-1": "", "1.0.0-rc.1+build.5": "", "0.0.0": "", "20230101": "",
		"1.1.1k-7.el8_6": "", "go1.21.3": "", "2.3.0.RELEASE": "", "dev-1.2": "",
		// nothing
		"": ReasonNoVersion, "   ": ReasonNoVersion,
		// placeholders
		"UNKNOWN": ReasonPlaceholderVersion, "unknown": ReasonPlaceholderVersion, "NOASSERTION": ReasonPlaceholderVersion,
		"(devel)": ReasonPlaceholderVersion, "latest": ReasonPlaceholderVersion, "master": ReasonPlaceholderVersion,
		"dev-main": ReasonPlaceholderVersion, "-": ReasonPlaceholderVersion, "N/A": ReasonPlaceholderVersion,
		"${project.version}": ReasonPlaceholderVersion, "{{ .Version }}": ReasonPlaceholderVersion, "$(VERSION)1": ReasonPlaceholderVersion,
		"v0.0.0-00010101000000-000000000000": ReasonPlaceholderVersion, "0.0.0-00010101000000-000000000000": ReasonPlaceholderVersion,
		// ranges and wildcards
		"*": ReasonRangeVersion, "x": ReasonRangeVersion, "1.x": ReasonRangeVersion, "1.2.*": ReasonRangeVersion,
		"^1.2.0": ReasonRangeVersion, "~1.2": ReasonRangeVersion, ">=1.0": ReasonRangeVersion, ">=1.0,<2.0": ReasonRangeVersion,
		"<2": ReasonRangeVersion, "=1.0": ReasonRangeVersion, "[1.0,2.0)": ReasonRangeVersion, "(,1.0]": ReasonRangeVersion,
		"1.0.0 - 2.0.0": ReasonRangeVersion, "1.0 || 2.0": ReasonRangeVersion, "1.2+": ReasonRangeVersion, "1.0 <2": ReasonRangeVersion,
	} {
		if got := VersionProblem(v); got != want {
			t.Errorf("VersionProblem(%q) = %q, want %q", v, got, want)
		}
	}
}

// TestPlaceholderNeverMatches: a component whose version is a placeholder
// gets no match (not one per advisory of its package) and carries the
// reason, whether the placeholder is in the purl or only the component.
func TestPlaceholderNeverMatches(t *testing.T) {
	db := demoDB(t)
	for _, c := range []sbom.Component{
		{Name: "golang.org/x/net", Version: "UNKNOWN", PURL: "pkg:golang/golang.org/x/net@UNKNOWN"},
		{Name: "golang.org/x/net", Version: "UNKNOWN", PURL: "pkg:golang/golang.org/x/net"},
		{Name: "golang.org/x/net", Version: "*", PURL: "pkg:golang/golang.org/x/net"},
		{Name: "golang.org/x/net", Version: "<0.17.0", PURL: "pkg:golang/golang.org/x/net"},
		{Name: "log4j-core", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@%24%7Blog4j.version%7D"},
	} {
		rs := MatchDocument(db.Index, nil, nil, &sbom.Document{Components: []sbom.Component{c}})
		if len(rs[0].Matches) != 0 || rs[0].Reason == "" {
			t.Errorf("%s %q: %d matches, reason %q; want none and a reason", c.PURL, c.Version, len(rs[0].Matches), rs[0].Reason)
		}
	}
	// The same package at a real version still matches: the demo data holds
	// an advisory for it.
	rs := MatchDocument(db.Index, nil, nil, &sbom.Document{Components: []sbom.Component{
		{Name: "golang.org/x/net", Version: "v0.15.0", PURL: "pkg:golang/golang.org/x/net@v0.15.0"}}})
	if len(rs[0].Matches) == 0 {
		t.Fatal("golang.org/x/net v0.15.0 no longer matches the demo advisory")
	}
}
