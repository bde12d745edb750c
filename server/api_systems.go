package server

import (
	"net/http"

	"github.com/pedigree-dev/pedigree/store"
)

var runFilterOne = store.RunFilter{Limit: 1}

func (s *Server) apiSystems(w http.ResponseWriter, r *http.Request) {
	sys, err := s.st.Systems(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if sys == nil {
		sys = []store.SystemStatus{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"systems": sys})
}

// trendPoint is one succeeded run's verdict counts.
type trendPoint struct {
	ID         int64         `json:"id"`
	FinishedAt any           `json:"finishedAt"`
	Summary    store.Summary `json:"summary"`
}

// trend is the satisfied / not-satisfied / not-assessed counts of a
// system's last n succeeded runs, oldest first.
func (s *Server) trend(r *http.Request, system string, n int) ([]trendPoint, error) {
	rs, err := s.st.Runs(r.Context(), store.RunFilter{System: system, Status: store.StatusSucceeded, Limit: n})
	if err != nil {
		return nil, err
	}
	out := make([]trendPoint, 0, len(rs))
	for i := len(rs) - 1; i >= 0; i-- {
		out = append(out, trendPoint{ID: rs[i].ID, FinishedAt: rs[i].FinishedAt, Summary: rs[i].Summary})
	}
	return out, nil
}

func (s *Server) apiSystemTrend(w http.ResponseWriter, r *http.Request) {
	n, ok := queryInt(w, r, "limit", 30, 1000)
	if !ok {
		return
	}
	name := r.PathValue("name")
	if !s.knownSystem(w, r, name) {
		return
	}
	t, err := s.trend(r, name, n)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"system": name, "trend": t})
}

func (s *Server) apiSystemPOAM(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !s.knownSystem(w, r, name) {
		return
	}
	items, err := s.st.POAM(r.Context(), name)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"system": name, "items": items})
}

// knownSystem answers 404 for a system that is neither configured nor in
// the history.
func (s *Server) knownSystem(w http.ResponseWriter, r *http.Request, name string) bool {
	sys, err := s.st.Systems(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	for _, x := range sys {
		if x.Name == name {
			return true
		}
	}
	if rs, err := s.st.Runs(r.Context(), store.RunFilter{System: name, Limit: 1}); err == nil && len(rs) > 0 {
		return true
	}
	writeError(w, r, http.StatusNotFound, "system "+quote(name)+" is not configured")
	return false
}
