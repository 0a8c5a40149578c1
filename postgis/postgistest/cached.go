package postgistest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/migrations"
	"github.com/luohe/onemap/postgis"
)

// A kind of cached cluster: what it holds, and the source folders (from
// the module's root) whose files make its content.
type kind struct {
	name    string
	sources []string
	parent  *kind // the kind it is built on; nil: a new cluster
	fill    func(context.Context, *postgis.Cluster) error
}

var (
	migratedKind = kind{name: "migrated", sources: []string{"migrations", "postgis"}, fill: migrate}
	demoKind     = kind{name: "demo", sources: []string{"migrations", "postgis", "demo"}, parent: &migratedKind, fill: loadDemo}
)

// demoYear is the year of the demo data in the Demo template.
const demoYear = 2026

// cacheDir holds the cached clusters, each in a folder named after its
// kind and content, next to a lock file of the same name: taken shared
// to copy the cluster, exclusively to build or remove it.
var cacheDir = filepath.Join(os.TempDir(), "onemap-test-clusters")

// unused is how long a cached cluster nobody copied is kept once another
// of its kind has been built.
const unused = 24 * time.Hour

// copyCached copies the data of the cached cluster of kind k into dir
// (as dir/pg), building the cluster first if it is not there.
func copyCached(ctx context.Context, k kind, dir string) error {
	entry, err := ensure(ctx, k)
	if err != nil {
		return err
	}
	lock, err := lockFile(entry+".lock", syscall.LOCK_SH)
	if err != nil {
		return err
	}
	defer lock.Close()
	return copyData(filepath.Join(entry, "pg"), filepath.Join(dir, "pg"))
}

// ensure returns the folder of the cached cluster of kind k, which it
// builds if there is none for the content of k's sources. Two processes
// asking at once build it once: the second waits for the first.
func ensure(ctx context.Context, k kind) (string, error) {
	key, err := contentKey(k)
	if err != nil {
		return "", err
	}
	entry := filepath.Join(cacheDir, k.name+"-"+key)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	lock, err := lockFile(entry+".lock", syscall.LOCK_EX)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	_, err = os.Stat(entry)
	if errors.Is(err, os.ErrNotExist) {
		if err := build(ctx, k, entry); err != nil {
			return "", fmt.Errorf("build the %s test cluster: %w", k.name, err)
		}
		prune(k, entry)
	} else if err != nil {
		return "", err
	}
	// In use: not to be pruned.
	now := time.Now()
	return entry, os.Chtimes(entry, now, now)
}

// build builds the cluster of kind k into the folder entry: on a copy of
// its parent kind's cluster, or a new one, filled by k.fill and stopped.
// The folder appears only once the cluster is complete.
func build(ctx context.Context, k kind, entry string) error {
	dir, err := tempDir(cacheDir, "build-")
	defer os.RemoveAll(dir)
	if err != nil {
		return err
	}
	if k.parent != nil {
		if err := copyCached(ctx, *k.parent, dir); err != nil {
			return err
		}
	}
	c, err := startCluster(ctx, dir)
	if err != nil {
		return err
	}
	err = k.fill(ctx, c)
	c.Stop()
	if err != nil {
		return err
	}
	keep := entry + ".new"
	if err := os.RemoveAll(keep); err != nil {
		return err
	}
	if err := os.Mkdir(keep, 0o755); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(dir, "pg"), filepath.Join(keep, "pg")); err != nil {
		return err
	}
	return os.Rename(keep, entry)
}

// migrate creates the Migrated template.
func migrate(ctx context.Context, c *postgis.Cluster) error {
	if err := postgis.CreateDatabase(ctx, c.URL("postgres"), Migrated, ""); err != nil {
		return err
	}
	db, err := postgis.Open(ctx, c.URL(Migrated), postgis.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx, migrations.FS())
	return err
}

// loadDemo creates the Demo template from the Migrated one.
func loadDemo(ctx context.Context, c *postgis.Cluster) error {
	if err := postgis.CreateDatabase(ctx, c.URL("postgres"), Demo, Migrated); err != nil {
		return err
	}
	db, err := postgis.Open(ctx, c.URL(Demo), postgis.Options{MaxConns: 4})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.LoadDataset(ctx, demo.Generate(demoYear))
}

// contentKey hashes the files of k's source folders (test files aside)
// and the demo's year: a cluster built from other files has another key.
func contentKey(k kind) (string, error) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("postgistest: no source path to find the module's files")
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(self)))
	h := sha256.New()
	fmt.Fprintf(h, "demo year %d\n", demoYear)
	for _, src := range k.sources {
		err := filepath.WalkDir(filepath.Join(root, src), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			fmt.Fprintf(h, "%s\n", strings.TrimPrefix(path, root))
			_, err = io.Copy(h, f)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("postgistest: the sources of the %s test cluster: %w", k.name, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

// copyData copies a stopped cluster's data folder, owners and modes kept.
func copyData(from, to string) error {
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		return fmt.Errorf("copy %s: %w: %s", from, err, out)
	}
	return nil
}

// prune removes the cached clusters of k's kind but keep that nobody has
// used for a while, and nobody copies now. Their lock files stay: a
// process may be waiting on one.
func prune(k kind, keep string) {
	old, _ := filepath.Glob(filepath.Join(cacheDir, k.name+"-*.lock"))
	for _, l := range old {
		entry := strings.TrimSuffix(l, ".lock")
		st, err := os.Stat(entry)
		if entry == keep || err != nil || time.Since(st.ModTime()) < unused {
			continue
		}
		f, err := os.Open(l)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			_ = os.RemoveAll(entry)
		}
		f.Close()
	}
}

// lockFile takes a flock lock (how: LOCK_EX or LOCK_SH) on the file at
// path, creating it, and waits for it; closing the file releases it.
func lockFile(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
	}
}
