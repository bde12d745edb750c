package forge

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"

	"github.com/pedigree-dev/pedigree/evidence"
)

// maxBody bounds one API response held in memory.
const maxBody = 8 << 20

// recorder is an http.RoundTripper that keeps every response body so the
// evidence can carry the SHA-256 of exactly what the forge said. A URL asked
// twice (a retry after a rate limit) keeps its last answer.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	got  map[string]recorded
}

type recorded struct {
	status int
	body   []byte
}

func newRecorder(base http.RoundTripper) *recorder {
	if base == nil {
		base = http.DefaultTransport
	}
	return &recorder{base: base, got: map[string]recorded{}}
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", req.URL.Redacted(), err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("%s: response exceeds %d bytes", req.URL.Redacted(), maxBody)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	r.mu.Lock()
	r.got[req.URL.Redacted()] = recorded{resp.StatusCode, body}
	r.mu.Unlock()
	return resp, nil
}

// body returns the last body recorded for a URL.
func (r *recorder) body(u string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got[u].body
}

// canonical returns the responses in URL order and the bytes the evidence
// digest covers: for each response its URL, status and length on one line,
// then the body.
func (r *recorder) canonical() ([]Response, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	urls := make([]string, 0, len(r.got))
	for u := range r.got {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	var buf bytes.Buffer
	out := make([]Response, 0, len(urls))
	for _, u := range urls {
		g := r.got[u]
		buf.WriteString(u + " " + strconv.Itoa(g.status) + " " + strconv.Itoa(len(g.body)) + "\n")
		buf.Write(g.body)
		buf.WriteByte('\n')
		out = append(out, Response{URL: u, Status: g.status, SHA256: evidence.SHA256Hex(g.body), Size: int64(len(g.body))})
	}
	return out, buf.Bytes()
}
