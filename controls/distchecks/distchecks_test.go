package distchecks

import (
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

var at = time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC)

func run(t *testing.T, c controls.Check, f *distribution.Finding) evidence.Finding {
	t.Helper()
	f.Check, f.At = c.ID, at
	if f.Path == "" {
		f.Path = "p"
	}
	ev := []evidence.Evidence{{ID: "e1", Kind: c.Reads[0], Payload: f}}
	out := c.Run(ev)
	if len(out) != 1 {
		t.Fatalf("%d findings", len(out))
	}
	if out[0].Evidence[0] != "e1" || out[0].ID == "" || out[0].Location.Path != f.Path {
		t.Errorf("finding not tied to its evidence: %+v", out[0])
	}
	return out[0]
}

func TestChecks(t *testing.T) {
	cases := []struct {
		name  string
		check controls.Check
		f     distribution.Finding
		want  evidence.Status
		msg   string
	}{
		{"verified", NewOCISigned(), distribution.Finding{Outcome: distribution.Verified, Message: "ok"}, evidence.Pass, "ok"},
		{"failed", NewAptSigned(), distribution.Finding{Outcome: distribution.Failed, Message: "bad"}, evidence.Fail, "bad"},
		{"not verified is never a pass", NewReleaseChecksumsSigned(), distribution.Finding{Outcome: distribution.NotVerified, Message: "no key"}, evidence.NotAssessed, "no key"},
		{"TOFU chain", NewTUFRootChain(), distribution.Finding{Outcome: distribution.NotVerified, Message: "chain"}, evidence.NotAssessed, "trust on first use"},
		{"pinned chain", NewTUFRootChain(), distribution.Finding{Outcome: distribution.Verified, Message: "chain"}, evidence.Pass, "chain"},
		{"expired role at a pinned instant", NewTUFExpiry(), distribution.Finding{Subject: "timestamp", Expires: at.Add(-time.Second), AtGiven: true}, evidence.Fail, "expired 2026-08-19T23:59:59Z, before the assessment instant 2026-08-20T00:00:00Z"},
		// The run's own clock stays out of the message: two runs over the same input say the same.
		{"expired role now", NewTUFExpiry(), distribution.Finding{Subject: "timestamp", Expires: at.Add(-time.Second)}, evidence.Fail, "expired 2026-08-19T23:59:59Z, before this assessment"},
		{"valid role at a pinned instant", NewTUFExpiry(), distribution.Finding{Subject: "root", Expires: at.Add(time.Hour), AtGiven: true}, evidence.Pass, "(judged at 2026-08-20T00:00:00Z)"},
		{"expires at the instant", NewTUFExpiry(), distribution.Finding{Subject: "timestamp", Expires: at}, evidence.Fail, "expired"},
		{"valid role", NewTUFExpiry(), distribution.Finding{Subject: "root", Expires: at.Add(time.Hour)}, evidence.Pass, "valid until"},
		{"root threshold 1", NewTUFThreshold(2), distribution.Finding{Subject: "root", Threshold: 1, Keys: 3, Message: "role root"}, evidence.Fail, "one stolen key"},
		{"targets threshold 2", NewTUFThreshold(2), distribution.Finding{Subject: "targets", Threshold: 2, Keys: 3, Message: "role targets"}, evidence.Pass, "role targets"},
		{"timestamp threshold 1", NewTUFThreshold(2), distribution.Finding{Subject: "timestamp", Threshold: 1, Keys: 1, Message: "role timestamp"}, evidence.Pass, ""},
		{"unreachable threshold", NewTUFThreshold(2), distribution.Finding{Subject: "snapshot", Threshold: 3, Keys: 2, Message: "role snapshot"}, evidence.Fail, "exceeds the keys"},
		{"zero threshold", NewTUFThreshold(2), distribution.Finding{Subject: "x", Threshold: 0, Keys: 2, Message: "role x"}, evidence.Fail, "cannot protect"},
		{"apt valid", NewAptValidUntil(), distribution.Finding{Issued: at.Add(-time.Hour), Expires: at.Add(time.Hour)}, evidence.Pass, "valid until"},
		{"apt expired", NewAptValidUntil(), distribution.Finding{Issued: at.Add(-48 * time.Hour), Expires: at.Add(-time.Hour)}, evidence.Fail, "expired"},
		{"apt no Valid-Until", NewAptValidUntil(), distribution.Finding{Issued: at.Add(-time.Hour)}, evidence.NotAssessed, "no Valid-Until"},
		{"apt dated in the future", NewAptValidUntil(), distribution.Finding{Issued: at.Add(72 * time.Hour), Expires: at.Add(96 * time.Hour)}, evidence.Fail, "after the assessment instant"},
		{"apt bad date", NewAptValidUntil(), distribution.Finding{Outcome: distribution.Failed, Message: "Valid-Until \"x\" does not parse"}, evidence.Fail, "does not parse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			got := run(t, tc.check, &f)
			if got.Status != tc.want || !strings.Contains(got.Message, tc.msg) {
				t.Errorf("%s %q, want %s %q", got.Status, got.Message, tc.want, tc.msg)
			}
			if got.Status == evidence.Fail && got.Severity != tc.check.Severity || got.Status != evidence.Fail && got.Severity != evidence.Info {
				t.Errorf("severity %s", got.Severity)
			}
		})
	}
}

// Every check is mapped, reads only its own observations, and nothing
// else reaches it.
func TestAllMappedAndSeparate(t *testing.T) {
	m, err := controls.DefaultMapping()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range All(Options{}) {
		if seen[c.ID] {
			t.Errorf("%s twice", c.ID)
		}
		seen[c.ID] = true
		if len(m.ControlsOf(c.ID)) == 0 {
			t.Errorf("%s maps to no control", c.ID)
		}
		if len(c.Reads) != 1 || c.Reads[0] != distribution.Kind(c.ID) {
			t.Errorf("%s reads %v", c.ID, c.Reads)
		}
		if out := c.Run([]evidence.Evidence{{ID: "x", Kind: "files.artifact", Payload: "not ours"}}); len(out) != 0 {
			t.Errorf("%s judged foreign evidence", c.ID)
		}
	}
	if len(seen) != 18 {
		t.Errorf("%d checks", len(seen))
	}
}
