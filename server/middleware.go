package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/pedigree-dev/pedigree/store"
)

// maxBody bounds every request body: the API takes small JSON objects and
// the dashboard small forms.
const maxBody = 64 << 10

type ctxKey int

const (
	principalKey ctxKey = iota
	nonceKey
)

// principal is who is calling: a token, directly or through a session.
type principal struct {
	TokenID int64
	Name    string
	Role    string
	// CSRF is the session's form token; empty for Bearer calls.
	CSRF    string
	Session bool
}

// String names the caller in runs, the audit log and refusals; a token
// created without a name is known by its id alone, not "token 4 ()".
func (p *principal) String() string {
	if p == nil {
		return "anonymous"
	}
	if p.Name == "" {
		return "token " + itoa(p.TokenID)
	}
	return "token " + itoa(p.TokenID) + " (" + p.Name + ")"
}

func (p *principal) can(role string) bool {
	return p != nil && store.RoleRank(p.Role) >= store.RoleRank(role)
}

func principalOf(r *http.Request) *principal {
	p, _ := r.Context().Value(principalKey).(*principal)
	return p
}

func nonceOf(r *http.Request) string {
	n, _ := r.Context().Value(nonceKey).(string)
	return n
}

// secureHeaders sets the headers every response carries; pages get a CSP
// whose nonce lets their own inline style and script run and nothing else.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := randomString(16)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+nonce+"'; script-src 'nonce-"+nonce+
			"'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if s.opts.TLS {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey, nonce)))
	})
}

// recoverPanics turns a panic into a 500 without a stack trace for the
// client; the log has it.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				writeError(w, r, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// notFound answers unknown routes and methods the mux refuses with the
// same JSON (or HTML) error shape as every other error, keeping the mux's
// Allow header.
func (s *Server) notFound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := s.mux.Handler(r); pattern != "" {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{header: http.Header{}}
		next.ServeHTTP(rec, r)
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		switch rec.status {
		case http.StatusMethodNotAllowed:
			writeError(w, r, rec.status, r.Method+" is not allowed on "+r.URL.Path+" (allowed: "+w.Header().Get("Allow")+")")
		case http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			// The mux cleaning a path (/api//runs, /a/../b): send the
			// client to the clean one.
			w.Header().Set("Location", rec.header.Get("Location"))
			w.WriteHeader(rec.status)
		default:
			writeError(w, r, http.StatusNotFound, "no such page: "+r.URL.Path)
		}
	})
}

type statusRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *statusRecorder) Header() http.Header { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		next.ServeHTTP(w, r)
	})
}

// badCredentials is a refusal of what the client sent (401), as opposed to
// a database that cannot answer (503).
type badCredentials string

func (b badCredentials) Error() string { return string(b) }

// sessionCookie names the dashboard's session cookie.
const sessionCookie = "pedigree_session"

// authenticate finds the caller: a Bearer token, or a session cookie.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			return nil, badCredentials("the Authorization header must be `Bearer TOKEN`")
		}
		t, err := s.st.TokenByHash(r.Context(), HashToken(strings.TrimSpace(tok)))
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, badCredentials("unknown or revoked token")
			}
			return nil, err
		}
		return &principal{TokenID: t.ID, Name: t.Name, Role: t.Role}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ss, t, err := s.st.SessionByHash(r.Context(), HashToken(c.Value), s.opts.Now())
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil // expired: log in again
		}
		return nil, err
	}
	return &principal{TokenID: t.ID, Name: t.Name, Role: t.Role, CSRF: ss.CSRF, Session: true}, nil
}

// authorize refuses a caller without credentials (401) or below role
// (403).
func (s *Server) authorize(role string, api bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		var bad badCredentials
		if err != nil && !errors.As(err, &bad) {
			s.log.Error("authenticate", "err", err)
			writeError(w, r, http.StatusServiceUnavailable, "the history database is unavailable; try again")
			return
		}
		if p == nil {
			msg := "authentication required: send `Authorization: Bearer TOKEN`"
			if err != nil {
				msg = err.Error()
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="pedigree"`)
			if !api {
				s.renderLogin(w, r, http.StatusUnauthorized, "")
				return
			}
			writeError(w, r, http.StatusUnauthorized, msg)
			return
		}
		if !p.can(role) {
			writeError(w, r, http.StatusForbidden, "this needs the "+role+" role; "+p.String()+" is "+p.Role)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey, p)))
	})
}

var crossOrigin = http.NewCrossOriginProtection()

// csrf refuses unsafe cross-origin requests (Sec-Fetch-Site / Origin),
// and, for requests carrying a session cookie, a form or header without
// the session's CSRF token. Bearer calls carry no ambient credential and
// need no token.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := crossOrigin.Check(r); err != nil {
			writeError(w, r, http.StatusForbidden, "cross-origin request refused")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// csrfToken refuses an unsafe request made with a session cookie unless it
// carries the session's CSRF token (form field csrf or X-CSRF-Token).
func csrfToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !checkCSRF(r, principalOf(r)) {
			writeError(w, r, http.StatusForbidden, "missing or wrong CSRF token: reload the page and try again")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkCSRF compares the request's CSRF token with the session's; Bearer
// calls need none.
func checkCSRF(r *http.Request, p *principal) bool {
	if p == nil || !p.Session {
		return true
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRF)) == 1
}

// HashToken is how tokens and session ids are stored: their SHA-256. They
// are 256-bit random strings, so a fast hash is enough.
func HashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// NewToken makes an API token: "pdg_" and 32 random bytes.
func NewToken() string { return "pdg_" + randomString(32) }

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
