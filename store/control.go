package store

import (
	"context"
	"fmt"
	"strings"
)

func (s *sqlStore) ControlAcrossSystems(ctx context.Context, controlID string) ([]ControlStatus, error) {
	// The latest succeeded run of each system, then the control in it.
	rows, err := s.query(ctx, s.r, `SELECT r.system, r.id, c.control_id, c.status, r.finished_at
		FROM pedigree_runs r JOIN pedigree_run_controls c ON c.run_id = r.id
		WHERE c.control_id = ? AND r.id = (SELECT max(id) FROM pedigree_runs l WHERE l.system = r.system AND l.status = 'succeeded')
		ORDER BY r.system`, controlID)
	if err != nil {
		return nil, fmt.Errorf("control %s: %w", controlID, err)
	}
	return scanControls(rows)
}

func (s *sqlStore) ControlHistory(ctx context.Context, f ControlFilter) ([]ControlStatus, error) {
	where := []string{"c.control_id = ?"}
	args := []any{f.Control}
	if f.System != "" {
		where, args = append(where, "r.system = ?"), append(args, f.System)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "r.finished_at >= ?"), append(args, ns(f.Since))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit)
	rows, err := s.query(ctx, s.r, `SELECT r.system, r.id, c.control_id, c.status, r.finished_at
		FROM pedigree_run_controls c JOIN pedigree_runs r ON r.id = c.run_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("control %s history: %w", f.Control, err)
	}
	return scanControls(rows)
}

func scanControls(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) ([]ControlStatus, error) {
	defer rows.Close()
	out := []ControlStatus{}
	for rows.Next() {
		var c ControlStatus
		var fin int64
		if err := rows.Scan(&c.System, &c.RunID, &c.Control, &c.Status, &fin); err != nil {
			return nil, err
		}
		c.FinishedAt = fromNS(fin)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *sqlStore) Findings(ctx context.Context, f FindingFilter) ([]Finding, error) {
	var where []string
	var args []any
	if f.RunID != 0 {
		where, args = append(where, "r.id = ?"), append(args, f.RunID)
	}
	if f.System != "" {
		where, args = append(where, "r.system = ?"), append(args, f.System)
	}
	if f.Check != "" {
		where, args = append(where, "x.check_id = ?"), append(args, f.Check)
	}
	if f.Status != "" {
		where, args = append(where, "x.status = ?"), append(args, f.Status)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "r.finished_at >= ?"), append(args, ns(f.Since))
	}
	q := `SELECT r.id, r.system, x.finding_id, x.check_id, x.status, x.severity, x.message, r.finished_at
		FROM pedigree_run_findings x JOIN pedigree_runs r ON r.id = x.run_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += " ORDER BY r.id DESC, x.finding_id LIMIT ?"
	args = append(args, limit)
	rows, err := s.query(ctx, s.r, q, args...)
	if err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		var x Finding
		var at int64
		if err := rows.Scan(&x.RunID, &x.System, &x.ID, &x.Check, &x.Status, &x.Severity, &x.Message, &at); err != nil {
			return nil, err
		}
		x.At = fromNS(at)
		out = append(out, x)
	}
	return out, rows.Err()
}

func (s *sqlStore) POAM(ctx context.Context, system string) ([]POAMItem, error) {
	rows, err := s.query(ctx, s.r, `SELECT system, item_id, control_id, weakness, severity, first_seen, first_run, last_seen, last_run, closed_at, closed_by
		FROM pedigree_poam_items WHERE system = ? ORDER BY closed_at, first_seen, control_id`, system)
	if err != nil {
		return nil, fmt.Errorf("POA&M of %s: %w", system, err)
	}
	defer rows.Close()
	out := []POAMItem{}
	for rows.Next() {
		var p POAMItem
		var fs, ls, ca int64
		if err := rows.Scan(&p.System, &p.ID, &p.Control, &p.Weakness, &p.Severity, &fs, &p.FirstRun, &ls, &p.LastRun, &ca, &p.ClosedBy); err != nil {
			return nil, err
		}
		p.FirstSeen, p.LastSeen, p.ClosedAt = fromNS(fs), fromNS(ls), fromNSPtr(ca)
		out = append(out, p)
	}
	return out, rows.Err()
}
