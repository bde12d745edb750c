package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/jobs"
	"github.com/pedigree-dev/pedigree/reports/markdown"
	"github.com/pedigree-dev/pedigree/reports/native"
	"github.com/pedigree-dev/pedigree/store"
)

// fixture is a server over a real SQLite store and a real River queue;
// its runs produce a fixed assessment through the real native writer.
type fixture struct {
	srv    *Server
	ts     *httptest.Server
	st     *store.SQLite
	q      *jobs.Queue
	tokens map[string]string // role → token
	// next is the assessment the next run produces.
	next func() *assessment.Assessment
	// gate, when set, holds every run until it is closed or the run is
	// cancelled.
	gate chan struct{}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, tokens: map[string]string{}, next: assessmenttest.Small}
	assess := func(ctx context.Context, cfg, out string, _ *slog.Logger) (*assessment.Assessment, []jobs.Output, error) {
		if f.gate != nil {
			select {
			case <-f.gate:
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
		}
		a := f.next()
		p := filepath.Join(out, native.Filename)
		var b bytes.Buffer
		if err := native.New().Write(ctx, &b, a); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			return nil, nil, err
		}
		return a, []jobs.Output{{Format: native.Format, Path: p}}, nil
	}
	systems := []jobs.System{{Name: "web", Config: "web.yaml"}, {Name: "api", Config: "api.yaml"}, {Name: "broken", Config: "b.yaml", Broken: "b.yaml: line 2: unknown key \"colour\""}}
	var rec []store.System
	for _, s := range systems {
		rec = append(rec, store.System{Name: s.Name, Config: s.Config, Schedule: "@daily", Broken: s.Broken})
	}
	if err := st.SetSystems(ctx, rec); err != nil {
		t.Fatal(err)
	}
	f.q, err = jobs.New(ctx, st, jobs.Options{Systems: systems, Assess: assess, Work: true, TempDir: t.TempDir(), RetryDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	render := func(ctx context.Context, system, format string, b []byte) ([]byte, string, error) {
		a, err := native.Decode(b)
		if err != nil {
			return nil, "", err
		}
		w := markdown.New(0)
		var buf bytes.Buffer
		err = w.Write(ctx, &buf, a)
		return buf.Bytes(), w.Filename(), err
	}
	f.srv = New(Options{Store: st, Queue: f.q, Render: render, Formats: []string{"json", "md", "oscal-ar"}})
	f.ts = httptest.NewServer(f.srv)
	t.Cleanup(func() {
		f.ts.Close()
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		f.q.Stop(c)
		st.Close()
	})
	for _, role := range []string{store.RoleViewer, store.RoleOperator, store.RoleAdmin} {
		tok := NewToken()
		if _, err := st.CreateToken(ctx, store.Token{Name: role + "-bot", Role: role, Hash: HashToken(tok), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		f.tokens[role] = tok
	}
	return f
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

func (f *fixture) do(t *testing.T, method, path, role string, body string, hdr ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, b}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (f *fixture) runToEnd(t *testing.T, system string) int64 {
	t.Helper()
	r := f.do(t, "POST", "/api/runs", "operator", `{"system":"`+system+`"}`)
	if r.status != http.StatusAccepted {
		t.Fatalf("POST /api/runs = %d %s", r.status, r.body)
	}
	id := int64(r.json(t)["id"].(float64))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		run, err := f.st.Run(context.Background(), id)
		if err == nil && run.Status == store.StatusSucceeded {
			return id
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatalf("run %d did not succeed", id)
	return 0
}

// TestOpenAPIMatchesRoutes: the document describes exactly the API routes
// the server registers, with the same methods.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t)
	r := f.do(t, "GET", "/api/openapi.json", "", "")
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("openapi = %d %s", r.status, r.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	var documented, registered []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	for _, rt := range f.srv.routes {
		if rt.api {
			registered = append(registered, rt.method+" "+rt.path)
		}
	}
	sort.Strings(documented)
	sort.Strings(registered)
	if !slices.Equal(documented, registered) {
		t.Fatalf("OpenAPI paths differ from routes:\ndocumented %v\nregistered %v", documented, registered)
	}
	// Every documented operation says whether it needs a token, and the
	// public ones are exactly the routes without a role.
	var public []string
	for p, ops := range doc.Paths {
		for m, raw := range ops {
			var op struct {
				Security *[]any `json:"security"`
			}
			json.Unmarshal(raw, &op)
			if op.Security != nil && len(*op.Security) == 0 {
				public = append(public, strings.ToUpper(m)+" "+p)
			}
		}
	}
	var open []string
	for _, rt := range f.srv.routes {
		if rt.api && rt.role == "" {
			open = append(open, rt.method+" "+rt.path)
		}
	}
	sort.Strings(public)
	sort.Strings(open)
	if !slices.Equal(public, open) {
		t.Fatalf("public operations %v, routes without auth %v", public, open)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryRouteRefuses: every route with a role refuses a missing token
// (401), an unknown one (401) and a lower role (403).
func TestEveryRouteRefuses(t *testing.T) {
	f := newFixture(t)
	lower := map[string]string{store.RoleOperator: store.RoleViewer, store.RoleAdmin: store.RoleOperator}
	n := 0
	for _, rt := range f.srv.routes {
		if rt.role == "" {
			continue
		}
		path := pathParam.ReplaceAllString(strings.ReplaceAll(rt.path, "{$}", ""), "1")
		body := ""
		if rt.method == "POST" && rt.api {
			body = `{"system":"web"}`
		}
		if r := f.do(t, rt.method, path, "", body); r.status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token = %d, want 401", rt.method, path, r.status)
		}
		if r := f.do(t, rt.method, path, "", body, "Authorization", "Bearer pdg_nottoken"); r.status != http.StatusUnauthorized {
			t.Errorf("%s %s with an unknown token = %d, want 401", rt.method, path, r.status)
		}
		if lo, ok := lower[rt.role]; ok {
			r := f.do(t, rt.method, path, lo, body)
			if r.status != http.StatusForbidden {
				t.Errorf("%s %s as %s = %d, want 403", rt.method, path, lo, r.status)
			}
		}
		n++
	}
	if n < 30 {
		t.Fatalf("only %d guarded routes", n)
	}
	// Public routes answer without a token.
	if r := f.do(t, "GET", "/api/health", "", ""); r.status != 200 || r.json(t)["status"] != "ok" {
		t.Fatalf("health = %d %s", r.status, r.body)
	}
}

func TestRunsAPI(t *testing.T) {
	f := newFixture(t)
	first := f.runToEnd(t, "web")
	f.next = func() *assessment.Assessment {
		a := assessmenttest.Small()
		a.Controls[0].Status = assessment.Satisfied // cm-8 fixed
		a.Findings[1].Status = "pass"
		return a
	}
	second := f.runToEnd(t, "web")

	r := f.do(t, "GET", "/api/runs/"+itoa(second), "viewer", "")
	m := r.json(t)
	for _, k := range []string{"id", "system", "status", "queuedAt", "startedAt", "finishedAt", "summary"} {
		if _, ok := m[k]; !ok {
			t.Errorf("run lacks %q: %s", k, r.body)
		}
	}
	sum := m["summary"].(map[string]any)
	if m["status"] != "succeeded" || sum["satisfied"] != 3.0 || sum["notSatisfied"] != 1.0 || sum["notAssessed"] != 2.0 || sum["findingsFailed"] != 1.0 {
		t.Fatalf("run = %s", r.body)
	}
	r = f.do(t, "GET", "/api/runs?system=web&limit=1", "viewer", "")
	if runs := r.json(t)["runs"].([]any); len(runs) != 1 || runs[0].(map[string]any)["id"] != float64(second) {
		t.Fatalf("runs = %s", r.body)
	}
	r = f.do(t, "GET", "/api/runs/"+itoa(first)+"/results", "viewer", "")
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("results = %d %s", r.status, r.header)
	}
	if _, err := native.Decode(r.body); err != nil {
		t.Fatalf("results are not a valid pedigree.json: %v", err)
	}
	plain := r.body
	r = f.do(t, "GET", "/api/runs/"+itoa(first)+"/results", "viewer", "", "Accept-Encoding", "gzip")
	if r.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("results not gzipped for a client that accepts it: %v", r.header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if unz, _ := io.ReadAll(zr); !bytes.Equal(unz, plain) {
		t.Fatal("gzipped results differ from the plain ones")
	}
	etag := r.header.Get("ETag")
	if r := f.do(t, "GET", "/api/runs/"+itoa(first)+"/results", "viewer", "", "If-None-Match", etag); r.status != http.StatusNotModified || len(etag) != 66 {
		t.Fatalf("If-None-Match %s = %d", etag, r.status)
	}
	r = f.do(t, "GET", "/api/runs/"+itoa(first)+"/reports/md", "viewer", "")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/markdown") || !bytes.Contains(r.body, []byte("CM-8")) {
		t.Fatalf("rendered md = %d %s", r.status, r.header.Get("Content-Type"))
	}
	r = f.do(t, "GET", "/api/runs/"+itoa(second)+"/diff/"+itoa(first), "viewer", "")
	d := r.json(t)
	if r.status != 200 || len(d["fixed"].([]any)) != 1 || len(d["controls"].([]any)) != 1 || len(d["poamClosed"].([]any)) != 1 {
		t.Fatalf("diff = %d %s", r.status, r.body)
	}
	r = f.do(t, "GET", "/api/controls/CM-8", "viewer", "")
	c := r.json(t)
	if c["control"] != "cm-8" || len(c["systems"].([]any)) != 1 || len(c["history"].([]any)) != 2 {
		t.Fatalf("control = %s", r.body)
	}
	// A query naming what does not exist is refused as a missing system or
	// run is, not answered with an empty list.
	for path, want := range map[string]int{
		"/api/controls/sr-4.3":              200,
		"/api/controls/SR-99":               http.StatusNotFound,
		"/api/controls/' OR 1=1--":          http.StatusBadRequest,
		"/api/controls/cm-8?system=nope":    http.StatusNotFound,
		"/api/findings?status=bogus":        http.StatusBadRequest,
		"/api/findings?status=not-assessed": 200,
		"/api/findings?system=nope":         http.StatusNotFound,
		"/controls/SR-99":                   http.StatusNotFound,
	} {
		if r := f.do(t, "GET", strings.ReplaceAll(path, " ", "%20"), "viewer", ""); r.status != want {
			t.Errorf("GET %s = %d, want %d: %s", path, r.status, want, r.body)
		}
	}
	r = f.do(t, "GET", "/api/systems/web/poam", "viewer", "")
	if items := r.json(t)["items"].([]any); len(items) != 2 {
		t.Fatalf("poam = %s", r.body)
	}
	r = f.do(t, "GET", "/api/systems/web/trend", "viewer", "")
	if tr := r.json(t)["trend"].([]any); len(tr) != 2 || tr[0].(map[string]any)["id"] != float64(first) {
		t.Fatalf("trend = %s", r.body)
	}
	r = f.do(t, "GET", "/api/findings?system=web&check=SBOM-NTIA-MINIMUM", "viewer", "")
	if fs := r.json(t)["findings"].([]any); len(fs) != 2 {
		t.Fatalf("findings = %s", r.body)
	}
	r = f.do(t, "GET", "/api/runs/"+itoa(first)+"/evidence", "viewer", "")
	if ev := r.json(t)["evidence"].([]any); len(ev) != 4 || ev[0].(map[string]any)["sha256"] == "" {
		t.Fatalf("evidence = %s", r.body)
	}
	r = f.do(t, "GET", "/api/systems", "viewer", "")
	if sys := r.json(t)["systems"].([]any); len(sys) != 3 {
		t.Fatalf("systems = %s", r.body)
	}
	r = f.do(t, "POST", "/api/systems/web/pause", "admin", "")
	if r.status != 200 || r.json(t)["paused"] != true {
		t.Fatalf("pause = %d %s", r.status, r.body)
	}
	if r := f.do(t, "POST", "/api/systems/nope/pause", "admin", ""); r.status != http.StatusNotFound {
		t.Fatalf("pause unknown = %d", r.status)
	}
	if r := f.do(t, "POST", "/api/systems/web/resume", "admin", ""); r.status != 200 || r.json(t)["paused"] != false {
		t.Fatalf("resume = %d %s", r.status, r.body)
	}
	if r := f.do(t, "POST", "/api/runs/"+itoa(first)+"/cancel", "operator", ""); r.status != http.StatusConflict {
		t.Fatalf("cancel of a finished run = %d %s", r.status, r.body)
	}
	if r := f.do(t, "DELETE", "/api/runs/"+itoa(first), "admin", ""); r.status != http.StatusNoContent {
		t.Fatalf("delete = %d %s", r.status, r.body)
	}
	if r := f.do(t, "GET", "/api/runs/"+itoa(first), "viewer", ""); r.status != http.StatusNotFound {
		t.Fatalf("deleted run = %d", r.status)
	}
	// Tokens: created once, listed without secrets, revoked.
	r = f.do(t, "POST", "/api/tokens", "admin", `{"name":"ci","role":"viewer"}`)
	tok := r.json(t)
	if r.status != http.StatusCreated || !strings.HasPrefix(tok["token"].(string), "pdg_") {
		t.Fatalf("create token = %d %s", r.status, r.body)
	}
	r = f.do(t, "GET", "/api/tokens", "admin", "")
	if bytes.Contains(r.body, []byte(tok["token"].(string))) || bytes.Contains(r.body, []byte(HashToken(tok["token"].(string)))) {
		t.Fatal("token list shows a secret or its hash")
	}
	if r := f.do(t, "DELETE", "/api/tokens/"+itoa(int64(tok["id"].(float64))), "admin", ""); r.status != http.StatusNoContent {
		t.Fatalf("delete token = %d", r.status)
	}
	r = f.do(t, "GET", "/api/audit", "admin", "")
	var actions []string
	for _, e := range r.json(t)["entries"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	for _, want := range []string{"run.start", "run.delete", "token.create", "token.delete", "system.pause", "system.resume"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	id := f.runToEnd(t, "web")
	big := `{"system":"` + strings.Repeat("x", maxBody) + `"}`
	tests := []struct {
		name, method, path, role, body string
		hdr                            []string
		status                         int
		msg                            string
	}{
		{"malformed JSON", "POST", "/api/runs", "operator", `{"system":`, nil, 400, "malformed JSON"},
		{"unknown field", "POST", "/api/runs", "operator", `{"system":"web","x":1}`, nil, 400, "unknown field"},
		{"two objects", "POST", "/api/runs", "operator", `{"system":"web"}{}`, nil, 400, "data after"},
		{"empty", "POST", "/api/runs", "operator", ` `, nil, 400, "empty body"},
		{"no system", "POST", "/api/runs", "operator", `{}`, nil, 400, `"system" is required`},
		{"oversized", "POST", "/api/runs", "operator", big, nil, 413, "larger than"},
		{"form body", "POST", "/api/runs", "operator", `system=web`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"unknown system", "POST", "/api/runs", "operator", `{"system":"nope"}`, nil, 404, "not configured"},
		{"broken system", "POST", "/api/runs", "operator", `{"system":"broken"}`, nil, 409, "colour"},
		{"unknown route", "GET", "/api/nothing", "viewer", "", nil, 404, "no such page"},
		{"wrong method", "PUT", "/api/runs", "viewer", "", nil, 405, "not allowed"},
		{"traversal", "GET", "/api/runs/" + itoa(id) + "/reports/..%2F..%2Fetc%2Fpasswd", "viewer", "", nil, 404, "unknown"},
		{"traversal dots", "GET", "/api/runs/" + itoa(id) + "/reports/..", "viewer", "", nil, 0, ""},
		{"unknown format", "GET", "/api/runs/" + itoa(id) + "/reports/pdf", "viewer", "", nil, 404, "available"},
		{"bad id", "GET", "/api/runs/abc", "viewer", "", nil, 400, "positive run number"},
		{"negative id", "GET", "/api/runs/-3", "viewer", "", nil, 400, "positive"},
		{"unknown run", "GET", "/api/runs/999999", "viewer", "", nil, 404, "not found"},
		{"bad limit", "GET", "/api/runs?limit=0", "viewer", "", nil, 400, "limit"},
		{"huge limit", "GET", "/api/runs?limit=100000", "viewer", "", nil, 400, "limit"},
		{"bad status", "GET", "/api/runs?status=done", "viewer", "", nil, 400, "status"},
		{"bad since", "GET", "/api/runs?since=yesterday", "viewer", "", nil, 400, "RFC 3339"},
		{"bad role", "POST", "/api/tokens", "admin", `{"role":"root"}`, nil, 400, "role"},
		{"cross-origin", "POST", "/api/runs", "operator", `{"system":"web"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403, "cross-origin"},
		{"bad auth scheme", "GET", "/api/runs", "", "", []string{"Authorization", "Basic dXNlcjpwYXNz"}, 401, "Bearer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, tc.method, tc.path, tc.role, tc.body, tc.hdr...)
			if tc.status == 0 {
				// The mux cleans the path: a redirect, never a file.
				if r.status == 200 {
					t.Fatalf("%s = 200: %s", tc.path, r.body)
				}
				return
			}
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			m := r.json(t)
			if msg, _ := m["error"].(string); !strings.Contains(msg, tc.msg) || strings.Contains(msg, "goroutine") {
				t.Fatalf("error %q, want it to say %q", msg, tc.msg)
			}
		})
	}
	if r := f.do(t, "PUT", "/api/runs", "viewer", ""); !strings.Contains(r.header.Get("Allow"), "GET") {
		t.Fatalf("405 without Allow: %v", r.header)
	}
}

func TestDatabaseGone(t *testing.T) {
	f := newFixture(t)
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	f.q.Stop(c)
	cancel()
	f.st.Close()
	r := f.do(t, "GET", "/api/runs", "", "", "Authorization", "Bearer "+f.tokens["viewer"])
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.json(t)["error"].(string), "unavailable") {
		t.Fatalf("with the database gone: %d %s", r.status, r.body)
	}
	if r := f.do(t, "GET", "/api/health", "", ""); r.status != http.StatusServiceUnavailable {
		t.Fatalf("health with the database gone: %d", r.status)
	}
}

func TestSessionAndCSRF(t *testing.T) {
	f := newFixture(t)
	// Log in with the operator's token.
	res, err := noRedirect.PostForm(f.ts.URL+"/login", url.Values{"token": {f.tokens["operator"]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", res.StatusCode)
	}
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == sessionCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure {
		t.Fatalf("session cookie = %+v", c)
	}
	get := func(path string) reply {
		req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
		req.AddCookie(c)
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return reply{res.StatusCode, res.Header, b}
	}
	page := get("/")
	if page.status != 200 || !bytes.Contains(page.body, []byte(`data-system="web"`)) {
		t.Fatalf("home = %d %s", page.status, page.body)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page.body)
	if csrf == nil {
		t.Fatal("no CSRF token in the form")
	}
	post := func(path string, form url.Values) int {
		req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := post("/runs", url.Values{"system": {"web"}}); st != http.StatusForbidden {
		t.Fatalf("form without CSRF token = %d", st)
	}
	if st := post("/runs", url.Values{"system": {"web"}, "csrf": {"wrong"}}); st != http.StatusForbidden {
		t.Fatalf("form with a wrong CSRF token = %d", st)
	}
	if st := post("/runs", url.Values{"system": {"web"}, "csrf": {string(csrf[1])}}); st != http.StatusSeeOther {
		t.Fatalf("form with the CSRF token = %d", st)
	}
	// The operator's session cannot reach admin pages.
	if r := get("/tokens"); r.status != http.StatusForbidden {
		t.Fatalf("operator on /tokens = %d", r.status)
	}
	// A bad login says so and sets nothing.
	res, _ = noRedirect.PostForm(f.ts.URL+"/login", url.Values{"token": {"pdg_wrong"}})
	if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
		t.Fatalf("bad login = %d %v", res.StatusCode, res.Cookies())
	}
	res.Body.Close()
	if st := post("/logout", url.Values{"csrf": {string(csrf[1])}}); st != http.StatusSeeOther {
		t.Fatalf("logout = %d", st)
	}
	if r := get("/"); r.status != http.StatusUnauthorized {
		t.Fatalf("after logout = %d", r.status)
	}
}

func TestSecureHeaders(t *testing.T) {
	f := newFixture(t)
	id := f.runToEnd(t, "web")
	for _, p := range []string{"/api/health", "/login", "/api/nothing"} {
		r := f.do(t, "GET", p, "", "")
		h := r.header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s headers: %v", p, h)
		}
	}
	// The HTML page's style runs under its nonce and nothing inline else.
	r := f.do(t, "GET", "/login", "", "")
	nonce := regexp.MustCompile(`nonce-([A-Za-z0-9_-]+)`).FindStringSubmatch(r.header.Get("Content-Security-Policy"))
	if nonce == nil || !bytes.Contains(r.body, []byte(`<style nonce="`+nonce[1]+`">`)) {
		t.Fatalf("CSP nonce not on the page's style")
	}
	_ = id
}

// TestUnnamedToken: a token created without a name is named by its id in
// the run it starts, the audit log, a refusal and the dashboard's header,
// never as "token N ()".
func TestUnnamedToken(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok := NewToken()
	id, err := f.st.CreateToken(ctx, store.Token{Role: store.RoleOperator, Hash: HashToken(tok), CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f.tokens["unnamed"] = tok
	want := "token " + itoa(id)
	r := f.do(t, "POST", "/api/runs", "unnamed", `{"system":"web"}`)
	if got := r.json(t)["requestedBy"]; r.status != http.StatusAccepted || got != want {
		t.Fatalf("POST /api/runs = %d, requestedBy %q, want %q", r.status, got, want)
	}
	log, err := f.st.AuditLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].Actor != want {
		t.Fatalf("audit = %+v, want actor %q", log, want)
	}
	r = f.do(t, "GET", "/api/audit", "unnamed", "")
	if msg := r.json(t)["error"].(string); r.status != http.StatusForbidden || strings.Contains(msg, "()") {
		t.Fatalf("GET /api/audit = %d %q", r.status, msg)
	}
	res, err := noRedirect.PostForm(f.ts.URL+"/login", url.Values{"token": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	req, _ := http.NewRequest("GET", f.ts.URL+"/", nil)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	res, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Contains(page, []byte(">"+want+" (operator)<")) {
		t.Fatalf("dashboard header does not name %q:\n%s", want, page)
	}
}
