package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *sqlStore) SetSystems(ctx context.Context, systems []System) error {
	now := time.Now().UnixNano()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// Systems no longer configured leave the list (their runs stay in
		// the history); the others keep whether an admin paused them.
		keep := map[string]bool{}
		for _, sys := range systems {
			keep[sys.Name] = true
			if _, err := s.exec(ctx, tx, `INSERT INTO pedigree_systems (name, config, schedule, broken, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET config = excluded.config, schedule = excluded.schedule, broken = excluded.broken, updated_at = excluded.updated_at`,
				sys.Name, sys.Config, sys.Schedule, sys.Broken, now); err != nil {
				return err
			}
		}
		rows, err := s.query(ctx, tx, `SELECT name FROM pedigree_systems`)
		if err != nil {
			return err
		}
		var gone []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			if !keep[n] {
				gone = append(gone, n)
			}
		}
		rows.Close()
		for _, n := range gone {
			if _, err := s.exec(ctx, tx, `DELETE FROM pedigree_systems WHERE name = ?`, n); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

func (s *sqlStore) System(ctx context.Context, name string) (*System, error) {
	var sys System
	var paused int
	err := s.queryRow(ctx, s.r, `SELECT name, config, schedule, broken, paused FROM pedigree_systems WHERE name = ?`, name).
		Scan(&sys.Name, &sys.Config, &sys.Schedule, &sys.Broken, &paused)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("system %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("system %q: %w", name, err)
	}
	sys.Paused = paused != 0
	return &sys, nil
}

func (s *sqlStore) SetPaused(ctx context.Context, name string, paused bool) error {
	v := 0
	if paused {
		v = 1
	}
	res, err := s.exec(ctx, s.w, `UPDATE pedigree_systems SET paused = ? WHERE name = ?`, v, name)
	if err != nil {
		return fmt.Errorf("pause %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("system %q: %w", name, ErrNotFound)
	}
	return nil
}

func (s *sqlStore) Systems(ctx context.Context) ([]SystemStatus, error) {
	rows, err := s.query(ctx, s.r, `SELECT name, config, schedule, broken, paused FROM pedigree_systems ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []SystemStatus
	for rows.Next() {
		var st SystemStatus
		var paused int
		if err := rows.Scan(&st.Name, &st.Config, &st.Schedule, &st.Broken, &paused); err != nil {
			rows.Close()
			return nil, err
		}
		st.Paused = paused != 0
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if rs, err := s.Runs(ctx, RunFilter{System: out[i].Name, Limit: 1}); err != nil {
			return nil, err
		} else if len(rs) == 1 {
			out[i].Latest = &rs[0]
		}
		if rs, err := s.Runs(ctx, RunFilter{System: out[i].Name, Status: StatusSucceeded, Limit: 1}); err != nil {
			return nil, err
		} else if len(rs) == 1 {
			out[i].LatestSucceeded = &rs[0]
		}
	}
	return out, nil
}
