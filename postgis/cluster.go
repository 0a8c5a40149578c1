package postgis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Cluster is onemap's embedded PostgreSQL cluster: a data folder run by the
// PostgreSQL binaries installed on the machine, reachable only through a
// Unix socket inside that folder, run as an unprivileged user when onemap
// runs as root.
//
// The first onemap process on a data folder starts the cluster, and stops
// it when it stops; others on the same folder (onemap user add next to
// onemap serve) use the running cluster and never stop it. Each process
// supervises the cluster while it uses it: one that dies is started again
// (PostgreSQL's crash recovery replays what was committed), by whichever
// process gets there first.
type Cluster struct {
	dir      string // the data folder onemap was given
	pgdata   string
	sock     string
	bin      string
	cred     *syscall.Credential
	log      io.Writer
	notes    *slog.Logger
	settings map[string]string

	// users holds a shared lock on the data folder's usersFile while this
	// process uses the cluster: the process that started it waits for the
	// others before it stops it.
	users *os.File

	mu sync.Mutex // guards proc and pid
	// proc is the postmaster this process started, nil if another process
	// started the running one; pid is the running postmaster's (0: none).
	proc *postmaster
	pid  int

	cancel     context.CancelFunc // ends supervision
	supervised chan struct{}      // closed when supervision has ended
	stopOnce   sync.Once

	poolsMu sync.Mutex
	pools   map[*pgxpool.Pool]bool // pools to reset after a restart
}

// postmaster is a PostgreSQL server process this process started.
type postmaster struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when it has exited; err is then set
	err    error
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
	// Notes receives what the supervisor does (a restart, a wait); nil:
	// discarded.
	Notes *slog.Logger
	// Settings are extra postgres -c settings, used when this process
	// starts the cluster.
	Settings map[string]string
}

// Database is the name of onemap's database in the embedded cluster.
const Database = "onemap"

// superuser is the cluster's bootstrap role.
const superuser = "onemap"

// The data folder's lock files: startFile serialises starting and
// stopping the cluster (and creating it), so that two processes starting
// at once run one cluster; every process using the cluster holds a shared
// lock on usersFile.
const (
	startFile = "cluster.lock"
	usersFile = "cluster.users"
)

// StartCluster initialises the cluster on first use and starts it, or
// uses the one another onemap process runs on the same data folder. It
// returns when PostgreSQL accepts connections, and supervises the cluster
// until Stop.
func StartCluster(ctx context.Context, o ClusterOptions) (*Cluster, error) {
	bin, err := findBinDir(o.BinDir)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, pgdata: filepath.Join(dir, "pg"), sock: filepath.Join(dir, "run"), bin: bin,
		log: o.Log, notes: o.Notes, settings: o.Settings, pools: map[*pgxpool.Pool]bool{}}
	if c.log == nil {
		c.log = io.Discard
	}
	if c.notes == nil {
		c.notes = slog.New(slog.DiscardHandler)
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
	if err := c.startOrJoin(ctx); err != nil {
		if c.users != nil {
			c.users.Close()
		}
		return nil, err
	}
	if p, pid := c.running(); p == nil {
		c.notes.Info("using the embedded database that another onemap process runs", "pid", pid)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.cancel, c.supervised = cancel, make(chan struct{})
	go c.supervise(sctx)
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

// startOrJoin starts the cluster, or joins the one running on the data
// folder, under the data folder's start lock.
func (c *Cluster) startOrJoin(ctx context.Context) error {
	lock, err := lockFile(ctx, filepath.Join(c.dir, startFile), syscall.LOCK_EX)
	if err != nil {
		return err
	}
	defer lock.Close()
	if c.users == nil {
		// Nobody stops the cluster while this process holds the start
		// lock, so taking the users lock now cannot wait.
		if c.users, err = lockFile(ctx, filepath.Join(c.dir, usersFile), syscall.LOCK_SH); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(c.pgdata, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		pid := c.runningPID()
		if pid == 0 {
			return c.start(ctx)
		}
		if c.ready(ctx) {
			c.set(nil, pid)
			return nil
		}
		// Another process's postmaster is starting (crash recovery can
		// take a while) or stopping.
		if time.Now().After(deadline) {
			return fmt.Errorf("a PostgreSQL server (pid %d) runs on %s but does not accept connections", pid, c.pgdata)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// runningPID returns the pid of the postmaster that postmaster.pid names,
// if that process is alive; 0 otherwise.
func (c *Cluster) runningPID() int {
	b, err := os.ReadFile(filepath.Join(c.pgdata, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 || !alive(pid) {
		return 0
	}
	return pid
}

// alive reports whether process pid exists (it may belong to another
// user: then it cannot be signalled, but it is there).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// start starts a postmaster of this process's own and waits until it
// accepts connections.
func (c *Cluster) start(ctx context.Context) error {
	args := []string{"-D", c.pgdata, "-k", c.sock, "-c", "listen_addresses=", "-c", "unix_socket_permissions=0700",
		"-c", "max_connections=200", "-c", "shared_buffers=512MB", "-c", "fsync=on", "-c", "logging_collector=off"}
	for k, v := range c.settings {
		args = append(args, "-c", k+"="+v)
	}
	// The server outlives no onemap: it is not bound to ctx, but to Stop and
	// to onemap's own death (Pdeathsig).
	p := &postmaster{cmd: c.command(context.WithoutCancel(ctx), "postgres", args...), exited: make(chan struct{})}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	c.set(p, p.cmd.Process.Pid)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c.ready(ctx) {
			return nil
		}
		select {
		case <-p.exited:
			c.set(nil, 0)
			return fmt.Errorf("postgres exited at start (%v); see its log", p.err)
		case <-ctx.Done():
			c.halt()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.halt()
			return errors.New("postgres did not accept connections within 60 s")
		}
	}
}

// supervise watches the cluster until ctx ends, and starts it again (or
// joins the one another process started) whenever it goes away.
func (c *Cluster) supervise(ctx context.Context) {
	defer close(c.supervised)
	for c.watch(ctx) {
		down := time.Now()
		for pause := 100 * time.Millisecond; ; pause = min(2*pause, 5*time.Second) {
			err := c.startOrJoin(ctx)
			if ctx.Err() != nil {
				return
			}
			if err == nil {
				break
			}
			c.notes.Warn("the embedded database did not start; trying again", "err", err, "in", pause)
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
		}
		p, pid := c.running()
		c.notes.Info("the embedded database is back", "after", time.Since(down).Round(time.Millisecond), "pid", pid,
			"started_here", p != nil)
		// The pools' connections were to the server that went away.
		c.poolsMu.Lock()
		for p := range c.pools {
			p.Reset()
		}
		c.poolsMu.Unlock()
	}
}

// watch waits until the running postmaster goes away (true) or ctx ends
// (false).
func (c *Cluster) watch(ctx context.Context) bool {
	p, pid := c.running()
	if p != nil {
		select {
		case <-ctx.Done():
			return false
		case <-p.exited:
		}
		c.set(nil, 0)
		if !p.cmd.ProcessState.Exited() {
			// A killed postmaster leaves its children running for a
			// moment, holding its shared memory, so that no new one could
			// start: end them (they are in its process group).
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		}
		c.notes.Warn("the embedded database stopped; starting it again", "err", p.err)
		return true
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
		if !alive(pid) {
			c.notes.Warn("the embedded database of another onemap process stopped; starting it again", "pid", pid)
			return true
		}
	}
}

// running returns the postmaster this process started (nil: another
// process started the running one) and the running postmaster's pid.
func (c *Cluster) running() (*postmaster, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proc, c.pid
}

func (c *Cluster) set(p *postmaster, pid int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.proc, c.pid = p, pid
}

// track makes a restart of the cluster reset pool p; untrack undoes it.
func (c *Cluster) track(p *pgxpool.Pool) {
	c.poolsMu.Lock()
	defer c.poolsMu.Unlock()
	c.pools[p] = true
}

func (c *Cluster) untrack(p *pgxpool.Pool) {
	c.poolsMu.Lock()
	defer c.poolsMu.Unlock()
	delete(c.pools, p)
}

// Stop ends supervision. If this process started the running cluster, it
// waits (up to 30 s) for the other onemap processes that use it to finish,
// then shuts PostgreSQL down (fast shutdown: open transactions roll back,
// committed ones are on disk) and waits for it. A cluster another process
// started keeps running.
func (c *Cluster) Stop() {
	c.stopOnce.Do(func() {
		c.cancel()
		<-c.supervised
		defer c.users.Close()
		if p, _ := c.running(); p == nil {
			return
		}
		// Nobody joins a cluster while it stops.
		if lock, err := lockFile(context.Background(), filepath.Join(c.dir, startFile), syscall.LOCK_EX); err == nil {
			defer lock.Close()
		}
		c.awaitUsers(30 * time.Second)
		c.notes.Info("stopping the embedded database")
		c.halt()
	})
}

// awaitUsers waits until no other process holds the users lock, or for
// at most d.
func (c *Cluster) awaitUsers(d time.Duration) {
	deadline := time.Now().Add(d)
	for i := 0; ; i++ {
		// Turning the shared lock into an exclusive one succeeds once the
		// others have let go of theirs.
		err := syscall.Flock(int(c.users.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil || !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return
		}
		if time.Now().After(deadline) {
			c.notes.Warn("other onemap processes still use the embedded database; stopping it anyway")
			return
		}
		if i == 0 {
			c.notes.Info("waiting for the other onemap processes that use the embedded database")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// halt stops the postmaster this process started, if any, and waits for
// it.
func (c *Cluster) halt() {
	p, _ := c.running()
	if p == nil {
		return
	}
	c.set(nil, 0)
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exited:
	case <-time.After(60 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// lockFile takes a flock lock (how: LOCK_EX or LOCK_SH) on the file at
// path, creating it, waiting for it as long as ctx lets. Closing the file
// releases the lock.
func lockFile(ctx context.Context, path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
