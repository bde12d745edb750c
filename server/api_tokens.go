package server

import (
	"net/http"
	"strconv"

	"github.com/pedigree-dev/pedigree/store"
)

func (s *Server) apiTokenList(w http.ResponseWriter, r *http.Request) {
	ts, err := s.st.Tokens(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
}

// createdToken is shown once: the store keeps only its hash.
type createdToken struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Token string `json:"token"`
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
		Role string `json:"role"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	t, ok := s.createToken(w, r, body.Name, body.Role)
	if !ok {
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, name, role string) (*createdToken, bool) {
	if store.RoleRank(role) == 0 {
		writeError(w, r, http.StatusBadRequest, "role "+quote(role)+": want viewer, operator or admin")
		return nil, false
	}
	if len(name) > 100 {
		writeError(w, r, http.StatusBadRequest, "name longer than 100 characters")
		return nil, false
	}
	tok := NewToken()
	id, err := s.st.CreateToken(r.Context(), store.Token{Name: name, Role: role, Hash: HashToken(tok), CreatedAt: s.opts.Now().UTC()})
	if err != nil {
		s.storeError(w, r, err)
		return nil, false
	}
	s.audit(r, "token.create", "token "+itoa(id), "role "+role+", name "+quote(name))
	return &createdToken{ID: id, Name: name, Role: role, Token: tok}, true
}

func (s *Server) apiTokenDelete(w http.ResponseWriter, r *http.Request) {
	if s.deleteToken(w, r) {
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) bool {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusBadRequest, "token id "+quote(r.PathValue("id"))+": want a number")
		return false
	}
	if err := s.st.DeleteToken(r.Context(), id); err != nil {
		s.storeError(w, r, err)
		return false
	}
	s.audit(r, "token.delete", "token "+itoa(id), "")
	return true
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	n, ok := queryInt(w, r, "limit", 100, 10000)
	if !ok {
		return
	}
	log, err := s.st.AuditLog(r.Context(), n)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": log})
}
