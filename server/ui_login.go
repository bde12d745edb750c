package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/pedigree-dev/pedigree/store"
)

func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "login.html", "Log in", struct{ Error string }{msg})
}

// uiLoginPost exchanges a token for a session cookie: HttpOnly,
// SameSite=Strict, Secure under TLS. The store keeps the cookie's hash.
func (s *Server) uiLoginPost(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimSpace(r.PostFormValue("token"))
	if tok == "" {
		s.renderLogin(w, r, http.StatusBadRequest, "Enter a token.")
		return
	}
	t, err := s.st.TokenByHash(r.Context(), HashToken(tok))
	if errors.Is(err, store.ErrNotFound) {
		s.log.Warn("login refused", "remote", r.RemoteAddr)
		s.renderLogin(w, r, http.StatusUnauthorized, "Unknown or revoked token.")
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	id := randomString(32)
	exp := s.opts.Now().Add(s.opts.SessionTTL)
	if err := s.st.CreateSession(r.Context(), store.Session{Hash: HashToken(id), TokenID: t.ID, CSRF: randomString(24), ExpiresAt: exp}); err != nil {
		s.storeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", Expires: exp, HttpOnly: true, Secure: s.opts.TLS, SameSite: http.SameSiteStrictMode})
	s.audit(r.WithContext(context.WithValue(r.Context(), principalKey, &principal{TokenID: t.ID, Name: t.Name, Role: t.Role})), "session.login", "dashboard", "from "+r.RemoteAddr)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) uiLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.st.DeleteSession(r.Context(), HashToken(c.Value)); err != nil {
			s.storeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.TLS, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
