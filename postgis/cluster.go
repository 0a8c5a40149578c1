package postgis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Cluster is onemap's embedded PostgreSQL cluster: a data folder run by the
// PostgreSQL binaries installed on the machine, reachable only through a
// Unix socket inside that folder, run as an unprivileged user when onemap
// runs as root, and stopped with onemap.
type Cluster struct {
	dir    string // the data folder onemap was given
	pgdata string
	sock   string
	bin    string
	cred   *syscall.Credential
	cmd    *exec.Cmd
	done   chan error
	log    io.Writer
}

// ClusterOptions configure StartCluster.
type ClusterOptions struct {
	// Dir is the data folder; the cluster lives in Dir/pg.
	Dir string
	// BinDir holds initdb and postgres; empty: found on the machine.
	BinDir string
	// User runs PostgreSQL when onemap runs as root; empty: "postgres".
	User string
	// Log receives PostgreSQL's output; nil: discarded.
	Log io.Writer
	// Settings are extra postgres -c settings.
	Settings map[string]string
}

// Database is the name of onemap's database in the embedded cluster.
const Database = "onemap"

// superuser is the cluster's bootstrap role.
const superuser = "onemap"

// StartCluster initialises the cluster on first use and starts it. It
// returns when PostgreSQL accepts connections.
func StartCluster(ctx context.Context, o ClusterOptions) (*Cluster, error) {
	bin, err := findBinDir(o.BinDir)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, pgdata: filepath.Join(dir, "pg"), sock: filepath.Join(dir, "run"), bin: bin, log: o.Log}
	if c.log == nil {
		c.log = io.Discard
	}
	if len(c.sock)+len("/.s.PGSQL.5432") > 107 {
		return nil, fmt.Errorf("data folder %s: path too long for a Unix socket", dir)
	}
	if os.Geteuid() == 0 {
		name := o.User
		if name == "" {
			name = "postgres"
		}
		cred, err := credentialOf(name)
		if err != nil {
			return nil, err
		}
		c.cred = cred
	}
	if err := c.prepareDirs(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.pgdata, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if err := c.start(ctx, o.Settings); err != nil {
		return nil, err
	}
	return c, nil
}

// URL returns the connection string of database db in the cluster, as
// its superuser.
func (c *Cluster) URL(db string) string {
	return c.URLAs(superuser, db)
}

// URLAs returns the connection string of database db as role user (the
// cluster trusts its private socket).
func (c *Cluster) URLAs(user, db string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s", user, db, c.sock)
}

func findBinDir(dir string) (string, error) {
	cands := []string{dir}
	if dir == "" {
		cands = nil
		if p, err := exec.LookPath("pg_config"); err == nil {
			if out, err := exec.Command(p, "--bindir").Output(); err == nil {
				cands = append(cands, strings.TrimSpace(string(out)))
			}
		}
		matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		for i := len(matches) - 1; i >= 0; i-- { // newest version first
			cands = append(cands, matches[i])
		}
	}
	for _, d := range cands {
		if st, err := os.Stat(filepath.Join(d, "postgres")); err == nil && !st.IsDir() {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	return "", errors.New("no PostgreSQL server binaries found (install postgresql-15-postgis-3, or set --pg-bin)")
}

func credentialOf(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) prepareDirs() error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	for _, d := range []string{c.pgdata, c.sock} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return err
		}
		if c.cred != nil {
			if err := os.Chown(d, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
				return err
			}
		}
	}
	if c.cred != nil {
		// The unprivileged user must be able to reach its folders.
		for d := c.dir; d != "/" && d != "."; d = filepath.Dir(d) {
			st, err := os.Stat(d)
			if err != nil {
				return err
			}
			if st.Mode().Perm()&0o001 == 0 {
				return fmt.Errorf("data folder %s: %s is not searchable by user %d; choose a data folder outside it", c.dir, d, c.cred.Uid)
			}
		}
	}
	return nil
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Stdout, cmd.Stderr = c.log, c.log
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Setpgid: true, Pdeathsig: syscall.SIGINT}
	return cmd
}

func (c *Cluster) initdb(ctx context.Context) error {
	cmd := c.command(ctx, "initdb", "-D", c.pgdata, "-U", superuser, "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb in %s: %w", c.pgdata, err)
	}
	return nil
}

func (c *Cluster) start(ctx context.Context, settings map[string]string) error {
	pid := filepath.Join(c.pgdata, "postmaster.pid")
	if b, err := os.ReadFile(pid); err == nil {
		// A postmaster left behind by a killed onemap: stop it first.
		if n, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); err == nil {
			if p, err := os.FindProcess(n); err == nil && p.Signal(syscall.Signal(0)) == nil {
				_ = p.Signal(syscall.SIGINT)
				for i := 0; i < 100 && p.Signal(syscall.Signal(0)) == nil; i++ {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}
	}
	args := []string{"-D", c.pgdata, "-k", c.sock, "-c", "listen_addresses=", "-c", "unix_socket_permissions=0700",
		"-c", "max_connections=200", "-c", "shared_buffers=512MB", "-c", "fsync=on", "-c", "logging_collector=off"}
	for k, v := range settings {
		args = append(args, "-c", k+"="+v)
	}
	// The server outlives no onemap: it is not bound to ctx, but to Stop and
	// to onemap's own death (Pdeathsig).
	c.cmd = c.command(context.WithoutCancel(ctx), "postgres", args...)
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.done = make(chan error, 1)
	go func() { c.done <- c.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c.ready(ctx) {
			return nil
		}
		select {
		case err := <-c.done:
			return fmt.Errorf("postgres exited at start (%v); see its log", err)
		case <-ctx.Done():
			c.Stop()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.Stop()
			return errors.New("postgres did not accept connections within 60 s")
		}
	}
}

// Stop shuts PostgreSQL down (fast shutdown: open transactions roll back,
// committed ones are on disk) and waits for it.
func (c *Cluster) Stop() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(60 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
	c.cmd = nil
}
