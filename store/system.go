package store

import (
	"context"
	"database/sql"
	"time"
)

func (s *sqlStore) SetSystems(ctx context.Context, systems []System) error {
	now := time.Now().UnixNano()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// Systems no longer configured are dropped from the list; their
		// runs stay in the history.
		if _, err := s.exec(ctx, tx, `DELETE FROM pedigree_systems`); err != nil {
			return err
		}
		for _, sys := range systems {
			if _, err := s.exec(ctx, tx, `INSERT INTO pedigree_systems (name, config, schedule, broken, updated_at) VALUES (?, ?, ?, ?, ?)`,
				sys.Name, sys.Config, sys.Schedule, sys.Broken, now); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *sqlStore) Systems(ctx context.Context) ([]SystemStatus, error) {
	rows, err := s.query(ctx, s.r, `SELECT name, config, schedule, broken FROM pedigree_systems ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []SystemStatus
	for rows.Next() {
		var st SystemStatus
		if err := rows.Scan(&st.Name, &st.Config, &st.Schedule, &st.Broken); err != nil {
			rows.Close()
			return nil, err
		}
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
