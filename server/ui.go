package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pedigree-dev/pedigree/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the dashboard's templates, parsed when the first page is drawn:
// every other command of the binary would otherwise pay for them at start-up.
var pages = sync.OnceValue(func() map[string]*template.Template {
	funcs := template.FuncMap{
		"when":    when,
		"dur":     duration,
		"chart":   trendChart,
		"dict":    dict,
		"can":     func(p *principal, role string) bool { return p.can(role) },
		"statusc": func(s string) string { return "st-" + strings.ReplaceAll(s, " ", "-") },
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, e := range entries {
		if e.Name() == "layout.html" {
			continue
		}
		out[e.Name()] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+e.Name()))
	}
	return out
})

// page is what every template sees.
type page struct {
	Title string
	P     *principal
	Nonce string
	Data  any
}

// render executes a page into a buffer first, so that a template error
// never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := pages()[name]
	if !ok {
		panic("no template " + name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout.html", page{Title: title, P: principalOf(r), Nonce: nonceOf(r), Data: data}); err != nil {
		s.log.Error("render", "page", name, "err", err)
		writeError(w, r, http.StatusInternalServerError, "the page could not be drawn")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func when(t any) string {
	var tt time.Time
	switch v := t.(type) {
	case time.Time:
		tt = v
	case *time.Time:
		if v == nil {
			return "—"
		}
		tt = *v
	}
	if tt.IsZero() {
		return "—"
	}
	return tt.UTC().Format("2006-01-02 15:04:05Z")
}

func duration(a, b *time.Time) string {
	if a == nil || b == nil {
		return "—"
	}
	return b.Sub(*a).Round(time.Millisecond).String()
}

// trendChart draws a system's trend as stacked bars, one per run
// (satisfied, not satisfied, not assessed), from numbers only.
func trendChart(points []trendPoint) template.HTML {
	if len(points) == 0 {
		return template.HTML(`<p class="muted">No finished runs yet.</p>`)
	}
	const h, bw, gap = 60.0, 10.0, 3.0
	w := float64(len(points))*(bw+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" role="img" aria-label="trend of %d runs" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" preserveAspectRatio="none">`, len(points), w, h, w, h)
	for i, p := range points {
		total := p.Summary.Satisfied + p.Summary.NotSatisfied + p.Summary.NotAssessed
		if total == 0 {
			continue
		}
		x := gap + float64(i)*(bw+gap)
		y := h
		for _, part := range []struct {
			n     int
			class string
		}{{p.Summary.Satisfied, "sat"}, {p.Summary.NotSatisfied, "nsat"}, {p.Summary.NotAssessed, "na"}} {
			ph := h * float64(part.n) / float64(total)
			y -= ph
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.2f" width="%.0f" height="%.2f"></rect>`, part.class, x, y, bw, ph)
		}
		fmt.Fprintf(&b, `<title>run %d: %d satisfied, %d not satisfied, %d not assessed</title>`, p.ID, p.Summary.Satisfied, p.Summary.NotSatisfied, p.Summary.NotAssessed)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// runStatusOpen reports whether a run can still be cancelled.
func runStatusOpen(s string) bool { return s == store.StatusQueued || s == store.StatusRunning }

// dict builds a map from key, value pairs, to pass several values to a
// sub-template.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}
