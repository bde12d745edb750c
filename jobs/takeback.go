package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/pedigree-dev/pedigree/store"
)

// rescue is what happens to a job whose worker is gone: River's rescuer's
// rules (river v0.51.2 internal/maintenance/job_rescuer.go), decided at
// once instead of after RescueAfter.
type rescue struct {
	state       rivertype.JobState
	finalizedAt *time.Time
	scheduledAt time.Time
	// note is the attempt's error, kept in the job's errors: the settle
	// step and the run record quote it.
	note string
}

// decideRescue applies River's rescuer's rules to a job left running by a
// process that is gone: cancelled when a cancel was attempted meanwhile,
// discarded when it has no attempts left (or is of a kind no worker
// here works), else run again now. River's rescuer makes a retried job
// retryable for its scheduler, which runs only on the elected leader: the
// dead server's leadership outlives it by up to 15 s. A job due now is
// made available, as River's JobRetry does, so a worker takes it at once.
func decideRescue(job *rivertype.JobRow, now time.Time) rescue {
	by := "unknown"
	if n := len(job.AttemptedBy); n > 0 {
		by = job.AttemptedBy[n-1]
	}
	note := fmt.Sprintf("attempt %d interrupted: its server stopped mid-run (worker %s); taken back when the server restarted", max(job.Attempt, 0), by)
	var meta struct {
		CancelAttemptedAt time.Time `json:"cancel_attempted_at"`
	}
	// Metadata River cannot decode carries no cancel: the job is judged
	// by its attempts rather than left stuck.
	_ = json.Unmarshal(job.Metadata, &meta)
	switch {
	case !meta.CancelAttemptedAt.IsZero():
		return rescue{state: rivertype.JobStateCancelled, finalizedAt: &now, scheduledAt: job.ScheduledAt, note: note}
	case job.Kind != (AssessArgs{}).Kind():
		return rescue{state: rivertype.JobStateDiscarded, finalizedAt: &now, scheduledAt: job.ScheduledAt, note: note + "; no worker here runs jobs of kind " + job.Kind}
	case job.Attempt >= max(job.MaxAttempts, 0):
		return rescue{state: rivertype.JobStateDiscarded, finalizedAt: &now, scheduledAt: job.ScheduledAt, note: note}
	}
	return rescue{state: rivertype.JobStateAvailable, scheduledAt: now, note: note}
}

// takeBackBatch bounds the jobs read and rescued in one statement.
const takeBackBatch = 100

// takeBack rescues, before this process works any job, every job River
// shows running. It is called only when this process alone works the
// database (a SQLite history under pedigree serve's lock): any running
// job was then left by a process that is gone, and waiting RescueAfter
// (an hour by default) to find that out would show a dead run as running
// and make a cancel of it do nothing visible meanwhile. Retried runs are
// recorded queued again here; cancelled and discarded ones are recorded by
// settleOrphans, which Start runs next. Every rescue is in the audit log.
func (q *Queue) takeBack(ctx context.Context) error {
	now := time.Now().UTC()
	// No job of this process has started yet, so every running job is an
	// orphan whatever its attempted_at says: a clock stepped back since
	// the dead server ran must not hide one behind a horizon of now.
	horizon := now.Add(24 * time.Hour)
	var after int64
	for {
		stuck, err := q.exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{AfterID: after, Max: takeBackBatch, StuckHorizon: horizon})
		if err != nil {
			return fmt.Errorf("jobs left running: %w", err)
		}
		if len(stuck) == 0 {
			return nil
		}
		after = stuck[len(stuck)-1].ID
		p := &riverdriver.JobRescueManyParams{StuckHorizon: horizon}
		decided := make([]rescue, len(stuck))
		for i, job := range stuck {
			d := decideRescue(job, now)
			decided[i] = d
			e, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(job.Attempt, 0), Error: d.note})
			if err != nil {
				return fmt.Errorf("job %d: %w", job.ID, err)
			}
			p.ID = append(p.ID, job.ID)
			p.Error = append(p.Error, e)
			p.FinalizedAt = append(p.FinalizedAt, d.finalizedAt)
			p.ScheduledAt = append(p.ScheduledAt, d.scheduledAt)
			p.State = append(p.State, string(d.state))
		}
		if _, err := q.exec.JobRescueMany(ctx, p); err != nil {
			return fmt.Errorf("take back jobs left running: %w", err)
		}
		for i, job := range stuck {
			if err := q.recordTakeBack(ctx, job, decided[i], now); err != nil {
				return err
			}
		}
		if len(stuck) < takeBackBatch {
			return nil
		}
	}
}

// recordTakeBack writes a rescued job's outcome where people look: the
// run's record for a run that will run again (as a failed attempt that
// will be retried is recorded), and the audit log for every one.
func (q *Queue) recordTakeBack(ctx context.Context, job *rivertype.JobRow, d rescue, now time.Time) error {
	var outcome string
	switch d.state {
	case rivertype.JobStateAvailable:
		outcome = fmt.Sprintf("retried now as attempt %d of %d", job.Attempt+1, job.MaxAttempts)
		// The note says which attempt was interrupted.
		if err := q.store.EndRun(ctx, job.ID, store.StatusQueued, "retrying: "+d.note, now); err != nil {
			return err
		}
	case rivertype.JobStateCancelled:
		outcome = "cancelled, as was asked while it ran"
	default:
		outcome = fmt.Sprintf("failed: no attempts left (%d of %d)", job.Attempt, job.MaxAttempts)
	}
	q.log.Warn("run left running by a stopped server taken back", "run", job.ID, "outcome", outcome)
	err := q.store.Audit(ctx, store.AuditEntry{At: now, Actor: "server", Action: "run.takeback", Target: fmt.Sprintf("run %d", job.ID),
		Detail: d.note + "; " + outcome})
	if err != nil {
		return fmt.Errorf("run %d: %w", job.ID, err)
	}
	return nil
}
