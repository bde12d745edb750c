package cichecks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
	"github.com/pedigree-dev/pedigree/evidence"
)

// TestGitHubEnvSources: a write to GITHUB_ENV/GITHUB_PATH is a finding
// only when its value can carry attacker text, in a workflow an attacker
// can trigger (or an action, whose caller is unknown).
func TestGitHubEnvSources(t *testing.T) {
	for _, tc := range []struct {
		on, script string
		want       evidence.Severity
	}{
		// Attacker text: an untrusted expression, directly or through a
		// variable, a script assignment or an earlier GITHUB_ENV write.
		{"pull_request_target", `echo "T=${{ github.event.pull_request.title }}" >> $GITHUB_ENV`, evidence.High},
		{"pull_request_target", `echo "T=$TITLE" >> "$GITHUB_ENV"`, evidence.High},
		{"issue_comment", `m=$(echo "$TITLE" | grep -o x)` + "\n" + `echo "M=$m" >> $GITHUB_ENV`, evidence.High},
		{"workflow_run", "{\n  echo \"A=$TITLE\"\n} >> \"$GITHUB_ENV\"", evidence.High},
		{"workflow_run", "cat <<EOF >> $GITHUB_ENV\nA=${{ github.event.workflow_run.head_branch }}\nEOF", evidence.High},
		{"pull_request_target", `echo "$GITHUB_HEAD_REF" >> $GITHUB_PATH`, evidence.High},
		// A downloaded artifact read into the environment.
		{"workflow_run", "gh run download ${{ github.event.workflow_run.id }}\necho \"PR=$(cat pr.txt)\" >> $GITHUB_ENV", evidence.High},
		{"workflow_run", "cat pr.env >> $GITHUB_ENV", ""}, // nothing downloaded: a repository file
		// Local tools, runner values, literals, static env: nothing.
		{"pull_request_target", `echo "STORE=$(pnpm store path)" >> $GITHUB_ENV`, ""},
		{"pull_request_target", `echo "$HOME/.cargo/bin" >> $GITHUB_PATH`, ""},
		{"pull_request_target", `echo RUST_HOST=$(rustc -Vv | grep host | cut -d ' ' -f 2) >> "$GITHUB_ENV"`, ""},
		{"pull_request_target", `echo "SHA=$(git rev-parse HEAD)" >> $GITHUB_ENV`, ""},
		{"pull_request_target", `echo "W=${{ github.workspace }}/bin" >> $GITHUB_PATH`, ""},
		{"pull_request_target", `echo "B=$STATIC" >> $GITHUB_ENV`, ""},
		{"pull_request_target", `echo "X=$(some-installed-tool --version)" >> $GITHUB_ENV`, ""},
		{"pull_request_target", `printf "A=b\nC=d\n" >> "$GITHUB_ENV"`, ""},
		// Workflows no outsider triggers with privileges: not applicable.
		{"pull_request", `echo "T=${{ github.event.pull_request.title }}" >> $GITHUB_ENV`, ""},
		{"push", `echo "T=$TITLE" >> $GITHUB_ENV`, ""},
	} {
		src := fmt.Sprintf("on: %s\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      STATIC: main\n    steps:\n      - run: |\n%s\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n",
			tc.on, indent(tc.script, "          "))
		p := ci.ParseWorkflow(".github/workflows/t.yml", []byte(src))
		ps := Run(p, []*Rule{NewGitHubEnv()}, nil)
		switch {
		case tc.want == "" && len(ps) > 0:
			t.Errorf("%s: %q: unexpected finding %s", tc.on, tc.script, ps[0].Message)
		case tc.want != "" && len(ps) != 1:
			t.Errorf("%s: %q: %d findings, want 1", tc.on, tc.script, len(ps))
		case tc.want != "" && ps[0].Severity != tc.want:
			t.Errorf("%s: %q: severity %s, want %s", tc.on, tc.script, ps[0].Severity, tc.want)
		case tc.want != "":
			// The finding is on the writing line and quotes all of it.
			line := strings.Split(src, "\n")[ps[0].Line-1]
			if !strings.Contains(line, "GITHUB_") && !strings.Contains(line, "} >>") && !strings.Contains(line, "<<") {
				t.Errorf("%q: finding at line %d %q", tc.script, ps[0].Line, line)
			}
		}
	}
	// In a composite action, the caller's environment and workspace are
	// unknown: unknown variables and tools are findings, known ones not.
	act := "name: a\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: |\n        echo \"A=$(bar)\" >> $GITHUB_ENV\n        echo \"B=$UNKNOWN\" >> $GITHUB_ENV\n        echo \"C=$RUNNER_TEMP\" >> $GITHUB_ENV\n        echo \"D=$(rustc --print sysroot)\" >> $GITHUB_ENV\n"
	ps := Run(ci.ParseAction("action.yml", []byte(act)), []*Rule{NewGitHubEnv()}, nil)
	if len(ps) != 2 || ps[0].Line != 7 || ps[1].Line != 8 {
		t.Errorf("composite action: %+v", ps)
	}
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}
