package server

import (
	"net/http"

	"github.com/pedigree-dev/pedigree/store"
)

type systemRow struct {
	store.SystemStatus
	Trend []trendPoint
}

// uiSystems is the home page: every system, its latest run and its trend.
func (s *Server) uiSystems(w http.ResponseWriter, r *http.Request) {
	sys, err := s.st.Systems(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	rows := make([]systemRow, len(sys))
	for i := range sys {
		t, err := s.trend(r, sys[i].Name, 30)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		rows[i] = systemRow{SystemStatus: sys[i], Trend: t}
	}
	s.render(w, r, http.StatusOK, "systems.html", "Systems", rows)
}
