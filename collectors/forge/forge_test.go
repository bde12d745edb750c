package forge_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/forge"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

// refuse fails the test on any request: the collector must stay offline.
type refuse struct{ t *testing.T }

func (r refuse) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("network request to %s", req.URL)
	return nil, http.ErrNotSupported
}

func TestDisabledIsNotAssessedNeverPass(t *testing.T) {
	hc := &http.Client{Transport: refuse{t}}
	c, err := forge.New(config.RepoOnline{}, "", hc)
	if err != nil {
		t.Fatal(err)
	}
	if c.Enabled() {
		t.Fatal("enabled by default")
	}
	// A target without a repository gets nothing from a collector that
	// is off and has no repository configured.
	ev, err := c.Collect(context.Background(), target(t, "sbom.json", "HEAD"))
	if err != nil || len(ev) != 0 {
		t.Fatalf("plain target: %d evidence, err %v", len(ev), err)
	}
	var first string
	for _, files := range [][]string{{".git/HEAD"}, {".github/workflows/ci.yml"}, {".gitlab-ci.yml"}, {"app/.git"}, {"src/demo.git/HEAD"}, {"HEAD", "refs/heads/main"}} {
		e, s := collect(t, c, target(t, files...))
		if s.State != forge.StateDisabled || s.Reason != forge.ReasonDisabled || e.Target != "" || e.Subject.Ref != forge.SubjectUnconfigured {
			t.Errorf("%v: %+v evidence %+v", files, s, e)
		}
		// One record for the run, however many targets hold repositories.
		if first == "" {
			first = e.ID
		} else if e.ID != first {
			t.Errorf("%v: evidence id %s differs from %s", files, e.ID, first)
		}
		for id, f := range judge(t, e) {
			if f.Status != evidence.NotAssessed || !strings.Contains(f.Message, "online collector not enabled (repo.online / --online)") {
				t.Errorf("%v: %s: %s %q", files, id, f.Status, f.Message)
			}
		}
	}
	// With a repository configured, every target gets the same record.
	c, _ = forge.New(config.RepoOnline{Provider: "github", Repository: "acme/widget"}, "", hc)
	e1, _ := collect(t, c, target(t, "a.txt"))
	e2, _ := collect(t, c, target(t, "b.txt"))
	if e1.ID != e2.ID || e1.Subject.Ref != "https://github.com/acme/widget" || e1.Source != "https://api.github.com/repos/acme/widget" {
		t.Errorf("configured repository: %+v vs %+v", e1, e2)
	}
}

func TestNoToken(t *testing.T) {
	c, err := forge.New(config.RepoOnline{Enabled: true, Repository: "acme/widget", TokenEnv: "ACME_TOKEN"}, "", &http.Client{Transport: refuse{t}})
	if err != nil {
		t.Fatal(err)
	}
	e, s := collect(t, c, target(t))
	if s.State != forge.StateUnavailable || s.Reason != "no API token: environment variable ACME_TOKEN is empty or unset" {
		t.Fatalf("%+v", s)
	}
	for id, f := range judge(t, e) {
		if f.Status != evidence.NotAssessed || !strings.Contains(f.Message, "ACME_TOKEN") {
			t.Errorf("%s: %s %q", id, f.Status, f.Message)
		}
	}
}

func TestNewRefusesUnusableConfig(t *testing.T) {
	tests := []struct {
		cfg  config.RepoOnline
		want string
	}{
		{config.RepoOnline{Enabled: true, Provider: "bitbucket", Repository: "a/b"}, `provider "bitbucket"`},
		{config.RepoOnline{Enabled: true, Provider: "github", Repository: "widget"}, "want owner/name"},
		{config.RepoOnline{Enabled: true, Provider: "github", Repository: "a/b/c"}, "want owner/name"},
		{config.RepoOnline{Enabled: true, Provider: "gitlab"}, "project path"},
		{config.RepoOnline{Enabled: true, Repository: "a/b", BaseURL: "ftp://x"}, "base-url"},
	}
	for _, tt := range tests {
		_, err := forge.New(tt.cfg, "t", nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err %v, want %q", tt.cfg, err, tt.want)
		}
	}
	// Off, nothing is validated: an unused section is no error.
	if _, err := forge.New(config.RepoOnline{Provider: "bitbucket"}, "", nil); err != nil {
		t.Errorf("disabled: %v", err)
	}
}

func TestTokenEnv(t *testing.T) {
	for cfg, want := range map[config.RepoOnline]string{
		{}:                         "GITHUB_TOKEN",
		{Provider: "GitLab"}:       "GITLAB_TOKEN",
		{TokenEnv: "CI_API_TOKEN"}: "CI_API_TOKEN",
	} {
		if got := forge.TokenEnv(cfg); got != want {
			t.Errorf("%+v: %s, want %s", cfg, got, want)
		}
	}
}

func TestEnterpriseURLs(t *testing.T) {
	tests := []struct {
		cfg      config.RepoOnline
		api, web string
	}{
		{config.RepoOnline{Provider: "github", Repository: "o/r", BaseURL: "https://ghe.example.com/api/v3/"}, "https://ghe.example.com/api/v3/repos/o/r", "https://ghe.example.com/o/r"},
		{config.RepoOnline{Provider: "github", Repository: "o/r", BaseURL: "https://ghe.example.com"}, "https://ghe.example.com/api/v3/repos/o/r", "https://ghe.example.com/o/r"},
		{config.RepoOnline{Provider: "gitlab", Repository: "g/s/p"}, "https://gitlab.com/api/v4/projects/g%2Fs%2Fp", "https://gitlab.com/g/s/p"},
		{config.RepoOnline{Provider: "gitlab", Repository: "g/p", BaseURL: "https://git.example.org/api/v4"}, "https://git.example.org/api/v4/projects/g%2Fp", "https://git.example.org/g/p"},
	}
	for _, tt := range tests {
		c, _ := forge.New(tt.cfg, "", &http.Client{Transport: refuse{t}})
		e, s := collect(t, c, target(t))
		if e.Source != tt.api || s.WebURL != tt.web {
			t.Errorf("%+v: source %s web %s, want %s %s", tt.cfg, e.Source, s.WebURL, tt.api, tt.web)
		}
	}
}
