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
	scale    int
	projects int
	parcels  int
	seed     uint64
	ifEmpty  bool
	year     int
}

func (s *seedOptions) flags(fs *flag.FlagSet) {
	fs.IntVar(&s.scale, "scale", 0, "add this many synthetic land-use polygons (and parcels) for benchmarks instead of the demo data")
	fs.IntVar(&s.projects, "projects", 0, "add this many synthetic key projects with their monthly reports to the districts loaded (benchmarks)")
	fs.IntVar(&s.parcels, "parcels", 0, "add this many synthetic parcels, a third in the parks loaded, for the site search's benchmark")
	fs.Uint64Var(&s.seed, "seed", 1, "random seed of the synthetic data of --scale and --projects")
	fs.BoolVar(&s.ifEmpty, "if-empty", false, "load the demo data only into an empty database; succeed quietly otherwise")
	fs.IntVar(&s.year, "year", time.Now().Year(), "the current year of the demo data")
}

// Seed loads the Luohe demo data, or with --scale synthetic land use, or
// with --projects synthetic key projects.
func (m *Main) Seed(ctx context.Context, s seedOptions, out io.Writer) error {
	start := time.Now()
	if s.scale < 0 || s.projects < 0 || s.parcels < 0 {
		return errors.New("--scale, --projects and --parcels must be ≥ 0")
	}
	if s.projects > 0 {
		return m.seedProjects(ctx, s, out)
	}
	if s.parcels > 0 {
		return m.seedParcels(ctx, s, out)
	}
	if s.scale > 0 {
		systems, classes := demo.Classes()
		rep, err := m.db.LoadStream(ctx, postgis.StreamLoad{
			Systems: systems, Classes: classes,
			Landuse: demo.ScaleLanduse(s.scale, s.seed), Parcels: demo.ScaleParcels(s.scale, s.seed),
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

// seedProjects adds s.projects synthetic key projects over the districts
// in the database, with twelve months of reports up to this month (or up
// to December of an earlier --year).
func (m *Main) seedProjects(ctx context.Context, s seedOptions, out io.Writer) error {
	ds, err := m.db.DistrictShapes(ctx)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		return errors.New("seed --projects puts projects in the districts loaded, and there are none: run onemap seed first")
	}
	codes, err := m.db.ProjectCodes(ctx)
	if err != nil {
		return err
	}
	through := time.December
	if now := time.Now().In(geo.CityZone()); s.year == now.Year() {
		through = now.Month()
	}
	ps, err := demo.ScaleProjects(demo.ProjectScale{N: s.projects, Seed: s.seed, Year: s.year, Through: through,
		Districts: ds, CodeUsed: func(c string) bool { return codes[c] }})
	if err != nil {
		return err
	}
	systems, classes := demo.Classes()
	rep, err := m.db.LoadProjects(ctx, postgis.ProjectLoad{Systems: systems, Classes: classes, Projects: ps})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d synthetic projects with %d monthly reports and %d blockers in %s\n",
		rep.Rows("projects"), rep.Rows("project_progress"), rep.Rows("project_blockers"), rep.Elapsed.Round(time.Millisecond))
	return nil
}

// seedParcels adds s.parcels synthetic parcels, a third of them in the
// parks in the database, for the site search's benchmark.
func (m *Main) seedParcels(ctx context.Context, s seedOptions, out io.Writer) error {
	parks, err := m.db.ParkShapes(ctx)
	if err != nil {
		return err
	}
	systems, classes := demo.Classes()
	rep, err := m.db.LoadStream(ctx, postgis.StreamLoad{Systems: systems, Classes: classes, Parcels: demo.ScaleSites(s.parcels, s.seed, parks)})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d synthetic parcels (%d parks) in %s\n", rep.Rows("parcels"), len(parks), rep.Elapsed.Round(time.Millisecond))
	return nil
}
