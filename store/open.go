package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go
)

// SQLite is the embedded store: one file under the data folder. Writes go
// through one connection (SQLite allows one writer; River shares it), reads
// through a pool of read-only connections that WAL lets run beside a write.
type SQLite struct {
	*sqlStore
	writer *sql.DB
}

// OpenSQLite opens (creating it if needed) the database file at path and
// runs the store's migrations.
func OpenSQLite(ctx context.Context, path string) (*SQLite, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	w, err := sql.Open("sqlite", u+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// The writer creates the file and switches it to WAL before any reader
	// opens it read-only.
	s := &SQLite{sqlStore: &sqlStore{dialect: dialectSQLite, w: w}, writer: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)*2))
	r.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)*2))
	s.r = r
	return s, nil
}

// Writer is the single writing connection pool, which River's SQLite
// driver shares so that a run's job and its record never fight for a lock.
func (s *SQLite) Writer() *sql.DB { return s.writer }

// Close closes both pools.
func (s *SQLite) Close() error {
	err := s.w.Close()
	if s.r != nil && s.r != s.w {
		if rerr := s.r.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Postgres is the store shared by many workers on many machines.
type Postgres struct {
	*sqlStore
	pool *pgxpool.Pool
}

// OpenPostgres connects to the database at url and runs the store's
// migrations (under an advisory lock, so that workers starting together
// migrate once).
func OpenPostgres(ctx context.Context, dbURL string) (*Postgres, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("database-url: %s", redactURL(err.Error(), dbURL))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL %s: %s", redact(dbURL), redactURL(err.Error(), dbURL))
	}
	db := stdlib.OpenDBFromPool(pool)
	s := &Postgres{sqlStore: &sqlStore{dialect: dialectPostgres, w: db, r: db}, pool: pool}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(dbURL), err)
	}
	return s, nil
}

// Pool is the pgx pool River's PostgreSQL driver uses.
func (s *Postgres) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Postgres) Close() error {
	err := s.w.Close()
	s.pool.Close()
	return err
}

// redact removes a password from a database URL for messages.
func redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func redactURL(msg, dbURL string) string {
	if u, err := url.Parse(dbURL); err == nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// sqlStore implements Store over database/sql; the dialects differ only in
// placeholders and a few column types, which rebind and the migrations
// handle.
type sqlStore struct {
	dialect dialect
	w       *sql.DB // writes (and reads that must see them)
	r       *sql.DB // reads
}

func (s *sqlStore) Dialect() string {
	if s.dialect == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// rebind turns ? placeholders into PostgreSQL's $n.
func (s *sqlStore) rebind(q string) string {
	if s.dialect != dialectPostgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (s *sqlStore) exec(ctx context.Context, e execer, q string, args ...any) (sql.Result, error) {
	return e.ExecContext(ctx, s.rebind(q), args...)
}

func (s *sqlStore) query(ctx context.Context, e execer, q string, args ...any) (*sql.Rows, error) {
	return e.QueryContext(ctx, s.rebind(q), args...)
}

func (s *sqlStore) queryRow(ctx context.Context, e execer, q string, args ...any) *sql.Row {
	return e.QueryRowContext(ctx, s.rebind(q), args...)
}

// inTx runs fn in a write transaction, committed only when fn succeeds.
func (s *sqlStore) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
