package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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

func (s *sqlStore) CreateSession(ctx context.Context, ss Session) error {
	// Expired sessions go when new ones come.
	if _, err := s.exec(ctx, s.w, `DELETE FROM pedigree_sessions WHERE expires_at < ?`, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := s.exec(ctx, s.w, `INSERT INTO pedigree_sessions (hash, token_id, csrf, expires_at) VALUES (?, ?, ?, ?)`,
		ss.Hash, ss.TokenID, ss.CSRF, ns(ss.ExpiresAt)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func (s *sqlStore) SessionByHash(ctx context.Context, hash string, now time.Time) (*Session, *Token, error) {
	var ss Session
	var t Token
	var exp, c, u int64
	err := s.queryRow(ctx, s.r, `SELECT s.hash, s.token_id, s.csrf, s.expires_at, t.id, t.name, t.role, t.created_at, t.last_used_at
		FROM pedigree_sessions s JOIN pedigree_tokens t ON t.id = s.token_id WHERE s.hash = ? AND s.expires_at > ?`, hash, ns(now)).
		Scan(&ss.Hash, &ss.TokenID, &ss.CSRF, &exp, &t.ID, &t.Name, &t.Role, &c, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	ss.ExpiresAt, t.CreatedAt, t.LastUsedAt = fromNS(exp), fromNS(c), fromNSPtr(u)
	return &ss, &t, nil
}

func (s *sqlStore) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.exec(ctx, s.w, `DELETE FROM pedigree_sessions WHERE hash = ?`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

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
