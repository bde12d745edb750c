package server

import (
	"net/http"
)

func (s *Server) apiSystemPause(w http.ResponseWriter, r *http.Request) {
	if s.setPaused(w, r, true) {
		s.apiSystemState(w, r)
	}
}

func (s *Server) apiSystemResume(w http.ResponseWriter, r *http.Request) {
	if s.setPaused(w, r, false) {
		s.apiSystemState(w, r)
	}
}

func (s *Server) apiSystemState(w http.ResponseWriter, r *http.Request) {
	sys, err := s.st.System(r.Context(), r.PathValue("name"))
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sys)
}

// setPaused pauses or resumes a system's schedule and audits it.
func (s *Server) setPaused(w http.ResponseWriter, r *http.Request, paused bool) bool {
	name := r.PathValue("name")
	if err := s.st.SetPaused(r.Context(), name, paused); err != nil {
		s.storeError(w, r, err)
		return false
	}
	action := "system.resume"
	if paused {
		action = "system.pause"
	}
	s.audit(r, action, "system "+name, "")
	return true
}

func (s *Server) uiSystemPause(w http.ResponseWriter, r *http.Request) {
	if s.setPaused(w, r, true) {
		http.Redirect(w, r, "/systems/"+r.PathValue("name"), http.StatusSeeOther)
	}
}

func (s *Server) uiSystemResume(w http.ResponseWriter, r *http.Request) {
	if s.setPaused(w, r, false) {
		http.Redirect(w, r, "/systems/"+r.PathValue("name"), http.StatusSeeOther)
	}
}
