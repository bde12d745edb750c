package server

import (
	"net/http"

	"github.com/pedigree-dev/pedigree/store"
)

type tokensPage struct {
	Tokens []store.Token
	// Created is the token just made, shown this once.
	Created *createdToken
}

func (s *Server) uiTokens(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, created *createdToken) {
	ts, err := s.st.Tokens(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tokens.html", "Tokens", tokensPage{Tokens: ts, Created: created})
}

func (s *Server) uiTokenCreate(w http.ResponseWriter, r *http.Request) {
	t, ok := s.createToken(w, r, r.PostFormValue("name"), r.PostFormValue("role"))
	if !ok {
		return
	}
	// Rendered, not redirected: the token must not land in a URL or a
	// later page.
	s.renderTokens(w, r, t)
}

func (s *Server) uiTokenDelete(w http.ResponseWriter, r *http.Request) {
	if s.deleteToken(w, r) {
		http.Redirect(w, r, "/tokens", http.StatusSeeOther)
	}
}

func (s *Server) uiAudit(w http.ResponseWriter, r *http.Request) {
	log, err := s.st.AuditLog(r.Context(), 500)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "audit.html", "Audit log", log)
}
