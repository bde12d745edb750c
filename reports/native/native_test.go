package native

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/engine"
	"github.com/pedigree-dev/pedigree/evidence"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func fixture() *assessment.Assessment {
	e := evidence.Evidence{ID: "e1", Collector: "files", Kind: "file", Target: "release", Source: "dist/app.tar.gz",
		SHA256: strings.Repeat("ab", 32), Size: 3, CollectedAt: t0,
		Subject: evidence.Subject{Type: "file", Ref: "dist/app.tar.gz", Digest: "sha256:" + strings.Repeat("ab", 32)},
		Payload: map[string]any{"mode": "0644", "sizes": []any{1.0, 2.0}}}
	f := evidence.Finding{ID: "f1", CheckID: "FILES-CHECKSUM-MISMATCH", Status: evidence.Fail, Severity: evidence.High,
		Message: "digest <differs> & more", Subjects: []evidence.Subject{e.Subject}, Evidence: []string{"e1"},
		Location: &evidence.Location{Path: "SHA256SUMS", Line: 2, Column: 1}}
	return &assessment.Assessment{
		SchemaVersion: assessment.SchemaVersion, Tool: assessment.Tool{Name: "pedigree", Version: "1.2.3"},
		RunID: "0b6f8f0e-7c0a-4c1e-9d7e-3f4a5b6c7d8e", Title: "Demo", StartedAt: t0, FinishedAt: t0.Add(time.Second),
		Scope:      assessment.Scope{Baseline: "moderate", ControlIDs: []string{"si-7.1", "sr-11"}},
		Targets:    []assessment.Target{{Name: "release", Path: "release", Files: 1}},
		Collectors: []assessment.CollectorRun{{Collector: "files", Target: "release", Evidence: 1, Duration: time.Millisecond}},
		Checks: []assessment.Check{{ID: "FILES-CHECKSUM-MISMATCH", Title: "t", Rationale: "r", Remediation: "m",
			Severity: evidence.High, Pillar: "files", Method: "TEST", Controls: []string{"si-7.1"}}},
		Evidence: []evidence.Evidence{e},
		Findings: []evidence.Finding{f},
		Controls: []assessment.ControlResult{
			{ID: "si-7.1", Label: "SI-7(1)", Title: "Integrity Checks", Family: "si", Status: assessment.NotSatisfied, Automated: true,
				Reason: "failed", Checks: []string{"FILES-CHECKSUM-MISMATCH"}, Findings: []string{"f1"},
				Rationales: map[string]string{"FILES-CHECKSUM-MISMATCH": "why"}},
			{ID: "sr-11", Label: "SR-11", Title: "Component Authenticity", Family: "sr", Status: assessment.Satisfied, CSCRM: true,
				Methods: []string{"EXAMINE"}, Reason: "manual",
				Manual: &assessment.ManualEvidence{Status: assessment.Satisfied, Statement: "ok", Assessor: "J. Doe",
					Date: "2026-02-27", Source: "manual.yaml", SHA256: strings.Repeat("cd", 32)}},
		},
		Inventory: assessment.Inventory{Crypto: []assessment.CryptoAsset{{Kind: "key", Algorithm: "ML-DSA-65", Location: "k.pub", Class: "post-quantum", CNSA2: "approved"}}},
		Notes:     []string{"a note"},
	}
}

func write(t testing.TB, a *assessment.Assessment) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := New().Write(context.Background(), &buf, a); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenAndRoundTrip(t *testing.T) {
	got := write(t, fixture())
	golden := filepath.Join("testdata", Filename)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("pedigree.json differs from %s (run go test -update and review)", golden)
	}
	a, err := Load(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, fixture()) {
		t.Errorf("round trip changed the assessment:\n%+v\nvs\n%+v", a, fixture())
	}
	if again := write(t, a); !bytes.Equal(again, got) {
		t.Error("writing a loaded pedigree.json does not reproduce it")
	}
}

// fakeCollector records one evidence per file, through the real Target.
type fakeCollector struct{}

func (fakeCollector) Name() string { return "fake" }
func (fakeCollector) Collect(_ context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	for _, f := range t.Files {
		b, err := t.ReadFile(f.Path)
		if err != nil {
			return nil, err
		}
		out = append(out, t.Evidence("fake", "file", f.Path, b, evidence.Subject{Type: "file", Ref: f.Path}, map[string]any{"bytes": len(b)}))
	}
	return out, nil
}

// A pedigree.json written from a real engine run validates against the
// published schema/pedigree.schema.json (read from the repository, not the
// embedded copy) and loads back.
func TestRealRunValidatesAgainstPublishedSchema(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"app.tar.gz": "app", "SHA256SUMS": "x  app.tar.gz\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	idx, err := catalogs.Default()
	if err != nil {
		t.Skipf("control index unavailable: %v", err)
	}
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Skipf("mapping unavailable: %v", err)
	}
	scope, err := idx.Baseline("low")
	if err != nil {
		t.Fatal(err)
	}
	check := controls.Check{ID: "FAKE-CHECK", Title: "fake", Severity: evidence.Low, Pillar: "files", Method: "TEST", Reads: []string{"file"},
		Run: func(ev []evidence.Evidence) []evidence.Finding {
			var out []evidence.Finding
			for _, e := range ev {
				out = append(out, evidence.Finding{CheckID: "FAKE-CHECK", Status: evidence.Pass, Severity: evidence.Info, Message: "seen",
					Subjects: []evidence.Subject{e.Subject}, Evidence: []string{e.ID}})
			}
			return out
		}}
	a, err := engine.Run(context.Background(), engine.Options{
		Title: "real", Tool: assessment.Tool{Name: "pedigree", Version: "test"},
		Targets:    []engine.TargetSpec{{Name: "release", Path: dir}},
		Collectors: []collectors.Collector{fakeCollector{}},
		Checks:     []controls.Check{check}, Mapping: m, Index: idx,
		Scope: assessment.Scope{Baseline: "low", ControlIDs: scope},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := write(t, a)

	raw, err := os.ReadFile(filepath.Join("..", "..", "schema", "pedigree.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	sdoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("pedigree.schema.json", sdoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("pedigree.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("pedigree.json of a real run breaks its schema: %v", err)
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Evidence) != 2 || len(back.Controls) != len(scope) {
		t.Errorf("loaded %d evidence, %d controls", len(back.Evidence), len(back.Controls))
	}
}

func TestLoadRejects(t *testing.T) {
	good := string(write(t, fixture()))
	cases := map[string]struct{ in, want string }{
		"truncated":      {good[:len(good)/3], "not JSON at offset " + itoaLen(good[:len(good)/3])},
		"malformed":      {"{\n  \"runId\": ,\n}", "not JSON at offset 13, line 2, column 12"},
		"unknown field":  {strings.Replace(good, `"runId"`, `"colour": 1, "runId"`, 1), "/: additional properties 'colour' not allowed"},
		"bad status":     {strings.Replace(good, `"status": "fail"`, `"status": "failed"`, 1), "/findings/0/status: value must be one of"},
		"schema version": {strings.Replace(good, `"schemaVersion": "1.0.0"`, `"schemaVersion": "2.0.0"`, 1), `/schemaVersion: "2.0.0" is not supported`},
		"bad time":       {strings.Replace(good, `"startedAt": "2026-03-01T10:00:00Z"`, `"startedAt": "yesterday"`, 1), "/startedAt: "},
		"not an object":  {"[]", "/: got array, want object"},
	}
	for name, c := range cases {
		_, err := Decode([]byte(c.in))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrInvalid) || strings.Contains(msg, "\n") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: got %q, want it to contain %q, on one line", name, msg, c.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func itoaLen(s string) string { b, _ := json.Marshal(len(s)); return string(b) }

func FuzzDecode(f *testing.F) {
	f.Add(write(f, fixture()))
	f.Add([]byte(`{"schemaVersion": "1.0.0"}`))
	f.Add([]byte(`{"evidence": [{"payload": [[[[]]]]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Decode(b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error: %q", err)
			}
			return
		}
		if a == nil {
			t.Error("nil assessment without error")
		}
	})
}

// TestStreamedIsByteIdentical holds the element-by-element writing of
// large lists (evidence, findings, the component and crypto tables) to the
// bytes the whole encoding gives, with the values an input controls
// (quotes, markup, the marker itself, a payload map keyed "id") in them.
func TestStreamedIsByteIdentical(t *testing.T) {
	big := streamAbove + 7
	for _, tt := range []struct {
		name                         string
		evidence, findings, comps, c int
		markerPayload                bool
		// streamed: written in pieces; false when nothing is large, or
		// a marker in the head (a small list's payload) makes the writer
		// fall back to the whole encoding.
		streamed bool
	}{
		{"small", 3, 3, 3, 3, false, false},
		{"components", 1, 1, big, 0, false, true},
		{"all large", big, big, big, big, false, true},
		{"evidence and crypto", big, 2, 0, big, false, true},
		{"findings only, marker in a small payload", 2, big, 0, 0, true, false},
		{"all large, marker in streamed payloads", big, big, big, big, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := fixture()
			a.Notes = append(a.Notes, `"id": "`+streamMarker+`"`)
			e0, f0 := a.Evidence[0], a.Findings[0]
			a.Evidence, a.Findings = nil, nil
			for i := range tt.evidence {
				e := e0
				e.ID = fmt.Sprintf("e%d", i)
				if tt.markerPayload && i%2 == 0 {
					e.Payload = map[string]any{"id": streamMarker, "sbom": streamMarker, "<&>": []any{"\"q\""}}
				}
				a.Evidence = append(a.Evidence, e)
			}
			for i := range tt.findings {
				f := f0
				f.ID = fmt.Sprintf("f%d", i)
				f.Message = fmt.Sprintf("finding %d <&> \"%s\"", i, streamMarker)
				a.Findings = append(a.Findings, f)
			}
			for i := range tt.comps {
				c := assessment.Component{SBOM: "t:bom.json", Name: fmt.Sprintf("c%d <&> \"q\"", i), Version: "1",
					PURL: "pkg:npm/x@1", Hashes: []string{"SHA-256:" + strings.Repeat("0", 64)}}
				if i%3 == 0 {
					c.SBOM = streamMarker
					c.Licenses = []string{"MIT", "Apache-2.0"}
				}
				a.Inventory.Components = append(a.Inventory.Components, c)
			}
			a.Inventory.Crypto = nil
			for i := range tt.c {
				a.Inventory.Crypto = append(a.Inventory.Crypto, assessment.CryptoAsset{Kind: "certificate", Algorithm: "ECDSA", Size: "P-256",
					Location: fmt.Sprintf("certs/c%d.pem", i), Class: "quantum-vulnerable", CNSA2: "not-approved"})
			}
			var whole bytes.Buffer
			if err := encodeIndented(&whole, a, ""); err != nil {
				t.Fatal(err)
			}
			got := write(t, a)
			if !bytes.Equal(whole.Bytes(), got) {
				w, s := whole.String(), string(got)
				i := 0
				for i < min(len(w), len(s)) && w[i] == s[i] {
					i++
				}
				t.Fatalf("streamed output differs at byte %d: whole %q, streamed %q", i, w[max(0, i-80):min(len(w), i+80)], s[max(0, i-80):min(len(s), i+80)])
			}
			// Large lists go out in pieces unless an input's marker in the
			// head made the writer fall back to the whole encoding.
			cw := &countingWriter{}
			if err := New().Write(context.Background(), cw, a); err != nil {
				t.Fatal(err)
			}
			streamed := cw.writes > 1
			if streamed != tt.streamed {
				t.Errorf("written in %d pieces, want streamed = %v", cw.writes, tt.streamed)
			}
		})
	}
}

func TestStreamedInventoryObservesCancellation(t *testing.T) {
	a := fixture()
	for range 4 * streamAbove {
		a.Inventory.Components = append(a.Inventory.Components, assessment.Component{SBOM: "t:b", Name: strings.Repeat("n", 100)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfterFirst{cancel: cancel}
	if err := New().Write(ctx, w, a); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write cancelled after its first write = %v, want context.Canceled", err)
	}
	if w.writes != 1 {
		t.Fatalf("%d writes after the cancellation, want none", w.writes-1)
	}
}

type countingWriter struct{ writes int }

func (c *countingWriter) Write(p []byte) (int, error) { c.writes++; return len(p), nil }

// cancelAfterFirst cancels the write's context once written to.
type cancelAfterFirst struct {
	cancel func()
	writes int
}

func (c *cancelAfterFirst) Write(p []byte) (int, error) {
	c.writes++
	c.cancel()
	return len(p), nil
}
