package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/store"
)

// worker runs one assessment per job.
type worker struct {
	river.WorkerDefaults[AssessArgs]
	q *Queue
}

func (w *worker) Work(ctx context.Context, job *river.Job[AssessArgs]) error {
	q := w.q
	log := q.log.With("run", job.ID, "system", job.Args.System, "attempt", job.Attempt)
	// A job rescued after its result committed (its worker died before
	// River heard) is done: the run completes exactly once.
	if r, err := q.store.Run(ctx, job.ID); err == nil && r.Status == store.StatusSucceeded {
		log.Info("run already recorded")
		return nil
	}
	sys, ok := q.systems[job.Args.System]
	if !ok || sys.Broken != "" {
		msg := fmt.Sprintf("system %q is not configured on worker %s", job.Args.System, q.client.ID())
		if ok {
			msg = fmt.Sprintf("system %q is broken: %s", sys.Name, sys.Broken)
		}
		now := time.Now().UTC()
		q.store.StartRun(ctx, store.Run{ID: job.ID, System: job.Args.System, Trigger: job.Args.Trigger, RequestedBy: job.Args.RequestedBy,
			QueuedAt: job.CreatedAt.UTC(), StartedAt: &now, Attempt: job.Attempt, Worker: q.client.ID()})
		q.store.EndRun(ctx, job.ID, store.StatusFailed, msg, now)
		return river.JobCancel(errors.New(msg))
	}
	// An admin paused the system's schedule: its scheduled runs do
	// nothing (manual ones still run).
	if job.Args.Trigger == "schedule" {
		if cur, err := q.store.System(ctx, sys.Name); err == nil && cur.Paused {
			log.Info("system paused: scheduled run skipped")
			return nil
		}
	}
	now := time.Now().UTC()
	if err := q.store.StartRun(ctx, store.Run{ID: job.ID, System: sys.Name, Trigger: job.Args.Trigger, RequestedBy: job.Args.RequestedBy,
		QueuedAt: job.CreatedAt.UTC(), StartedAt: &now, Attempt: job.Attempt, Worker: q.client.ID()}); err != nil {
		return err // the database is unwell: River retries
	}
	log.Info("run started")
	err := w.run(ctx, job, sys)
	if err == nil {
		log.Info("run succeeded", "duration", time.Since(now).Round(time.Millisecond))
		if n, perr := q.store.Prune(context.WithoutCancel(ctx), q.opts.Retention, time.Now()); perr != nil {
			log.Warn("retention", "err", perr)
		} else if n > 0 {
			log.Info("retention: runs deleted", "count", n)
		}
		return nil
	}
	// Record the outcome even though ctx may be cancelled.
	bg := context.WithoutCancel(ctx)
	end := time.Now().UTC()
	switch {
	case errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely):
		log.Info("run cancelled")
		q.store.EndRun(bg, job.ID, store.StatusCancelled, "cancelled", end)
		return river.JobCancel(err)
	case job.Attempt >= job.MaxAttempts:
		log.Error("run failed", "err", err)
		q.store.EndRun(bg, job.ID, store.StatusFailed, err.Error(), end)
	default:
		log.Warn("run failed; will retry", "err", err)
		q.store.EndRun(bg, job.ID, store.StatusQueued, fmt.Sprintf("attempt %d of %d failed, retrying: %v", job.Attempt, job.MaxAttempts, err), end)
	}
	return err
}

// run assesses into a private folder, reads every report back and hands
// the lot to the store in one transaction; nothing is recorded unless all
// of it is.
func (w *worker) run(ctx context.Context, job *river.Job[AssessArgs], sys System) error {
	q := w.q
	if err := os.MkdirAll(q.opts.TempDir, 0o700); err != nil {
		return fmt.Errorf("temp folder: %w", err)
	}
	dir, err := os.MkdirTemp(q.opts.TempDir, fmt.Sprintf("run-%d-", job.ID))
	if err != nil {
		return fmt.Errorf("temp folder: %w", err)
	}
	defer os.RemoveAll(dir)
	a, outs, err := q.opts.Assess(ctx, sys.Config, dir, q.log.With("run", job.ID, "system", sys.Name))
	if err != nil {
		return fmt.Errorf("assess %s: %w", sys.Name, err)
	}
	res := &store.Result{Assessment: a, FinishedAt: time.Now().UTC()}
	for _, o := range outs {
		b, err := readlimit.File(o.Path, maxReport)
		if err != nil {
			return fmt.Errorf("read report %s: %w", filepath.Base(o.Path), err)
		}
		name := filepath.Base(o.Path)
		res.Reports = append(res.Reports, store.ReportFile{ReportMeta: store.ReportMeta{Format: o.Format, Filename: name, ContentType: contentType(name)}, Data: b})
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return q.store.FinishRun(ctx, job.ID, res)
}

// maxReport bounds one report file read back into the store.
const maxReport = 1 << 30
