package ci

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		path string
		want Platform
		ok   bool
	}{
		{".github/workflows/ci.yml", GitHubWorkflow, true},
		{"sub/.github/workflows/ci.yaml", GitHubWorkflow, true},
		{".github/workflows/nested/ci.yml", "", false},
		{"action.yml", GitHubAction, true},
		{"tools/setup/action.yaml", GitHubAction, true},
		{".gitlab-ci.yml", GitLabCI, true},
		{"ci/release.gitlab-ci.yml", GitLabCI, true},
		{"README.md", "", false},
		{"config.yml", "", false},
	} {
		got, ok := Classify(tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Classify(%q) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Platform
	}{
		{"a.yml", "on: push\njobs: {}\n", GitHubWorkflow},
		{"a.yml", "name: x\nruns:\n  using: composite\n", GitHubAction},
		{"action.yml", "on: push\njobs:\n  a: {}\n", GitHubWorkflow},
		{"include.yml", "include:\n- /x.yml\n", GitLabCI},
		{"x.yml", "build:\n  script:\n    - make\n", GitLabCI},
		{"x.yml", "lol\n", GitHubWorkflow},
	} {
		if got := Sniff(tc.name, []byte(tc.text)); got != tc.want {
			t.Errorf("Sniff(%q, %q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
}

// TestBadInput feeds hostile documents to every parser: each must come
// back promptly with a syntax error and no panic.
func TestBadInput(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 9 {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	deep := strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000)
	var dm strings.Builder
	for i := range 10_000 {
		dm.WriteString(strings.Repeat(" ", i%200) + "k:\n")
	}
	deepMap := dm.String()
	cases := map[string]string{
		"alias bomb":      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        v: *j\n    steps: [{run: a}]\n" + bomb + "\nz: &j [*" + prev + "]\n",
		"alias bomb only": bomb,
		"deep nesting":    "on: " + deep + "\n",
		"deep mapping":    deepMap,
		"invalid utf-8":   "on: push\njobs:\n  \xff\xfe: {}\n",
		"list":            "- on: push\n- jobs: {}\n",
		"scalar":          "lol\n",
		"empty":           "",
	}
	for name, text := range cases {
		for _, plat := range []Platform{GitHubWorkflow, GitHubAction, GitLabCI} {
			t.Run(name+"/"+string(plat), func(t *testing.T) {
				done := make(chan *Pipeline, 1)
				go func() { done <- Parse(plat, "f.yml", []byte(text)) }()
				select {
				case p := <-done:
					if name != "empty" && len(p.SyntaxErrors) == 0 && name != "deep mapping" {
						t.Errorf("no syntax error reported")
					}
				case <-time.After(20 * time.Second):
					t.Fatal("parser did not return")
				}
			})
		}
	}
}

func TestCollectFollowsLocalIncludes(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".gitlab-ci.yml", "include:\n  - local: /ci/a.yml\n  - local: /ci/*.tmpl.yml\njob:\n  script: [make]\n")
	write("ci/a.yml", "include: /ci/b.yml\na:\n  script: [make]\n")
	write("ci/b.yml", "include: /.gitlab-ci.yml\nb:\n  script: [make]\n")
	write("ci/c.tmpl.yml", "c:\n  script: [make]\n")
	write(".github/workflows/w.yml", "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n")
	write("docs/notes.yml", "x: 1\n")
	tg, err := collectors.OpenTarget("repo", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ev, err := New().Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range ev {
		p := e.Payload.(*Pipeline)
		got[p.Path] = string(p.Platform) + " " + p.IncludedBy
		if e.Kind != Kind || e.SHA256 == "" {
			t.Errorf("%s: kind %q sha %q", p.Path, e.Kind, e.SHA256)
		}
	}
	want := map[string]string{
		".gitlab-ci.yml":          "gitlab-ci ",
		"ci/a.yml":                "gitlab-ci .gitlab-ci.yml",
		"ci/b.yml":                "gitlab-ci ci/a.yml",
		"ci/c.tmpl.yml":           "gitlab-ci .gitlab-ci.yml",
		".github/workflows/w.yml": "github-workflow ",
	}
	if len(got) != len(want) {
		t.Fatalf("collected %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
}

func TestSymlinkOutOfTreeRefused(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.yml")
	os.WriteFile(outside, []byte("on: push\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755)
	if err := os.Symlink(outside, filepath.Join(dir, ".github", "workflows", "x.yml")); err != nil {
		t.Skip(err)
	}
	if _, err := collectors.OpenTarget("repo", dir); err == nil {
		t.Fatal("a symlink out of the tree was accepted")
	}
}

func FuzzParseGitLab(f *testing.F) {
	for _, s := range []string{
		"include:\n  - project: a/b\n    ref: main\n    file: /x.yml\njob:\n  image: ruby:3\n  script: [make]\n",
		"spec:\n  inputs:\n    a:\n---\nj:\n  script: echo $[[ inputs.a | expand_vars ]]\n",
		".t: &t\n  script: [a]\nj:\n  <<: *t\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n",
		"- a\n- b\n",
		"a: [",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := ParseGitLab("f.yml", b)
		if p == nil {
			t.Fatal("nil pipeline")
		}
	})
}

func FuzzParseAction(f *testing.F) {
	f.Add([]byte("name: a\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n"))
	f.Add([]byte("runs:\n  using: docker\n  image: docker://alpine\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p := ParseAction("action.yml", b); p == nil {
			t.Fatal("nil pipeline")
		}
	})
}

// TestFindByLocationAndContent: a target that is itself a workflows folder
// (or a .github folder) has its workflows found, YAML files elsewhere are
// pipelines by content, and fixture folders are not searched by content.
func TestFindByLocationAndContent(t *testing.T) {
	root := t.TempDir()
	wf := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n"
	act := "name: x\nruns:\n  using: composite\n  steps: []\n"
	files := map[string]string{
		".github/workflows/ci.yml":         wf,
		".github/workflows/notes.txt":      "x",
		".github/workflow-templates/t.yml": wf,
		"ci/custom-action.yaml":            act,
		"deploy/compose.yml":               "services:\n  web:\n    image: nginx\n",
		"testdata/workflow.yml":            wf,
		"docs/tests/wf.yml":                wf,
	}
	for rel, text := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		dir  string
		want []string
	}{
		{".", []string{".github/workflow-templates/t.yml", ".github/workflows/ci.yml", "ci/custom-action.yaml"}},
		{".github", []string{"workflow-templates/t.yml", "workflows/ci.yml"}},
		{".github/workflows", []string{"ci.yml"}},
		{"testdata", []string{"workflow.yml"}},
		{"deploy", nil},
	} {
		tg, err := collectors.OpenTarget("t", filepath.Join(root, tc.dir))
		if err != nil {
			t.Fatal(err)
		}
		pls, err := New().Pipelines(context.Background(), tg)
		tg.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range pls {
			got = append(got, p.Path)
			if p.Path == "ci/custom-action.yaml" && p.Platform != GitHubAction {
				t.Errorf("%s read as %s", p.Path, p.Platform)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: found %v, want %v", tc.dir, got, tc.want)
		}
	}
}
