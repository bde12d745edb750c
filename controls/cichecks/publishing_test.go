package cichecks

import (
	"fmt"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/ci"
)

// TestTrustedPublishingModes: each publisher's trusted-publishing mode and
// dry runs are recognised; a stored token is still a finding.
func TestTrustedPublishingModes(t *testing.T) {
	const oidc = "permissions:\n      id-token: write\n"
	const none = "permissions: {}\n"
	for _, tc := range []struct {
		perms, pre, run, env string
		want                 bool
	}{
		{none, "", "uv publish --trusted-publishing always", "", false},
		{none, "", "uv publish --trusted-publishing=always dist/*", "", false},
		{oidc, "", "uv publish dist/*", "", false},
		{oidc, "", "uv publish --trusted-publishing never", "", true},
		{oidc, "", "uv publish", "UV_PUBLISH_TOKEN: ${{ secrets.PYPI }}", true},
		{none, "", "uv publish", "", true},
		{oidc, "", "twine upload dist/*", "", false},
		{oidc, "", "twine upload dist/*", "TWINE_PASSWORD: ${{ secrets.PYPI }}", true},
		{oidc, "", "pdm publish", "", false},
		{none, "", "cargo publish --dry-run", "", false},
		{none, "", "cargo publish -n -p foo", "", false},
		{oidc, "", "cargo publish", "CARGO_REGISTRY_TOKEN: ${{ steps.auth.outputs.token }}", false},
		{oidc, "      - id: auth\n        uses: rust-lang/crates-io-auth-action@v1\n", "cargo publish", "", false},
		{none, "", "cargo publish", "CARGO_REGISTRY_TOKEN: ${{ secrets.CRATES }}", true},
		{none, "", "cargo publish --token ${{ secrets.CRATES }}", "", true},
		{none, "", "gem push x.gem", "", true},
		{oidc, "      - uses: rubygems/configure-rubygems-credentials@v1\n", "gem push x.gem", "", false},
		{oidc, "", "npm publish --provenance --access public", "", false},
		{oidc, "", "npm publish --provenance", "NODE_AUTH_TOKEN: ${{ secrets.NPM }}", true},
		{none, "", "pnpm publish --dry-run", "NODE_AUTH_TOKEN: ${{ secrets.NPM }}", false},
		{none, "", "poetry publish --build", "POETRY_PYPI_TOKEN_PYPI: ${{ secrets.PYPI }}", true},
	} {
		env := ""
		if tc.env != "" {
			env = "        env:\n          " + tc.env + "\n"
		}
		src := fmt.Sprintf("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    %s    steps:\n%s      - run: %s\n%s", tc.perms, tc.pre, tc.run, env)
		p := ci.ParseWorkflow(".github/workflows/t.yml", []byte(src))
		if len(p.SyntaxErrors) > 0 {
			t.Fatalf("%s: %+v", tc.run, p.SyntaxErrors)
		}
		ps := Run(p, []*Rule{NewUseTrustedPublishing()}, nil)
		if got := len(ps) > 0; got != tc.want {
			t.Errorf("%q (%s, env %q): finding %v, want %v %+v", tc.run, tc.perms, tc.env, got, tc.want, ps)
		}
	}
}
