package forge_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// reply is one recorded API answer: a status, a body from testdata and
// headers ({{base}} in a header stands for the server's URL).
type reply struct {
	status int
	file   string
	header map[string]string
}

// replay is an httptest server that answers each request path with the
// recorded replies in turn (the last one repeats). A request it has no
// recording for fails the test: every call the collector makes is known.
type replay struct {
	*httptest.Server
	t      *testing.T
	auth   func(r *http.Request) bool
	mu     sync.Mutex
	routes map[string][]reply
	hits   map[string]int
}

func newReplay(t *testing.T, auth func(r *http.Request) bool, routes map[string][]reply) *replay {
	t.Helper()
	rp := &replay{t: t, auth: auth, routes: routes, hits: map[string]int{}}
	rp.Server = httptest.NewServer(http.HandlerFunc(rp.serve))
	t.Cleanup(rp.Close)
	return rp
}

// key is the path, plus the page for pages after the first.
func key(r *http.Request) string {
	k := r.URL.EscapedPath()
	if p := r.URL.Query().Get("page"); p != "" && p != "1" {
		k += "?page=" + p
	}
	return k
}

func (rp *replay) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		rp.t.Errorf("collector sent %s %s: it must only read", r.Method, r.URL)
	}
	if !rp.auth(r) {
		rp.t.Errorf("request %s carries no token", r.URL)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	k := key(r)
	rp.mu.Lock()
	list, ok := rp.routes[k]
	n := rp.hits[k]
	rp.hits[k]++
	rp.mu.Unlock()
	if !ok || len(list) == 0 {
		rp.t.Errorf("no recorded response for %s", k)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		return
	}
	rep := list[min(n, len(list)-1)]
	body, err := os.ReadFile(filepath.Join("testdata", rep.file))
	if err != nil {
		rp.t.Error(err)
	}
	for h, v := range rep.header {
		w.Header().Set(h, strings.ReplaceAll(v, "{{base}}", rp.URL))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(rep.status)
	w.Write(body)
}

func (rp *replay) count(k string) int {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.hits[k]
}

func (rp *replay) total() int {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	n := 0
	for _, h := range rp.hits {
		n += h
	}
	return n
}

func githubAuth(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+testToken }
func gitlabAuth(r *http.Request) bool { return r.Header.Get("Private-Token") == testToken }

const testToken = "ghp_testtoken0000000000000000000000000000"
