package html

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
)

func TestSelfContained(t *testing.T) {
	a := assessmenttest.Small()
	a.Findings[0].Message = `</script><script>alert(1)</script><img src="http://evil/x">`
	var b bytes.Buffer
	if err := (&Writer{}).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>alert", `<img src="http`, `src="http`, `href="http`, "https://"} {
		if strings.Contains(out, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{"Content-Security-Policy", `id="ctl-cm-8"`, `data-value="cm-8"`, `href="#ev-e2"`, `id="ev-e2"`, "<svg", "@media print"} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestManyEvidenceFolded: a finding citing hundreds of evidence items shows
// the first few links and folds the rest, every one still linked; a finding
// with one link over the limit shows it rather than fold a single link.
func TestManyEvidenceFolded(t *testing.T) {
	a := assessmenttest.Small()
	f := &a.Findings[0]
	f.Evidence = nil
	for i := range 200 {
		f.Evidence = append(f.Evidence, fmt.Sprintf("ev%03d", i))
	}
	a.Findings[1].Evidence = a.Findings[0].Evidence[:shownLinks+1]
	var b bytes.Buffer
	if err := (&Writer{}).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	row := func(id string) string {
		i := strings.Index(out, `<tr id="fd-`+id+`"`)
		if i < 0 {
			t.Fatalf("no row for finding %s", id)
		}
		return out[i : i+strings.Index(out[i:], "</tr>")]
	}
	r := row(f.ID)
	if !strings.Contains(r, fmt.Sprintf("<details><summary>%d more</summary>", 200-shownLinks)) {
		t.Errorf("the 200 evidence links are not folded after %d:\n%.600s", shownLinks, r)
	}
	if n := strings.Count(r, `href="#ev-`); n != 200 {
		t.Errorf("%d evidence links, want 200", n)
	}
	if i := strings.Index(r, "<details>"); strings.Count(r[:i], `href="#ev-`) != shownLinks {
		t.Errorf("%d links before the fold, want %d", strings.Count(r[:i], `href="#ev-`), shownLinks)
	}
	if r := row(a.Findings[1].ID); strings.Contains(r, "<details>") {
		t.Errorf("%d links folded one: %s", shownLinks+1, r)
	}
}

func BenchmarkWrite20k(b *testing.B) {
	a := assessmenttest.Random(7, 20000, 2000)
	w := &Writer{}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := w.Write(context.Background(), &buf, a); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
