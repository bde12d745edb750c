package server

import "net/http"

func (s *Server) apiRunGet(w http.ResponseWriter, r *http.Request) {
	run, ok := s.pathRun(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, run)
}
