package server

import (
	"net/http"

	"github.com/pedigree-dev/pedigree/store"
)

type systemPage struct {
	System *store.SystemStatus
	Name   string
	Runs   []store.Run
	Trend  []trendPoint
	POAM   []store.POAMItem
	// Next is the id to page from (older runs), 0 when none.
	Next int64
}

// uiSystem is a system's history: trend, runs (50 a page), POA&M items.
func (s *Server) uiSystem(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	f, ok := runFilter(w, r)
	if !ok {
		return
	}
	f.System = name
	sys, err := s.st.Systems(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	pg := systemPage{Name: name}
	for i := range sys {
		if sys[i].Name == name {
			pg.System = &sys[i]
		}
	}
	if pg.Runs, err = s.st.Runs(r.Context(), f); err != nil {
		s.storeError(w, r, err)
		return
	}
	if pg.System == nil && len(pg.Runs) == 0 {
		writeError(w, r, http.StatusNotFound, "system "+quote(name)+" is not configured")
		return
	}
	if len(pg.Runs) == f.Limit {
		pg.Next = pg.Runs[len(pg.Runs)-1].ID
	}
	if pg.Trend, err = s.trend(r, name, 60); err != nil {
		s.storeError(w, r, err)
		return
	}
	if pg.POAM, err = s.st.POAM(r.Context(), name); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "system.html", name, pg)
}
