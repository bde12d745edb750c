package sarif

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"

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
								Index int    `json:"index"`
							} `json:"artifactLocation"`
							Region *struct {
								StartLine   int `json:"startLine"`
								StartColumn int `json:"startColumn"`
								CharOffset  int `json:"charOffset"`
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
			if r.Locations[0].PhysicalLocation.ArtifactLocation.Index != -1 {
				t.Errorf("result of %s: artifact index %d points at no artifact", r.RuleID, r.Locations[0].PhysicalLocation.ArtifactLocation.Index)
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
		if reg == nil || reg.StartLine != 42 || reg.StartColumn != 14 || reg.CharOffset != -1 {
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
