package forge_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/forge"
)

// FuzzResponses serves one arbitrary body (and status) for every endpoint
// to the real GitHub and GitLab clients: collection must end in evidence,
// never a panic, and the checks must judge whatever came back.
func FuzzResponses(f *testing.F) {
	f.Add([]byte(`{"default_branch":"main","owner":{"type":"Organization"}}`), 200, false)
	f.Add([]byte(`[{"type":"pull_request","ruleset_id":1,"parameters":{"required_approving_review_count":"x"}}]`), 200, false)
	f.Add([]byte(`{"default_branch":"main","only_allow_merge_if_pipeline_succeeds":true}`), 200, true)
	f.Add([]byte(`[{"name":"*","push_access_levels":[{"access_level":-1}]}]`), 200, true)
	f.Add([]byte(`{"message":"Bad credentials"}`), 401, false)
	f.Add([]byte(`null`), 200, true)
	f.Add([]byte(`{"message":"x","documentation_url":"secondary-rate-limits"}`), 403, false)
	f.Add([]byte("\xff\xfe[[[[[[["), 500, true)
	var mu sync.Mutex
	var body []byte
	var code int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b, c := body, code
		mu.Unlock()
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(c)
		w.Write(b)
	}))
	defer srv.Close()
	f.Fuzz(func(t *testing.T, b []byte, status int, gitlab bool) {
		if status < 200 || status > 599 {
			status = 200
		}
		mu.Lock()
		body, code = b, status
		mu.Unlock()
		cfg := ghConfig(srv.URL)
		if gitlab {
			cfg = glConfig(srv.URL)
		}
		c, err := forge.New(cfg, testToken, srv.Client(), forge.WithMaxWait(0))
		if err != nil {
			t.Fatal(err)
		}
		e, _ := collect(t, c, target(t))
		judge(t, e)
	})
}
