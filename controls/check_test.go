package controls

import (
	"encoding/json"
	"testing"

	"github.com/pedigree-dev/pedigree/evidence"
)

type probe struct {
	Path string `json:"path"`
	OK   bool   `json:"ok"`
}

func TestEachPayload(t *testing.T) {
	c := Check{ID: "X-PROBE", Severity: evidence.Medium}
	run := EachPayload(func(e *evidence.Evidence, p *probe) evidence.Finding {
		st := evidence.Fail
		if p.OK {
			st = evidence.Pass
		}
		return c.Finding(st, p.Path, e.Subject)
	})
	// One typed payload, one generic (as after a pedigree.json round trip),
	// one of another type, one empty.
	b, _ := json.Marshal(&probe{Path: "b", OK: true})
	var generic any
	json.Unmarshal(b, &generic)
	ev := []evidence.Evidence{
		{ID: "e1", Payload: &probe{Path: "a"}},
		{ID: "e2", Payload: generic},
		{ID: "e3", Payload: "not a probe"},
		{ID: "e4"},
	}
	fs := run(ev)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	if fs[0].Status != evidence.Fail || fs[0].Severity != evidence.Medium || fs[0].Evidence[0] != "e1" {
		t.Errorf("first = %+v", fs[0])
	}
	if fs[1].Status != evidence.Pass || fs[1].Severity != evidence.Info || fs[1].Evidence[0] != "e2" || fs[1].Message != "b" {
		t.Errorf("second = %+v", fs[1])
	}
}
