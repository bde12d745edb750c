package ci

import (
	"slices"
	"strings"
	"testing"
)

func jobOf(t *testing.T, src string) *Pipeline {
	t.Helper()
	p := ParseWorkflow(".github/workflows/m.yml", []byte(src))
	if len(p.SyntaxErrors) > 0 {
		t.Fatalf("%+v", p.SyntaxErrors)
	}
	return p
}

// TestMatrixExpansion: values come from the rows' product, exclude: drops
// the combinations it matches, include: extends or adds combinations;
// anything from another expression is unknown.
func TestMatrixExpansion(t *testing.T) {
	p := jobOf(t, `on: push
jobs:
  a:
    strategy:
      matrix:
        os: [ubuntu-latest, big-box]
        image: ["node:20", "node:22"]
        exclude:
          - os: big-box
            image: "node:20"
        include:
          - os: ubuntu-latest
            extra: x
          - os: arm-box
            image: "alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000"
    runs-on: ${{ matrix.os }}
    container: ${{ matrix.os }}-${{ matrix.image }}
    steps:
      - run: echo
`)
	j := p.SortedJobs()[0]
	combos, ok := MatrixCombinations(j)
	if !ok || len(combos) != 4 {
		t.Fatalf("%d combinations (%v), want 4", len(combos), ok)
	}
	exps, ok := ExpandMatrix(j, "${{ matrix.os }}/${{ matrix.image }}")
	var got []string
	for _, e := range exps {
		got = append(got, e.Value)
	}
	slices.Sort(got)
	want := []string{"arm-box/alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000", "big-box/node:22", "ubuntu-latest/node:20", "ubuntu-latest/node:22"}
	if !ok || !slices.Equal(got, want) {
		t.Errorf("expansion %v %v, want %v", ok, got, want)
	}
	if _, ok := ExpandMatrix(j, "${{ inputs.os }}"); ok {
		t.Error("an input resolved as a matrix value")
	}
	rs, unresolved := Runners(j)
	kinds := map[string]RunnerKind{}
	for _, r := range rs {
		kinds[strings.Join(r.Labels, ",")] = r.Kind
	}
	if unresolved != "" || kinds["ubuntu-latest"] != Hosted || kinds["big-box"] != Custom || kinds["arm-box"] != Custom {
		t.Errorf("runners %v (unresolved %q)", kinds, unresolved)
	}
}

// TestRunnerKinds classifies label sets: GitHub-hosted images (standard
// and larger), self-hosted, runner groups, scale sets, third-party
// services, custom labels, and labels from an unknown expression.
func TestRunnerKinds(t *testing.T) {
	for _, tc := range []struct {
		runsOn string
		want   RunnerKind
	}{
		{"ubuntu-latest", Hosted},
		{"ubuntu-24.04-arm", Hosted},
		{"windows-11-arm", Hosted},
		{"macos-15-xlarge", Hosted},
		{"[self-hosted, linux, x64]", SelfHosted},
		{"{group: ci-runners}", SelfHosted},
		{"gha-runner-scale-set-linux", SelfHosted},
		{"blacksmith-4vcpu-ubuntu-2404", ThirdParty},
		{"depot-ubuntu-24.04-4", ThirdParty},
		{"namespace-profile-macos-15", ThirdParty},
		{"linux-arm64-8core", Custom},
		{"[ubuntu-latest, gpu]", Custom},
		{"arc-runner-set", Custom},
	} {
		p := jobOf(t, "on: push\njobs:\n  a:\n    runs-on: "+tc.runsOn+"\n    steps:\n      - run: echo\n")
		rs, _ := Runners(p.SortedJobs()[0])
		if len(rs) == 0 || rs[0].Kind != tc.want {
			t.Errorf("runs-on %s: %+v, want %s", tc.runsOn, rs, tc.want)
		}
		if (SelfHostedLabel(p.SortedJobs()[0]) == nil) != (tc.want == Hosted) {
			t.Errorf("runs-on %s: SelfHostedLabel disagrees", tc.runsOn)
		}
	}
	p := jobOf(t, "on: workflow_call\njobs:\n  a:\n    runs-on: ${{ inputs.runner }}\n    steps:\n      - run: echo\n")
	if rs, unresolved := Runners(p.SortedJobs()[0]); len(rs) != 0 || unresolved != "${{ inputs.runner }}" {
		t.Errorf("input runner: %+v %q", rs, unresolved)
	}
}

// TestRunnerExpressions: labels that are expressions stand for the
// literals they yield; a literal self-hosted label decides the set even
// beside an expression nothing can resolve.
func TestRunnerExpressions(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []RunnerKind
	}{
		{"    runs-on: [self-hosted, linux, \"${{ matrix.arch == 'aarch64' && 'arm64' || 'x64' }}\"]\n", []RunnerKind{SelfHosted, SelfHosted}},
		{"    runs-on: [self-hosted, \"${{ inputs.label }}\"]\n", []RunnerKind{SelfHosted}},
		{"    runs-on: ${{ github.repository == 'o/r' && 'depot-ubuntu-24.04-4' || 'ubuntu-latest' }}\n", []RunnerKind{ThirdParty, Hosted}},
		{"    strategy:\n      matrix:\n        p: [{runner: \"${{ github.repository == 'o/r' && 'codspeed-macro' || 'macos-latest' }}\"}]\n    runs-on: ${{ matrix.p.runner }}\n", []RunnerKind{ThirdParty, Hosted}},
	} {
		p := jobOf(t, "on: push\njobs:\n  a:\n"+tc.src+"    steps:\n      - run: echo\n")
		rs, _ := Runners(p.SortedJobs()[0])
		var got []RunnerKind
		for _, r := range rs {
			got = append(got, r.Kind)
		}
		if tc.want != nil && !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.src, got, tc.want)
		}
	}
}

// TestRunnerExpansionBounded: label sets multiply; past the bound the
// labels are unresolved instead of enumerated.
func TestRunnerExpansionBounded(t *testing.T) {
	label := "\"${{ x && 'a' || 'b' }}\""
	labels := label
	for range 24 {
		labels += ", " + label
	}
	p := jobOf(t, "on: push\njobs:\n  a:\n    runs-on: ["+labels+"]\n    steps:\n      - run: echo\n")
	rs, unresolved := Runners(p.SortedJobs()[0])
	if len(rs) > maxCombinations || unresolved == "" {
		t.Errorf("%d runner sets, unresolved %q", len(rs), unresolved)
	}
}
