package store

import (
	"context"
	"fmt"
)

func (s *sqlStore) Audit(ctx context.Context, e AuditEntry) error {
	if _, err := s.exec(ctx, s.w, `INSERT INTO pedigree_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		ns(e.At), e.Actor, e.Action, e.Target, e.Detail); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func (s *sqlStore) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.query(ctx, s.r, `SELECT id, at, actor, action, target, detail FROM pedigree_audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromNS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
