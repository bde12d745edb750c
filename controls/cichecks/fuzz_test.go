package cichecks

import (
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
)

// FuzzScanWorkflow is the scan entry point for one file: sniff, parse and
// run every rule. It must never panic.
func FuzzScanWorkflow(f *testing.F) {
	for _, s := range []string{
		"on: pull_request_target\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo ${{ github.event.issue.title }} >> $GITHUB_ENV\n",
		"on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        include: ${{ fromJSON(x) }}\n    runs-on: ${{ matrix.os }}\n    steps:\n      - run: ${{ matrix.cmd }}\n        if: |\n          ${{ true }}\n",
		"runs:\n  using: composite\n  steps:\n    - run: echo ${{ inputs.x }}\n      shell: bash\n",
		"include:\n  - remote: https://x\nj:\n  image: $IMG\n  script: [eval \"$CI_COMMIT_MESSAGE\"]\n",
		"lol",
		"- a",
		"on: [push]\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo \"${{ toJSON(secrets) }} ${{ fromJSON(secrets.a).b }}\"\n",
		"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - parallel:\n          - run: echo ${{ github.head_ref }}\n          - parallel:\n              - uses: docker://a:1\n      - wait-all:\n      - run: x\n        background: true\n",
		"on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        os: [a, [self-hosted, b]]\n        img: [\"x:1\"]\n        exclude: [{os: a}]\n        include: [{os: c, img: \"${{ inputs.i }}\"}]\n    runs-on: ${{ matrix.os }}\n    container: ${{ matrix.img }}\n    services:\n      s:\n        image: r/x:${{ github.sha }}\n    steps:\n      - run: echo\n",
		"on: pull_request_target\njobs:\n  a:\n    runs-on: [self-hosted, \"${{ x && 'a' || 'b' }}\"]\n    steps:\n      - run: |\n          t=$(cat f)\n          cat <<EOF >> $GITHUB_ENV\n          A=$t ${{ github.event.issue.title }}\n          EOF\n          { echo \"B=$X\"; } >> $GITHUB_ENV\n      - run: uv publish --trusted-publishing never && cargo publish -n && npm publish\n",
	} {
		f.Add("f.yml", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		p := ci.Parse(ci.Sniff(name, b), name, b)
		for _, pr := range Run(p, Rules(), nil) {
			if pr.Line < 1 || pr.Column < 1 {
				t.Fatalf("bad position %d:%d", pr.Line, pr.Column)
			}
		}
	})
}
