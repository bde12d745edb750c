package server

import (
	"net/http"
	"strconv"

	"github.com/pedigree-dev/pedigree/diff"
)

type diffPage struct {
	Old, New int64
	Report   *diff.Report
}

// uiDiffForm reads ?old=&new= and redirects to the diff page.
func (s *Server) uiDiffForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	o, n := q.Get("old"), q.Get("new")
	if o == "" && n == "" {
		s.render(w, r, http.StatusOK, "diffform.html", "Diff", nil)
		return
	}
	oi, err1 := strconv.ParseInt(o, 10, 64)
	ni, err2 := strconv.ParseInt(n, 10, 64)
	if err1 != nil || err2 != nil || oi <= 0 || ni <= 0 {
		writeError(w, r, http.StatusBadRequest, "old and new must be run numbers")
		return
	}
	http.Redirect(w, r, "/runs/"+itoa(ni)+"/diff/"+itoa(oi), http.StatusSeeOther)
}

func (s *Server) uiDiff(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.runDiff(w, r)
	if !ok {
		return
	}
	n, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o, _ := strconv.ParseInt(r.PathValue("otherId"), 10, 64)
	s.render(w, r, http.StatusOK, "diff.html", "Diff", diffPage{Old: o, New: n, Report: rep})
}
