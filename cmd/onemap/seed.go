package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis"
)

type seedOptions struct {
	scale   int
	ifEmpty bool
	year    int
}

func (s *seedOptions) flags(fs *flag.FlagSet) {
	fs.IntVar(&s.scale, "scale", 0, "add this many synthetic land-use polygons (and parcels) for benchmarks instead of the demo data")
	fs.BoolVar(&s.ifEmpty, "if-empty", false, "load the demo data only into an empty database; succeed quietly otherwise")
	fs.IntVar(&s.year, "year", time.Now().Year(), "the current year of the demo data")
}

// Seed loads the Luohe demo data, or with --scale synthetic land use.
func (m *Main) Seed(ctx context.Context, s seedOptions, out io.Writer) error {
	start := time.Now()
	if s.scale < 0 {
		return errors.New("--scale must be ≥ 0")
	}
	if s.scale > 0 {
		systems, classes := demo.Classes()
		rep, err := m.db.LoadStream(ctx, postgis.StreamLoad{
			Systems: systems, Classes: classes,
			Landuse: demo.ScaleLanduse(s.scale, 1), Parcels: demo.ScaleParcels(s.scale, 1),
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "seeded %d synthetic land-use polygons and %d parcels in %s (generalised land use: %d cells in %s)\n",
			rep.Rows("landuse"), rep.Rows("parcels"), rep.Elapsed.Round(time.Millisecond), rep.Cells, rep.Generalise.Round(time.Millisecond))
		return nil
	}
	// Monthly progress up to this month in the current year; a whole year
	// otherwise.
	ds := demo.Generate(s.year)
	if now := time.Now(); s.year == now.Year() {
		ds = demo.GenerateAsOf(s.year, now.Month())
	}
	acc, err := newAccess(m.db, geo.NewRegistry())
	if err != nil {
		return err
	}
	err = m.db.LoadDataset(ctx, ds)
	if s.ifEmpty && geo.KindOf(err) == geo.KindConflict {
		fmt.Fprintln(out, "demo data already loaded")
		return nil
	}
	if err != nil {
		return err
	}
	if err := seedAccounts(ctx, acc, m.db); err != nil {
		return err
	}
	// onemap serve lists the demo accounts with their passwords when it
	// starts; make run seeds and then serves, so a list here too would
	// print them twice.
	fmt.Fprintf(out, "seeded the Luohe demo data and its demo accounts in %s; onemap serve lists them\n",
		time.Since(start).Round(time.Millisecond))
	return nil
}
