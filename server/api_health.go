package server

import (
	"context"
	"net/http"
	"time"
)

// apiHealth answers without authentication: ok when the history database
// answers.
func (s *Server) apiHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.st.Runs(ctx, runFilterOne); err != nil {
		s.log.Error("health", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": s.st.Dialect()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": s.st.Dialect()})
}
