package postgis

import (
	"context"
	_ "embed"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/paulmach/orb/encoding/wkb"
)

var _ invest.FirmStore = (*DB)(nil)

// firmColumns are the fields of a firm's view, in invest.FirmView's order.
const firmColumns = `f.id, f.name, f.tags, f.industries, f.hq_city, ST_X(f.geom), ST_Y(f.geom), f.stage, f.responsible,
	coalesce(f.contact_name, ''), coalesce(f.contact_phone, ''),
	coalesce((SELECT array_agg(park_id ORDER BY park_id) FROM firm_parks WHERE firm_id = f.id), '{}'),
	coalesce((SELECT array_agg(parcel_id ORDER BY parcel_id) FROM firm_parcels WHERE firm_id = f.id), '{}'),
	f.version, f.updated_at`

var (
	//go:embed sql/invest/firms_list.sql
	listFirmsSQL string
	//go:embed sql/invest/firm_save.sql
	saveFirmSQL string
	//go:embed sql/invest/firm_match.sql
	matchFirmsSQL string
	//go:embed sql/invest/firm_places.sql
	firmPlacesSQL string
)

func scanFirm(r pgx.CollectableRow) (invest.FirmView, error) {
	return pgx.RowToStructByPos[invest.FirmView](r)
}

func firmByID(ctx context.Context, tx pgx.Tx, id geo.ID) (invest.FirmView, error) {
	rows, err := tx.Query(ctx, "SELECT "+firmColumns+" FROM firms f WHERE f.id = $1", id)
	if err != nil {
		return invest.FirmView{}, err
	}
	return pgx.CollectExactlyOneRow(rows, scanFirm)
}

// Firm returns a firm's view (see invest.FirmStore).
func (db *DB) Firm(ctx context.Context, p geo.Principal, id geo.ID) (invest.FirmView, error) {
	var v invest.FirmView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var err error
		v, err = firmByID(ctx, tx, id)
		return err
	})
	return v, dbError(err, "企业", "firm")
}

// ListFirms lists the firms of a filter, by name.
func (db *DB) ListFirms(ctx context.Context, p geo.Principal, f invest.FirmFilter) ([]invest.FirmView, error) {
	out := []invest.FirmView{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, strings.Replace(listFirmsSQL, "{{columns}}", firmColumns, 1), firmFilterArgs(f)...)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, scanFirm)
		return err
	})
	return out, dbError(err, "企业", "firm")
}

// firmFilterArgs are the arguments of firms_list.sql for filter f.
func firmFilterArgs(f invest.FirmFilter) []any {
	null := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	q := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Query)
	return []any{null(f.Tags), null(f.Industries), null(f.Stages), f.Responsible, q}
}

// firmFault is the domain error of a write refused by a constraint of
// the firms' tables, or err.
func firmFault(err error, name string) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case pe.Code == "23505" && pe.ConstraintName == "firms_name_key":
		return &geo.Error{Kind: geo.KindConflict, Code: "duplicate_name", Field: "name",
			Message: "已有名为“" + name + "”的企业", MessageEN: "a firm named " + name + " exists"}
	case pe.Code == "23503" && strings.HasPrefix(pe.ConstraintName, "firm_parks_park"):
		return &geo.Error{Kind: geo.KindInvalid, Code: "unknown_park", Field: "park_ids",
			Message: "推荐的园区不存在", MessageEN: "a proposed park does not exist"}
	case pe.Code == "23503" && strings.HasPrefix(pe.ConstraintName, "firm_parcels_parcel"):
		return &geo.Error{Kind: geo.KindInvalid, Code: "unknown_parcel", Field: "parcel_ids",
			Message: "推荐的地块不存在", MessageEN: "a proposed parcel does not exist"}
	}
	return err
}

// SaveFirm writes a firm with its proposed parks and parcels and its
// stage move (see invest.FirmStore).
func (db *DB) SaveFirm(ctx context.Context, p geo.Principal, f invest.Firm, version int, move *invest.StageMove) (invest.FirmView, error) {
	var v invest.FirmView
	hq, err := wkb.Marshal(f.HQ)
	if err != nil {
		return v, err
	}
	var id *geo.ID
	if version != 0 {
		id = &f.ID
	}
	err = db.tx(ctx, p, func(tx pgx.Tx) error {
		var got geo.ID
		err := tx.QueryRow(ctx, saveFirmSQL, id, version, f.Name, f.Tags, f.Industries, f.HQCity, f.Stage, f.Responsible,
			f.ContactName, f.ContactPhone, hq).Scan(&got)
		if errors.Is(err, pgx.ErrNoRows) && version != 0 {
			var now int
			if err := tx.QueryRow(ctx, "SELECT version FROM firms WHERE id = $1", f.ID).Scan(&now); err != nil {
				return err
			}
			return geo.Errorf(geo.KindPreconditionFailed, "stale", "企业信息已被他人修改，请刷新后再改", "the firm changed since; reload it")
		}
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue("DELETE FROM firm_parks WHERE firm_id = $1 AND park_id <> ALL ($2)", got, f.ParkIDs)
		b.Queue("INSERT INTO firm_parks (firm_id, park_id) SELECT $1, unnest($2::integer[]) ON CONFLICT DO NOTHING", got, f.ParkIDs)
		b.Queue("DELETE FROM firm_parcels WHERE firm_id = $1 AND parcel_id <> ALL ($2)", got, f.ParcelIDs)
		b.Queue("INSERT INTO firm_parcels (firm_id, parcel_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING", got, f.ParcelIDs)
		if move != nil {
			var from *string
			if move.From != "" {
				from = &move.From
			}
			b.Queue("INSERT INTO firm_stages (firm_id, from_stage, to_stage, note, actor) VALUES ($1, $2, $3, $4, $5)",
				got, from, move.To, move.Note, actor(p))
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		v, err = firmByID(ctx, tx, got)
		return err
	})
	return v, dbError(firmFault(err, f.Name), "企业", "firm")
}

// FirmStages returns a firm's stage history, oldest first.
func (db *DB) FirmStages(ctx context.Context, p geo.Principal, id geo.ID) ([]invest.FirmStageEntry, error) {
	out := []invest.FirmStageEntry{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT coalesce(from_stage, ''), to_stage, note, actor, at FROM firm_stages
			WHERE firm_id = $1 ORDER BY at, id`, id)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, pgx.RowToStructByPos[invest.FirmStageEntry])
		return err
	})
	return out, dbError(err, "企业", "firm")
}

// FirmPlaces returns the firms of a filter with their proposed sites.
func (db *DB) FirmPlaces(ctx context.Context, p geo.Principal, f invest.FirmFilter) ([]invest.FirmPlace, error) {
	out := []invest.FirmPlace{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, strings.Replace(listFirmsSQL, "{{columns}}",
			"f.id, f.name, f.tags, f.industries, f.hq_city, f.stage, ST_X(f.geom), ST_Y(f.geom)", 1), firmFilterArgs(f)...)
		if err != nil {
			return err
		}
		index := map[geo.ID]int{}
		var ids []geo.ID
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (invest.FirmPlace, error) {
			var fp invest.FirmPlace
			err := r.Scan(&fp.ID, &fp.Name, &fp.Tags, &fp.Industries, &fp.HQCity, &fp.Stage, &fp.HQ[0], &fp.HQ[1])
			index[fp.ID] = len(index)
			ids = append(ids, fp.ID)
			return fp, err
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.Query(ctx, firmPlacesSQL, ids)
		if err != nil {
			return err
		}
		var firm geo.ID
		var s invest.ProposedSite
		_, err = pgx.ForEachRow(rows, []any{&firm, &s.Kind, &s.ID, &s.Name, &s.At[0], &s.At[1]}, func() error {
			fp := &out[index[firm]]
			fp.Sites = append(fp.Sites, s)
			return nil
		})
		return err
	})
	return out, dbError(err, "企业", "firm")
}

// Chains returns a park's industry chains, by name, links in order.
func (db *DB) Chains(ctx context.Context, p geo.Principal, parkID geo.ID) ([]invest.Chain, error) {
	var out []invest.Chain
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM parks WHERE id = $1", parkID).Scan(&one); err != nil {
			return err
		}
		var err error
		out, err = parkChains(ctx, tx, parkID)
		return err
	})
	return out, dbError(err, "园区", "park")
}

// parkChains reads a park's chains in tx.
func parkChains(ctx context.Context, tx pgx.Tx, parkID geo.ID) ([]invest.Chain, error) {
	rows, err := tx.Query(ctx, `SELECT c.name, l.industry, l.mark FROM industry_chains c
		JOIN chain_links l ON l.chain_id = c.id WHERE c.park_id = $1 ORDER BY c.name, l.position`, parkID)
	if err != nil {
		return nil, err
	}
	out := []invest.Chain{}
	var name string
	var l invest.ChainLink
	_, err = pgx.ForEachRow(rows, []any{&name, &l.Industry, &l.Mark}, func() error {
		if len(out) == 0 || out[len(out)-1].Name != name {
			out = append(out, invest.Chain{Name: name})
		}
		out[len(out)-1].Links = append(out[len(out)-1].Links, l)
		return nil
	})
	return out, err
}

// SetChains replaces a park's industry chains.
func (db *DB) SetChains(ctx context.Context, p geo.Principal, parkID geo.ID, cs []invest.Chain) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM parks WHERE id = $1 FOR UPDATE", parkID).Scan(&one); err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue("DELETE FROM industry_chains WHERE park_id = $1", parkID)
		for _, c := range cs {
			inds, marks := make([]string, len(c.Links)), make([]string, len(c.Links))
			for i, l := range c.Links {
				inds[i], marks[i] = l.Industry, l.Mark
			}
			b.Queue(`WITH c AS (INSERT INTO industry_chains (park_id, name) VALUES ($1, $2) RETURNING id)
				INSERT INTO chain_links (chain_id, position, industry, mark)
				SELECT c.id, l.n, l.industry, l.mark FROM c, unnest($3::text[], $4::text[]) WITH ORDINALITY AS l (industry, mark, n)`,
				parkID, c.Name, inds, marks)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	return dbError(err, "园区", "park")
}

// MatchSite returns a park, or a parcel's park, with its industries and
// chains, and the firms that may match it (see invest.FirmStore).
func (db *DB) MatchSite(ctx context.Context, p geo.Principal, kind string, id geo.ID) (invest.Site, []invest.Candidate, error) {
	site := invest.Site{Kind: kind, ID: id}
	var cands []invest.Candidate
	what, whatEN := "园区", "park"
	if kind == "parcels" {
		what, whatEN = "地块", "parcel"
	}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var parkID *geo.ID
		var park *string
		var leading []string
		q := `SELECT k.name, k.id, k.name, k.leading_industries FROM parks k WHERE k.id = $1`
		if kind == "parcels" {
			q = `SELECT coalesce(p.name, p.code), k.id, k.name, k.leading_industries
				FROM parcels p LEFT JOIN parks k ON k.id = p.park_id WHERE p.id = $1`
		}
		if err := tx.QueryRow(ctx, q, id).Scan(&site.Name, &parkID, &park, &leading); err != nil {
			return err
		}
		if parkID == nil {
			return nil
		}
		site.ParkID, site.Park, site.Leading = *parkID, *park, leading
		var err error
		if site.Chains, err = parkChains(ctx, tx, site.ParkID); err != nil {
			return err
		}
		want := append([]string{}, leading...)
		for _, c := range site.Chains {
			for _, l := range c.Links {
				want = append(want, l.Industry)
			}
		}
		rows, err := tx.Query(ctx, matchFirmsSQL, kind, id, want)
		if err != nil {
			return err
		}
		cands, err = pgx.CollectRows(rows, pgx.RowToStructByPos[invest.Candidate])
		return err
	})
	return site, cands, dbError(err, what, whatEN)
}
