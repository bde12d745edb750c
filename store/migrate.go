package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// migrations are applied in order, each once, each in its own transaction.
// Column types are written for SQLite; {{blob}} and {{id}} become BYTEA and
// an identity column on PostgreSQL. Times are Unix nanoseconds (UTC) so
// both databases compare and sort them the same way; 0 means unset.
var migrations = []string{
	1: `
CREATE TABLE pedigree_systems (
	name       TEXT PRIMARY KEY,
	config     TEXT NOT NULL,
	schedule   TEXT NOT NULL,
	broken     TEXT NOT NULL DEFAULT '',
	paused     INTEGER NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL
);
CREATE TABLE pedigree_runs (
	id              BIGINT PRIMARY KEY,
	system          TEXT NOT NULL,
	status          TEXT NOT NULL,
	trigger_kind    TEXT NOT NULL,
	requested_by    TEXT NOT NULL DEFAULT '',
	queued_at       BIGINT NOT NULL,
	started_at      BIGINT NOT NULL DEFAULT 0,
	finished_at     BIGINT NOT NULL DEFAULT 0,
	attempt         INTEGER NOT NULL DEFAULT 0,
	worker          TEXT NOT NULL DEFAULT '',
	error           TEXT NOT NULL DEFAULT '',
	satisfied       INTEGER NOT NULL DEFAULT 0,
	not_satisfied   INTEGER NOT NULL DEFAULT 0,
	not_assessed    INTEGER NOT NULL DEFAULT 0,
	findings_failed INTEGER NOT NULL DEFAULT 0,
	assessment_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pedigree_runs_system ON pedigree_runs (system, id DESC);
CREATE INDEX pedigree_runs_status ON pedigree_runs (status, system, id DESC);
CREATE INDEX pedigree_runs_queued ON pedigree_runs (queued_at);
CREATE TABLE pedigree_run_reports (
	run_id       BIGINT NOT NULL REFERENCES pedigree_runs (id) ON DELETE CASCADE,
	format       TEXT NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	size         BIGINT NOT NULL,
	data         {{blob}} NOT NULL,
	PRIMARY KEY (run_id, format)
);
CREATE TABLE pedigree_run_controls (
	run_id     BIGINT NOT NULL REFERENCES pedigree_runs (id) ON DELETE CASCADE,
	control_id TEXT NOT NULL,
	status     TEXT NOT NULL,
	PRIMARY KEY (run_id, control_id)
);
CREATE INDEX pedigree_run_controls_control ON pedigree_run_controls (control_id, run_id DESC);
CREATE TABLE pedigree_run_findings (
	run_id     BIGINT NOT NULL REFERENCES pedigree_runs (id) ON DELETE CASCADE,
	finding_id TEXT NOT NULL,
	check_id   TEXT NOT NULL,
	status     TEXT NOT NULL,
	severity   TEXT NOT NULL,
	message    TEXT NOT NULL,
	PRIMARY KEY (run_id, finding_id)
);
CREATE INDEX pedigree_run_findings_check ON pedigree_run_findings (check_id, run_id DESC);
CREATE TABLE pedigree_run_evidence (
	run_id      BIGINT NOT NULL REFERENCES pedigree_runs (id) ON DELETE CASCADE,
	evidence_id TEXT NOT NULL,
	collector   TEXT NOT NULL,
	kind        TEXT NOT NULL,
	target      TEXT NOT NULL,
	source      TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	size        BIGINT NOT NULL,
	PRIMARY KEY (run_id, evidence_id)
);
CREATE TABLE pedigree_poam_items (
	system     TEXT NOT NULL,
	item_id    TEXT NOT NULL,
	control_id TEXT NOT NULL,
	weakness   TEXT NOT NULL,
	severity   TEXT NOT NULL,
	first_seen BIGINT NOT NULL,
	first_run  BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL,
	last_run   BIGINT NOT NULL,
	closed_at  BIGINT NOT NULL DEFAULT 0,
	closed_by  BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (system, item_id)
);
CREATE TABLE pedigree_tokens (
	id           {{id}},
	name         TEXT NOT NULL,
	role         TEXT NOT NULL,
	hash         TEXT NOT NULL UNIQUE,
	created_at   BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE pedigree_sessions (
	hash       TEXT PRIMARY KEY,
	token_id   BIGINT NOT NULL REFERENCES pedigree_tokens (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE TABLE pedigree_audit (
	id     {{id}},
	at     BIGINT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pedigree_audit_at ON pedigree_audit (id DESC);
`,
}

func (s *sqlStore) migrationSQL(m string) string {
	if s.dialect == dialectPostgres {
		return strings.NewReplacer("{{blob}}", "BYTEA", "{{id}}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY").Replace(m)
	}
	return strings.NewReplacer("{{blob}}", "BLOB", "{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT").Replace(m)
}

// migrate applies the migrations not yet applied.
func (s *sqlStore) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS pedigree_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		// Two PostgreSQL workers creating the table at once: one loses the
		// race on the catalog and the table exists when it looks again.
		if s.dialect != dialectPostgres {
			return err
		}
	}
	for v := 1; v < len(migrations); v++ {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if s.dialect == dialectPostgres {
				// Workers that start together migrate one at a time.
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7264810)`); err != nil {
					return err
				}
			}
			var n int
			if err := s.queryRow(ctx, tx, `SELECT count(*) FROM pedigree_migrations WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, s.migrationSQL(migrations[v])); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			_, err := s.exec(ctx, tx, `INSERT INTO pedigree_migrations (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixNano())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ns is a time as stored; the zero time is 0.
func ns(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func fromNSPtr(n int64) *time.Time {
	if n == 0 {
		return nil
	}
	t := time.Unix(0, n).UTC()
	return &t
}
