package postgis

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var _ invest.EnclaveStore = (*DB)(nil)

var (
	//go:embed sql/invest/enclave_place.sql
	enclavePlaceSQL string
	//go:embed sql/invest/project_years.sql
	projectYearsSQL string
)

// enclaves reads the enclaves of ids (nil: all) with their share
// schedules, by id.
func enclaves(ctx context.Context, tx pgx.Tx, ids []geo.ID) ([]invest.EnclaveRecord, error) {
	rows, err := tx.Query(ctx, `SELECT id, name, home_district_id, host_district_id, agreement_no, agreement_date, term_years,
		model, quota_district_id, ST_AsBinary(geom), area_m2, version FROM enclaves
		WHERE $1::bigint[] IS NULL OR id = ANY ($1) ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (invest.EnclaveRecord, error) {
		var e invest.EnclaveRecord
		var b []byte
		if err := r.Scan(&e.ID, &e.Name, &e.HomeDistrictID, &e.HostDistrictID, &e.AgreementNo, &e.AgreementDate, &e.TermYears,
			&e.Model, &e.QuotaDistrictID, &b, &e.AreaM2, &e.Version); err != nil {
			return e, err
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return e, err
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return e, fmt.Errorf("enclave %d: zone is a %s", e.ID, g.GeoJSONType())
		}
		e.Geom = mp
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	at := map[geo.ID]int{}
	for i, e := range out {
		at[e.ID] = i
	}
	rows, err = tx.Query(ctx, `SELECT enclave_id, item, from_year, home_pct::text, host_pct::text FROM enclave_shares
		WHERE $1::bigint[] IS NULL OR enclave_id = ANY ($1)
		ORDER BY enclave_id, array_position(ARRAY['gdp', 'fixed_investment', 'tax', 'land_revenue'], item), from_year`, ids)
	if err != nil {
		return nil, err
	}
	var id geo.ID
	var s invest.EnclaveShare
	var home, host string
	_, err = pgx.ForEachRow(rows, []any{&id, &s.Item, &s.FromYear, &home, &host}, func() error {
		if err := decs([]string{home, host}, &s.HomePct, &s.HostPct); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			out[i].Shares = append(out[i].Shares, s)
		}
		return nil
	})
	return out, err
}

// Enclaves returns every enclave, by id.
func (db *DB) Enclaves(ctx context.Context, p geo.Principal) ([]invest.EnclaveRecord, error) {
	var out []invest.EnclaveRecord
	err := db.tx(ctx, p, func(tx pgx.Tx) (err error) {
		out, err = enclaves(ctx, tx, nil)
		return err
	})
	return out, dbError(err, "飞地", "enclave")
}

// EnclaveRecord returns an enclave: KindNotFound if there is none.
func (db *DB) EnclaveRecord(ctx context.Context, p geo.Principal, id geo.ID) (invest.EnclaveRecord, error) {
	var out []invest.EnclaveRecord
	err := db.tx(ctx, p, func(tx pgx.Tx) (err error) {
		out, err = enclaves(ctx, tx, []geo.ID{id})
		if err == nil && len(out) == 0 {
			err = pgx.ErrNoRows
		}
		return err
	})
	if err != nil {
		return invest.EnclaveRecord{}, dbError(err, "飞地", "enclave")
	}
	return out[0], nil
}

// staleEnclave is the KindPreconditionFailed error of an enclave changed
// since the version a change was made on.
func staleEnclave() error {
	return geo.Errorf(geo.KindPreconditionFailed, "stale", "飞地已被他人修改，请刷新后重试",
		"the enclave was changed by someone else since it was read; reload it and try again")
}

// SaveEnclave adds or replaces an enclave (see invest.EnclaveStore). The
// enclaves are locked against other writers first, so that two zones
// saved at once cannot both pass the overlap check.
func (db *DB) SaveEnclave(ctx context.Context, p geo.Principal, e invest.Enclave, version int, check func(invest.EnclavePlace) error) (geo.ID, error) {
	zone, err := wkb.Marshal(e.Geom)
	if err != nil {
		return 0, err
	}
	id := e.ID
	err = db.tx(ctx, p, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE enclaves IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		if id != 0 {
			var v int
			if err := tx.QueryRow(ctx, "SELECT version FROM enclaves WHERE id = $1", id).Scan(&v); err != nil {
				return err
			}
			if v != version {
				return staleEnclave()
			}
		}
		var pl invest.EnclavePlace
		if err := tx.QueryRow(ctx, enclavePlaceSQL, zone, e.HostDistrictID, id).Scan(&pl.Problem, &pl.AreaM2, &pl.OutsideM2, &pl.Overlaps); err != nil {
			return err
		}
		if err := check(pl); err != nil {
			return err
		}
		args := []any{e.Name, e.HomeDistrictID, e.HostDistrictID, e.AgreementNo, e.AgreementDate, e.TermYears, e.Model, e.QuotaDistrictID, zone}
		if id == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO enclaves (name, home_district_id, host_district_id, agreement_no, agreement_date,
				term_years, model, quota_district_id, geom) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_GeomFromWKB($9), 4490))
				RETURNING id`, args...).Scan(&id); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `UPDATE enclaves SET name = $1, home_district_id = $2, host_district_id = $3, agreement_no = $4,
				agreement_date = $5, term_years = $6, model = $7, quota_district_id = $8, geom = ST_SetSRID(ST_GeomFromWKB($9), 4490),
				version = version + 1 WHERE id = $10`, append(args, id)...); err != nil {
			return err
		}
		items, years, homes, hosts := make([]string, len(e.Shares)), make([]int, len(e.Shares)), make([]string, len(e.Shares)), make([]string, len(e.Shares))
		for i, s := range e.Shares {
			items[i], years[i], homes[i], hosts[i] = s.Item, s.FromYear, s.HomePct.String(), s.HostPct.String()
		}
		if _, err := tx.Exec(ctx, "DELETE FROM enclave_shares WHERE enclave_id = $1", id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO enclave_shares (enclave_id, item, from_year, home_pct, host_pct)
			SELECT $1, s.item, s.from_year, s.home, s.host
			  FROM unnest($2::text[], $3::int[], $4::text[]::numeric[], $5::text[]::numeric[]) AS s (item, from_year, home, host)`,
			id, items, years, homes, hosts)
		return err
	})
	return id, dbError(err, "飞地", "enclave")
}

// ProjectYears returns the figures of year of the key projects p may see
// (see invest.EnclaveStore).
func (db *DB) ProjectYears(ctx context.Context, p geo.Principal, year int) ([]invest.ProjectYear, error) {
	var out []invest.ProjectYear
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, projectYearsSQL, year)
		if err != nil {
			return err
		}
		var py invest.ProjectYear
		var inv, va, tax string
		_, err = pgx.ForEachRow(rows, []any{&py.ProjectID, &py.Name, &py.DistrictID, &py.EnclaveID, &inv, &va, &tax}, func() error {
			if err := decs([]string{inv, va, tax}, &py.Investment, &py.ValueAdded, &py.Tax); err != nil {
				return err
			}
			out = append(out, py)
			return nil
		})
		return err
	})
	return out, dbError(err, "项目", "project")
}

// PutProjectFigures sets a project's value added and tax of a year, as p.
func (db *DB) PutProjectFigures(ctx context.Context, p geo.Principal, id geo.ID, year int, valueAdded, tax geo.Dec) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO project_figures (project_id, year, value_added, tax, actor)
			VALUES ($1, $2, $3::text::numeric, $4::text::numeric, $5)
			ON CONFLICT (project_id, year) DO UPDATE SET value_added = excluded.value_added, tax = excluded.tax,
			actor = excluded.actor, updated_at = now()`, id, year, valueAdded.String(), tax.String(), actor(p))
		return err
	})
	return dbError(err, "项目", "project")
}
