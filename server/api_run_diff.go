package server

import (
	"errors"
	"net/http"

	"github.com/pedigree-dev/pedigree/diff"
)

func (s *Server) apiRunDiff(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.runDiff(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// runDiff compares run {otherId} (the old side) with run {id} (the new),
// with the same diff `pedigree diff` prints.
func (s *Server) runDiff(w http.ResponseWriter, r *http.Request) (*diff.Report, bool) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return nil, false
	}
	other, ok := pathID(w, r, "otherId")
	if !ok {
		return nil, false
	}
	load := func(id int64) (*diff.Run, bool) {
		f, status, err := s.report(r, id, nativeFormat)
		if err != nil {
			if status != 0 {
				writeError(w, r, status, err.Error())
			} else {
				s.storeError(w, r, err)
			}
			return nil, false
		}
		run, err := diff.Parse("run "+itoa(id)+" pedigree.json", f.Data)
		if err != nil {
			s.log.Error("diff", "run", id, "err", err)
			writeError(w, r, http.StatusInternalServerError, errors.Unwrap(err).Error())
			return nil, false
		}
		run.Source = "run " + itoa(id)
		return run, true
	}
	oldRun, ok := load(other)
	if !ok {
		return nil, false
	}
	newRun, ok := load(id)
	if !ok {
		return nil, false
	}
	return diff.Compare(oldRun, newRun), true
}
