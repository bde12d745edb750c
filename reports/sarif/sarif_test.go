package sarif

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

func TestGolden(t *testing.T) {
	var b bytes.Buffer
	if err := (&Writer{}).Write(context.Background(), &b, assessmenttest.Small()); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/sarif-schema-2.1.0.json", b.Bytes())
	assessmenttest.Golden(t, "testdata/small.sarif", b.Bytes())
}

// TestCodeScanning checks what GitHub code scanning needs beyond the
// schema: every result has a location with a relative uri, a rule that
// exists at ruleIndex, a fingerprint, and rules carry help and tags.
func TestCodeScanning(t *testing.T) {
	for _, pass := range []bool{false, true} {
		var b bytes.Buffer
		if err := (&Writer{IncludePass: pass}).Write(context.Background(), &b, assessmenttest.Small()); err != nil {
			t.Fatal(err)
		}
		assessmenttest.ValidateSchema(t, "testdata/sarif-schema-2.1.0.json", b.Bytes())
		var doc struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID   string `json:"id"`
							Help struct {
								Text     string `json:"text"`
								Markdown string `json:"markdown"`
							} `json:"help"`
							Properties map[string]any `json:"properties"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleID              string            `json:"ruleId"`
					RuleIndex           int               `json:"ruleIndex"`
					Kind                string            `json:"kind"`
					Level               string            `json:"level"`
					PartialFingerprints map[string]string `json:"partialFingerprints"`
					Locations           []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI   string `json:"uri"`
								Index *int   `json:"index"`
							} `json:"artifactLocation"`
							Region *struct {
								StartLine   int  `json:"startLine"`
								StartColumn int  `json:"startColumn"`
								CharOffset  *int `json:"charOffset"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		run := doc.Runs[0]
		want := 2
		if pass {
			want = 3
		}
		if len(run.Results) != want {
			t.Fatalf("pass=%v: %d results, want %d", pass, len(run.Results), want)
		}
		for _, r := range run.Results {
			if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
				t.Errorf("result of %s: ruleIndex %d does not point at its rule", r.RuleID, r.RuleIndex)
			}
			if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
				t.Errorf("result of %s has no artifact location", r.RuleID)
			}
			// SARIF2004: the unset sentinel -1 is left out, not written.
			if r.Locations[0].PhysicalLocation.ArtifactLocation.Index != nil {
				t.Errorf("result of %s: artifact index %d written, want it left out", r.RuleID, *r.Locations[0].PhysicalLocation.ArtifactLocation.Index)
			}
			// SARIF2017: every result has a region.
			if r.Locations[0].PhysicalLocation.Region == nil || r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("result of %s has no region with a start line", r.RuleID)
			}
			if r.PartialFingerprints[FingerprintKey] == "" {
				t.Errorf("result of %s has no fingerprint", r.RuleID)
			}
			if r.Kind == "pass" && r.Level != "none" {
				t.Errorf("pass result of %s has level %s", r.RuleID, r.Level)
			}
		}
		inj := run.Results[0]
		if inj.RuleID != "CI-TEMPLATE-INJECTION" || inj.Level != "error" {
			t.Fatalf("first result %s level %s, want CI-TEMPLATE-INJECTION error", inj.RuleID, inj.Level)
		}
		reg := inj.Locations[0].PhysicalLocation.Region
		if reg == nil || reg.StartLine != 42 || reg.StartColumn != 14 || reg.CharOffset != nil {
			t.Fatalf("region %+v, want line 42 column 14 and no char offset", reg)
		}
		for _, r := range run.Tool.Driver.Rules {
			if r.Help.Text == "" || r.Properties["security-severity"] == nil {
				t.Errorf("rule %s lacks help or security-severity", r.ID)
			}
		}
		if tags := run.Tool.Driver.Rules[0].Properties["tags"].([]any); !slices.Contains(tags, any("NIST-800-53/SA-11")) {
			t.Errorf("rule %s tags %v, want the control tags", run.Tool.Driver.Rules[0].ID, tags)
		}
	}
}

func TestRandomValidates(t *testing.T) {
	var b bytes.Buffer
	if err := (&Writer{}).Write(context.Background(), &b, assessmenttest.Random(1, 300, 40)); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/sarif-schema-2.1.0.json", b.Bytes())
}

// TestMultitoolWarnings pins, without the SARIF Multitool, what its
// "Sarif;Gh" rules warned about: the unset sentinel -1 written literally
// (SARIF2004), results without a region (SARIF2017), a tool version that
// is not numeric (SARIF2005), and target roots that were not absolute.
func TestMultitoolWarnings(t *testing.T) {
	a := assessmenttest.Small()
	a.Tool.Version = "dev"
	a.Targets = append(a.Targets, assessment.Target{Name: "rel", Path: "examples/rel"})
	var b bytes.Buffer
	if err := (&Writer{}).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	assessmenttest.ValidateSchema(t, "testdata/sarif-schema-2.1.0.json", b.Bytes())
	var doc any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if n, ok := c.(float64); ok && n == -1 && sentinels[k] {
					t.Errorf("%s.%s is the unset sentinel -1", path, k)
				}
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("$", doc)
	var log210 struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
				} `json:"driver"`
			} `json:"tool"`
			OriginalURIBaseIDs map[string]struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"originalUriBaseIds"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					Physical struct {
						Region *struct {
							StartLine  int  `json:"startLine"`
							ByteOffset *int `json:"byteOffset"`
							ByteLength *int `json:"byteLength"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log210); err != nil {
		t.Fatal(err)
	}
	run := log210.Runs[0]
	if v := run.Tool.Driver.Version; v != "0.0.0-dev" {
		t.Errorf("tool version %q, want 0.0.0-dev", v)
	}
	if b := run.OriginalURIBaseIDs["TARGET_REL"]; b.URI != "examples/rel/" || b.URIBaseID != SourceRoot {
		t.Errorf("relative target root %+v, want examples/rel/ under %s", b, SourceRoot)
	}
	for name, base := range run.OriginalURIBaseIDs {
		if strings.HasPrefix(base.URI, "file:") && !strings.HasPrefix(base.URI, "file:///") || !strings.HasPrefix(base.URI, "file:") && base.URIBaseID != SourceRoot {
			t.Errorf("%s: %+v is neither an absolute file URI nor relative to %s", name, base, SourceRoot)
		}
	}
	for _, r := range run.Results {
		if r.RuleID != "SBOM-NTIA-MINIMUM" {
			continue
		}
		reg := r.Locations[0].Physical.Region
		if reg == nil || reg.StartLine != 1 || reg.ByteOffset == nil || *reg.ByteOffset != 0 || reg.ByteLength == nil || *reg.ByteLength <= 0 {
			t.Errorf("whole-file finding region %+v, want line 1 and the file's bytes", reg)
		}
	}
}

// TestFingerprintsStable: two runs over the same findings (new run id,
// new times) give every alert the same fingerprint, so code scanning
// tracks it instead of closing and reopening it.
func TestFingerprintsStable(t *testing.T) {
	fps := func(a *assessment.Assessment) []string {
		var b bytes.Buffer
		if err := (&Writer{}).Write(context.Background(), &b, a); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range doc.Runs[0].Results {
			out = append(out, r.PartialFingerprints[FingerprintKey])
		}
		return out
	}
	a1, a2 := assessmenttest.Random(5, 400, 40), assessmenttest.Random(5, 400, 40)
	a2.RunID = "another-run"
	a2.StartedAt = a2.StartedAt.Add(24 * time.Hour)
	a2.FinishedAt = a2.FinishedAt.Add(24 * time.Hour)
	f1, f2 := fps(a1), fps(a2)
	if len(f1) == 0 || !slices.Equal(f1, f2) {
		t.Fatalf("fingerprints differ between runs over the same findings (%d vs %d)", len(f1), len(f2))
	}
	if len(slices.Compact(slices.Sorted(slices.Values(f1)))) != len(f1) {
		t.Fatalf("fingerprints are not unique")
	}
}
