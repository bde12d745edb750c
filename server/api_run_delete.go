package server

import "net/http"

func (s *Server) apiRunDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok || !s.deleteRun(w, r, id) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteRun deletes a finished run and its results; a queued or running
// one must be cancelled first.
func (s *Server) deleteRun(w http.ResponseWriter, r *http.Request, id int64) bool {
	run, err := s.st.Run(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	if run.Status == "queued" || run.Status == "running" {
		writeError(w, r, http.StatusConflict, "run "+itoa(id)+" is "+run.Status+": cancel it first")
		return false
	}
	if err := s.st.DeleteRun(r.Context(), id); err != nil {
		s.storeError(w, r, err)
		return false
	}
	s.cache.forget(id)
	s.audit(r, "run.delete", "run "+itoa(id), "system "+run.System)
	return true
}
