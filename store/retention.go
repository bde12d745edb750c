package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

func (s *sqlStore) Prune(ctx context.Context, r Retention, now time.Time) (int, error) {
	if r.KeepRuns <= 0 && r.KeepDays <= 0 {
		return 0, nil
	}
	deleted := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, `SELECT DISTINCT system FROM pedigree_runs`)
		if err != nil {
			return err
		}
		var systems []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			systems = append(systems, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, sys := range systems {
			// A run is kept when it is among the newest KeepRuns or younger
			// than KeepDays (either limit keeps it), when it has not ended,
			// and always when it is the system's latest result.
			var latest sql.NullInt64
			if err := s.queryRow(ctx, tx, `SELECT max(id) FROM pedigree_runs WHERE system = ? AND status = 'succeeded'`, sys).Scan(&latest); err != nil {
				return err
			}
			var cutoffID int64 // runs with a smaller id are beyond KeepRuns
			if r.KeepRuns > 0 {
				err := s.queryRow(ctx, tx, `SELECT id FROM pedigree_runs WHERE system = ? ORDER BY id DESC LIMIT 1 OFFSET ?`, sys, r.KeepRuns-1).Scan(&cutoffID)
				if err == sql.ErrNoRows {
					continue // fewer runs than KeepRuns
				}
				if err != nil {
					return err
				}
			}
			var cutoffAt int64
			if r.KeepDays > 0 {
				cutoffAt = now.Add(-time.Duration(r.KeepDays) * 24 * time.Hour).UnixNano()
			}
			q := `DELETE FROM pedigree_runs WHERE system = ? AND status IN ('succeeded', 'failed', 'cancelled') AND id <> ?`
			args := []any{sys, latest.Int64}
			switch {
			case r.KeepRuns > 0 && r.KeepDays > 0:
				q += ` AND id < ? AND queued_at < ?`
				args = append(args, cutoffID, cutoffAt)
			case r.KeepRuns > 0:
				q += ` AND id < ?`
				args = append(args, cutoffID)
			default:
				q += ` AND queued_at < ?`
				args = append(args, cutoffAt)
			}
			res, err := s.exec(ctx, tx, q, args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			deleted += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	return deleted, nil
}
