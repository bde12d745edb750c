package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/server"
	"github.com/pedigree-dev/pedigree/store"
)

func init() {
	addCommand(newTokenCmd)
}

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage the API and dashboard tokens of pedigree serve",
	}
	storeFlags := func(c *cobra.Command) {
		c.Flags().String("data-dir", "", "folder of the SQLite history (default ./"+defaultDataDir+")")
		c.Flags().String("database-url", "", "PostgreSQL URL (default PEDIGREE_DATABASE_URL, else SQLite)")
	}
	create := &cobra.Command{
		Use:   "create --role viewer|operator|admin [--name NAME]",
		Short: "Create a token and print it once (only its hash is stored)",
		Args:  cobra.NoArgs,
		RunE:  runTokenCreate,
	}
	create.Flags().String("role", "", "viewer (reads), operator (also starts and cancels runs) or admin (also manages tokens and deletes runs)")
	create.Flags().String("name", "", "who or what the token is for")
	storeFlags(create)
	list := &cobra.Command{Use: "list", Short: "List tokens (never their secrets)", Args: cobra.NoArgs, RunE: runTokenList}
	storeFlags(list)
	del := &cobra.Command{Use: "delete ID", Short: "Revoke a token and end its dashboard sessions", Args: cobra.ExactArgs(1), RunE: runTokenDelete}
	storeFlags(del)
	cmd.AddCommand(create, list, del)
	return cmd
}

func tokenStore(cmd *cobra.Command) (store.Store, error) {
	dataDir, _ := cmd.Flags().GetString("data-dir")
	dbURL, _ := cmd.Flags().GetString("database-url")
	if dbURL == "" {
		dbURL = os.Getenv("PEDIGREE_DATABASE_URL")
	}
	if dataDir == "" {
		dataDir = defaultDataDir
	}
	st, err := openStore(cmd.Context(), dataDir, dbURL)
	if err != nil {
		return nil, usageError(err)
	}
	return st, nil
}

func runTokenCreate(cmd *cobra.Command, _ []string) error {
	role, _ := cmd.Flags().GetString("role")
	name, _ := cmd.Flags().GetString("name")
	if store.RoleRank(role) == 0 {
		return usageError(fmt.Errorf("--role %q: want viewer, operator or admin", role))
	}
	st, err := tokenStore(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	tok := server.NewToken()
	id, err := st.CreateToken(cmd.Context(), store.Token{Name: name, Role: role, Hash: server.HashToken(tok), CreatedAt: time.Now().UTC()})
	if err != nil {
		return err
	}
	who := "cli"
	if u := os.Getenv("USER"); u != "" {
		who = "cli (" + u + ")"
	}
	if err := st.Audit(cmd.Context(), store.AuditEntry{At: time.Now().UTC(), Actor: who, Action: "token.create", Target: "token " + strconv.FormatInt(id, 10), Detail: "role " + role + ", name " + strconv.Quote(name)}); err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), tok)
	fmt.Fprintf(cmd.ErrOrStderr(), "pedigree: token %d (%s) created; it is shown this once\n", id, role)
	return nil
}

func runTokenList(cmd *cobra.Command, _ []string) error {
	st, err := tokenStore(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	ts, err := st.Tokens(cmd.Context())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tNAME\tCREATED")
	for _, t := range ts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", t.ID, t.Role, t.Name, t.CreatedAt.Format(time.RFC3339))
	}
	return tw.Flush()
}

func runTokenDelete(cmd *cobra.Command, args []string) error {
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return usageError(fmt.Errorf("token id %q: want a number (see pedigree token list)", args[0]))
	}
	st, err := tokenStore(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.DeleteToken(cmd.Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return usageError(err)
		}
		return err
	}
	return st.Audit(cmd.Context(), store.AuditEntry{At: time.Now().UTC(), Actor: "cli", Action: "token.delete", Target: "token " + args[0]})
}
