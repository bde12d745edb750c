package forge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
)

// DefaultMaxWait is the longest pedigree waits for a rate limit to reset
// before it records the limit as the reason and moves on.
const DefaultMaxWait = time.Minute

// maxAttempts bounds the tries of one request under rate limiting.
const maxAttempts = 3

// maxPages bounds the pages read of one list.
const maxPages = 50

// Collector reads one repository's settings from GitHub or GitLab. It asks
// the forge once per run (targets of one run share their collection time),
// however many targets the run has, and records the result as evidence not
// tied to any target.
type Collector struct {
	cfg     config.RepoOnline
	token   string
	hc      *http.Client
	maxWait time.Duration
	sleep   func(ctx context.Context, d time.Duration) error

	// mu guards the result of the current run, keyed by the run's
	// collection time: the targets of one run share one read of the forge,
	// and a collector reused for a later run reads again.
	mu    sync.Mutex
	runAt time.Time
	res   *result
}

type result struct {
	settings *Settings
	raw      []byte
	err      error
}

// Option tunes a Collector.
type Option func(*Collector)

// WithMaxWait bounds how long the collector waits for a rate limit to reset
// (default DefaultMaxWait). Zero never waits.
func WithMaxWait(d time.Duration) Option { return func(c *Collector) { c.maxWait = d } }

// New returns the forge collector for the repo.online section. Enabled or
// not, it is safe to register: disabled, it asks nothing and records that
// it was not enabled. token is the API token (read by the caller from the
// variable TokenEnv names); an empty token makes every check not-assessed
// with that reason. httpClient nil means a client with a 30-second timeout.
// New refuses an enabled configuration it cannot use (unknown provider, a
// repository that is not owner/name, a malformed base-url).
func New(cfg config.RepoOnline, token string, httpClient *http.Client, opts ...Option) (*Collector, error) {
	cfg.Provider = strings.ToLower(strings.TrimSpace(cfg.Provider))
	if cfg.Provider == "" {
		cfg.Provider = GitHubProvider
	}
	cfg.Repository = strings.Trim(strings.TrimSpace(cfg.Repository), "/")
	if cfg.Enabled {
		if err := validate(cfg); err != nil {
			return nil, err
		}
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	c := &Collector{cfg: cfg, token: token, hc: httpClient, maxWait: DefaultMaxWait, sleep: sleepCtx}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

func validate(cfg config.RepoOnline) error {
	switch cfg.Provider {
	case GitHubProvider:
		if parts := strings.Split(cfg.Repository, "/"); len(parts) != 2 || parts[0] == "" || parts[1] == "" {
			return fmt.Errorf("repo.online.repository %q: want owner/name for GitHub", cfg.Repository)
		}
	case GitLabProvider:
		if cfg.Repository == "" {
			return errors.New("repo.online.repository is empty: want the GitLab project path (group/project)")
		}
	default:
		return fmt.Errorf("repo.online.provider %q: want github or gitlab", cfg.Provider)
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("repo.online.base-url %q: want an http(s) URL", cfg.BaseURL)
		}
	}
	return nil
}

// TokenEnv is the environment variable the token is read from:
// repo.online.token-env, else GITHUB_TOKEN or GITLAB_TOKEN by provider.
func TokenEnv(cfg config.RepoOnline) string {
	if cfg.TokenEnv != "" {
		return cfg.TokenEnv
	}
	if strings.EqualFold(strings.TrimSpace(cfg.Provider), GitLabProvider) {
		return "GITLAB_TOKEN"
	}
	return "GITHUB_TOKEN"
}

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// Enabled reports whether the collector will reach the network.
func (c *Collector) Enabled() bool { return c.cfg.Enabled }

// Collect implements collectors.Collector. Enabled, it reads the forge once
// and returns the same evidence for every target (the engine keeps one
// copy). Disabled, it returns a "disabled" record for targets that hold a
// repository (.git, a bare NAME.git, .github/, .gitlab-ci.yml) or for every target when a
// repository is configured, and nothing otherwise. Only cancellation is an
// error: what the forge refused is recorded in the evidence.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	if !c.cfg.Enabled {
		if c.cfg.Repository == "" && !looksLikeRepository(t) {
			return nil, nil
		}
		s := c.base()
		s.State, s.Reason = StateDisabled, ReasonDisabled
		return []evidence.Evidence{c.evidence(t, s, []byte(ReasonDisabled))}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.res == nil || !c.runAt.Equal(t.Now) || c.res.err != nil {
		r := c.collect(ctx)
		c.res, c.runAt = &r, t.Now
	}
	if c.res.err != nil {
		return nil, c.res.err
	}
	return []evidence.Evidence{c.evidence(t, c.res.settings, c.res.raw)}, nil
}

// collect asks the forge. It never returns an error other than the
// context's.
func (c *Collector) collect(ctx context.Context) result {
	s := c.base()
	if c.token == "" {
		s.State = StateUnavailable
		s.Reason = fmt.Sprintf("no API token: environment variable %s is empty or unset", TokenEnv(c.cfg))
		return result{settings: s, raw: []byte(s.Reason)}
	}
	rec := newRecorder(c.hc.Transport)
	hc := *c.hc
	hc.Transport = rec
	switch c.cfg.Provider {
	case GitLabProvider:
		c.collectGitLab(ctx, &hc, rec, s)
	default:
		c.collectGitHub(ctx, &hc, rec, s)
	}
	if err := ctx.Err(); err != nil {
		return result{err: err}
	}
	var raw []byte
	s.Responses, raw = rec.canonical()
	if len(s.Responses) == 0 {
		raw = []byte(s.Reason)
	}
	return result{settings: s, raw: raw}
}

// base is the Settings every state starts from.
func (c *Collector) base() *Settings {
	s := &Settings{Provider: c.cfg.Provider, Repository: c.cfg.Repository, Branch: c.cfg.Branch}
	if c.cfg.Repository != "" {
		s.APIURL, s.WebURL = c.urls()
	}
	return s
}

// urls derives the repository's API resource and web page from the
// configuration alone, so subjects stay stable between runs.
func (c *Collector) urls() (api, web string) {
	repo := c.cfg.Repository
	switch c.cfg.Provider {
	case GitLabProvider:
		root := "https://gitlab.com"
		if c.cfg.BaseURL != "" {
			root = strings.TrimSuffix(strings.TrimSuffix(strings.TrimRight(c.cfg.BaseURL, "/"), "/api/v4"), "/")
		}
		return root + "/api/v4/projects/" + url.PathEscape(repo), root + "/" + repo
	default:
		if c.cfg.BaseURL == "" {
			return "https://api.github.com/repos/" + repo, "https://github.com/" + repo
		}
		root := strings.TrimSuffix(strings.TrimSuffix(strings.TrimRight(c.cfg.BaseURL, "/"), "/api/v3"), "/")
		return root + "/api/v3/repos/" + repo, root + "/" + repo
	}
}

// SubjectUnconfigured is the subject of the record a disabled collector
// makes when no repository is configured.
const SubjectUnconfigured = "repo.online"

func subject(s *Settings) evidence.Subject {
	if s.WebURL != "" {
		return evidence.Subject{Type: "repository", Ref: s.WebURL}
	}
	return evidence.Subject{Type: "repository", Ref: SubjectUnconfigured}
}

// evidence builds the record. It is about the configured repository (or
// the unconfigured forge), not about a target, so it names no target and
// the identical copies several targets yield collapse into one.
func (c *Collector) evidence(t *collectors.Target, s *Settings, raw []byte) evidence.Evidence {
	const target = ""
	source := s.APIURL
	if source == "" {
		source = "repo.online"
	}
	sum := evidence.SHA256Hex(raw)
	return evidence.Evidence{
		ID:          evidence.NewID(Name, KindSettings, target, source, sum),
		Collector:   Name,
		Kind:        KindSettings,
		Subject:     subject(s),
		Target:      target,
		Source:      source,
		SHA256:      sum,
		Size:        int64(len(raw)),
		CollectedAt: t.Now,
		Payload:     s,
	}
}

// looksLikeRepository reports a target holding a git repository (a .git
// folder or file, a bare NAME.git folder, or a bare repository at its root)
// or forge configuration (.github/, .gitlab-ci.yml).
func looksLikeRepository(t *collectors.Target) bool {
	head, refs := false, false
	for _, f := range t.Files {
		segs := strings.Split(f.Path, "/")
		base := segs[len(segs)-1]
		if base == ".git" || base == ".gitlab-ci.yml" {
			return true
		}
		for _, d := range segs[:len(segs)-1] {
			if strings.HasSuffix(d, ".git") || d == ".github" {
				return true
			}
		}
		head = head || f.Path == "HEAD"
		refs = refs || strings.HasPrefix(f.Path, "refs/") || strings.HasPrefix(f.Path, "objects/")
	}
	return head && refs
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}
