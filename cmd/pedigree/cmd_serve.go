package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/jobs"
	"github.com/pedigree-dev/pedigree/server"
	"github.com/pedigree-dev/pedigree/store"
)

const (
	defaultDataDir = "pedigree-data"
	defaultListen  = "127.0.0.1:8080"
)

func init() {
	addCommand(newServeCmd)
}

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run scheduled assessments and serve their history, API and dashboard",
		Long: `Run each system's assessment on its cron schedule and on demand, keep every
run's results and reports, and serve the JSON API (/api, described at
/api/openapi.json) and the dashboard.

--config names a server.yaml (systems: name, config, schedule; server:
listen, data-dir, database-url, retention, tls-cert, tls-key) or a plain
pedigree.yaml, served as one system assessed daily.

By default the history is an SQLite database under --data-dir. With
--database-url (or PEDIGREE_DATABASE_URL) many processes share one
PostgreSQL database; --worker-only runs assessments without serving HTTP.`,
		Args: cobra.NoArgs,
		RunE: runServe,
	}
	f := cmd.Flags()
	f.StringP("config", "c", "", "server.yaml or pedigree.yaml (default ./pedigree.yaml)")
	f.String("data-dir", "", "folder of the SQLite history (default ./"+defaultDataDir+")")
	f.String("database-url", "", "PostgreSQL URL (postgres://...); default: SQLite under --data-dir")
	f.String("listen", "", "address to serve on (default "+defaultListen+")")
	f.Bool("worker-only", false, "run assessments only; serve no HTTP")
	f.String("tls-cert", "", "TLS certificate (PEM)")
	f.String("tls-key", "", "TLS private key (PEM)")
	f.Int("concurrency", 0, "runs worked at once by this process (default 2)")
	f.String("schedule", config.DefaultSchedule, "schedule of a plain pedigree.yaml (cron, @daily, @every 6h)")
	f.Duration("job-timeout", 0, "cancel a run that takes longer (default 1h)")
	f.Duration("rescue-after", 0, "take over a run whose worker stopped answering after this long (default job-timeout + 1m)")
	f.Duration("retry-delay", 0, "delay before the first retry of a failed run; then ×attempt⁴ (default 1s)")
	for _, h := range []string{"rescue-after", "retry-delay"} {
		f.MarkHidden(h)
	}
	return cmd
}

// serveSettings is the server section with flags over it.
type serveSettings struct {
	srv         *config.Server
	dataDir     string
	dbURL       string
	listen      string
	tlsCert     string
	tlsKey      string
	workerOnly  bool
	concurrency int
	jobTimeout  time.Duration
	rescueAfter time.Duration
	retryDelay  time.Duration
}

func loadServeSettings(cmd *cobra.Command) (*serveSettings, error) {
	f := cmd.Flags()
	path, _ := f.GetString("config")
	if path == "" {
		path = defaultConfigFile
	}
	srv, err := config.LoadServer(path)
	if err != nil {
		return nil, usageError(err)
	}
	if srv.Plain && f.Changed("schedule") {
		srv.Systems[0].Schedule, _ = f.GetString("schedule")
	}
	s := &serveSettings{srv: srv, dataDir: srv.Server.DataDir, dbURL: srv.Server.DatabaseURL, listen: srv.Server.Listen,
		tlsCert: srv.Server.TLSCert, tlsKey: srv.Server.TLSKey, concurrency: srv.Server.Concurrency}
	if srv.Server.JobTimeout != "" {
		s.jobTimeout, _ = time.ParseDuration(srv.Server.JobTimeout)
	}
	str := func(flag string, dst *string) {
		if f.Changed(flag) {
			*dst, _ = f.GetString(flag)
		}
	}
	str("data-dir", &s.dataDir)
	str("database-url", &s.dbURL)
	str("listen", &s.listen)
	str("tls-cert", &s.tlsCert)
	str("tls-key", &s.tlsKey)
	if s.dbURL == "" {
		s.dbURL = os.Getenv("PEDIGREE_DATABASE_URL")
	}
	if s.dataDir == "" {
		s.dataDir = defaultDataDir
	}
	if s.listen == "" {
		s.listen = defaultListen
	}
	s.workerOnly, _ = f.GetBool("worker-only")
	if f.Changed("concurrency") {
		s.concurrency, _ = f.GetInt("concurrency")
	}
	if f.Changed("job-timeout") {
		s.jobTimeout, _ = f.GetDuration("job-timeout")
	}
	s.rescueAfter, _ = f.GetDuration("rescue-after")
	s.retryDelay, _ = f.GetDuration("retry-delay")
	if (s.tlsCert == "") != (s.tlsKey == "") {
		return nil, usageError(errors.New("--tls-cert and --tls-key go together"))
	}
	if s.concurrency < 0 {
		return nil, usageError(fmt.Errorf("--concurrency %d: must be positive", s.concurrency))
	}
	return s, nil
}

// openStore opens the history: PostgreSQL when a URL is given, else
// SQLite under dataDir.
func openStore(ctx context.Context, dataDir, dbURL string) (store.Store, error) {
	if dbURL != "" {
		return store.OpenPostgres(ctx, dbURL)
	}
	return store.OpenSQLite(ctx, filepath.Join(dataDir, "pedigree.db"))
}

func runServe(cmd *cobra.Command, _ []string) error {
	ctx := cmd.Context()
	quiet, _ := cmd.Flags().GetBool("quiet")
	logFormat, _ := cmd.Flags().GetString("log-format")
	log, err := newLogger(logFormat, quiet)
	if err != nil {
		return usageError(err)
	}
	s, err := loadServeSettings(cmd)
	if err != nil {
		return err
	}
	var cert tls.Certificate
	if s.tlsCert != "" {
		if cert, err = tls.LoadX509KeyPair(s.tlsCert, s.tlsKey); err != nil {
			return usageError(fmt.Errorf("--tls-cert %s / --tls-key %s: %w", s.tlsCert, s.tlsKey, err))
		}
	}
	var systems []jobs.System
	var recorded []store.System
	configs := map[string]string{}
	for _, sys := range s.srv.Systems {
		broken := checkSystem(sys)
		if broken != "" {
			log.Error("system is broken; the others keep running", "system", sys.Name, "err", broken)
		}
		systems = append(systems, jobs.System{Name: sys.Name, Config: sys.Config, Schedule: sys.Schedule, Broken: broken})
		recorded = append(recorded, store.System{Name: sys.Name, Config: sys.Config, Schedule: sys.Schedule, Broken: broken})
		configs[sys.Name] = sys.Config
	}
	// One server works a SQLite history: a second would fight the first
	// for its jobs, and the first could not tell a dead predecessor's
	// runs from a live neighbour's. PostgreSQL is shared by design.
	if s.dbURL == "" {
		lock, err := store.LockHistory(s.dataDir)
		if err != nil {
			return usageError(err)
		}
		defer lock.Release()
	}
	st, err := openStore(ctx, s.dataDir, s.dbURL)
	if err != nil {
		return usageError(err)
	}
	defer st.Close()
	if err := st.SetSystems(ctx, recorded); err != nil {
		return fmt.Errorf("record systems: %w", err)
	}
	q, err := jobs.New(ctx, st, jobs.Options{
		Systems: systems, Assess: serveAssess, Work: true, Concurrency: s.concurrency, MaxAttempts: s.srv.Server.MaxAttempts,
		JobTimeout: s.jobTimeout, RescueAfter: s.rescueAfter, RetryDelay: s.retryDelay, Exclusive: s.dbURL == "",
		Retention: store.Retention{KeepRuns: s.srv.Server.Retention.KeepRuns, KeepDays: s.srv.Server.Retention.KeepDays},
		TempDir:   filepath.Join(os.TempDir(), "pedigree-serve"),
		Logger:    log,
	})
	if err != nil {
		return err
	}
	if err := q.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	log.Info("workers started", "worker", q.ID(), "database", st.Dialect(), "systems", len(systems))
	stopQueue := func() {
		c, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := q.Stop(c); err != nil {
			log.Warn("stop workers", "err", err)
		}
	}
	if s.workerOnly {
		<-ctx.Done()
		stopQueue()
		return nil
	}
	h := server.New(server.Options{Store: st, Queue: q, Render: serveRender(configs), Formats: writerFormats(), TLS: s.tlsCert != "", Logger: log})
	ln, err := net.Listen("tcp", s.listen)
	if err != nil {
		stopQueue()
		return usageError(fmt.Errorf("--listen %s: %w", s.listen, err))
	}
	if s.tlsCert == "" && !loopback(ln.Addr()) {
		log.Warn("listening beyond loopback without TLS: tokens and session cookies cross the network in clear; use --tls-cert and --tls-key or a TLS proxy", "addr", ln.Addr().String())
	}
	hs := &http.Server{
		Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 5 * time.Minute,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if s.tlsCert != "" {
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
		scheme = "https"
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "pedigree: serving %s://%s (history: %s)\n", scheme, ln.Addr(), st.Dialect())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		stopQueue()
		return fmt.Errorf("serve: %w", err)
	}
	c, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	hs.Shutdown(c)
	stopQueue()
	return nil
}

func loopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}
