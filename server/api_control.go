package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pedigree-dev/pedigree/catalogs"
	"github.com/pedigree-dev/pedigree/store"
)

func (s *Server) apiControl(w http.ResponseWriter, r *http.Request) {
	id, cs, hist, ok := s.controlData(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"control": id, "systems": cs, "history": hist})
}

// controlData reads the {id} control, in any common spelling (SR-4(3),
// sr-4.3), across systems and run by run; a malformed id is a 400 and one
// the catalog lacks a 404, as an unknown system or run is.
func (s *Server) controlData(w http.ResponseWriter, r *http.Request) (string, []store.ControlStatus, []store.ControlStatus, bool) {
	ix, err := catalogs.Default()
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, err.Error())
		return "", nil, nil, false
	}
	raw := r.PathValue("id")
	id, err := catalogs.NormalizeID(raw)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return "", nil, nil, false
	}
	if _, found := ix.Control(id); !found {
		writeError(w, r, http.StatusNotFound, fmt.Sprintf("unknown control id %q: SP 800-53 Rev 5 has no %s", raw, catalogs.Label(id)))
		return "", nil, nil, false
	}
	q := r.URL.Query()
	f := store.ControlFilter{Control: id, System: q.Get("system")}
	if f.System != "" && !s.knownSystem(w, r, f.System) {
		return "", nil, nil, false
	}
	var ok bool
	if f.Limit, ok = queryInt(w, r, "limit", 50, 1000); !ok {
		return "", nil, nil, false
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "since="+quote(v)+": want an RFC 3339 time")
			return "", nil, nil, false
		}
		f.Since = t
	}
	cs, err := s.st.ControlAcrossSystems(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return "", nil, nil, false
	}
	hist, err := s.st.ControlHistory(r.Context(), f)
	if err != nil {
		s.storeError(w, r, err)
		return "", nil, nil, false
	}
	return id, cs, hist, true
}
