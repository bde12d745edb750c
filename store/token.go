package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (s *sqlStore) CreateToken(ctx context.Context, t Token) (int64, error) {
	if RoleRank(t.Role) == 0 {
		return 0, fmt.Errorf("create token: role %q is unknown (want viewer, operator or admin)", t.Role)
	}
	var id int64
	err := s.queryRow(ctx, s.w, `INSERT INTO pedigree_tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		t.Name, t.Role, t.Hash, ns(t.CreatedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create token: %w", err)
	}
	return id, nil
}

func (s *sqlStore) TokenByHash(ctx context.Context, hash string) (*Token, error) {
	var t Token
	var c, u int64
	err := s.queryRow(ctx, s.r, `SELECT id, name, role, hash, created_at, last_used_at FROM pedigree_tokens WHERE hash = ?`, hash).
		Scan(&t.ID, &t.Name, &t.Role, &t.Hash, &c, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	t.CreatedAt, t.LastUsedAt = fromNS(c), fromNSPtr(u)
	return &t, nil
}

func (s *sqlStore) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.query(ctx, s.r, `SELECT id, name, role, created_at, last_used_at FROM pedigree_tokens ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		var c, u int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &c, &u); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt = fromNS(c), fromNSPtr(u)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *sqlStore) DeleteToken(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, s.w, `DELETE FROM pedigree_tokens WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	return nil
}
