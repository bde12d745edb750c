package oscal

import (
	"bytes"
	"strings"
	"testing"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/evidence"
)

// Encoding in chunks gives exactly the bytes of one encoder, for every
// long array of the assessment results and the POA&M.
func TestChunkedEncodingIsExact(t *testing.T) {
	defer func(m, c int) { splitMin, chunkSize = m, c }(splitMin, chunkSize)
	splitMin, chunkSize = 8, 3
	a := synthetic(40)
	for name, doc := range map[string]*types.OscalCompleteSchema{"ar": AssessmentResults(a), "poam": PlanOfActionAndMilestones(a), "ap": AssessmentPlan(a)} {
		want, err := encodeWhole(doc)
		if err != nil {
			t.Fatal(err)
		}
		got, arrays, err := encode(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: chunked encoding differs from one encoder's", name)
		}
		if name != "ap" && len(arrays) < 4 {
			t.Errorf("%s: %d long arrays chunked", name, len(arrays))
		}
		// The document is only read: encoding it twice at once is fine
		// (go test -race), and leaves it as it was.
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := Encode(doc)
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		again, err := encodeWhole(doc)
		if err != nil || !bytes.Equal(again, want) {
			t.Errorf("%s: encoding in chunks changed the document", name)
		}
	}
}

// Building on every core gives the documents a sequential build gives.
func TestParallelBuildIsDeterministic(t *testing.T) {
	a := synthetic(1100) // long enough to be built and encoded in parallel
	a.Findings[7].Subjects = append(a.Findings[7].Subjects, a.Findings[9].Subjects...)
	a.Controls[4].Manual = fixture().Controls[2].Manual
	par := map[string][]byte{}
	for _, w := range writers() {
		par[w.Format()] = render(t, w, a)
	}
	defer func(n int) { buildWorkers = n }(buildWorkers)
	buildWorkers = 1
	for _, w := range writers() {
		if !bytes.Equal(render(t, w, a), par[w.Format()]) {
			t.Errorf("%s: parallel and sequential builds differ", w.Format())
		}
	}
}

func TestUIDIsStableUUID(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, parts := range [][]string{{}, {""}, {"observation", "abc"}, {"resource", "release", "dist/a b", long}, {"ü", "", "1:2"}} {
		if got, want := uid(parts...), evidence.StableUUID(append([]string{"oscal"}, parts...)...); got != want {
			t.Errorf("uid(%q) = %s, want %s", parts, got, want)
		}
	}
}

func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"", "a", " a", "a  b", "a\tb", "a b", "ü b", "a\u00a0b", "a\u2028b", "x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	})
}
