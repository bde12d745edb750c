package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

const runColumns = `id, system, status, trigger_kind, requested_by, queued_at, started_at, finished_at, attempt, worker, error,
	satisfied, not_satisfied, not_assessed, findings_failed, assessment_id`

type scanner interface{ Scan(dst ...any) error }

func scanRun(sc scanner) (Run, error) {
	var r Run
	var q, st, fin int64
	err := sc.Scan(&r.ID, &r.System, &r.Status, &r.Trigger, &r.RequestedBy, &q, &st, &fin, &r.Attempt, &r.Worker, &r.Error,
		&r.Summary.Satisfied, &r.Summary.NotSatisfied, &r.Summary.NotAssessed, &r.Summary.FindingsFailed, &r.AssessmentID)
	r.QueuedAt, r.StartedAt, r.FinishedAt = fromNS(q), fromNSPtr(st), fromNSPtr(fin)
	return r, err
}

func (s *sqlStore) QueueRun(ctx context.Context, r Run) error {
	_, err := s.exec(ctx, s.w, `INSERT INTO pedigree_runs (id, system, status, trigger_kind, requested_by, queued_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		r.ID, r.System, StatusQueued, r.Trigger, r.RequestedBy, ns(r.QueuedAt))
	if err != nil {
		return fmt.Errorf("queue run %d: %w", r.ID, err)
	}
	return nil
}

func (s *sqlStore) StartRun(ctx context.Context, r Run) error {
	var started int64
	if r.StartedAt != nil {
		started = ns(*r.StartedAt)
	}
	// A run that already succeeded (its job was rescued after the result
	// committed) is not reopened.
	_, err := s.exec(ctx, s.w, `INSERT INTO pedigree_runs (id, system, status, trigger_kind, requested_by, queued_at, started_at, attempt, worker)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, started_at = excluded.started_at, attempt = excluded.attempt,
			worker = excluded.worker, error = ''
		WHERE pedigree_runs.status <> 'succeeded'`,
		r.ID, r.System, StatusRunning, r.Trigger, r.RequestedBy, ns(r.QueuedAt), started, r.Attempt, r.Worker)
	if err != nil {
		return fmt.Errorf("start run %d: %w", r.ID, err)
	}
	return nil
}

func (s *sqlStore) EndRun(ctx context.Context, id int64, status, msg string, at time.Time) error {
	fin := ns(at)
	if status == StatusQueued {
		fin = 0
	}
	_, err := s.exec(ctx, s.w, `UPDATE pedigree_runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status <> 'succeeded'`,
		status, msg, fin, id)
	if err != nil {
		return fmt.Errorf("end run %d: %w", id, err)
	}
	return nil
}

func (s *sqlStore) Run(ctx context.Context, id int64) (*Run, error) {
	r, err := scanRun(s.queryRow(ctx, s.r, `SELECT `+runColumns+` FROM pedigree_runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", id, err)
	}
	return &r, nil
}

func (s *sqlStore) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	var where []string
	var args []any
	if f.System != "" {
		where, args = append(where, "system = ?"), append(args, f.System)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "queued_at >= ?"), append(args, ns(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "queued_at < ?"), append(args, ns(f.Until))
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	q := `SELECT ` + runColumns + ` FROM pedigree_runs`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.query(ctx, s.r, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *sqlStore) DeleteRun(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `DELETE FROM pedigree_runs WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete run %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// SkipRecordedRunIDs moves River's job id sequence past the newest run in
// the history. A run's id is its job's id, and a history copied from
// another database (`pedigree history copy`) holds runs whose ids this
// database's River has not handed out yet: a new job given one of them
// would be taken for that recorded run and never run. The sequence never
// moves back.
func (s *sqlStore) SkipRecordedRunIDs(ctx context.Context) error {
	var maxID int64
	if err := s.queryRow(ctx, s.w, `SELECT COALESCE(max(id), 0) FROM pedigree_runs`).Scan(&maxID); err != nil {
		return fmt.Errorf("newest run id: %w", err)
	}
	if maxID == 0 {
		return nil
	}
	if s.dialect == dialectPostgres {
		var seq string
		if err := s.queryRow(ctx, s.w, `SELECT pg_get_serial_sequence('river_job', 'id')`).Scan(&seq); err != nil {
			return fmt.Errorf("river_job id sequence: %w", err)
		}
		var last int64
		var called bool
		if err := s.queryRow(ctx, s.w, `SELECT last_value, is_called FROM `+seq).Scan(&last, &called); err != nil {
			return fmt.Errorf("river_job id sequence %s: %w", seq, err)
		}
		if called && last >= maxID {
			return nil
		}
		// Called with is_called true: the next job gets maxID + 1.
		if _, err := s.exec(ctx, s.w, `SELECT setval(?::regclass, ?)`, seq, maxID); err != nil {
			return fmt.Errorf("river_job id sequence %s: %w", seq, err)
		}
		return nil
	}
	// River's SQLite table is AUTOINCREMENT: its next id is one more than
	// the larger of its sqlite_sequence entry and its largest row.
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE sqlite_sequence SET seq = ? WHERE name = 'river_job' AND seq < ?`, maxID, maxID); err != nil {
			return fmt.Errorf("river_job id sequence: %w", err)
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO sqlite_sequence (name, seq) SELECT 'river_job', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'river_job')`, maxID); err != nil {
			return fmt.Errorf("river_job id sequence: %w", err)
		}
		return nil
	})
}
