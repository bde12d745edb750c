package markdown

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/evidence"
)

func TestGolden(t *testing.T) {
	var b bytes.Buffer
	if err := New(0).Write(context.Background(), &b, assessmenttest.Small()); err != nil {
		t.Fatal(err)
	}
	assessmenttest.Golden(t, "testdata/small.md", b.Bytes())
}

// TestFitsComment: a huge run still fits a pull-request comment.
func TestFitsComment(t *testing.T) {
	a := assessmenttest.Random(3, 20000, 2000)
	for _, max := range []int{0, 100000} {
		var b bytes.Buffer
		if err := New(max).Write(context.Background(), &b, a); err != nil {
			t.Fatal(err)
		}
		if n := len([]rune(b.String())); n > 65536 {
			t.Fatalf("max %d: %d characters, more than a GitHub comment holds", max, n)
		}
		if !strings.Contains(b.String(), "more in the full report") {
			t.Errorf("max %d: long lists are not marked as cut", max)
		}
	}
}

// TestEscaping: scanned text cannot break the table or inject markup.
func TestEscaping(t *testing.T) {
	a := assessmenttest.Small()
	a.Findings[0].Message = "a | b\n<img src=x onerror=alert(1)> [x](http://evil) @team"
	a.Findings[0].Severity = evidence.Critical
	var b bytes.Buffer
	if err := New(0).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<img", "[x](http", "a | b", "@team"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
}

// TestFitsCommentWorstCase: messages and paths that grow when escaped
// (every < becomes &lt;, every | a \|) still keep the file within a GitHub
// comment (65,535 characters) and a job summary (1 MiB), and the cut is
// counted.
func TestFitsCommentWorstCase(t *testing.T) {
	a := assessmenttest.Random(4, 5000, 500)
	for i := range a.Findings {
		f := &a.Findings[i]
		f.Status = "fail"
		f.Message = strings.Repeat("<|_*[", 400)
		if f.Location != nil {
			f.Location.Path = strings.Repeat("dir|", 100) + "file.go"
		}
	}
	var b bytes.Buffer
	if err := New(100000).Write(context.Background(), &b, a); err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCount(b.Bytes()); n > 65535 {
		t.Fatalf("%d characters, more than a GitHub comment holds (65,535)", n)
	}
	if b.Len() > 1<<20 {
		t.Fatalf("%d bytes, more than a job summary holds (1 MiB)", b.Len())
	}
	if !strings.Contains(b.String(), "more in the full report") {
		t.Fatal("the cut lists do not say how much was left out")
	}
}
