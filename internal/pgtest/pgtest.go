// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb in
// a temporary folder, pg_ctl start on a free loopback port, and stop and
// removal when the tests end. A machine without the PostgreSQL server
// binaries on PATH skips the tests that need it, saying so.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// SkipMessage starts every skip this package causes, so that the CI script
// can count them.
const SkipMessage = "pgtest: PostgreSQL not available"

// Cluster is a running throwaway cluster.
type Cluster struct {
	dir  string
	port int
	cred *syscall.Credential
	mu   sync.Mutex
	n    int
}

var (
	once    sync.Once
	shared  *Cluster
	initErr error
)

// Shared returns the package's cluster, starting it on first use; call Stop
// from TestMain. It skips t when PostgreSQL cannot run here.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	once.Do(func() { shared, initErr = Start() })
	if initErr != nil {
		Skip(t, initErr)
	}
	return shared
}

// Skip skips t for want of PostgreSQL, and records the skip in the file
// PEDIGREE_SKIPLOG names (scripts/test.sh reports the count).
func Skip(t testing.TB, why error) {
	t.Helper()
	msg := fmt.Sprintf("%s: %v", SkipMessage, why)
	if p := os.Getenv("PEDIGREE_SKIPLOG"); p != "" {
		if f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s: %s\n", t.Name(), msg)
			f.Close()
		}
	}
	t.Skip(msg)
}

// Stop stops the shared cluster, if one was started.
func Stop() {
	if shared != nil {
		shared.Stop()
	}
}

// Start runs initdb and pg_ctl start. As root it runs them as the postgres
// user (or nobody), since PostgreSQL refuses to run as root.
func Start() (*Cluster, error) {
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := exec.LookPath(b); err != nil {
			return nil, fmt.Errorf("%s not on PATH (install PostgreSQL 15 server binaries to run these tests)", b)
		}
	}
	dir, err := os.MkdirTemp("", "pedigree-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	if os.Geteuid() == 0 {
		cred, err := unprivileged()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.cred = cred
		if err := os.Chmod(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c.port = port
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return c, nil
}

func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("running as root and no postgres or nobody user to run PostgreSQL as")
}

func (c *Cluster) run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL is the connection URL of database db.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// NewDatabase creates an empty database for one test and returns its URL.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	c.mu.Lock()
	c.n++
	name := fmt.Sprintf("t%d_%d", os.Getpid(), c.n)
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatalf("connect to test cluster: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return c.URL(name)
}

// Stop stops the cluster and removes its folder.
func (c *Cluster) Stop() {
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}
