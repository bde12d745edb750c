// Package disttest runs a distribution collector over a folder in tests
// and returns its evidence or its observations.
package disttest

import (
	"context"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Collect loads the options, runs the collector mk builds over dir and
// returns its evidence.
func Collect(t testing.TB, mk func(*distribution.Trust) collectors.Collector, dir string, o distribution.Options) []evidence.Evidence {
	t.Helper()
	tr, err := distribution.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := collectors.OpenTarget("t", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := mk(tr).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// Scan is Collect's observations, checking each evidence names its source.
func Scan(t testing.TB, mk func(*distribution.Trust) collectors.Collector, dir string, o distribution.Options) []*distribution.Finding {
	t.Helper()
	ev := Collect(t, mk, dir, o)
	out := make([]*distribution.Finding, 0, len(ev))
	for i := range ev {
		if ev[i].SHA256 == "" || ev[i].Source == "" {
			t.Errorf("evidence without source digest: %+v", ev[i])
		}
		if !strings.HasPrefix(ev[i].Kind, "distribution.") {
			continue // handed to another pillar's checks (an image's SBOM, provenance)
		}
		f, ok := evidence.PayloadAs[distribution.Finding](&ev[i])
		if !ok {
			t.Fatalf("payload %T", ev[i].Payload)
		}
		out = append(out, f)
	}
	return out
}
