// Package jobs runs scheduled and manual assessments as River jobs: one
// job per run, periodic jobs from each system's cron schedule, retries with
// backoff, a concurrency limit, and cancellation that reaches the engine's
// context. The same code runs on River's SQLite driver (the default, no
// cgo) and on its PostgreSQL driver (many workers sharing one database).
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/store"
)

// Output is one report file an assessment wrote.
type Output struct {
	Format string
	Path   string
}

// AssessFunc runs one assessment of the system configured in configPath,
// writing its reports into outDir. It is the same pipeline `pedigree
// assess` runs; ctx is cancelled when the run is.
type AssessFunc func(ctx context.Context, configPath, outDir string, log *slog.Logger) (*assessment.Assessment, []Output, error)

// System is one system the server assesses.
type System struct {
	Name     string
	Config   string
	Schedule string
	// Broken says why the system cannot run; it is never scheduled.
	Broken string
}

// Options configure a Queue.
type Options struct {
	Systems []System
	Assess  AssessFunc
	// Work is false for a client that only enqueues (an API server in
	// front of separate workers).
	Work bool
	// Concurrency is how many runs one process works at once (default 2).
	Concurrency int
	// MaxAttempts is how many times a failing run is tried (default 3).
	MaxAttempts int
	// JobTimeout cancels a run that takes longer (default 1h).
	JobTimeout time.Duration
	// RescueAfter is how long a run may stay running before another
	// worker takes it over, e.g. after its worker was killed (default
	// JobTimeout + 1 minute).
	RescueAfter time.Duration
	// RetryDelay is the delay before the first retry; later ones grow
	// with the attempt number to the fourth power (default 1s).
	RetryDelay time.Duration
	// Exclusive says this process alone works the database (pedigree
	// serve holds the SQLite history's lock): every job River shows
	// running was left by a process that is gone, and Start takes those
	// back at once rather than after RescueAfter.
	Exclusive bool
	Retention store.Retention
	// TempDir holds a run's report files until the store has them.
	TempDir string
	Logger  *slog.Logger
}

// AssessArgs is the job that runs one assessment.
type AssessArgs struct {
	System      string `json:"system"`
	Trigger     string `json:"trigger"`
	RequestedBy string `json:"requestedBy,omitempty"`
}

// Kind names the job in River's tables.
func (AssessArgs) Kind() string { return "pedigree_assess" }

// client is what this package uses of a river.Client, whichever driver's
// transaction type it is instantiated with.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobCancel(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	ID() string
}

// Queue enqueues, works and cancels runs.
type Queue struct {
	client client
	// exec reaches River's tables through its driver, for taking back the
	// jobs of a dead process.
	exec    riverdriver.Executor
	store   store.Store
	systems map[string]System
	opts    Options
	log     *slog.Logger
	// stopSettle ends the loop of settleOrphans; settled is closed when
	// it has ended.
	stopSettle chan struct{}
	settled    chan struct{}
}

// ParseSchedule checks a cron expression (five fields, or a descriptor
// such as @daily or @every 1h).
func ParseSchedule(expr string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(expr)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", expr, err)
	}
	return s, nil
}

// New builds the River client over the store's database and runs River's
// migrations. The store must be a *store.SQLite or a *store.Postgres (or
// wrap one).
func New(ctx context.Context, st store.Store, opts Options) (*Queue, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 2
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 3
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = time.Hour
	}
	if opts.RescueAfter <= opts.JobTimeout {
		opts.RescueAfter = opts.JobTimeout + time.Minute
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = time.Second
	}
	if opts.TempDir == "" {
		opts.TempDir = os.TempDir()
	}
	q := &Queue{store: st, systems: map[string]System{}, opts: opts, log: opts.Logger}
	for _, s := range opts.Systems {
		q.systems[s.Name] = s
	}
	cfg := &river.Config{
		Logger:               opts.Logger.With("component", "river"),
		MaxAttempts:          opts.MaxAttempts,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		RetryPolicy:          &retryPolicy{base: opts.RetryDelay},
		// Finished jobs live on in the store's history; River's own rows
		// are only the queue.
		CompletedJobRetentionPeriod: time.Hour,
	}
	if opts.Work {
		workers := river.NewWorkers()
		if err := river.AddWorkerSafely(workers, &worker{q: q}); err != nil {
			return nil, err
		}
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}}
		pj, err := q.periodicJobs()
		if err != nil {
			return nil, err
		}
		cfg.PeriodicJobs = pj
	}
	var err error
	// River shares the store's database: SQLite's one writing connection,
	// or PostgreSQL's pool.
	switch s := st.(type) {
	case interface{ Writer() *sql.DB }:
		q.client, q.exec, err = newClient(ctx, riversqlite.New(s.Writer()), cfg, true)
	case interface{ Pool() *pgxpool.Pool }:
		q.client, q.exec, err = newClient(ctx, riverpgxv5.New(s.Pool()), cfg, false)
	default:
		err = fmt.Errorf("jobs: store %T has no River driver", st)
	}
	if err != nil {
		return nil, err
	}
	// A run's id is its job's: a history copied in from another database
	// must not see its run ids handed out again.
	if err := st.SkipRecordedRunIDs(ctx); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

func newClient[TTx any](ctx context.Context, d riverdriver.Driver[TTx], cfg *river.Config, pollOnly bool) (client, riverdriver.Executor, error) {
	m, err := rivermigrate.New(d, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, nil, fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, nil, fmt.Errorf("river migrations: %w", err)
	}
	// SQLite has no LISTEN/NOTIFY: its clients poll.
	cfg.PollOnly = pollOnly
	if pollOnly {
		cfg.FetchPollInterval = 200 * time.Millisecond
	}
	c, err := river.NewClient(d, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("river client: %w", err)
	}
	return c, d.GetExecutor(), nil
}

// periodicJobs declares one periodic job per schedulable system. River
// runs the enqueuer on the elected leader only, so two workers sharing a
// database do not schedule a run twice.
func (q *Queue) periodicJobs() ([]*river.PeriodicJob, error) {
	var out []*river.PeriodicJob
	for _, s := range q.opts.Systems {
		if s.Broken != "" || s.Schedule == "" {
			continue
		}
		sched, err := ParseSchedule(s.Schedule)
		if err != nil {
			return nil, fmt.Errorf("system %s: %w", s.Name, err)
		}
		name := s.Name
		out = append(out, river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
			return AssessArgs{System: name, Trigger: "schedule"}, nil
		}, &river.PeriodicJobOpts{ID: "system:" + name}))
	}
	return out, nil
}

// Start starts working jobs (and scheduling, on the leader). An exclusive
// queue first takes back the jobs a dead predecessor left running; then
// the runs whose jobs River already ended are recorded, before any job
// runs.
func (q *Queue) Start(ctx context.Context) error {
	if q.opts.Exclusive && q.opts.Work {
		if err := q.takeBack(ctx); err != nil {
			return err
		}
	}
	if err := q.settleOrphans(ctx); err != nil {
		return fmt.Errorf("settle runs River finished: %w", err)
	}
	if err := q.client.Start(ctx); err != nil {
		return err
	}
	q.stopSettle, q.settled = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(q.settled)
		// River's rescuer looks for stuck jobs every 30 s; so does this.
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-q.stopSettle:
				return
			case <-t.C:
				if err := q.settleOrphans(ctx); err != nil {
					q.log.Warn("settle runs River finished", "err", err)
				}
			}
		}
	}()
	return nil
}

// settleOrphans records the end of runs whose job River finished with no
// worker left to say so. A job stuck by a worker that died (kill -9) is
// cancelled by River's rescuer when a cancel was asked for meanwhile, and
// discarded when it has no attempts left; without this its run would show
// running for ever.
func (q *Queue) settleOrphans(ctx context.Context) error {
	for _, status := range []string{store.StatusRunning, store.StatusQueued} {
		runs, err := q.store.Runs(ctx, store.RunFilter{Status: status, Limit: 500})
		if err != nil {
			return err
		}
		for _, r := range runs {
			job, err := q.client.JobGet(ctx, r.ID)
			if errors.Is(err, river.ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("run %d: %w", r.ID, err)
			}
			at := time.Now().UTC()
			if job.FinalizedAt != nil {
				at = job.FinalizedAt.UTC()
			}
			switch job.State {
			case rivertype.JobStateCancelled:
				msg := "cancelled"
				if n := len(job.Errors); n > 0 {
					msg += ": " + job.Errors[n-1].Error
				}
				err = q.store.EndRun(ctx, r.ID, store.StatusCancelled, msg, at)
			case rivertype.JobStateDiscarded:
				msg := "gave up after " + strconv.Itoa(job.Attempt) + " attempts"
				if job.Attempt == 1 {
					msg = "gave up after 1 attempt"
				}
				if n := len(job.Errors); n > 0 {
					msg += ": " + job.Errors[n-1].Error
				}
				err = q.store.EndRun(ctx, r.ID, store.StatusFailed, msg, at)
			default:
				continue
			}
			if err != nil {
				return err
			}
			q.log.Info("run settled from its job", "run", r.ID, "state", job.State)
		}
	}
	return nil
}

// Stop waits for running jobs to finish, up to ctx's deadline, then
// cancels them; a cancelled job is retried by whichever worker runs next.
func (q *Queue) Stop(ctx context.Context) error {
	if q.stopSettle != nil {
		close(q.stopSettle)
		<-q.settled
		q.stopSettle = nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return q.client.StopAndCancel(c)
	}
	return err
}

// ID is the River client's id (the worker's name in run records).
func (q *Queue) ID() string { return q.client.ID() }

// ErrUnknownSystem is returned for a system the server does not serve.
var ErrUnknownSystem = errors.New("unknown system")

// ErrBrokenSystem is returned for a system whose configuration is broken.
var ErrBrokenSystem = errors.New("system is broken")

// Enqueue queues a manual run of system and records it.
func (q *Queue) Enqueue(ctx context.Context, system, requestedBy string) (*store.Run, error) {
	s, ok := q.systems[system]
	if !ok {
		return nil, fmt.Errorf("system %q: %w", system, ErrUnknownSystem)
	}
	if s.Broken != "" {
		return nil, fmt.Errorf("system %q: %w: %s", system, ErrBrokenSystem, s.Broken)
	}
	res, err := q.client.Insert(ctx, AssessArgs{System: system, Trigger: "manual", RequestedBy: requestedBy}, nil)
	if err != nil {
		return nil, fmt.Errorf("enqueue run of %s: %w", system, err)
	}
	r := store.Run{ID: res.Job.ID, System: system, Trigger: "manual", RequestedBy: requestedBy, QueuedAt: res.Job.CreatedAt.UTC(), Status: store.StatusQueued}
	if err := q.store.QueueRun(ctx, r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ErrFinished is returned when cancelling a run that already ended.
var ErrFinished = errors.New("run already finished")

// Cancel cancels a queued or running run. A running one stops when the
// engine sees its context cancelled.
func (q *Queue) Cancel(ctx context.Context, id int64) error {
	r, err := q.store.Run(ctx, id)
	if err != nil {
		return err
	}
	switch r.Status {
	case store.StatusSucceeded, store.StatusFailed, store.StatusCancelled:
		return fmt.Errorf("run %d is %s: %w", id, r.Status, ErrFinished)
	}
	job, err := q.client.JobCancel(ctx, id)
	if err != nil && !errors.Is(err, river.ErrNotFound) {
		return fmt.Errorf("cancel run %d: %w", id, err)
	}
	// A job not yet running is cancelled at once; a running one records
	// its cancellation when its worker stops.
	if job == nil || job.State == rivertype.JobStateCancelled {
		return q.store.EndRun(ctx, id, store.StatusCancelled, "cancelled", time.Now().UTC())
	}
	return nil
}

// retryPolicy retries after base × attempt⁴ (1s, 16s, 81s by default).
type retryPolicy struct{ base time.Duration }

func (p *retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	n := time.Duration(max(job.Attempt, 1))
	return time.Now().Add(p.base * n * n * n * n)
}

// contentType is the media type a report format is served with.
func contentType(filename string) string {
	switch {
	case strings.HasSuffix(filename, ".sarif"):
		return "application/sarif+json"
	case strings.HasSuffix(filename, ".json"):
		return "application/json"
	case strings.HasSuffix(filename, ".html"):
		return "text/html; charset=utf-8"
	case strings.HasSuffix(filename, ".md"):
		return "text/markdown; charset=utf-8"
	case strings.HasSuffix(filename, ".csv"):
		return "text/csv; charset=utf-8"
	case strings.HasSuffix(filename, ".xlsx"):
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case strings.HasSuffix(filename, ".tar.gz"):
		return "application/gzip"
	}
	return "application/octet-stream"
}

// ContentType is exported for the server's on-demand renderings.
func ContentType(filename string) string { return contentType(filepath.Base(filename)) }
