package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/store"
)

func init() {
	addCommand(newHistoryCmd)
}

func newHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "history", Short: "Manage the history of pedigree serve"}
	cp := &cobra.Command{
		Use:   "copy --data-dir DIR --database-url URL",
		Short: "Copy the SQLite history into an empty PostgreSQL database (moving to many workers)",
		Long: `Copy every run, report file, control result, finding, evidence hash, POA&M item,
token and audit entry from the SQLite history under --data-dir into an empty
PostgreSQL database. Stop pedigree serve first; queued runs are not copied.`,
		Args: cobra.NoArgs,
		RunE: runHistoryCopy,
	}
	cp.Flags().String("data-dir", defaultDataDir, "folder of the SQLite history")
	cp.Flags().String("database-url", "", "PostgreSQL URL (default PEDIGREE_DATABASE_URL)")
	cmd.AddCommand(cp)
	return cmd
}

func runHistoryCopy(cmd *cobra.Command, _ []string) error {
	ctx := cmd.Context()
	dataDir, _ := cmd.Flags().GetString("data-dir")
	dbURL, _ := cmd.Flags().GetString("database-url")
	if dbURL == "" {
		dbURL = os.Getenv("PEDIGREE_DATABASE_URL")
	}
	if dbURL == "" {
		return usageError(errors.New("--database-url: name the PostgreSQL database to copy into"))
	}
	db := filepath.Join(dataDir, "pedigree.db")
	if _, err := os.Stat(db); err != nil {
		return usageError(fmt.Errorf("--data-dir %s: no history there: %w", dataDir, unwrapPath(err)))
	}
	from, err := store.OpenSQLite(ctx, db)
	if err != nil {
		return usageError(err)
	}
	defer from.Close()
	to, err := store.OpenPostgres(ctx, dbURL)
	if err != nil {
		return usageError(err)
	}
	defer to.Close()
	counts, err := store.Copy(ctx, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "copied %d runs, %d report files, %d tokens, %d audit entries\n",
		counts["pedigree_runs"], counts["pedigree_run_reports"], counts["pedigree_tokens"], counts["pedigree_audit"])
	return nil
}
