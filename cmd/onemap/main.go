// Command onemap is the key-project and investment map server of Luohe
// (漯河市一张图): one binary over PostgreSQL + PostGIS serving vector tiles
// and a web map.
//
//	onemap serve    start the server (default: with its embedded database)
//	onemap migrate  apply the database migrations
//	onemap seed     load the Luohe demo data, or synthetic data for benchmarks
//	onemap user     manage accounts (add, list, disable, enable, passwd)
//	onemap import   replace a land layer by a file (Shapefile, GeoPackage, GeoJSON, FileGDB)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// Tiles are built from short-lived garbage; collecting less often
	// buys throughput with memory the server has (GOGC overrides this).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "onemap:", err)
		os.Exit(1)
	}
}

const usage = `onemap — 漯河市重点项目与招商一张图 (key-project and investment map server)

Usage:
  onemap serve   [flags]   start the HTTP server
  onemap migrate [flags]   apply the database migrations
  onemap seed    [flags]   load the Luohe demo data (--scale N: N synthetic land-use polygons)
  onemap user    add|list|disable|enable|passwd   manage accounts
  onemap import  --layer landuse --file plan.zip [--srs EPSG:4547] [--encoding GBK] --map code=DLBM,name=DLMC
                           replace a land layer (landuse, basic_farmland, eco_redline,
                           urban_boundary, control_zones) by a file

Run "onemap COMMAND -h" for the flags of a command. Every flag can also be
set by an environment variable, named in the flag's help.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("onemap "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	switch args[0] {
	case "serve":
		cfg.dbFlags(fs)
		cfg.serveFlags(fs)
		if err := cfg.parse(fs, args[1:]); err != nil {
			return err
		}
		m := NewMain(cfg, stderr)
		defer m.Close()
		return m.Serve(ctx, nil)
	case "migrate":
		cfg.dbFlags(fs)
		if err := cfg.parse(fs, args[1:]); err != nil {
			return err
		}
		m := NewMain(cfg, stderr)
		defer m.Close()
		return m.Open(ctx)
	case "seed":
		var s seedOptions
		s.flags(fs)
		return withDB(ctx, &cfg, fs, args[1:], stderr, func(m *Main) error { return m.Seed(ctx, s, stdout) })
	case "user":
		return userCommand(ctx, args[1:], os.Stdin, stdout, stderr)
	case "import":
		var o importOptions
		o.flags(fs)
		return withDB(ctx, &cfg, fs, args[1:], stderr, func(m *Main) error { return m.Import(ctx, o, stdout) })
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// withDB parses the flags of a command that works on the database (its
// own, already on fs, and the database's), opens the database and runs fn.
func withDB(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stderr io.Writer, fn func(*Main) error) error {
	cfg.dbFlags(fs)
	if err := cfg.parse(fs, args); err != nil {
		return err
	}
	m := NewMain(*cfg, stderr)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	return fn(m)
}
