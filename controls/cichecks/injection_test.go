package cichecks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestInjectionSeverity: the severity of a template injection follows what
// an attacker can put in the expression, for each class of context.
func TestInjectionSeverity(t *testing.T) {
	const dispatch = `  workflow_dispatch:
    inputs:
      releaseKind: {type: choice, options: [a, b]}
      dry: {type: boolean}
      count: {type: number}
      target: {type: environment}
      commitHash: {type: string}
      note: {}
`
	const call = `  workflow_call:
    inputs:
      version: {type: string}
      flag: {type: boolean}
`
	for _, tc := range []struct {
		on, expr string
		want     evidence.Severity // "" for no finding
		named    string            // the name the message must use
	}{
		// Inputs: choice, boolean, number, environment carry no text.
		{dispatch, "inputs.releaseKind", "", ""},
		{dispatch, "github.event.inputs.releasekind", "", ""},
		{dispatch, "github.event.inputs.DRY", "", ""},
		{dispatch, "inputs.count", "", ""},
		{dispatch, "inputs.target", "", ""},
		{dispatch, "inputs.commitHash", evidence.Low, "inputs.commitHash"},
		{dispatch, "github.event.inputs.commitHash", evidence.Low, "github.event.inputs.commitHash"},
		{dispatch, "inputs.note", evidence.Low, "inputs.note"},
		{call, "inputs.version", evidence.Medium, "inputs.version"},
		{call, "inputs.flag", "", ""},
		{call, "inputs['version']", evidence.Medium, "inputs['version']"},
		// Login names, base branches, runner and workflow values.
		{"  issue_comment:\n", "github.actor", "", ""},
		{"  issue_comment:\n", "github.triggering_actor", "", ""},
		{"  issue_comment:\n", "github.event.comment.user.login", "", ""},
		{"  pull_request_target:\n", "github.event.pull_request.base.ref", "", ""},
		{"  pull_request_target:\n", "github.base_ref", "", ""},
		{"  pull_request_target:\n", "github.event.pull_request.head.repo.full_name", "", ""},
		{"  pull_request_target:\n", "github.event.repository.name", "", ""},
		{"  pull_request_target:\n", "github.workspace", "", ""},
		{"  pull_request_target:\n", "github.workflow", "", ""},
		{"  pull_request_target:\n", "runner.temp", "", ""},
		{"  pull_request_target:\n", "github.event.pull_request.html_url", "", ""},
		// Text a fork, an issue author or a commenter writes.
		{"  issues:\n", "github.event.issue.title", evidence.High, "github.event.issue.title"},
		{"  issue_comment:\n", "github.event.comment.body", evidence.High, "github.event.comment.body"},
		{"  pull_request_target:\n", "github.event.pull_request.head.ref", evidence.High, "github.event.pull_request.head.ref"},
		{"  pull_request_target:\n", "github.head_ref", evidence.High, "github.head_ref"},
		{"  push:\n", "github.event.head_commit.message", evidence.High, "github.event.head_commit.message"},
		{"  pull_request:\n", "github.event.pull_request.title || 'none'", evidence.High, "github.event.pull_request.title (in ${{ github.event.pull_request.title || 'none' }})"},
		// The same fields where only people with write access trigger.
		{"  workflow_dispatch:\n  schedule:\n    - cron: '0 0 * * *'\n", "github.event.head_commit.message", evidence.Low, ""},
		{"  push:\n", "github.head_ref", "", ""},
		{"  push:\n", "github.ref_name", evidence.Low, "github.ref_name"},
		{"  release:\n", "github.event.release.body", evidence.Low, ""},
		// Through an environment variable: what its expression carries.
		{"  pull_request_target:\n", "env.BRANCH", evidence.High, "env.BRANCH"},
		{"  push:\n", "env.BRANCH", evidence.Low, "env.BRANCH"}, // github.ref_name
		{"  pull_request_target:\n", "env.STATIC", "", ""},
		// Step outputs: fixed outputs of well-known actions are not text.
		{"  pull_request_target:\n", "steps.py.outputs.python-path", "", ""},
		{"  pull_request_target:\n", "steps.py.outputs.cache-hit", "", ""},
		{"  pull_request_target:\n", "steps.script.outputs.value", evidence.Low, "steps.script.outputs.value"},
		// fromJSON(x).field carries x and is named as written.
		{"  pull_request_target:\n", "fromJSON(steps.script.outputs.value).swift", evidence.Low, "steps.script.outputs.value (in ${{ fromJSON(steps.script.outputs.value).swift }})"},
		{"  pull_request_target:\n", "fromJSON(github.event.pull_request.body).x", evidence.High, "github.event.pull_request.body (in ${{ fromJSON(github.event.pull_request.body).x }})"},
	} {
		src := fmt.Sprintf(`on:
%sjobs:
  a:
    runs-on: ubuntu-latest
    env:
      BRANCH: ${{ github.head_ref || github.ref_name }}
      STATIC: main
    steps:
      - id: py
        uses: actions/setup-python@v5
      - id: script
        run: echo "value=x" >> "$GITHUB_OUTPUT"
      - run: echo "${{ %s }}"
`, tc.on, tc.expr)
		p := ci.ParseWorkflow(".github/workflows/t.yml", []byte(src))
		if len(p.SyntaxErrors) > 0 {
			t.Fatalf("%s: %+v", tc.expr, p.SyntaxErrors)
		}
		ps := Run(p, []*Rule{NewTemplateInjection()}, nil)
		switch {
		case tc.want == "" && len(ps) > 0:
			t.Errorf("%q on %q: unexpected %s finding: %s", tc.expr, strings.TrimSpace(tc.on), ps[0].Severity, ps[0].Message)
		case tc.want != "" && len(ps) != 1:
			t.Errorf("%q on %q: %d findings, want one %s", tc.expr, strings.TrimSpace(tc.on), len(ps), tc.want)
		case tc.want != "":
			if ps[0].Severity != tc.want {
				t.Errorf("%q on %q: severity %s, want %s (%s)", tc.expr, strings.TrimSpace(tc.on), ps[0].Severity, tc.want, ps[0].Message)
			}
			if tc.named != "" && !strings.HasPrefix(ps[0].Message, tc.named+" may expand") {
				t.Errorf("%q: message %q does not name %q", tc.expr, ps[0].Message, tc.named)
			}
			if want := strings.Count(src[:strings.Index(src, "- run: echo \"${{")], "\n") + 1; ps[0].Line != want {
				t.Errorf("%q: line %d, want %d", tc.expr, ps[0].Line, want)
			}
		}
	}
}
