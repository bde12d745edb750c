package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// backends runs fn against a fresh SQLite store and a fresh PostgreSQL
// store: both implementations pass the same tests.
func backends(t *testing.T, fn func(t *testing.T, s Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "pedigree.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Shared(t).NewDatabase(t)
		s, err := OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
}

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func finish(t *testing.T, s Store, id int64, system string, a *assessment.Assessment, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := s.StartRun(ctx, Run{ID: id, System: system, Trigger: "schedule", QueuedAt: at, StartedAt: &at, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	res := &Result{Assessment: a, FinishedAt: at.Add(time.Second), Reports: []ReportFile{
		{ReportMeta: ReportMeta{Format: "json", Filename: "pedigree.json", ContentType: "application/json"}, Data: []byte(`{"runId":"x"}`)},
		{ReportMeta: ReportMeta{Format: "md", Filename: "report.md", ContentType: "text/markdown; charset=utf-8"}, Data: []byte("# report\n")},
	}}
	if err := s.FinishRun(ctx, id, res); err != nil {
		t.Fatal(err)
	}
}

func TestRunLifecycle(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		if err := s.QueueRun(ctx, Run{ID: 7, System: "web", Trigger: "manual", RequestedBy: "ops", QueuedAt: t0}); err != nil {
			t.Fatal(err)
		}
		r, err := s.Run(ctx, 7)
		if err != nil || r.Status != StatusQueued || r.StartedAt != nil || r.RequestedBy != "ops" {
			t.Fatalf("queued run = %+v, %v", r, err)
		}
		// Queueing again (the API racing the worker) changes nothing.
		if err := s.QueueRun(ctx, Run{ID: 7, System: "web", Trigger: "manual", QueuedAt: t0}); err != nil {
			t.Fatal(err)
		}
		finish(t, s, 7, "web", assessmenttest.Small(), t0)
		r, err = s.Run(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		want := Summary{Satisfied: 2, NotSatisfied: 2, NotAssessed: 2, FindingsFailed: 2}
		if r.Status != StatusSucceeded || r.Summary != want || r.FinishedAt == nil || r.AssessmentID == "" {
			t.Fatalf("finished run = %+v", r)
		}
		// A rescued job finishing again, or failing afterwards, leaves the result.
		if err := s.FinishRun(ctx, 7, &Result{Assessment: assessmenttest.Small(), FinishedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.EndRun(ctx, 7, StatusFailed, "boom", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.StartRun(ctx, Run{ID: 7, System: "web", Trigger: "manual", QueuedAt: t0, Attempt: 2}); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Run(ctx, 7); r.Status != StatusSucceeded || r.Error != "" {
			t.Fatalf("after a second finish: %+v", r)
		}
		reps, err := s.Reports(ctx, 7)
		if err != nil || len(reps) != 2 || reps[0].Format != "json" || reps[0].SHA256 == "" || reps[0].Size != 13 {
			t.Fatalf("reports = %+v, %v", reps, err)
		}
		rep, err := s.Report(ctx, 7, "md")
		if err != nil || string(rep.Data) != "# report\n" || rep.ContentType != "text/markdown; charset=utf-8" {
			t.Fatalf("report md = %+v, %v", rep, err)
		}
		if _, err := s.Report(ctx, 7, "../../etc/passwd"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown report: %v", err)
		}
		if _, err := s.Run(ctx, 99); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown run: %v", err)
		}
		ev, err := s.Evidence(ctx, 7)
		if err != nil || len(ev) != 4 || ev[0].SHA256 == "" {
			t.Fatalf("evidence = %+v, %v", ev, err)
		}
		fs, err := s.Findings(ctx, FindingFilter{Check: "SIGN-ARTIFACT-VERIFIED"})
		if err != nil || len(fs) != 2 {
			t.Fatalf("findings by check = %+v, %v", fs, err)
		}
		// A failed run, a cancelled one, a retry waiting.
		for id, st := range map[int64]string{8: StatusFailed, 9: StatusCancelled, 10: StatusQueued} {
			if err := s.StartRun(ctx, Run{ID: id, System: "web", Trigger: "schedule", QueuedAt: t0.Add(time.Duration(id) * time.Minute), Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			if err := s.EndRun(ctx, id, st, "why", t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if r, _ := s.Run(ctx, 10); r.Status != StatusQueued || r.FinishedAt != nil || r.Error != "why" {
			t.Fatalf("retry = %+v", r)
		}
		tests := []struct {
			name string
			f    RunFilter
			want []int64
		}{
			{"all", RunFilter{}, []int64{10, 9, 8, 7}},
			{"limit", RunFilter{Limit: 2}, []int64{10, 9}},
			{"page", RunFilter{Before: 9}, []int64{8, 7}},
			{"status", RunFilter{Status: StatusFailed}, []int64{8}},
			{"system", RunFilter{System: "other"}, nil},
			{"since", RunFilter{Since: t0.Add(9 * time.Minute)}, []int64{10, 9}},
			{"until", RunFilter{Until: t0.Add(9 * time.Minute)}, []int64{8, 7}},
		}
		for _, tc := range tests {
			rs, err := s.Runs(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range rs {
				got = append(got, r.ID)
			}
			if len(got) != len(tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
				}
			}
		}
		if err := s.DeleteRun(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Report(ctx, 7, "md"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("report of deleted run: %v", err)
		}
		if err := s.DeleteRun(ctx, 7); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
	})
}

func TestSystemsAndControls(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		if err := s.SetSystems(ctx, []System{{Name: "web", Config: "web.yaml", Schedule: "@daily"}, {Name: "api", Config: "api.yaml", Schedule: "0 * * * *", Broken: "api.yaml: line 3: unknown key"}}); err != nil {
			t.Fatal(err)
		}
		a := assessmenttest.Small()
		finish(t, s, 1, "web", a, t0)
		b := assessmenttest.Small()
		b.Controls[0].Status = assessment.Satisfied // cm-8 fixed on api
		finish(t, s, 2, "api", b, t0.Add(time.Hour))
		if err := s.StartRun(ctx, Run{ID: 3, System: "web", Trigger: "manual", QueuedAt: t0}); err != nil {
			t.Fatal(err)
		}
		sys, err := s.Systems(ctx)
		if err != nil || len(sys) != 2 {
			t.Fatalf("systems = %+v, %v", sys, err)
		}
		if sys[0].Name != "api" || sys[0].Broken == "" || sys[1].Latest.ID != 3 || sys[1].LatestSucceeded.ID != 1 {
			t.Fatalf("systems = %+v", sys)
		}
		cs, err := s.ControlAcrossSystems(ctx, "cm-8")
		if err != nil || len(cs) != 2 || cs[0].System != "api" || cs[0].Status != "satisfied" || cs[1].Status != "not-satisfied" {
			t.Fatalf("cm-8 across systems = %+v, %v", cs, err)
		}
		h, err := s.ControlHistory(ctx, ControlFilter{Control: "cm-8", System: "web"})
		if err != nil || len(h) != 1 || h[0].RunID != 1 {
			t.Fatalf("cm-8 history = %+v, %v", h, err)
		}
		if err := s.SetPaused(ctx, "web", true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPaused(ctx, "nope", true); !errors.Is(err, ErrNotFound) {
			t.Fatalf("pause unknown: %v", err)
		}
		// Replacing the systems drops the ones gone from the config and
		// keeps a pause.
		if err := s.SetSystems(ctx, []System{{Name: "web", Config: "web2.yaml", Schedule: "@daily"}}); err != nil {
			t.Fatal(err)
		}
		if sys, _ := s.Systems(ctx); len(sys) != 1 || !sys[0].Paused || sys[0].Config != "web2.yaml" {
			t.Fatalf("systems after reconfig = %+v", sys)
		}
		if one, err := s.System(ctx, "web"); err != nil || !one.Paused {
			t.Fatalf("system web = %+v, %v", one, err)
		}
		if _, err := s.System(ctx, "api"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("removed system: %v", err)
		}
	})
}

func TestPOAMCarryOver(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		finish(t, s, 1, "web", assessmenttest.Small(), t0)
		day2 := t0.Add(24 * time.Hour)
		finish(t, s, 2, "web", assessmenttest.Small(), day2)
		items, err := s.POAM(ctx, "web")
		if err != nil || len(items) != 2 {
			t.Fatalf("poam = %+v, %v", items, err)
		}
		for _, it := range items {
			if !it.FirstSeen.Equal(t0.Add(time.Second)) || it.FirstRun != 1 || it.LastRun != 2 || it.ClosedAt != nil {
				t.Errorf("still-open item lost its first-seen date: %+v", it)
			}
		}
		// Run 3 fixes cm-8: its item closes; sa-11 stays open since day 1.
		fixed := assessmenttest.Small()
		fixed.Controls[0].Status = assessment.Satisfied
		finish(t, s, 3, "web", fixed, day2.Add(24*time.Hour))
		items, _ = s.POAM(ctx, "web")
		var open, closed int
		for _, it := range items {
			if it.ClosedAt != nil {
				closed++
				if it.Control != "cm-8" || it.ClosedBy != 3 {
					t.Errorf("closed item = %+v", it)
				}
			} else {
				open++
				if it.FirstRun != 1 {
					t.Errorf("open item = %+v", it)
				}
			}
		}
		if open != 1 || closed != 1 {
			t.Fatalf("open %d closed %d: %+v", open, closed, items)
		}
		// It regresses in run 4: reopened, first seen again.
		finish(t, s, 4, "web", assessmenttest.Small(), day2.Add(48*time.Hour))
		items, _ = s.POAM(ctx, "web")
		for _, it := range items {
			if it.Control == "cm-8" && (it.ClosedAt != nil || it.FirstRun != 4) {
				t.Errorf("reopened item = %+v", it)
			}
		}
	})
}

func TestPrune(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		// web: runs 1..6 a day apart, the last two failed; api: one old run.
		for i := int64(1); i <= 6; i++ {
			at := t0.Add(time.Duration(i) * 24 * time.Hour)
			if i <= 4 {
				finish(t, s, i, "web", assessmenttest.Small(), at)
			} else {
				s.StartRun(ctx, Run{ID: i, System: "web", Trigger: "schedule", QueuedAt: at})
				s.EndRun(ctx, i, StatusFailed, "x", at)
			}
		}
		finish(t, s, 100, "api", assessmenttest.Small(), t0)
		s.StartRun(ctx, Run{ID: 101, System: "api", Trigger: "schedule", QueuedAt: t0}) // still running
		n, err := s.Prune(ctx, Retention{KeepRuns: 2}, t0.Add(30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := s.Runs(ctx, RunFilter{System: "web"})
		// Kept: 6, 5 (newest two) and 4 (the latest result).
		if n != 3 || len(rs) != 3 || rs[2].ID != 4 {
			t.Fatalf("pruned %d, kept %+v", n, rs)
		}
		if rs, _ := s.Runs(ctx, RunFilter{System: "api"}); len(rs) != 2 {
			t.Fatalf("api runs = %+v", rs)
		}
		// Days: everything is older than a day, but the latest result stays.
		if _, err := s.Prune(ctx, Retention{KeepDays: 1}, t0.Add(30*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		rs, _ = s.Runs(ctx, RunFilter{System: "web"})
		if len(rs) != 1 || rs[0].ID != 4 {
			t.Fatalf("after days prune: %+v", rs)
		}
		if _, err := s.Report(ctx, 4, "json"); err != nil {
			t.Fatalf("latest result's report pruned: %v", err)
		}
	})
}

func TestTokensSessionsAudit(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id, err := s.CreateToken(ctx, Token{Name: "ci", Role: RoleOperator, Hash: "h1", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateToken(ctx, Token{Name: "dup", Role: RoleViewer, Hash: "h1", CreatedAt: t0}); err == nil {
			t.Fatal("duplicate hash accepted")
		}
		if _, err := s.CreateToken(ctx, Token{Name: "x", Role: "root", Hash: "h2"}); err == nil {
			t.Fatal("unknown role accepted")
		}
		tok, err := s.TokenByHash(ctx, "h1")
		if err != nil || tok.ID != id || tok.Role != RoleOperator || tok.Name != "ci" {
			t.Fatalf("token = %+v, %v", tok, err)
		}
		if _, err := s.TokenByHash(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		now := time.Now()
		if err := s.CreateSession(ctx, Session{Hash: "s1", TokenID: id, CSRF: "c1", ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		ss, tk, err := s.SessionByHash(ctx, "s1", now)
		if err != nil || ss.CSRF != "c1" || tk.Role != RoleOperator {
			t.Fatalf("session = %+v %+v, %v", ss, tk, err)
		}
		if _, _, err := s.SessionByHash(ctx, "s1", now.Add(2*time.Hour)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("expired session: %v", err)
		}
		// Deleting the token ends its sessions.
		if err := s.DeleteToken(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByHash(ctx, "s1", now); !errors.Is(err, ErrNotFound) {
			t.Fatalf("session of deleted token: %v", err)
		}
		if err := s.DeleteToken(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		for i, a := range []string{"run.start", "run.cancel", "run.delete"} {
			if err := s.Audit(ctx, AuditEntry{At: t0.Add(time.Duration(i) * time.Second), Actor: "token 1 (ci)", Action: a, Target: "run 5"}); err != nil {
				t.Fatal(err)
			}
		}
		log, err := s.AuditLog(ctx, 2)
		if err != nil || len(log) != 2 || log[0].Action != "run.delete" || !log[0].At.Equal(t0.Add(2*time.Second)) {
			t.Fatalf("audit = %+v, %v", log, err)
		}
	})
}

func TestReopen(t *testing.T) {
	// Migrations run once: a second open of the same file finds the data.
	p := filepath.Join(t.TempDir(), "pedigree.db")
	s, err := OpenSQLite(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	finish(t, s, 1, "web", assessmenttest.Small(), t0)
	s.Close()
	s, err = OpenSQLite(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.Run(context.Background(), 1); err != nil || r.Status != StatusSucceeded {
		t.Fatalf("after reopen: %+v, %v", r, err)
	}
}

func TestCopySQLiteToPostgres(t *testing.T) {
	ctx := context.Background()
	from, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	from.SetSystems(ctx, []System{{Name: "web", Config: "web.yaml", Schedule: "@daily"}})
	finish(t, from, 1, "web", assessmenttest.Small(), t0)
	finish(t, from, 2, "web", assessmenttest.Small(), t0.Add(time.Hour))
	tid, _ := from.CreateToken(ctx, Token{Name: "ci", Role: RoleAdmin, Hash: "h1", CreatedAt: t0})
	from.Audit(ctx, AuditEntry{At: t0, Actor: "cli", Action: "token.create", Target: "token 1"})
	to, err := OpenPostgres(ctx, pgtest.Shared(t).NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	counts, err := Copy(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if counts["pedigree_runs"] != 2 || counts["pedigree_run_reports"] != 4 || counts["pedigree_tokens"] != 1 {
		t.Fatalf("counts = %v", counts)
	}
	r, err := to.Run(ctx, 2)
	if err != nil || r.Status != StatusSucceeded || r.Summary.NotSatisfied != 2 {
		t.Fatalf("copied run = %+v, %v", r, err)
	}
	if rep, err := to.Report(ctx, 1, "md"); err != nil || string(rep.Data) != "# report\n" {
		t.Fatalf("copied report = %+v, %v", rep, err)
	}
	if tok, err := to.TokenByHash(ctx, "h1"); err != nil || tok.ID != tid {
		t.Fatalf("copied token = %+v, %v", tok, err)
	}
	if items, _ := to.POAM(ctx, "web"); len(items) != 2 || items[0].FirstRun != 1 {
		t.Fatalf("copied POA&M = %+v", items)
	}
	// New ids continue after the copied ones; a second copy is refused.
	if id, err := to.CreateToken(ctx, Token{Name: "new", Role: RoleViewer, Hash: "h2"}); err != nil || id != tid+1 {
		t.Fatalf("token after copy = %d, %v", id, err)
	}
	if _, err := Copy(ctx, from, to); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("second copy: %v", err)
	}
}
