package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// SummaryOf counts an assessment's verdicts the way the API reports them.
func SummaryOf(a *assessment.Assessment) Summary {
	n := a.Counts()
	s := Summary{Satisfied: n[assessment.Satisfied], NotSatisfied: n[assessment.NotSatisfied], NotAssessed: n[assessment.NotAssessed]}
	for _, f := range a.Findings {
		if f.Status == evidence.Fail {
			s.FindingsFailed++
		}
	}
	return s
}

func (s *sqlStore) FinishRun(ctx context.Context, id int64, res *Result) error {
	a := res.Assessment
	if a == nil {
		return fmt.Errorf("finish run %d: no assessment", id)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var system, status string
		if err := s.queryRow(ctx, tx, `SELECT system, status FROM pedigree_runs WHERE id = ?`, id).Scan(&system, &status); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("run %d: %w", id, ErrNotFound)
			}
			return err
		}
		if status == StatusSucceeded {
			return nil // a rescued job finishing twice records its result once
		}
		for _, rf := range res.Reports {
			sum := sha256.Sum256(rf.Data)
			if _, err := s.exec(ctx, tx, `INSERT INTO pedigree_run_reports (run_id, format, filename, content_type, sha256, size, data)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, rf.Format, rf.Filename, rf.ContentType, hex.EncodeToString(sum[:]), len(rf.Data), rf.Data); err != nil {
				return fmt.Errorf("report %s: %w", rf.Format, err)
			}
		}
		for _, c := range a.Controls {
			if _, err := s.exec(ctx, tx, `INSERT INTO pedigree_run_controls (run_id, control_id, status) VALUES (?, ?, ?)`,
				id, c.ID, string(c.Status)); err != nil {
				return fmt.Errorf("control %s: %w", c.ID, err)
			}
		}
		for _, f := range a.Findings {
			if _, err := s.exec(ctx, tx, `INSERT INTO pedigree_run_findings (run_id, finding_id, check_id, status, severity, message)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, f.ID, f.CheckID, string(f.Status), string(f.Severity), f.Message); err != nil {
				return fmt.Errorf("finding %s: %w", f.ID, err)
			}
		}
		for _, e := range a.Evidence {
			if _, err := s.exec(ctx, tx, `INSERT INTO pedigree_run_evidence (run_id, evidence_id, collector, kind, target, source, sha256, size)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, e.ID, e.Collector, e.Kind, e.Target, e.Source, e.SHA256, e.Size); err != nil {
				return fmt.Errorf("evidence %s: %w", e.ID, err)
			}
		}
		if err := s.carryPOAM(ctx, tx, system, id, a, res); err != nil {
			return fmt.Errorf("POA&M: %w", err)
		}
		sm := SummaryOf(a)
		_, err := s.exec(ctx, tx, `UPDATE pedigree_runs SET status = ?, finished_at = ?, error = '', satisfied = ?, not_satisfied = ?,
			not_assessed = ?, findings_failed = ?, assessment_id = ? WHERE id = ?`,
			StatusSucceeded, ns(res.FinishedAt), sm.Satisfied, sm.NotSatisfied, sm.NotAssessed, sm.FindingsFailed, a.RunID, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	return nil
}

// carryPOAM keeps one row per weakness of a system: an item still open
// keeps its first-seen date, a new one starts today, and one the run no
// longer lists is closed by it.
func (s *sqlStore) carryPOAM(ctx context.Context, tx *sql.Tx, system string, runID int64, a *assessment.Assessment, res *Result) error {
	at := ns(res.FinishedAt)
	open := map[string]bool{}
	for _, p := range view.POAM(a, nil) {
		open[p.ID] = true
		_, err := s.exec(ctx, tx, `INSERT INTO pedigree_poam_items (system, item_id, control_id, weakness, severity, first_seen, first_run, last_seen, last_run)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (system, item_id) DO UPDATE SET last_seen = excluded.last_seen, last_run = excluded.last_run,
				weakness = excluded.weakness, severity = excluded.severity,
				first_seen = CASE WHEN pedigree_poam_items.closed_at <> 0 THEN excluded.first_seen ELSE pedigree_poam_items.first_seen END,
				first_run = CASE WHEN pedigree_poam_items.closed_at <> 0 THEN excluded.first_run ELSE pedigree_poam_items.first_run END,
				closed_at = 0, closed_by = 0`,
			system, p.ID, p.Control, p.Weakness, string(p.Severity), at, runID, at, runID)
		if err != nil {
			return err
		}
	}
	rows, err := s.query(ctx, tx, `SELECT item_id FROM pedigree_poam_items WHERE system = ? AND closed_at = 0`, system)
	if err != nil {
		return err
	}
	var closing []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !open[id] {
			closing = append(closing, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range closing {
		if _, err := s.exec(ctx, tx, `UPDATE pedigree_poam_items SET closed_at = ?, closed_by = ? WHERE system = ? AND item_id = ?`, at, runID, system, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *sqlStore) Reports(ctx context.Context, runID int64) ([]ReportMeta, error) {
	rows, err := s.query(ctx, s.r, `SELECT format, filename, content_type, sha256, size FROM pedigree_run_reports WHERE run_id = ? ORDER BY format`, runID)
	if err != nil {
		return nil, fmt.Errorf("reports of run %d: %w", runID, err)
	}
	defer rows.Close()
	out := []ReportMeta{}
	for rows.Next() {
		var m ReportMeta
		if err := rows.Scan(&m.Format, &m.Filename, &m.ContentType, &m.SHA256, &m.Size); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *sqlStore) Report(ctx context.Context, runID int64, format string) (*ReportFile, error) {
	var f ReportFile
	err := s.queryRow(ctx, s.r, `SELECT format, filename, content_type, sha256, size, data FROM pedigree_run_reports WHERE run_id = ? AND format = ?`,
		runID, format).Scan(&f.Format, &f.Filename, &f.ContentType, &f.SHA256, &f.Size, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("report %s of run %d: %w", format, runID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("report %s of run %d: %w", format, runID, err)
	}
	return &f, nil
}

func (s *sqlStore) Evidence(ctx context.Context, runID int64) ([]Evidence, error) {
	rows, err := s.query(ctx, s.r, `SELECT evidence_id, collector, kind, target, source, sha256, size FROM pedigree_run_evidence WHERE run_id = ? ORDER BY evidence_id`, runID)
	if err != nil {
		return nil, fmt.Errorf("evidence of run %d: %w", runID, err)
	}
	defer rows.Close()
	out := []Evidence{}
	for rows.Next() {
		var e Evidence
		if err := rows.Scan(&e.ID, &e.Collector, &e.Kind, &e.Target, &e.Source, &e.SHA256, &e.Size); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
