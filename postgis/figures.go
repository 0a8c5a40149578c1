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
	//go:embed sql/project/figures.sql
	figuresSQL string
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

// text is a nullable text, "" for NULL.
func text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Figures sums the projects principal p may see over window w (row
// security limits them): see sql/project/figures.sql and
// figures_events.sql.
func (db *DB) Figures(ctx context.Context, p geo.Principal, w project.Window) (project.Figures, error) {
	var f project.Figures
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, figuresSQL, w.From, w.To, w.StartsFrom, w.StartsTo, w.Due)
		if err != nil {
			return err
		}
		var (
			kind, dim, key, label string
			n                     int
			m                     = make([]*string, 3)
			id                    *geo.ID
			district, code        *string
			stage, leader         *string
			ps, as                *time.Time
		)
		day := func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		}
		_, err = pgx.ForEachRow(rows, []any{&kind, &dim, &key, &label, &n, &m[0], &m[1], &m[2], &id, &district, &code,
			&stage, &leader, &ps, &as}, func() error {
			switch kind {
			case "group":
				g := project.Group{Key: key, Label: label}
				g.Count = n
				if err := decs([]string{text(m[0]), text(m[1]), text(m[2])}, &g.Total, &g.Plan, &g.Invested); err != nil {
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
					g.Label = geo.LabelZH(geo.Stages(), g.Key)
					f.Stages = append(f.Stages, g)
				case "category":
					g.Label = geo.LabelZH(geo.Categories(), g.Key)
					f.Categories = append(f.Categories, g)
				case "leader":
					f.Leaders = append(f.Leaders, g)
				}
			case "month":
				ms := project.MonthSum{Month: key}
				if err := decs([]string{text(m[1]), text(m[2])}, &ms.Planned, &ms.Invested); err != nil {
					return err
				}
				if k := len(f.Months); k > 0 {
					ms.CumPlanned, ms.CumInvested = f.Months[k-1].CumPlanned, f.Months[k-1].CumInvested
				}
				ms.CumPlanned += ms.Planned
				ms.CumInvested += ms.Invested
				f.Months = append(f.Months, ms)
			case "standing":
				st := project.Standing{ID: *id, Name: label, District: text(district), DistrictID: text(code), Stage: text(stage),
					Leader: text(leader), PlannedStart: day(ps), ActualStart: day(as)}
				if err := decs([]string{text(m[1]), text(m[2])}, &st.Planned, &st.Invested); err != nil {
					return err
				}
				f.Standings = append(f.Standings, st)
			}
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
