package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

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
