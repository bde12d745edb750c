// Package server is pedigree serve's HTTP side: the JSON API (described by
// the OpenAPI document it serves), the server-rendered dashboard, and the
// middleware that guards both (tokens and roles, sessions, CSRF, secure
// headers, body limits). It reads the history through store.Store and
// starts or cancels runs through a Queue.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/pedigree-dev/pedigree/store"
)

// Queue starts and cancels runs (jobs.Queue).
type Queue interface {
	Enqueue(ctx context.Context, system, requestedBy string) (*store.Run, error)
	Cancel(ctx context.Context, id int64) error
}

// RenderFunc renders a report format from a run's pedigree.json, for the
// formats a system's config did not write. It returns the file's bytes and
// name.
type RenderFunc func(ctx context.Context, system, format string, pedigreeJSON []byte) ([]byte, string, error)

// Options configure the server.
type Options struct {
	Store store.Store
	Queue Queue
	// Render renders formats not stored with a run; nil serves stored
	// formats only.
	Render RenderFunc
	// Formats are every report format the CLI writes.
	Formats []string
	// TLS marks session cookies Secure.
	TLS    bool
	Logger *slog.Logger
	// Now is the clock (tests set it).
	Now func() time.Time
	// SessionTTL is how long a dashboard login lasts (default 12h).
	SessionTTL time.Duration
	// CacheBytes bounds the in-memory cache of served reports (default
	// 256 MiB; negative turns it off).
	CacheBytes int64
}

// Server is the HTTP handler.
type Server struct {
	opts   Options
	st     store.Store
	log    *slog.Logger
	mux    *http.ServeMux
	routes []route
	h      http.Handler
	cache  *reportCache
}

// New builds the handler with every route registered.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = 256 << 20
	}
	pages() // a broken template stops the server at start, not at a first visit
	s := &Server{opts: opts, st: opts.Store, log: opts.Logger, mux: http.NewServeMux(), cache: newReportCache(max(opts.CacheBytes, 0))}
	s.registerRoutes()
	s.h = s.recoverPanics(s.secureHeaders(s.notFound(s.mux)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

// route is one registered endpoint; the OpenAPI test compares the API's
// against the document.
type route struct {
	method, path string
	role         string // "" for no authentication
	api          bool
}

// handle registers h for method and path, behind authentication and the
// role check (role "" needs none), CSRF checks on unsafe methods (the
// session's token on every authenticated one), and the body limit.
func (s *Server) handle(method, path, role string, h http.HandlerFunc) {
	api := len(path) >= 4 && path[:4] == "/api"
	s.routes = append(s.routes, route{method: method, path: path, role: role, api: api})
	var hh http.Handler = h
	if role != "" && method != "GET" {
		hh = csrfToken(hh)
	}
	hh = s.limitBody(hh)
	if role != "" {
		hh = s.authorize(role, api, hh)
	}
	hh = s.csrf(hh)
	s.mux.Handle(method+" "+path, hh)
}
