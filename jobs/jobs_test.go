package jobs

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

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
	return newQueueWith(t, st, sc, func(*Options) {}, systems...)
}

func newQueueWith(t *testing.T, st store.Store, sc *script, set func(*Options), systems ...System) *Queue {
	t.Helper()
	if len(systems) == 0 {
		systems = []System{{Name: "web", Config: "web.yaml"}}
	}
	opts := Options{
		Systems: systems, Assess: sc.assess, Work: true, Concurrency: 2, MaxAttempts: 3,
		RetryDelay: 10 * time.Millisecond, TempDir: t.TempDir(),
	}
	set(&opts)
	q, err := New(context.Background(), st, opts)
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
		q, ids := enqueueOnly(t, st, 0, 1)
		id := ids[0]
		now := time.Now().UTC()
		if err := st.StartRun(ctx, store.Run{ID: id, System: "web", Trigger: "manual", QueuedAt: now, StartedAt: &now, Attempt: 1, Worker: "gone"}); err != nil {
			t.Fatal(err)
		}
		// River settles the job behind the dead worker's back.
		if _, err := q.client.JobCancel(ctx, id); err != nil {
			t.Fatal(err)
		}
		other, err := q.Enqueue(ctx, "web", "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := q.settleOrphans(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Run(ctx, id); got.Status != store.StatusCancelled || got.FinishedAt == nil {
			t.Fatalf("orphaned run = %+v, want cancelled", got)
		}
		if got, _ := st.Run(ctx, other.ID); got.Status != store.StatusQueued {
			t.Fatalf("a queued run with a live job = %+v, want it left queued", got)
		}
	})
}

// enqueueOnly makes a queue that only enqueues (nothing here works a job),
// its jobs given maxAttempts attempts (0: the default), and enqueues n runs
// of system web with it.
func enqueueOnly(t *testing.T, st store.Store, maxAttempts, n int) (*Queue, []int64) {
	t.Helper()
	ctx := context.Background()
	q, err := New(ctx, st, Options{Systems: []System{{Name: "web", Config: "web.yaml"}}, MaxAttempts: maxAttempts, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 0, n)
	for range n {
		r, err := q.Enqueue(ctx, "web", "test")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return q, ids
}

// deadServer enqueues n runs for each maxAttempts given, and a worker
// that then dies claims them all: their jobs are left running and their
// runs recorded running by that worker, as a server killed with kill -9
// mid-run leaves them. The runs whose index is in cancel have had a cancel
// asked for after the worker died.
func deadServer(t *testing.T, st store.Store, n int, maxAttempts []int, cancel ...int) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	var q *Queue
	for _, m := range maxAttempts {
		var enqueued []int64
		q, enqueued = enqueueOnly(t, st, m, n)
		ids = append(ids, enqueued...)
		now := time.Now().UTC()
		// Claimed as River's producer claims a job: running, attempt 1.
		res, err := q.exec.JobGetAvailable(ctx, &riverdriver.JobGetAvailableParams{ClientID: "dead-worker", MaxAttemptedBy: 100, MaxToLock: n, Now: &now, Queue: river.QueueDefault})
		if err != nil || len(res.Jobs) != n {
			t.Fatalf("claimed %d of %d jobs: %v", len(res.Jobs), n, err)
		}
		for _, j := range res.Jobs {
			if !slices.Contains(enqueued, j.ID) || j.State != rivertype.JobStateRunning {
				t.Fatalf("claimed job %d %s, want one of %v running", j.ID, j.State, enqueued)
			}
			if err := st.StartRun(ctx, store.Run{ID: j.ID, System: "web", Trigger: "manual", QueuedAt: now, StartedAt: &now, Attempt: 1, Worker: "dead-worker"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, i := range cancel {
		// A running job's cancel is only attempted: its worker would stop it.
		job, err := q.client.JobCancel(ctx, ids[i])
		if err != nil || job.State != rivertype.JobStateRunning {
			t.Fatalf("cancel running job %d: %+v, %v", ids[i], job, err)
		}
	}
	return ids
}

// TestTakeBack: when a queue that alone works its database starts, the
// jobs a dead server left running are taken back before anything runs: a
// run with attempts left runs again as attempt 2 and succeeds, a run whose
// cancel was asked ends cancelled and one out of attempts ends failed, the
// last two recorded by the time Start returns; each is in the audit log.
func TestTakeBack(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		ctx := context.Background()
		st := open()
		ids := deadServer(t, st, 1, []int{3, 3, 1}, 1)
		retried, cancelled, spent := ids[0], ids[1], ids[2]
		// A run still queued is nobody's orphan: it runs once, as attempt 1.
		_, waiting := enqueueOnly(t, st, 0, 1)
		queued := waiting[0]
		sc := &script{}
		started := time.Now()
		q := newQueueWith(t, st, sc, func(o *Options) { o.Exclusive = true })
		const lost = "attempt 1 interrupted: its server stopped mid-run (worker dead-worker); taken back when the server restarted"
		if got, _ := st.Run(ctx, cancelled); got.Status != store.StatusCancelled || got.FinishedAt == nil || got.Error != "cancelled: "+lost {
			t.Errorf("run cancelled while its server was down = %+v", got)
		}
		if got, _ := st.Run(ctx, spent); got.Status != store.StatusFailed || got.FinishedAt == nil || got.Error != "gave up after 1 attempt: "+lost {
			t.Errorf("run out of attempts = %+v", got)
		}
		got := waitStatus(t, st, retried, store.StatusSucceeded)
		if got.Attempt != 2 || got.Worker == "dead-worker" {
			t.Errorf("retried run = %+v", got)
		}
		if got := waitStatus(t, st, queued, store.StatusSucceeded); got.Attempt != 1 || sc.calls.Load() != 2 {
			t.Errorf("queued run = %+v, %d assessments in all, want 2", got, sc.calls.Load())
		}
		// At once, not after RescueAfter (an hour here).
		if d := time.Since(started); d > 20*time.Second {
			t.Errorf("the retried run took %s to succeed", d)
		}
		log, err := st.AuditLog(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"run " + itoa(retried):   lost + "; retried now as attempt 2 of 3",
			"run " + itoa(cancelled): lost + "; cancelled, as was asked while it ran",
			"run " + itoa(spent):     lost + "; failed: no attempts left (1 of 1)",
		}
		for _, e := range log {
			if e.Action == "run.takeback" && e.Actor == "server" && want[e.Target] == e.Detail {
				delete(want, e.Target)
			}
		}
		if len(want) != 0 {
			t.Errorf("audit log lacks %v: %+v", want, log)
		}
		for _, e := range log {
			if e.Target == "run "+itoa(queued) && e.Action == "run.takeback" {
				t.Errorf("a queued run was taken back: %+v", e)
			}
		}
		// The retried run's job says why it had a second attempt.
		job, err := q.client.JobGet(ctx, retried)
		if err != nil || len(job.Errors) != 1 || job.Errors[0].Error != lost || job.Errors[0].Attempt != 1 {
			t.Errorf("retried job = %+v, %v", job, err)
		}
	})
}

// TestTakeBackNotExclusive: a queue that shares its database (PostgreSQL
// workers) leaves another's running jobs to River's rescuer: they may be
// alive.
func TestTakeBackNotExclusive(t *testing.T) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "pedigree.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := deadServer(t, st, 1, []int{3})
	newQueue(t, st, &script{})
	time.Sleep(time.Second)
	if got, _ := st.Run(context.Background(), ids[0]); got.Status != store.StatusRunning || got.Worker != "dead-worker" {
		t.Fatalf("a running job of a process that may be alive was taken: %+v", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDecideRescue(t *testing.T) {
	now := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)
	sched := now.Add(-time.Hour)
	for _, tc := range []struct {
		name     string
		job      rivertype.JobRow
		state    rivertype.JobState
		final    bool
		schedule time.Time
		note     string
	}{
		{"attempts left: run again now", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 1, MaxAttempts: 3, AttemptedBy: []string{"a", "b"}, Metadata: []byte(`{}`)},
			rivertype.JobStateAvailable, false, now, "attempt 1 interrupted: its server stopped mid-run (worker b); taken back when the server restarted"},
		{"cancel attempted wins over attempts left", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 1, MaxAttempts: 3, Metadata: []byte(`{"cancel_attempted_at":"2026-12-04T18:59:00Z"}`)},
			rivertype.JobStateCancelled, true, sched, "attempt 1 interrupted: its server stopped mid-run (worker unknown); taken back when the server restarted"},
		{"cancel attempted on the last attempt", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 3, MaxAttempts: 3, Metadata: []byte(`{"cancel_attempted_at":"2026-12-04T18:59:00Z"}`)},
			rivertype.JobStateCancelled, true, sched, ""},
		{"no attempts left", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 3, MaxAttempts: 3, Metadata: []byte(`{}`)},
			rivertype.JobStateDiscarded, true, sched, ""},
		{"past its attempts (max lowered)", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 4, MaxAttempts: 2, Metadata: []byte(`{}`)},
			rivertype.JobStateDiscarded, true, sched, ""},
		{"a kind no worker here runs", rivertype.JobRow{Kind: "other", Attempt: 1, MaxAttempts: 3, Metadata: []byte(`{}`)},
			rivertype.JobStateDiscarded, true, sched, "attempt 1 interrupted: its server stopped mid-run (worker unknown); taken back when the server restarted; no worker here runs jobs of kind other"},
		{"undecodable metadata carries no cancel", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 1, MaxAttempts: 3, Metadata: []byte(`{not json`)},
			rivertype.JobStateAvailable, false, now, ""},
		{"no metadata", rivertype.JobRow{Kind: "pedigree_assess", Attempt: 2, MaxAttempts: 3},
			rivertype.JobStateAvailable, false, now, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job := tc.job
			job.ScheduledAt = sched
			d := decideRescue(&job, now)
			if d.state != tc.state || (d.finalizedAt != nil) != tc.final || !d.scheduledAt.Equal(tc.schedule) {
				t.Errorf("decideRescue = %s finalized=%v scheduled %s, want %s finalized=%v scheduled %s", d.state, d.finalizedAt != nil, d.scheduledAt, tc.state, tc.final, tc.schedule)
			}
			if tc.final && !d.finalizedAt.Equal(now) {
				t.Errorf("finalized at %s, want %s", d.finalizedAt, now)
			}
			if tc.note != "" && d.note != tc.note {
				t.Errorf("note = %q, want %q", d.note, tc.note)
			}
		})
	}
}

// TestTakeBackMany: jobs left running beyond one batch are all taken back
// before Start returns.
func TestTakeBackMany(t *testing.T) {
	backends(t, func(t *testing.T, open func() store.Store) {
		ctx := context.Background()
		st := open()
		const n = 2*takeBackBatch + 5
		deadServer(t, st, n, []int{1})
		newQueueWith(t, st, &script{}, func(o *Options) { o.Exclusive = true })
		failed, err := st.Runs(ctx, store.RunFilter{Status: store.StatusFailed, Limit: 1000})
		if err != nil || len(failed) != n {
			t.Fatalf("%d of %d runs out of attempts recorded failed at start: %v", len(failed), n, err)
		}
		log, _ := st.AuditLog(ctx, 1000)
		if len(log) != n {
			t.Fatalf("%d audit entries, want %d", len(log), n)
		}
	})
}
