package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/pedigree-dev/pedigree/jobs"
	"github.com/pedigree-dev/pedigree/store"
)

func (s *Server) apiRunCreate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		System string `json:"system"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.System == "" {
		writeError(w, r, http.StatusBadRequest, `"system" is required`)
		return
	}
	run, ok := s.startRun(w, r, body.System)
	if !ok {
		return
	}
	w.Header().Set("Location", "/api/runs/"+strconv.FormatInt(run.ID, 10))
	writeJSON(w, http.StatusAccepted, run)
}

// startRun enqueues a run and audits it; it answers errors itself.
func (s *Server) startRun(w http.ResponseWriter, r *http.Request, system string) (*store.Run, bool) {
	p := principalOf(r)
	run, err := s.opts.Queue.Enqueue(r.Context(), system, p.String())
	switch {
	case errors.Is(err, jobs.ErrUnknownSystem):
		writeError(w, r, http.StatusNotFound, "system "+quote(system)+" is not configured")
		return nil, false
	case errors.Is(err, jobs.ErrBrokenSystem):
		writeError(w, r, http.StatusConflict, err.Error())
		return nil, false
	case err != nil:
		s.storeError(w, r, err)
		return nil, false
	}
	s.audit(r, "run.start", "run "+itoa(run.ID), "system "+system)
	return run, true
}

// audit records an action; a failure to record is logged, not fatal to
// the action already done.
func (s *Server) audit(r *http.Request, action, target, detail string) {
	err := s.st.Audit(r.Context(), store.AuditEntry{At: s.opts.Now().UTC(), Actor: principalOf(r).String(), Action: action, Target: target, Detail: detail})
	if err != nil {
		s.log.Error("audit", "action", action, "target", target, "err", err)
	}
}

func quote(s string) string { return strconv.Quote(s) }
