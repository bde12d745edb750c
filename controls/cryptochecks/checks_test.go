package cryptochecks

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/keys"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

var at2026 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func mat(id string, at time.Time, assets ...keys.Asset) evidence.Evidence {
	for i := range assets {
		if assets[i].Path == "" {
			assets[i].Path = id
		}
	}
	return evidence.Evidence{ID: id, Kind: keys.KindMaterial, CollectedAt: at, Subject: evidence.Subject{Type: "file", Ref: id},
		Payload: &keys.Material{Path: id, Format: "pem", Assets: assets}}
}

func sigCheck(id, method, status string, weak ...string) evidence.Evidence {
	return evidence.Evidence{ID: id, Kind: keys.KindSignatureCheck, Subject: evidence.Subject{Type: "artifact", Ref: "a.tar.gz"},
		Payload: &keys.SignatureCheck{Method: method, Signature: id, Data: "a.tar.gz", Status: status, Reason: "why", Weak: weak}}
}

var (
	ecdsa   = keys.Asset{Kind: keys.AssetKey, Algorithm: "ECDSA", Bits: 256, Curve: "P-256", Class: keys.ClassQuantumVulnerable, CNSA2: keys.CNSANotApproved}
	mldsa87 = keys.Asset{Kind: keys.AssetKey, Algorithm: "ML-DSA-87", PostQuantum: true, Class: keys.ClassPostQuantum, QuantumLevel: 5, CNSA2: keys.CNSAApproved}
	rsa1024 = keys.Asset{Kind: keys.AssetKey, Algorithm: "RSA", Bits: 1024, Class: keys.ClassWeak, Weak: []string{"RSA-1024 key (below 2048 bits)"}}
	expired = keys.Asset{Kind: keys.AssetCertificate, Algorithm: "ECDSA", Curve: "P-384", Class: keys.ClassQuantumVulnerable,
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	oldRoot = keys.Asset{Kind: keys.AssetTrustedRoot, Role: "fulcio-ca", Algorithm: "ECDSA", Curve: "P-384", Class: keys.ClassQuantumVulnerable,
		NotAfter: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	private = keys.Asset{Kind: keys.AssetPrivateKey, Algorithm: "Ed25519", Class: keys.ClassQuantumVulnerable}
	broken  = keys.Asset{Kind: keys.AssetKey, Error: "malformed: truncated"}
)

type want struct {
	status   evidence.Status
	severity evidence.Severity
	contains string
}

func run(t *testing.T, c controls.Check, ev []evidence.Evidence, wants []want) {
	t.Helper()
	// Round-trip the evidence through JSON, as a report re-render does.
	b, _ := json.Marshal(ev)
	var round []evidence.Evidence
	if err := json.Unmarshal(b, &round); err != nil {
		t.Fatal(err)
	}
	for _, input := range [][]evidence.Evidence{ev, round} {
		got := c.Run(input)
		if len(got) != len(wants) {
			t.Fatalf("%s: %d findings, want %d: %+v", c.ID, len(got), len(wants), got)
		}
		for i, w := range wants {
			f := got[i]
			if f.Status != w.status || (w.severity != "" && f.Severity != w.severity) || !strings.Contains(f.Message, w.contains) {
				t.Errorf("%s finding %d: %s/%s %q, want %s/%s containing %q", c.ID, i, f.Status, f.Severity, f.Message, w.status, w.severity, w.contains)
			}
			if len(f.Evidence) == 0 || f.ID == "" || f.CheckID != c.ID {
				t.Errorf("%s finding %d lacks evidence ids or id: %+v", c.ID, i, f)
			}
		}
	}
}

func TestQuantumVulnerable(t *testing.T) {
	c := NewQuantumVulnerable()
	run(t, c, nil, nil)
	run(t, c, []evidence.Evidence{
		mat("classic.pem", at2026, ecdsa, ecdsa),
		mat("hybrid.pem", at2026, ecdsa, mldsa87),
		mat("pq.pem", at2026, mldsa87),
		mat("old.pem", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ecdsa),
		mat("late.pem", time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), ecdsa),
		mat("priv.pem", at2026, private),
	}, []want{
		{evidence.Fail, evidence.Medium, "ECDSA-P-256 x2"},
		{evidence.Pass, evidence.Info, "hybrid"},
		{evidence.Pass, evidence.Info, "post-quantum signing material only"},
		{evidence.Fail, evidence.Low, "CNSA 2.0"},
		{evidence.Fail, evidence.High, "CNSA 2.0"},
	})
}

func TestWeakAlgorithm(t *testing.T) {
	run(t, NewWeakAlgorithm(), []evidence.Evidence{
		mat("weak.pem", at2026, ecdsa, rsa1024),
		mat("ok.pem", at2026, ecdsa),
		mat("broken.pem", at2026, broken),
		sigCheck("sha1.sig", "openpgp", keys.StatusVerified, "SHA-1 digest"),
		sigCheck("good.sig", "openpgp", keys.StatusVerified),
	}, []want{
		{evidence.Fail, evidence.High, "RSA-1024"},
		{evidence.Pass, evidence.Info, "no weak algorithm"},
		{evidence.Fail, evidence.High, "SHA-1"},
	})
}

func TestExpiredOrRevoked(t *testing.T) {
	revoked := ecdsa
	revoked.Kind, revoked.Revoked = keys.AssetOpenPGPKey, true
	run(t, NewExpiredOrRevoked(), []evidence.Evidence{
		mat("exp.pem", at2026, expired),
		mat("root.json", at2026, oldRoot),
		mat("ring.asc", at2026, revoked),
		mat("ok.pem", at2026, ecdsa),
	}, []want{
		{evidence.Fail, evidence.Medium, "expired 2021-01-01"},
		{evidence.Fail, evidence.Medium, "revoked"},
		{evidence.Pass, evidence.Info, "valid"},
	})
}

func TestPrivateKeyExposed(t *testing.T) {
	run(t, NewPrivateKeyExposed(), []evidence.Evidence{mat("k.pem", at2026, private), mat("ok.pem", at2026, ecdsa)},
		[]want{{evidence.Fail, evidence.Critical, "Ed25519 private key"}})
	run(t, NewPrivateKeyExposed(), []evidence.Evidence{mat("ok.pem", at2026, ecdsa)},
		[]want{{evidence.Pass, evidence.Info, "no private key"}})
	// A key file too large to read: no pass, whatever else was read.
	big := evidence.Evidence{ID: "big", Kind: collectors.KindSkipped, Subject: evidence.Subject{Type: "file", Ref: "id_rsa"},
		Payload: &collectors.Skipped{Path: "id_rsa", Collector: keys.Name, Reason: "too large"}}
	run(t, NewPrivateKeyExposed(), []evidence.Evidence{mat("ok.pem", at2026, ecdsa), big},
		[]want{{evidence.NotAssessed, evidence.Info, "1 key file(s) were too large to read: id_rsa"}})
	run(t, NewPrivateKeyExposed(), []evidence.Evidence{big},
		[]want{{evidence.NotAssessed, evidence.Info, "too large to read"}})
	run(t, NewPrivateKeyExposed(), []evidence.Evidence{mat("k.pem", at2026, private), big},
		[]want{{evidence.Fail, evidence.Critical, "Ed25519 private key"}})
}

func TestUnreadable(t *testing.T) {
	run(t, NewUnreadableMaterial(), []evidence.Evidence{mat("b.pem", at2026, broken), mat("ok.pem", at2026, ecdsa)},
		[]want{{evidence.Fail, evidence.Low, "truncated"}, {evidence.Pass, evidence.Info, "1 asset"}})
}

func TestSignatureChecks(t *testing.T) {
	ev := []evidence.Evidence{
		sigCheck("a.asc", "openpgp", keys.StatusVerified),
		sigCheck("b.asc", "openpgp", keys.StatusFailed),
		sigCheck("c.asc", "openpgp", keys.StatusUnverifiable),
		sigCheck("d.sig", "ml-dsa", keys.StatusVerified),
		sigCheck("e.pem", "x509", keys.StatusFailed),
	}
	run(t, NewPGPVerified(), ev, []want{{evidence.Pass, "", "a.asc over a.tar.gz"}, {evidence.Fail, evidence.High, "b.asc"}, {evidence.NotAssessed, "", "c.asc"}})
	run(t, NewPQCVerified(), ev, []want{{evidence.Pass, "", "d.sig"}, {evidence.Fail, evidence.High, "e.pem"}})
}

func TestInventory(t *testing.T) {
	e := mat("root.json", at2026, oldRoot, mldsa87)
	e.Target = "demo"
	inv := Inventory([]evidence.Evidence{e})
	if len(inv.Crypto) != 2 || inv.Crypto[0].Kind != "trusted-root (fulcio-ca)" || inv.Crypto[0].Size != "P-384" ||
		inv.Crypto[1].Class != "post-quantum" || inv.Crypto[1].CNSA2 != "approved" || !strings.HasPrefix(inv.Crypto[0].Location, "demo:root.json") {
		t.Errorf("inventory: %+v", inv.Crypto)
	}
}

func TestQuantumSeverity(t *testing.T) {
	for _, tt := range []struct {
		y    int
		want evidence.Severity
	}{{2024, evidence.Low}, {2025, evidence.Medium}, {2029, evidence.Medium}, {2030, evidence.High}} {
		if got := QuantumSeverity(time.Date(tt.y, 6, 1, 0, 0, 0, 0, time.UTC)); got != tt.want {
			t.Errorf("%d: %s, want %s", tt.y, got, tt.want)
		}
	}
}

// TestMapping: every check has a mapping entry naming real controls, and
// every entry in crypto.yaml names a check of this package.
func TestMapping(t *testing.T) {
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range All() {
		ids[c.ID] = true
		e := m.Entries[c.ID]
		// A precondition (a check of pedigree's own inputs) maps to no
		// control on purpose.
		if e == nil || (len(e.Controls) == 0 && e.Precondition == nil) {
			t.Errorf("%s has no mapping", c.ID)
			continue
		}
		if !strings.Contains(e.Source, "crypto.yaml") {
			t.Errorf("%s mapped in %s, want crypto.yaml", c.ID, e.Source)
		}
		for _, ref := range e.Controls {
			if ctl, ok := idx.Control(ref.Control); !ok || ctl.Withdrawn {
				t.Errorf("%s: control %s unknown or withdrawn", c.ID, ref.Control)
			}
		}
		if c.Run == nil || c.Title == "" || c.Rationale == "" || c.Remediation == "" || len(c.Reads) == 0 {
			t.Errorf("%s incomplete", c.ID)
		}
	}
	for _, e := range m.Sorted() {
		if strings.Contains(e.Source, "crypto.yaml") && !ids[e.Check] {
			t.Errorf("%s: unknown check %s", e.Source, e.Check)
		}
	}
}
