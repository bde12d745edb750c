package server

import (
	"net/http"
	"strings"

	"github.com/pedigree-dev/pedigree/store"
)

type controlPage struct {
	ID      string
	Systems []store.ControlStatus
	History []store.ControlStatus
}

// uiControl is one control across systems: its status in each system's
// latest run, and run by run.
func (s *Server) uiControl(w http.ResponseWriter, r *http.Request) {
	id, cs, hist, ok := s.controlData(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "control.html", strings.ToUpper(id), controlPage{ID: id, Systems: cs, History: hist})
}
