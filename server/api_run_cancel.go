package server

import (
	"errors"
	"net/http"

	"github.com/pedigree-dev/pedigree/jobs"
)

func (s *Server) apiRunCancel(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok || !s.cancelRun(w, r, id) {
		return
	}
	run, err := s.st.Run(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, run)
}

func (s *Server) cancelRun(w http.ResponseWriter, r *http.Request, id int64) bool {
	err := s.opts.Queue.Cancel(r.Context(), id)
	if errors.Is(err, jobs.ErrFinished) {
		writeError(w, r, http.StatusConflict, err.Error())
		return false
	}
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	s.audit(r, "run.cancel", "run "+itoa(id), "")
	return true
}
