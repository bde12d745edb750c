package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
	"github.com/pedigree-dev/pedigree/jobs"
	"github.com/pedigree-dev/pedigree/store"
)

// formatName is what a report format may look like; anything else (a path,
// "..") is refused before the store is asked.
var formatName = lazyre.New(`^[a-z0-9][a-z0-9-]{0,31}$`)

// nativeFormat is the stored format whose file is the run's pedigree.json.
const nativeFormat = "json"

func (s *Server) apiRunResults(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	s.serveReport(w, r, id, nativeFormat)
}

func (s *Server) apiRunReport(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	s.serveReport(w, r, id, r.PathValue("format"))
}

// report finds a run's report: stored, or rendered from its pedigree.json.
func (s *Server) report(r *http.Request, id int64, format string) (*store.ReportFile, int, error) {
	e, status, err := s.reportEntry(r, id, format)
	if err != nil {
		return nil, status, err
	}
	return e.f, 0, nil
}

// reportEntry is report with the cache entry that can gzip it.
func (s *Server) reportEntry(r *http.Request, id int64, format string) (*reportEntry, int, error) {
	if !formatName.MatchString(format) || (!slices.Contains(s.opts.Formats, format) && format != nativeFormat) {
		return nil, http.StatusNotFound, errors.New("report format " + quote(format) + " is unknown (available: " + strings.Join(s.opts.Formats, ", ") + ")")
	}
	run, err := s.st.Run(r.Context(), id)
	if err != nil {
		return nil, 0, err
	}
	if run.Status != store.StatusSucceeded {
		return nil, http.StatusNotFound, errors.New("run " + itoa(id) + " is " + run.Status + ": it has no reports")
	}
	if e := s.cache.get(id, format); e != nil {
		return e, 0, nil
	}
	f, err := s.st.Report(r.Context(), id, format)
	if err == nil {
		return s.cache.put(id, format, f), 0, nil
	}
	if !errors.Is(err, store.ErrNotFound) || s.opts.Render == nil || format == nativeFormat {
		return nil, 0, err
	}
	native, status, err := s.report(r, id, nativeFormat)
	if err != nil {
		return nil, status, err
	}
	b, name, err := s.opts.Render(r.Context(), run.System, format, native.Data)
	if err != nil {
		s.log.Error("render report", "run", id, "format", format, "err", err)
		return nil, http.StatusInternalServerError, errors.New("rendering " + format + " of run " + itoa(id) + " failed")
	}
	sum := sha256.Sum256(b)
	f = &store.ReportFile{ReportMeta: store.ReportMeta{Format: format, Filename: name, ContentType: jobs.ContentType(name), Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}, Data: b}
	return s.cache.put(id, format, f), 0, nil
}

func (s *Server) serveReport(w http.ResponseWriter, r *http.Request, id int64, format string) {
	e, status, err := s.reportEntry(r, id, format)
	if err != nil {
		if status != 0 {
			writeError(w, r, status, err.Error())
			return
		}
		s.storeError(w, r, err)
		return
	}
	f := e.f
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	// A run's reports never change: the SHA-256 is a strong validator.
	etag := `"` + f.SHA256 + `"`
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.Data
	if !strings.HasSuffix(f.Filename, ".xlsx") && acceptsGzip(r) {
		if gz := e.gzipped(); gz != nil {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	disp := "inline"
	if strings.HasSuffix(f.Filename, ".xlsx") {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp+`; filename="`+f.Filename+`"`)
	if strings.HasPrefix(f.ContentType, "text/html") {
		// The HTML report is self-contained, with its own inline script:
		// it runs sandboxed, in an origin of its own that cannot reach the
		// dashboard's cookies or API.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; sandbox allow-scripts allow-downloads")
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func (s *Server) apiRunReportList(w http.ResponseWriter, r *http.Request) {
	run, ok := s.pathRun(w, r)
	if !ok {
		return
	}
	reps, err := s.st.Reports(r.Context(), run.ID)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"stored": reps, "available": s.available(reps)})
}

// available lists every format a run's reports can be had in.
func (s *Server) available(stored []store.ReportMeta) []string {
	var out []string
	have := map[string]bool{}
	for _, m := range stored {
		have[m.Format] = true
		out = append(out, m.Format)
	}
	if s.opts.Render != nil && have[nativeFormat] {
		for _, f := range s.opts.Formats {
			if !have[f] {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (s *Server) apiRunEvidence(w http.ResponseWriter, r *http.Request) {
	run, ok := s.pathRun(w, r)
	if !ok {
		return
	}
	ev, err := s.st.Evidence(r.Context(), run.ID)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"runId": run.ID, "evidence": ev})
}
