package vuln

import (
	"testing"

	"github.com/pedigree-dev/pedigree/evidence"
)

func TestScoreSeverity(t *testing.T) {
	tests := []struct {
		typ, vector string
		base        float64
		sev         evidence.Severity
		err         bool
	}{
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, evidence.Critical, false},
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, evidence.High, false},
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N", 5.9, evidence.Medium, false},
		{"CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, evidence.Critical, false},
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, evidence.Info, false},
		{"CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, evidence.Critical, false},
		{"CVSS_V4", "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 4.8, evidence.Medium, false},
		{"CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, evidence.High, false},
		{"Ubuntu", "medium", -1, evidence.Medium, false},
		{"database", "MODERATE", -1, evidence.Medium, false},
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L", -1, "", true},
		{"CVSS_V4", "CVSS:4.0/garbage", -1, "", true},
		{"CVSS_V3", "nonsense", -1, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.vector, func(t *testing.T) {
			s := ScoreSeverity(tt.typ, tt.vector)
			if (s.Error != "") != tt.err {
				t.Fatalf("error = %q, want error %v", s.Error, tt.err)
			}
			if s.Base != tt.base || s.Severity != tt.sev {
				t.Errorf("got %.1f %s, want %.1f %s", s.Base, s.Severity, tt.base, tt.sev)
			}
		})
	}
}

func TestWorst(t *testing.T) {
	v3 := ScoreSeverity("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N") // 5.9 medium
	v4 := ScoreSeverity("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
	word := ScoreSeverity("database", "LOW")
	if w, _ := Worst([]Score{v3, word, v4}); w.Version != "4.0" {
		t.Errorf("worst = %+v, want the v4.0 score", w)
	}
	if w, _ := Worst([]Score{word, v3}); w.Version != "3.1" {
		t.Errorf("a severity word outranked a vector: %+v", w)
	}
	if w, ok := Worst([]Score{word}); !ok || w.Severity != evidence.Low {
		t.Errorf("word only = %+v %v", w, ok)
	}
	if _, ok := Worst([]Score{ScoreSeverity("CVSS_V3", "bad")}); ok {
		t.Error("an unscorable vector decided a severity")
	}
}
