package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
	"github.com/pedigree-dev/pedigree/store"
)

var controlLabel = lazyre.New(`^([a-z]{2})-(\d+)(?:\((\d+)\))?$`)

// controlID accepts the OSCAL id (sr-4.3) or the label (SR-4(3)).
func controlID(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if m := controlLabel.FindStringSubmatch(s); m != nil && m[3] != "" {
		return m[1] + "-" + m[2] + "." + m[3]
	}
	return s
}

func (s *Server) apiControl(w http.ResponseWriter, r *http.Request) {
	id := controlID(r.PathValue("id"))
	cs, hist, ok := s.controlData(w, r, id)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"control": id, "systems": cs, "history": hist})
}

func (s *Server) controlData(w http.ResponseWriter, r *http.Request, id string) ([]store.ControlStatus, []store.ControlStatus, bool) {
	q := r.URL.Query()
	f := store.ControlFilter{Control: id, System: q.Get("system")}
	var ok bool
	if f.Limit, ok = queryInt(w, r, "limit", 50, 1000); !ok {
		return nil, nil, false
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "since="+quote(v)+": want an RFC 3339 time")
			return nil, nil, false
		}
		f.Since = t
	}
	cs, err := s.st.ControlAcrossSystems(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return nil, nil, false
	}
	hist, err := s.st.ControlHistory(r.Context(), f)
	if err != nil {
		s.storeError(w, r, err)
		return nil, nil, false
	}
	return cs, hist, true
}
