package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// apiError is the body of every error response of the API.
type apiError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/api"
}

// writeError answers with status and a one-line message: JSON for the
// API, a small page for the dashboard.
func writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		writeJSON(w, status, apiError{Error: msg, Status: status})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>%d</title><p>%d %s: %s</p><p><a href=\"/\">Systems</a></p>",
		status, status, http.StatusText(status), htmlEscape(msg))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// storeError maps a store error to a response; the database's own message
// stays in the log.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, err.Error())
		return
	}
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		return // the client went away
	}
	s.log.Error("store", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, r, http.StatusServiceUnavailable, "the history database is unavailable; try again")
}

// decodeJSON reads one JSON object of type T from the body, refusing
// unknown fields, trailing data and oversized bodies with a clear message.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		writeError(w, r, http.StatusUnsupportedMediaType, "send the body as application/json, not "+ct)
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mbe.Limit))
		case errors.Is(err, io.EOF):
			writeError(w, r, http.StatusBadRequest, "empty body: send a JSON object")
		default:
			writeError(w, r, http.StatusBadRequest, "malformed JSON body: "+err.Error())
		}
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, r, http.StatusBadRequest, "malformed JSON body: data after the object")
		return false
	}
	return true
}

// pathID reads a numeric path value.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusBadRequest, fmt.Sprintf("%s %q: want a positive run number", name, v))
		return 0, false
	}
	return id, true
}

// pathRun reads the run named by the {id} path value; a malformed id, an
// unknown run or a database error is answered here.
func (s *Server) pathRun(w http.ResponseWriter, r *http.Request) (*store.Run, bool) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return nil, false
	}
	run, err := s.st.Run(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return nil, false
	}
	return run, true
}

// queryInt reads an optional positive integer query parameter.
func queryInt(w http.ResponseWriter, r *http.Request, name string, def, maxV int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > maxV {
		writeError(w, r, http.StatusBadRequest, fmt.Sprintf("%s=%q: want a number from 1 to %d", name, v, maxV))
		return 0, false
	}
	return n, true
}
