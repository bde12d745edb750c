package server

import (
	"net/http"
	"time"

	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/store"
)

// apiFindings queries findings by system, check, status and time.
func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.FindingFilter{System: q.Get("system"), Check: q.Get("check"), Status: q.Get("status")}
	if f.System != "" && !s.knownSystem(w, r, f.System) {
		return
	}
	switch evidence.Status(f.Status) {
	case "", evidence.Pass, evidence.Fail, evidence.NotApplicable, evidence.NotAssessed, evidence.Error:
	default:
		writeError(w, r, http.StatusBadRequest, "status="+quote(f.Status)+": want pass, fail, not-assessed, not-applicable or error")
		return
	}
	var ok bool
	if f.Limit, ok = queryInt(w, r, "limit", 500, 10000); !ok {
		return
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "since="+quote(v)+": want an RFC 3339 time")
			return
		}
		f.Since = t
	}
	if v := q.Get("run"); v != "" {
		r2 := *r
		r2.SetPathValue("id", v)
		id, ok := pathID(w, &r2, "id")
		if !ok {
			return
		}
		f.RunID = id
	}
	fs, err := s.st.Findings(r.Context(), f)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": fs})
}
