package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// copyTables are the store's tables in an order that satisfies their
// foreign keys.
var copyTables = []string{
	"pedigree_systems", "pedigree_runs", "pedigree_run_reports", "pedigree_run_controls", "pedigree_run_findings",
	"pedigree_run_evidence", "pedigree_poam_items", "pedigree_tokens", "pedigree_sessions", "pedigree_audit",
}

// Copy copies the whole history from an SQLite store into an empty
// PostgreSQL one, in one transaction on each side: moving from the
// embedded database to a shared one keeps every run, report, token and
// audit entry. River's queue is not copied: let it drain first.
func Copy(ctx context.Context, from *SQLite, to *Postgres) (map[string]int, error) {
	counts := map[string]int{}
	var n int
	if err := to.w.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM pedigree_runs) + (SELECT count(*) FROM pedigree_tokens)`).Scan(&n); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	if n > 0 {
		return nil, fmt.Errorf("copy: the PostgreSQL history already holds %d runs and tokens; copy into an empty database", n)
	}
	src, err := from.w.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer src.Rollback()
	err = to.inTx(ctx, func(dst *sql.Tx) error {
		for _, table := range copyTables {
			c, err := copyTable(ctx, src, dst, table)
			if err != nil {
				return fmt.Errorf("table %s: %w", table, err)
			}
			counts[table] = c
		}
		// Identity columns continue after the copied ids.
		for _, table := range []string{"pedigree_tokens", "pedigree_audit"} {
			if _, err := dst.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT max(id) FROM %s), 0) + 1, false)`, table, table)); err != nil {
				return fmt.Errorf("table %s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	return counts, nil
}

func copyTable(ctx context.Context, src, dst *sql.Tx, table string) (int, error) {
	rows, err := src.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	overriding := ""
	if table == "pedigree_tokens" || table == "pedigree_audit" {
		overriding = " OVERRIDING SYSTEM VALUE"
	}
	stmt, err := dst.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s)%s VALUES (%s)", table, strings.Join(cols, ", "), overriding, strings.Join(ph, ", ")))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
