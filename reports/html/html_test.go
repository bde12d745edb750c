package html

import (
	"bytes"
	"context"
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
