package jobs

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/assessment/assessmenttest"
	"github.com/pedigree-dev/pedigree/internal/pgtest"
	"github.com/pedigree-dev/pedigree/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

func backends(t *testing.T, fn func(t *testing.T, open func() store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "pedigree.db")
		fn(t, func() store.Store {
			s, err := store.OpenSQLite(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Shared(t).NewDatabase(t)
		fn(t, func() store.Store {
			s, err := store.OpenPostgres(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
}

// script is an AssessFunc whose behaviour each test sets: the queue's
// mechanics (retry, cancel, exactly-once) are what is under test here; the
// real engine runs behind the same function in cmd/pedigree's tests.
type script struct {
	fails   atomic.Int32 // fail this many calls first
	block   chan struct{}
	started chan struct{}
	calls   atomic.Int32
}

func (s *script) assess(ctx context.Context, cfg, out string, _ *slog.Logger) (*assessment.Assessment, []Output, error) {
	s.calls.Add(1)
	if s.started != nil {
		select {
		case s.started <- struct{}{}:
		default:
		}
	}
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	if s.fails.Add(-1) >= 0 {
		return nil, nil, errors.New("database file gone mid-run")
	}
	p := filepath.Join(out, "pedigree.json")
	if err := os.WriteFile(p, []byte(`{"schemaVersion":"1.0.0"}`), 0o644); err != nil {
		return nil, nil, err
	}
	return assessmenttest.Small(), []Output{{Format: "json", Path: p}}, nil
}

func newQueue(t *testing.T, st store.Store, sc *script, systems ...System) *Queue {
	t.Helper()
	if len(systems) == 0 {
		systems = []System{{Name: "web", Config: "web.yaml"}}
	}
	q, err := New(context.Background(), st, Options{
		Systems: systems, Assess: sc.assess, Work: true, Concurrency: 2, MaxAttempts: 3,
		RetryDelay: 10 * time.Millisecond, TempDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return q
}

func waitStatus(t *testing.T, st store.Store, id int64, want string) *store.Run {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r, err := st.Run(context.Background(), id)
		if err == nil && r.Status == want {
			return r
		}
		time.Sleep(50 * time.Millisecond)
	}
	r, err := st.Run(context.Background(), id)
	t.Fatalf("run %d never became %s: %+v, %v", id, want, r, err)
	return nil
}

func TestManualRun(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		st := open()
		sc := &script{}
		q := newQueue(t, st, sc)
		r, err := q.Enqueue(context.Background(), "web", "token 1 (ops)")
		if err != nil {
			t.Fatal(err)
		}
		got := waitStatus(t, st, r.ID, store.StatusSucceeded)
		if got.Summary.NotSatisfied != 2 || got.Attempt != 1 || got.Worker == "" || got.RequestedBy != "token 1 (ops)" {
			t.Fatalf("run = %+v", got)
		}
		rep, err := st.Report(context.Background(), r.ID, "json")
		if err != nil || rep.ContentType != "application/json" {
			t.Fatalf("report = %+v, %v", rep, err)
		}
		if _, err := q.Enqueue(context.Background(), "nope", ""); !errors.Is(err, ErrUnknownSystem) {
			t.Fatalf("unknown system: %v", err)
		}
		if err := q.Cancel(context.Background(), r.ID); !errors.Is(err, ErrFinished) {
			t.Fatalf("cancel finished: %v", err)
		}
	})
}

func TestRetry(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		st := open()
		sc := &script{}
		sc.fails.Store(2)
		q := newQueue(t, st, sc)
		r, err := q.Enqueue(context.Background(), "web", "")
		if err != nil {
			t.Fatal(err)
		}
		got := waitStatus(t, st, r.ID, store.StatusSucceeded)
		if got.Attempt != 3 || sc.calls.Load() != 3 || got.Error != "" {
			t.Fatalf("after two failures: %+v, %d calls", got, sc.calls.Load())
		}
		// Failing every attempt ends failed, with the error.
		sc.fails.Store(3)
		r, _ = q.Enqueue(context.Background(), "web", "")
		got = waitStatus(t, st, r.ID, store.StatusFailed)
		if got.Attempt != 3 || got.Error == "" || got.FinishedAt == nil {
			t.Fatalf("failed run = %+v", got)
		}
		if _, err := st.Report(context.Background(), r.ID, "json"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("failed run has a report: %v", err)
		}
	})
}

func TestCancel(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		st := open()
		sc := &script{block: make(chan struct{}), started: make(chan struct{}, 1)}
		q := newQueue(t, st, sc)
		r, err := q.Enqueue(context.Background(), "web", "")
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-sc.started:
		case <-time.After(30 * time.Second):
			t.Fatal("run never started")
		}
		waitStatus(t, st, r.ID, store.StatusRunning)
		if err := q.Cancel(context.Background(), r.ID); err != nil {
			t.Fatal(err)
		}
		got := waitStatus(t, st, r.ID, store.StatusCancelled)
		if got.FinishedAt == nil {
			t.Fatalf("cancelled run = %+v", got)
		}
		if sc.calls.Load() != 1 {
			t.Fatalf("a cancelled run was retried: %d calls", sc.calls.Load())
		}
	})
}

func TestCancelQueued(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		st := open()
		// An enqueue-only client: nothing works the job.
		q, err := New(context.Background(), st, Options{Systems: []System{{Name: "web"}}, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		r, err := q.Enqueue(context.Background(), "web", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Cancel(context.Background(), r.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Run(context.Background(), r.ID); got.Status != store.StatusCancelled {
			t.Fatalf("cancelled queued run = %+v", got)
		}
	})
}

func TestSchedule(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		st := open()
		sc := &script{}
		newQueue(t, st, sc,
			System{Name: "web", Config: "web.yaml", Schedule: "@every 1s"},
			System{Name: "broken", Config: "b.yaml", Schedule: "@every 1s", Broken: "b.yaml: line 2: unknown key \"x\""})
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			rs, _ := st.Runs(context.Background(), store.RunFilter{System: "web", Status: store.StatusSucceeded})
			if len(rs) >= 2 {
				if rs[0].Trigger != "schedule" {
					t.Fatalf("scheduled run = %+v", rs[0])
				}
				if bs, _ := st.Runs(context.Background(), store.RunFilter{System: "broken"}); len(bs) != 0 {
					t.Fatalf("a broken system was scheduled: %+v", bs)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("no two scheduled runs in 30s")
	})
}

func TestPausedSchedule(t *testing.T) {
	s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetSystems(context.Background(), []store.System{{Name: "web", Config: "web.yaml", Schedule: "@every 1s"}})
	if err := s.SetPaused(context.Background(), "web", true); err != nil {
		t.Fatal(err)
	}
	sc := &script{}
	q := newQueue(t, s, sc, System{Name: "web", Config: "web.yaml", Schedule: "@every 1s"})
	time.Sleep(3 * time.Second)
	if sc.calls.Load() != 0 {
		t.Fatalf("a paused system ran %d times on its schedule", sc.calls.Load())
	}
	// A manual run still runs.
	r, err := q.Enqueue(context.Background(), "web", "")
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, s, r.ID, store.StatusSucceeded)
	if rs, _ := s.Runs(context.Background(), store.RunFilter{}); len(rs) != 1 {
		t.Fatalf("runs = %+v", rs)
	}
}

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		expr string
		ok   bool
	}{
		{"0 3 * * *", true}, {"@daily", true}, {"@every 90m", true}, {"*/15 * * * 1-5", true},
		{"", false}, {"* * *", false}, {"61 * * * *", false}, {"@sometimes", false}, {"0 3 * * * *", false},
	} {
		_, err := ParseSchedule(tc.expr)
		if (err == nil) != tc.ok {
			t.Errorf("ParseSchedule(%q) = %v, want ok=%v", tc.expr, err, tc.ok)
		}
	}
}

// flakyStore fails the first commits of a result, as a locked, full or
// vanished database would.
type flakyStore struct {
	*store.SQLite
	fails atomic.Int32
}

func (f *flakyStore) FinishRun(ctx context.Context, id int64, res *store.Result) error {
	if f.fails.Add(-1) >= 0 {
		return errors.New("finish run: commit: database is locked (5) (SQLITE_BUSY)")
	}
	return f.SQLite.FinishRun(ctx, id, res)
}

func TestDatabaseFailsMidRun(t *testing.T) {
	s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st := &flakyStore{SQLite: s}
	st.fails.Store(1)
	sc := &script{}
	q := newQueue(t, st, sc)
	r, err := q.Enqueue(context.Background(), "web", "")
	if err != nil {
		t.Fatal(err)
	}
	got := waitStatus(t, st, r.ID, store.StatusSucceeded)
	if got.Attempt != 2 || sc.calls.Load() != 2 {
		t.Fatalf("after a failed commit: %+v, %d assessments", got, sc.calls.Load())
	}
	reps, _ := st.Reports(context.Background(), r.ID)
	if len(reps) != 1 {
		t.Fatalf("reports = %+v", reps)
	}
}

// TestCopiedHistoryRunIDs: a history copied in from another database
// (`pedigree history copy`) holds runs whose ids this database's River has
// not handed out; a new run must get a fresh id and run, not be taken for
// the recorded run of the same id.
func TestCopiedHistoryRunIDs(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		ctx := context.Background()
		st := open()
		now := time.Now().UTC()
		for _, id := range []int64{1, 40} {
			if err := st.StartRun(ctx, store.Run{ID: id, System: "web", Trigger: "manual", QueuedAt: now, StartedAt: &now, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			if err := st.FinishRun(ctx, id, &store.Result{Assessment: assessmenttest.Small(), FinishedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		sc := &script{}
		q := newQueue(t, st, sc)
		r, err := q.Enqueue(ctx, "web", "test")
		if err != nil {
			t.Fatal(err)
		}
		if r.ID <= 40 {
			t.Fatalf("new run got id %d, which the copied history already holds", r.ID)
		}
		waitStatus(t, st, r.ID, store.StatusSucceeded)
		if n := sc.calls.Load(); n != 1 {
			t.Fatalf("assessed %d times, want 1", n)
		}
	})
}

// TestSettleOrphans: a run whose job River finished without a worker (the
// rescuer cancels a stuck job that was being cancelled when its worker
// died) ends cancelled in the history instead of showing running for ever.
func TestSettleOrphans(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		ctx := context.Background()
		st := open()
		q, err := New(ctx, st, Options{Systems: []System{{Name: "web", Config: "web.yaml"}}, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		r, err := q.Enqueue(ctx, "web", "test")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if err := st.StartRun(ctx, store.Run{ID: r.ID, System: "web", Trigger: "manual", QueuedAt: now, StartedAt: &now, Attempt: 1, Worker: "gone"}); err != nil {
			t.Fatal(err)
		}
		// River settles the job behind the dead worker's back.
		if _, err := q.client.JobCancel(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		other, err := q.Enqueue(ctx, "web", "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := q.settleOrphans(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Run(ctx, r.ID); got.Status != store.StatusCancelled || got.FinishedAt == nil {
			t.Fatalf("orphaned run = %+v, want cancelled", got)
		}
		if got, _ := st.Run(ctx, other.ID); got.Status != store.StatusQueued {
			t.Fatalf("a queued run with a live job = %+v, want it left queued", got)
		}
	})
}
