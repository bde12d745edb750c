package server

import (
	"net/http"
	"strconv"

	"github.com/pedigree-dev/pedigree/store"
)

type runPage struct {
	Run       *store.Run
	Open      bool
	Stored    []store.ReportMeta
	Available []string
	// Others are the system's other succeeded runs, to diff against.
	Others   []store.Run
	Failed   []store.Finding
	Evidence int
}

// uiRun is a run's detail: status, summary, every report, failing
// findings, and the buttons to cancel, delete or diff it.
func (s *Server) uiRun(w http.ResponseWriter, r *http.Request) {
	run, ok := s.pathRun(w, r)
	if !ok {
		return
	}
	id := run.ID
	pg := runPage{Run: run, Open: runStatusOpen(run.Status)}
	if run.Status == store.StatusSucceeded {
		var err error
		if pg.Stored, err = s.st.Reports(r.Context(), id); err != nil {
			s.storeError(w, r, err)
			return
		}
		pg.Available = s.available(pg.Stored)
		if pg.Failed, err = s.st.Findings(r.Context(), store.FindingFilter{RunID: id, Status: "fail", Limit: 200}); err != nil {
			s.storeError(w, r, err)
			return
		}
		ev, err := s.st.Evidence(r.Context(), id)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		pg.Evidence = len(ev)
		others, err := s.st.Runs(r.Context(), store.RunFilter{System: run.System, Status: store.StatusSucceeded, Limit: 50})
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		for _, o := range others {
			if o.ID != id {
				pg.Others = append(pg.Others, o)
			}
		}
	}
	s.render(w, r, http.StatusOK, "run.html", "Run "+strconv.FormatInt(id, 10), pg)
}

// uiRunStart is the Run now button.
func (s *Server) uiRunStart(w http.ResponseWriter, r *http.Request) {
	system := r.PostFormValue("system")
	if system == "" {
		writeError(w, r, http.StatusBadRequest, "no system named")
		return
	}
	run, ok := s.startRun(w, r, system)
	if !ok {
		return
	}
	http.Redirect(w, r, "/runs/"+itoa(run.ID), http.StatusSeeOther)
}

func (s *Server) uiRunCancel(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok || !s.cancelRun(w, r, id) {
		return
	}
	http.Redirect(w, r, "/runs/"+itoa(id), http.StatusSeeOther)
}

func (s *Server) uiRunDelete(w http.ResponseWriter, r *http.Request) {
	run, ok := s.pathRun(w, r)
	if !ok {
		return
	}
	if !s.deleteRun(w, r, run.ID) {
		return
	}
	http.Redirect(w, r, "/systems/"+run.System, http.StatusSeeOther)
}
