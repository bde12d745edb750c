package sbomchecks

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/collectors/signing"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

var collected = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

const digestA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func docEvidence(d *sbom.Document) evidence.Evidence {
	return evidence.Evidence{
		ID: "ev-" + d.File, Collector: sbom.CollectorName, Kind: sbom.EvidenceKind, Target: "t",
		Source: d.File, SHA256: "00", CollectedAt: collected, Payload: d,
		Subject: evidence.Subject{Type: "sbom", Ref: d.File},
	}
}

func artifactEvidence(p, sha string, release bool) evidence.Evidence {
	return evidence.Evidence{
		ID: "art-" + p, Collector: files.Name, Kind: files.KindArtifact, Target: "t", Source: p, SHA256: sha,
		CollectedAt: collected, Payload: &files.Artifact{Path: p, SHA256: sha, Release: release},
	}
}

// signatureEvidence is the signing pillar's verdict on a detached signature.
func signatureEvidence(status, sig, covers string) evidence.Evidence {
	return evidence.Evidence{ID: "sig-" + sig, Kind: signing.KindSignature, Target: "t",
		Payload: &signing.Signature{Path: sig, Status: status, Reason: "r", Artifacts: []signing.ArtifactRef{{Path: covers, SHA256: "00"}}}}
}

// builtArtifact is a release archive whose members say when it was built.
func builtArtifact(p, sha, built string) evidence.Evidence {
	e := artifactEvidence(p, sha, true)
	t, _ := time.Parse(time.RFC3339, built)
	e.Payload.(*files.Artifact).BuiltAt = t
	return e
}

// good is a document that passes every NTIA element.
func good() *sbom.Document {
	return &sbom.Document{
		File: "app.cdx.json", Format: sbom.FormatCycloneDX, SpecVersion: "1.6", Encoding: sbom.EncodingJSON,
		SchemaValid: true, SchemaChecked: true,
		Authors: []string{"Acme"}, Tools: []string{"gen"}, Timestamp: "2025-05-01T00:00:00Z", Lifecycle: []string{"build"},
		Primary: &sbom.Component{Ref: "app", Name: "app", Version: "1.0", Hashes: []sbom.Hash{{Algorithm: "SHA-256", Value: digestA}}},
		Components: []sbom.Component{
			{Ref: "a", Name: "a", Version: "1", Supplier: "A", PURL: "pkg:npm/a@1", Hashes: []sbom.Hash{{Algorithm: "SHA-256", Value: "aa"}}, Licenses: []string{"MIT"}, Extra: &sbom.ComponentExtra{DownloadLocation: "https://a"}},
			{Ref: "b", Name: "b", Version: "2", Supplier: "B", CPE: "cpe:2.3:a:b:b:2:*:*:*:*:*:*:*", Hashes: []sbom.Hash{{Algorithm: "SHA-512", Value: "bb"}}, Licenses: []string{"MIT"}, Extra: &sbom.ComponentExtra{VCS: "git+https://b"}},
		},
		Dependencies:    map[string][]string{"app": {"a"}, "a": {"b"}},
		HasDependencies: true,
	}
}

func run(c controls.Check, ev ...evidence.Evidence) []string {
	var in []evidence.Evidence
	for _, e := range ev {
		for _, k := range c.Reads {
			if e.Kind == k {
				in = append(in, e)
			}
		}
	}
	var out []string
	for _, f := range c.Run(in) {
		if len(f.Evidence) == 0 {
			out = append(out, "NO EVIDENCE "+f.Message)
			continue
		}
		out = append(out, string(f.Status)+": "+f.Message)
	}
	sort.Strings(out)
	return out
}

func TestChecks(t *testing.T) {
	mod := func(f func(d *sbom.Document)) *sbom.Document { d := good(); f(d); return d }
	tests := []struct {
		name  string
		check controls.Check
		ev    []evidence.Evidence
		want  []string // status: substring of message, one per finding
	}{
		{"ntia pass", NewNTIAMinimum(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: NTIA minimum elements present"}},
		// An SBOM a distribution channel carried is signed and bound by the channel, not by a file beside it.
		{"attached: attestation verified", NewSigned(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Attached = &sbom.Attachment{Digest: "sha256:ab", Ref: "img@sha256:ab", Subject: true, Signature: "verified", Message: "m"}
		}))}, []string{"pass: app.cdx.json (SBOM attached to img@sha256:ab): signed as an attestation whose signature verifies against the trust policy: m"}},
		{"attached: attestation fails", NewSigned(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Attached = &sbom.Attachment{Digest: "sha256:ab", Ref: "img@sha256:ab", Subject: true, Signature: "failed", Message: "m"}
		}))}, []string{"fail: app.cdx.json (SBOM attached to img@sha256:ab): the attestation carrying it does not verify: m"}},
		{"attached: attestation unverified", NewSigned(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Attached = &sbom.Attachment{Digest: "sha256:ab", Ref: "img@sha256:ab", Subject: true, Signature: "not-verified", Message: "m"}
		}))}, []string{"not-assessed: app.cdx.json (SBOM attached to img@sha256:ab): the attestation carrying it was not verified: m"}},
		{"attached: bare .sbom layer", NewSigned(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Attached = &sbom.Attachment{Digest: "sha256:ab", Ref: "img@sha256:ab", Subject: false, Signature: "not-verified", Message: "m"}
		}))}, []string{"fail: app.cdx.json (SBOM attached to img@sha256:ab): not signed: attached with no signature over it"}},
		{"attached: bound by the statement's subject", NewArtifactBinding(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Attached = &sbom.Attachment{Digest: "sha256:ab", Ref: "img@sha256:ab", Subject: true, Signature: "failed", Message: "m"}
		}))}, []string{"pass: app.cdx.json (SBOM attached to img@sha256:ab): bound to the image by the subject of the in-toto statement"}},
		{"attached: bare layer binds nothing", NewArtifactBinding(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Attached = &sbom.Attachment{Digest: "sha256:ab", Ref: "img@sha256:ab", Subject: false, Signature: "not-verified", Message: "m"}
		}))}, []string{"not-assessed: app.cdx.json (SBOM attached to img@sha256:ab): attached by tag name only"}},
		{"ntia first missing supplier", NewNTIAMinimum(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Components[1].Supplier = "" }))},
			[]string{"fail: app.cdx.json: NTIA minimum elements incomplete (first missing: supplier): supplier missing in 1 of 2 components (b@2)"}},
		{"ntia no components", NewNTIAMinimum(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Components = nil }))},
			[]string{"fail: app.cdx.json: NTIA minimum elements incomplete (first missing: components)"}},
		{"ntia schema-invalid not judged", NewNTIAMinimum(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.SchemaValid = false; d.SchemaErrors = []string{"/x: bad"} }))},
			[]string{"not-assessed: app.cdx.json: NTIA minimum elements not judged: the SBOM is not valid against its schema (/x: bad)"}},
		{"cisa pass", NewCISA2025Minimum(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: CISA 2025"}},
		{"cisa no lifecycle", NewCISA2025Minimum(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Lifecycle = nil }))},
			[]string{"fail: app.cdx.json: CISA 2025 minimum elements incomplete (first missing: generation context)"}},
		{"bsi fails without bsi fields", NewBSITR03183(), []evidence.Evidence{docEvidence(good())},
			[]string{"fail: app.cdx.json: BSI TR-03183-2 required fields incomplete (first missing: SBOM creator e-mail or URL)"}},
		{"bsi pass", NewBSITR03183(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.AuthorContacts = []string{"sbom@acme.example"}
			for i := range d.Components {
				c := &d.Components[i]
				c.More().FileName = c.Name + ".jar"
				c.Hashes = []sbom.Hash{{Algorithm: "SHA-512", Value: "x"}}
				c.More().Properties = map[string]string{"bsi:component:executable": "no", "bsi:component:archive": "yes", "bsi:component:structured": "yes"}
			}
		}))}, []string{"pass: app.cdx.json: BSI TR-03183-2"}},
		{"graph pass", NewDependencyGraph(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: all 2 components are reachable"}},
		{"graph unreachable, dangling, cycle, duplicate", NewDependencyGraph(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Dependencies = map[string][]string{"app": {"a", "ghost"}, "a": {"app"}}
			d.DuplicateRefs = []string{"a"}
		}))}, []string{"fail: app.cdx.json: 1 of 2 components not reachable from the primary component (b@2); 1 dangling reference to no component (ghost); 1 duplicate ref (a); 1 dependency cycle (app -> a -> app)"}},
		{"graph nested components reachable", NewDependencyGraph(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Dependencies = map[string][]string{"app": {"a"}}
			d.Components[1].More().Parent = "a"
		}))}, []string{"pass: app.cdx.json: all 2 components are reachable"}},
		{"graph no primary", NewDependencyGraph(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Primary = nil }))},
			[]string{"fail: app.cdx.json: no primary component"}},
		{"identifiers pass", NewIdentifiersValid(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: all 2 purl/CPE identifiers are well-formed"}},
		{"identifiers bad purl and cpe", NewIdentifiersValid(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Components[0].PURL = "npm/a@1"
			d.Components[1].CPE = "cpe:2.3:a:b"
		}))}, []string{`fail: app.cdx.json: 2 of 2 identifiers are malformed: a@1 purl "npm/a@1"`}},
		{"identifiers none", NewIdentifiersValid(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Components[0].PURL = ""; d.Components[1].CPE = "" }))},
			[]string{"not-assessed: app.cdx.json: no purl or CPE to validate"}},
		{"supplier missing", NewSupplier(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Components[0].Supplier = "" }))},
			[]string{"fail: app.cdx.json: 1 of 2 components record no supplier: a@1"}},
		{"provenance pass", NewProvenance(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: all 2 components record provenance"}},
		{"provenance pedigree counts", NewProvenance(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Components[0].More().DownloadLocation = ""
			d.Components[0].More().Pedigree = &sbom.Pedigree{Commits: []string{"abc"}}
			d.Components[1].More().VCS = ""
		}))}, []string{"fail: app.cdx.json: 1 of 2 components record no provenance (pedigree, originator, download location or VCS): b@2"}},
		{"hash strong", NewHashStrength(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: all 2 components carry a SHA-256 or stronger hash"}},
		{"hash weak and missing", NewHashStrength(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Components[0].Hashes = []sbom.Hash{{Algorithm: "MD5", Value: "x"}, {Algorithm: "SHA-1", Value: "y"}}
			d.Components[1].Hashes = nil
		}))}, []string{"fail: app.cdx.json: 1 of 2 components have only weak hashes (MD5, SHA-1): a@1; 1 of 2 components have no hash: b@2"}},
		{"signed verified", NewSigned(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Signature = &sbom.Signature{Algorithm: "ES256", KeyType: "EC P-256", Verified: true}
		}))}, []string{"pass: app.cdx.json: embedded JSF ES256 signature verifies"}},
		{"signed bad", NewSigned(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) {
			d.Signature = &sbom.Signature{Algorithm: "ES256", Problem: "signature does not verify (algorithm ES256)"}
		}))}, []string{"fail: app.cdx.json: embedded JSF ES256 signature does not verify"}},
		{"unsigned with detached", NewSigned(), []evidence.Evidence{docEvidence(good()), artifactEvidence("app.cdx.json.sig", "11", false)},
			[]string{"not-assessed: app.cdx.json: no embedded signature; detached signature app.cdx.json.sig is verified by the signing pillar"}},
		{"unsigned", NewSigned(), []evidence.Evidence{docEvidence(good())}, []string{"fail: app.cdx.json: not signed"}},
		{"detached bundle verified by the signing pillar", NewSigned(), []evidence.Evidence{docEvidence(good()), artifactEvidence("app.cdx.json.sigstore.json", "11", false),
			signatureEvidence(signing.StatusVerified, "app.cdx.json.sigstore.json", "app.cdx.json"), signatureEvidence(signing.StatusFailed, "old.sigstore.json", "app.cdx.json")},
			[]string{"pass: app.cdx.json: detached signature app.cdx.json.sigstore.json verifies against the trust policy"}},
		{"detached OpenPGP signature fails", NewSigned(), []evidence.Evidence{docEvidence(good()),
			{ID: "k1", Kind: keys.KindSignatureCheck, Target: "t", Payload: &keys.SignatureCheck{Method: "openpgp", Signature: "app.cdx.json.asc", Data: "app.cdx.json", Status: keys.StatusFailed, Reason: "bad signature"}}},
			[]string{"fail: app.cdx.json: detached signature app.cdx.json.asc does not verify: bad signature"}},
		{"binding pass", NewArtifactBinding(), []evidence.Evidence{docEvidence(good()), artifactEvidence("app.tar.gz", digestA, true)},
			[]string{"pass: app.cdx.json: primary component app@1.0 is bound by digest to t:app.tar.gz"}},
		{"binding mismatch", NewArtifactBinding(), []evidence.Evidence{docEvidence(good()), artifactEvidence("app.tar.gz", strings.Repeat("1", 64), true)},
			[]string{"fail: app.cdx.json: primary component app@1.0 names sha-256:9f86d081884c7d65…, which no assessed artifact has"}},
		{"binding no inventory", NewArtifactBinding(), []evidence.Evidence{docEvidence(good())},
			[]string{"not-assessed: app.cdx.json: no artifact inventory"}},
		{"binding no digest", NewArtifactBinding(), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Primary.Hashes = nil })), artifactEvidence("app.tar.gz", digestA, true)},
			[]string{"fail: app.cdx.json: primary component app@1.0 records no SHA-256 or SHA-512 digest"}},
		{"stale within age", NewStale(90 * 24 * time.Hour), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: timestamp 2025-05-01T00:00:00Z is 31d old, within sbom.max-age 90d"}},
		{"stale too old", NewStale(7 * 24 * time.Hour), []evidence.Evidence{docEvidence(good())}, []string{"fail: app.cdx.json: timestamp 2025-05-01T00:00:00Z is 31d old, beyond sbom.max-age 7d"}},
		{"stale future", NewStale(0), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Timestamp = "2030-01-01T00:00:00Z" }))}, []string{"fail: app.cdx.json: timestamp 2030-01-01T00:00:00Z is in the future"}},
		{"stale unparseable", NewStale(0), []evidence.Evidence{docEvidence(mod(func(d *sbom.Document) { d.Timestamp = "yesterday" }))}, []string{`fail: app.cdx.json: timestamp "yesterday" is not an RFC 3339 date-time`}},
		{"stale: predates the artifact's build", NewStale(90 * 24 * time.Hour), []evidence.Evidence{docEvidence(good()), builtArtifact("app.tar.gz", digestA, "2025-05-20T10:00:00Z")},
			[]string{"fail: app.cdx.json: timestamp 2025-05-01T00:00:00Z predates app.tar.gz, built 2025-05-20T10:00:00Z"}},
		{"stale: same build", NewStale(90 * 24 * time.Hour), []evidence.Evidence{docEvidence(good()), builtArtifact("app.tar.gz", digestA, "2025-05-01T12:00:00Z")},
			[]string{"pass: app.cdx.json: timestamp 2025-05-01T00:00:00Z is 31d old"}},
		{"stale no age configured", NewStale(0), []evidence.Evidence{docEvidence(good())}, []string{"not-assessed: app.cdx.json: timestamp 2025-05-01T00:00:00Z (31d old) is valid; no sbom.max-age"}},
		{"schema valid", NewSchemaValid(), []evidence.Evidence{docEvidence(good())}, []string{"pass: app.cdx.json: CycloneDX 1.6 (json) is valid against the official JSON schema"}},
		{"schema unreadable", NewSchemaValid(), []evidence.Evidence{docEvidence(&sbom.Document{File: "x.json", Format: sbom.FormatCycloneDX, Error: "decode CycloneDX JSON: unexpected end"})},
			[]string{"fail: x.json: cannot be read: decode CycloneDX JSON: unexpected end"}},
		{"unreadable skipped by content checks", NewNTIAMinimum(), []evidence.Evidence{docEvidence(&sbom.Document{File: "x.json", Error: "boom"})},
			[]string{"not-assessed: x.json: NTIA minimum elements not judged: the SBOM could not be read: boom"}},
		{"present", NewPresent(), []evidence.Evidence{docEvidence(good()), artifactEvidence("app.tar.gz", digestA, true)}, []string{"pass: target t carries 1 SBOM: app.cdx.json"}},
		{"absent", NewPresent(), []evidence.Evidence{artifactEvidence("app.tar.gz", digestA, true), artifactEvidence("README", "22", false)}, []string{"fail: target t ships 1 artifact (app.tar.gz) and no SBOM"}},
		{"described from another target", NewPresent(), []evidence.Evidence{docEvidence(good()), func() evidence.Evidence {
			a := artifactEvidence("app.tar.gz", digestA, true)
			a.Target = "release"
			return a
		}()}, []string{"pass: target release ships 1 artifact; t:app.cdx.json (in another target) is bound by digest to 1 of them", "pass: target t carries 1 SBOM"}},
		{"nothing to judge", NewPresent(), []evidence.Evidence{artifactEvidence("README", "22", false)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(tt.check, tt.ev...)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings %q, want %d %q", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("finding %d:\n got  %s\n want %s...", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCPESyntax(t *testing.T) {
	for s, ok := range map[string]bool{
		"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*": true,
		`cpe:2.3:a:foo\!bar:baz:1.0:*:*:*:*:*:*:*`:    true,
		"cpe:2.3:a:apache:log4j:2.14.1":               false,
		"cpe:2.3:x:apache:log4j:2.14.1:*:*:*:*:*:*:*": false,
		"cpe:/a:apache:log4j:2.14.1":                  true,
		"cpe:/a:apache:log4j:2.14.1:x:y:z:w":          false,
		"apache:log4j":                                false,
	} {
		if err := ValidCPE(s); (err == nil) != ok {
			t.Errorf("ValidCPE(%q) = %v, want ok=%v", s, err, ok)
		}
	}
}

// TestPipeline runs the real collectors over a release folder and every
// check over their evidence.
func TestPipeline(t *testing.T) {
	dir := t.TempDir()
	art := []byte("release bytes")
	if err := os.WriteFile(filepath.Join(dir, "app_1.0_linux_amd64.tar.gz"), art, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := evidence.SHA256Hex(art)
	bom := `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"metadata":{"timestamp":"2025-05-01T00:00:00Z",
	 "authors":[{"name":"Acme"}],"component":{"type":"application","bom-ref":"app","name":"app","version":"1.0",
	 "hashes":[{"alg":"SHA-256","content":"` + sum + `"}]}},
	 "components":[{"type":"library","bom-ref":"a","name":"a","version":"1","purl":"pkg:golang/example.com/a@v1","supplier":{"name":"A"}}],
	 "dependencies":[{"ref":"app","dependsOn":["a"]},{"ref":"a","dependsOn":[]}]}`
	if err := os.WriteFile(filepath.Join(dir, "app.cdx.json"), []byte(bom), 0o644); err != nil {
		t.Fatal(err)
	}
	tg, err := collectors.OpenTarget("release", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var ev []evidence.Evidence
	for _, c := range []collectors.Collector{files.New(nil), sbom.NewCollector(0)} {
		e, err := c.Collect(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		ev = append(ev, e...)
	}
	status := map[string]evidence.Status{}
	for _, c := range All(Options{MaxAge: 3650 * 24 * time.Hour}) {
		var in []evidence.Evidence
		for _, e := range ev {
			for _, k := range c.Reads {
				if e.Kind == k {
					in = append(in, e)
				}
			}
		}
		for _, f := range c.Run(in) {
			status[c.ID] = f.Status
			if len(f.Evidence) == 0 {
				t.Errorf("%s: finding without evidence", c.ID)
			}
		}
	}
	want := map[string]evidence.Status{
		"SBOM-PRESENT": evidence.Pass, "SBOM-SCHEMA-VALID": evidence.Pass, "SBOM-NTIA-MINIMUM": evidence.Pass,
		"SBOM-DEPENDENCY-GRAPH": evidence.Pass, "SBOM-ARTIFACT-BINDING": evidence.Pass, "SBOM-SIGNED": evidence.Fail,
		"SBOM-STALE": evidence.Pass, "SBOM-IDENTIFIERS-VALID": evidence.Pass, "SBOM-HASH-STRENGTH": evidence.Fail,
	}
	for id, st := range want {
		if status[id] != st {
			t.Errorf("%s = %s, want %s", id, status[id], st)
		}
	}
	inv := Inventory(ev)
	if len(inv.Components) != 1 || inv.Components[0].PURL != "pkg:golang/example.com/a@v1" || inv.Components[0].SBOM != "release:app.cdx.json" {
		t.Errorf("inventory = %+v", inv.Components)
	}
}

// TestMappingCoversChecks: every check has a mapping entry and every entry
// names a check that exists.
func TestMappingCoversChecks(t *testing.T) {
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range All(Options{}) {
		ids[c.ID] = true
		if len(m.ControlsOf(c.ID)) == 0 {
			t.Errorf("%s has no control mapping", c.ID)
		}
	}
	for id, e := range m.Entries {
		if strings.HasPrefix(id, "SBOM-") && !ids[id] {
			t.Errorf("%s: mapping names unknown check %s", e.Source, id)
		}
	}
}
