package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/pedigree-dev/pedigree/store"
)

var runStatuses = map[string]bool{store.StatusQueued: true, store.StatusRunning: true, store.StatusSucceeded: true, store.StatusFailed: true, store.StatusCancelled: true}

func (s *Server) apiRunList(w http.ResponseWriter, r *http.Request) {
	f, ok := runFilter(w, r)
	if !ok {
		return
	}
	rs, err := s.st.Runs(r.Context(), f)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": rs})
}

// runFilter reads system, status, limit, before, since and until.
func runFilter(w http.ResponseWriter, r *http.Request) (store.RunFilter, bool) {
	q := r.URL.Query()
	f := store.RunFilter{System: q.Get("system"), Status: q.Get("status")}
	if f.Status != "" && !runStatuses[f.Status] {
		writeError(w, r, http.StatusBadRequest, "status="+quote(f.Status)+": want queued, running, succeeded, failed or cancelled")
		return f, false
	}
	var ok bool
	if f.Limit, ok = queryInt(w, r, "limit", 50, 500); !ok {
		return f, false
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			writeError(w, r, http.StatusBadRequest, "before="+quote(v)+": want a run id")
			return f, false
		}
		f.Before = n
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeError(w, r, http.StatusBadRequest, p.name+"="+quote(v)+": want an RFC 3339 time such as 2026-05-01T00:00:00Z")
				return f, false
			}
			*p.dst = t
		}
	}
	return f, true
}
