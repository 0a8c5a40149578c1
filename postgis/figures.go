package postgis

import (
	"context"
	_ "embed"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

var (
	//go:embed sql/project/figures_groups.sql
	figuresGroupsSQL string
	//go:embed sql/project/figures_months.sql
	figuresMonthsSQL string
	//go:embed sql/project/figures_standings.sql
	figuresStandingsSQL string
	//go:embed sql/project/figures_events.sql
	figuresEventsSQL string
	//go:embed sql/project/open_blockers.sql
	openBlockersSQL string
)

// decs parses the database's numeric texts into ds.
func decs(texts []string, ds ...*geo.Dec) error {
	for i, t := range texts {
		d, err := geo.ParseDec(t)
		if err != nil {
			return err
		}
		*ds[i] = d
	}
	return nil
}

// labelled names a stage or a category in Chinese.
func labelled(ls []geo.Label, id string) string {
	for _, l := range ls {
		if l.ID == id {
			return l.ZH
		}
	}
	return id
}

// Figures sums the projects principal p may see over window w (row
// security limits them): see the sql/project/figures_*.sql files.
func (db *DB) Figures(ctx context.Context, p geo.Principal, w project.Window) (project.Figures, error) {
	var f project.Figures
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, figuresGroupsSQL, w.From, w.To, w.StartsFrom, w.StartsTo)
		if err != nil {
			return err
		}
		var dim string
		var g project.Group
		m := make([]string, 3)
		_, err = pgx.ForEachRow(rows, []any{&dim, &g.Key, &g.Label, &g.Count, &m[0], &m[1], &m[2]}, func() error {
			if err := decs(m, &g.Total, &g.Plan, &g.Invested); err != nil {
				return err
			}
			switch dim {
			case "total":
				f.Total = g.Tally
			case "started":
				f.Starts = g.Tally
			case "finished":
				f.Finishes = g.Tally
			case "district":
				f.Districts = append(f.Districts, g)
			case "stage":
				g.Label = labelled(geo.Stages(), g.Key)
				f.Stages = append(f.Stages, g)
			case "category":
				g.Label = labelled(geo.Categories(), g.Key)
				f.Categories = append(f.Categories, g)
			case "leader":
				f.Leaders = append(f.Leaders, g)
			}
			return nil
		})
		if err != nil {
			return err
		}

		rows, err = tx.Query(ctx, figuresMonthsSQL, w.From, w.To)
		if err != nil {
			return err
		}
		var ms project.MonthSum
		m = m[:2]
		_, err = pgx.ForEachRow(rows, []any{&ms.Month, &m[0], &m[1]}, func() error {
			if err := decs(m, &ms.Planned, &ms.Invested); err != nil {
				return err
			}
			ms.CumPlanned += ms.Planned
			ms.CumInvested += ms.Invested
			f.Months = append(f.Months, ms)
			return nil
		})
		if err != nil {
			return err
		}

		rows, err = tx.Query(ctx, figuresStandingsSQL, w.Due)
		if err != nil {
			return err
		}
		var st project.Standing
		var ps, as *time.Time
		_, err = pgx.ForEachRow(rows, []any{&st.ID, &st.Name, &st.District, &st.DistrictID, &st.Stage, &st.Leader, &m[0], &m[1], &ps, &as}, func() error {
			if err := decs(m, &st.Planned, &st.Invested); err != nil {
				return err
			}
			st.PlannedStart, st.ActualStart = time.Time{}, time.Time{}
			if ps != nil {
				st.PlannedStart = *ps
			}
			if as != nil {
				st.ActualStart = *as
			}
			f.Standings = append(f.Standings, st)
			return nil
		})
		if err != nil {
			return err
		}

		rows, err = tx.Query(ctx, figuresEventsSQL, w.StartsFrom, w.StartsTo)
		if err != nil {
			return err
		}
		var e project.Event
		var total string
		_, err = pgx.ForEachRow(rows, []any{&e.ID, &e.Name, &e.District, &e.Stage, &total, &e.ActualStart, &e.ActualFinish}, func() error {
			var err error
			e.Total, err = geo.ParseDec(total)
			f.Events = append(f.Events, e)
			return err
		})
		return err
	})
	return f, dbError(err, "统计", "figures")
}

// OpenBlockers lists the blockers open on day of the projects p may see
// (row security limits them): see sql/project/open_blockers.sql.
func (db *DB) OpenBlockers(ctx context.Context, p geo.Principal, day time.Time) ([]project.OpenBlocker, error) {
	out := []project.OpenBlocker{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, openBlockersSQL, day)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.OpenBlocker, error) {
			var b project.OpenBlocker
			err := r.Scan(&b.ID, &b.ProjectID, &b.Kind, &b.Note, &b.ResponsibleUnit, &b.RaisedOn, &b.DueOn, &b.Status,
				&b.Resolution, &b.ResolvedOn, &b.Project, &b.District)
			return b, err
		})
		return err
	})
	return out, dbError(err, "协调问题", "blockers")
}
