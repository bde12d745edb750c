package ci

import (
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

const groupedWorkflow = `name: grouped
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: server
        id: server
        run: npm start
        background: true
      - parallel:
          - name: frontend
            run: echo "${{ github.head_ref }}"
          - uses: docker://alpine:3
          - run: |
              echo one
              echo two
      - wait: server
      - wait-all:
      - cancel: server
      - background: true
        uses: actions/setup-go@v5
      - run: echo last
`

// TestStepGroups: steps written with GitHub's concurrent-step keys load
// without syntax errors, every step that runs is analysed at its own
// position, and control steps run nothing.
func TestStepGroups(t *testing.T) {
	p := ParseWorkflow(".github/workflows/g.yml", []byte(groupedWorkflow))
	if len(p.SyntaxErrors) > 0 {
		t.Fatalf("syntax errors: %+v", p.SyntaxErrors)
	}
	j := p.SortedJobs()[0]
	type at struct{ line, col int }
	want := []at{{7, 9}, {8, 9}, {13, 13}, {15, 13}, {16, 13}, {22, 9}, {24, 9}}
	if len(j.Steps) != len(want) {
		t.Fatalf("got %d steps, want %d", len(j.Steps), len(want))
	}
	for i, st := range j.Steps {
		if st.Pos.Line != want[i].line || st.Pos.Col != want[i].col {
			t.Errorf("step %d at %d:%d, want %d:%d", i, st.Pos.Line, st.Pos.Col, want[i].line, want[i].col)
		}
	}
	run := j.Steps[2].Exec.(*actionlint.ExecRun)
	if !strings.Contains(run.Run.Value, "github.head_ref") || run.Run.Pos.Line != 14 {
		t.Errorf("inner run %q at %v", run.Run.Value, run.Run.Pos)
	}
	if p.References[len(p.References)-1] != "actions/setup-go@v5" {
		t.Errorf("references %v miss a background step's action", p.References)
	}

	// Real errors inside and around groups are still reported, in place.
	bad := strings.Replace(groupedWorkflow, "          - uses: docker://alpine:3\n", "          - usez: docker://alpine:3\n", 1)
	bad = strings.Replace(bad, "      - run: echo last\n", "      - rum: echo last\n", 1)
	p = ParseWorkflow(".github/workflows/g.yml", []byte(bad))
	var lines []int
	for _, e := range p.SyntaxErrors {
		lines = append(lines, e.Line)
	}
	slices.Sort(lines)
	if !slices.Equal(lines, []int{15, 24}) {
		t.Errorf("errors at lines %v (%+v), want one at 15 and one at 24", lines, p.SyntaxErrors)
	}

	// The same keys in a composite action.
	act := "name: a\nruns:\n  using: composite\n  steps:\n    - parallel:\n        - run: echo a\n          shell: bash\n        - uses: actions/cache@v4\n    - wait-all:\n    - run: echo b\n      shell: bash\n      background: true\n"
	pa := ParseAction("action.yml", []byte(act))
	if len(pa.SyntaxErrors) > 0 || len(pa.Action.Steps) != 3 || pa.Action.Steps[1].Pos.Line != 8 {
		t.Errorf("composite: errors %+v, %d steps", pa.SyntaxErrors, len(pa.Action.Steps))
	}
	// A parallel: that holds no steps is an error, not a silence.
	p = ParseWorkflow(".github/workflows/g.yml", []byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - parallel: x\n"))
	if len(p.SyntaxErrors) != 1 || !strings.Contains(p.SyntaxErrors[0].Message, "parallel") {
		t.Errorf("parallel: x gave %+v", p.SyntaxErrors)
	}
}

func TestMayHaveStepGroups(t *testing.T) {
	for text, want := range map[string]bool{
		"strategy:\n  max-parallel: 2\n":     false,
		"steps:\n  - parallel:\n":            true,
		"    background: true\n":             true,
		"concurrency:\n  cancel-in-progress": false,
		"- {wait-all: true}\n":               true,
	} {
		if got := mayHaveStepGroups([]byte(text)); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}
