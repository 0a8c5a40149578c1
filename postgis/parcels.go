package postgis

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var _ invest.SiteStore = (*DB)(nil)

var (
	//go:embed sql/invest/parcel.sql
	parcelSQL string
	//go:embed sql/invest/park.sql
	parkSQL string
	//go:embed sql/invest/save_parcel.sql
	saveParcelSQL string
	//go:embed sql/invest/save_park.sql
	saveParkSQL string
	//go:embed sql/invest/distances.sql
	distancesSQL string
	//go:embed sql/invest/in_park.sql
	inParkSQL string
)

// CheckPlace checks an outline as CheckSites does and, if park is not 0,
// whether it lies in that park: KindInvalid ("bad_park") for a park that
// does not exist.
func (db *DB) CheckPlace(ctx context.Context, g orb.MultiPolygon, park geo.ID) (invest.PlaceCheck, error) {
	scs, err := db.CheckSites(ctx, []orb.Geometry{g})
	if err != nil {
		return invest.PlaceCheck{}, err
	}
	sc := scs[0]
	pc := invest.PlaceCheck{Problem: sc.Problem, Repaired: sc.Repaired, InCity: sc.InCity, Districts: sc.Districts, InPark: true}
	if park == 0 || sc.Problem != "" {
		return pc, nil
	}
	w, err := wkb.Marshal(g)
	if err != nil {
		return pc, err
	}
	var found bool
	err = db.pool.QueryRow(ctx, inParkSQL, w, park).Scan(&found, &pc.InPark)
	if errors.Is(err, pgx.ErrNoRows) {
		return pc, badPark(park)
	}
	return pc, dbError(err, "园区", "park")
}

// badPark is the error of a parcel's park that does not exist.
func badPark(id geo.ID) error {
	return geo.FieldsError([]geo.FieldError{geo.NewFieldError("park_id", "bad_park", "园区 %d 不存在", "no park %d", id)})
}

// optionalDecs parses the decimals of texts (nil: none) into ds.
func optionalDecs(texts []*string, ds ...**geo.Dec) error {
	for i, t := range texts {
		*ds[i] = nil
		if t == nil {
			continue
		}
		d, err := geo.ParseDec(*t)
		if err != nil {
			return err
		}
		*ds[i] = &d
	}
	return nil
}

// scanParcel reads a row of parcel.sql.
func scanParcel(r pgx.Row) (invest.ParcelView, error) {
	var v invest.ParcelView
	var geom *string
	ts := make([]*string, 7)
	err := r.Scan(&v.ID, &v.Code, &v.Name, &v.DistrictID, &v.District, &v.ParkID, &v.Park, &v.SupplyStatus,
		&v.LanduseSystem, &v.LanduseCode, &v.LanduseName, &v.AreaM2, &v.AreaMu, &ts[0], &ts[1], &ts[2], &v.PlotRatio,
		&ts[3], &ts[4], &ts[5], &ts[6], &v.Utilities, &geom, &v.Lon, &v.Lat, &v.Version, &v.UpdatedAt)
	if err != nil {
		return v, err
	}
	if geom != nil {
		v.Geom = json.RawMessage(*geom)
	}
	return v, optionalDecs(ts, &v.Price, &v.PlotRatioMin, &v.PlotRatioMax, &v.BuildingDensity, &v.GreenRatio, &v.InvestmentIntensity, &v.TaxPerMu)
}

// scanPark reads a row of park.sql.
func scanPark(r pgx.Row) (invest.ParkView, error) {
	var v invest.ParkView
	var geom *string
	err := r.Scan(&v.ID, &v.Name, &v.Level, &v.DistrictID, &v.District, &v.Industries, &v.Model, &v.Utilities,
		&v.Policies, &v.ContactName, &v.ContactPhone, &v.AreaMu, &geom, &v.Lon, &v.Lat, &v.Version, &v.UpdatedAt)
	if geom != nil {
		v.Geom = json.RawMessage(*geom)
	}
	return v, err
}

// Parcel returns a parcel's view with its outline (see invest.SiteStore).
func (db *DB) Parcel(ctx context.Context, p geo.Principal, id geo.ID) (invest.ParcelView, error) {
	var v invest.ParcelView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var err error
		v, err = scanParcel(tx.QueryRow(ctx, parcelSQL, id, true, nil))
		return err
	})
	return v, dbError(err, "地块", "parcel")
}

// Parcels lists the parcels, of one park if park is not 0.
func (db *DB) Parcels(ctx context.Context, p geo.Principal, park geo.ID) ([]invest.ParcelView, error) {
	var in *geo.ID
	if park != 0 {
		in = &park
	}
	out := []invest.ParcelView{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, parcelSQL, nil, false, in)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (invest.ParcelView, error) { return scanParcel(r) })
		return err
	})
	return out, dbError(err, "地块", "parcel")
}

// Park returns a park's view with its outline (see invest.SiteStore).
func (db *DB) Park(ctx context.Context, p geo.Principal, id geo.ID) (invest.ParkView, error) {
	var v invest.ParkView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var err error
		v, err = scanPark(tx.QueryRow(ctx, parkSQL, id, true))
		return err
	})
	return v, dbError(err, "园区", "park")
}

// Parks lists the parks, by id.
func (db *DB) Parks(ctx context.Context, p geo.Principal) ([]invest.ParkView, error) {
	out := []invest.ParkView{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, parkSQL, nil, false)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (invest.ParkView, error) { return scanPark(r) })
		return err
	})
	return out, dbError(err, "园区", "park")
}

// outlineOf reads an outline's WKB.
func outlineOf(b []byte) (orb.MultiPolygon, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, err
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok {
		return nil, errors.New("outline is not a multipolygon")
	}
	return mp, nil
}

// ParkRecord returns a park's aggregate with its version.
func (db *DB) ParkRecord(ctx context.Context, p geo.Principal, id geo.ID) (invest.Park, error) {
	var pk invest.Park
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var model, policies, name, phone *string
		var geom []byte
		err := tx.QueryRow(ctx, `SELECT id, name, level, district_id, leading_industries, model, utilities, policies,
				contact_name, contact_phone, ST_AsBinary(geom), version FROM parks WHERE id = $1`, id).Scan(
			&pk.ID, &pk.Name, &pk.Level, &pk.DistrictID, &pk.LeadingIndustries, &model, &pk.Utilities, &policies, &name, &phone, &geom, &pk.Version)
		if err != nil {
			return err
		}
		pk.Model, pk.Policies, pk.ContactName, pk.ContactPhone = text(model), text(policies), text(name), text(phone)
		pk.Geom, err = outlineOf(geom)
		return err
	})
	return pk, dbError(err, "园区", "park")
}

// ParcelRecord returns a parcel's aggregate with its version.
func (db *DB) ParcelRecord(ctx context.Context, p geo.Principal, id geo.ID) (invest.Parcel, error) {
	var pc invest.Parcel
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var name *string
		var district, park *geo.ID
		var geom []byte
		ts := make([]*string, 7)
		err := tx.QueryRow(ctx, `SELECT id, code, name, district_id, park_id, supply_status, landuse_system, landuse_code,
				price::text, plot_ratio_min::text, plot_ratio_max::text, building_density::text, green_ratio::text,
				investment_intensity::text, tax_per_mu::text, utilities, ST_AsBinary(geom), version
			FROM parcels WHERE id = $1`, id).Scan(&pc.ID, &pc.Code, &name, &district, &park, &pc.SupplyStatus,
			&pc.Landuse.System, &pc.Landuse.Code, &ts[0], &ts[1], &ts[2], &ts[3], &ts[4], &ts[5], &ts[6], &pc.Utilities, &geom, &pc.Version)
		if err != nil {
			return err
		}
		pc.Name = text(name)
		if district != nil {
			pc.DistrictID = *district
		}
		if park != nil {
			pc.ParkID = *park
		}
		if err := optionalDecs(ts, &pc.Price, &pc.PlotRatioMin, &pc.PlotRatioMax, &pc.BuildingDensity, &pc.GreenRatio,
			&pc.InvestmentIntensity, &pc.TaxPerMu); err != nil {
			return err
		}
		pc.Geom, err = outlineOf(geom)
		return err
	})
	return pc, dbError(err, "地块", "parcel")
}

// decText is the text of d, or nil.
func decText(d *geo.Dec) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

// saved reads the id a save answered: KindPreconditionFailed when the row
// changed since version, KindForbidden when row security kept the write.
func saved(ctx context.Context, tx pgx.Tx, row pgx.Row, table string, id geo.ID, version int) (geo.ID, error) {
	var out geo.ID
	err := row.Scan(&out)
	if !errors.Is(err, pgx.ErrNoRows) || version == 0 {
		return out, err
	}
	var now int
	if err := tx.QueryRow(ctx, "SELECT version FROM "+pgx.Identifier{table}.Sanitize()+" WHERE id = $1", id).Scan(&now); err != nil {
		return 0, err
	}
	if now != version {
		return 0, geo.Errorf(geo.KindPreconditionFailed, "stale", "已被他人修改", "changed since")
	}
	return 0, geo.Errorf(geo.KindForbidden, "forbidden", "无权修改", "not allowed to change this")
}

// violated is the constraint a write broke (its SQLSTATE and name), if
// any.
func violated(err error) (string, string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.ConstraintName
	}
	return "", ""
}

// SavePark keeps a park (see invest.SiteStore).
func (db *DB) SavePark(ctx context.Context, p geo.Principal, pk invest.Park, version int) (invest.ParkView, error) {
	var v invest.ParkView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		w, err := wkb.Marshal(pk.Geom)
		if err != nil {
			return err
		}
		var id *geo.ID
		if version != 0 {
			id = &pk.ID
		}
		industries := pk.LeadingIndustries
		if industries == nil {
			industries = []string{}
		}
		utilities := pk.Utilities
		if utilities == nil {
			utilities = []string{}
		}
		got, err := saved(ctx, tx, tx.QueryRow(ctx, saveParkSQL, id, version, w, pk.Name, pk.Level, pk.DistrictID, industries,
			nullText(pk.Model), utilities, nullText(pk.Policies), nullText(pk.ContactName), nullText(pk.ContactPhone)),
			"parks", pk.ID, version)
		if code, name := violated(err); code == "23505" && name == "parks_name_key" {
			return geo.Errorf(geo.KindConflict, "duplicate_name", "园区名称 %s 已被使用", "the park name %s is in use", pk.Name)
		}
		if err != nil {
			return err
		}
		v, err = scanPark(tx.QueryRow(ctx, parkSQL, got, true))
		return err
	})
	return v, dbError(err, "园区", "park")
}

// SaveParcel keeps a parcel and its supply change (see invest.SiteStore).
func (db *DB) SaveParcel(ctx context.Context, p geo.Principal, pc invest.Parcel, version int, sc *invest.SupplyChange) (invest.ParcelView, error) {
	var v invest.ParcelView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		w, err := wkb.Marshal(pc.Geom)
		if err != nil {
			return err
		}
		var id, district, park *geo.ID
		if version != 0 {
			id = &pc.ID
		}
		if pc.DistrictID != 0 {
			district = &pc.DistrictID
		}
		if pc.ParkID != 0 {
			park = &pc.ParkID
		}
		utilities := pc.Utilities
		if utilities == nil {
			utilities = []string{}
		}
		got, err := saved(ctx, tx, tx.QueryRow(ctx, saveParcelSQL, id, version, w, pc.Code, nullText(pc.Name), district, park,
			pc.SupplyStatus, pc.Landuse.System, pc.Landuse.Code, decText(pc.Price), decText(pc.PlotRatioMin),
			decText(pc.PlotRatioMax), decText(pc.BuildingDensity), decText(pc.GreenRatio), decText(pc.InvestmentIntensity),
			decText(pc.TaxPerMu), utilities), "parcels", pc.ID, version)
		switch code, name := violated(err); {
		case code == "23505" && name == "parcels_code_key":
			return geo.Errorf(geo.KindConflict, "duplicate_code", "地块编号 %s 已被其他地块使用", "parcel code %s is in use by another parcel", pc.Code)
		case code == "23503" && strings.Contains(name, "landuse"):
			return invest.UnknownLanduse(land.Code{System: pc.Landuse.System, Code: pc.Landuse.Code})
		case code == "23503" && strings.Contains(name, "park"):
			return badPark(pc.ParkID)
		case err != nil:
			return err
		}
		if sc != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO parcel_supply (parcel_id, from_status, to_status, changed_on, reason, actor)
				VALUES ($1, $2, $3, $4, $5, $6)`, got, nullText(sc.From), sc.To, sc.On, nullText(sc.Reason), actor(p)); err != nil {
				return err
			}
		}
		v, err = scanParcel(tx.QueryRow(ctx, parcelSQL, got, true, nil))
		return err
	})
	return v, dbError(err, "地块", "parcel")
}

// Supply returns a parcel's supply history, oldest first.
func (db *DB) Supply(ctx context.Context, p geo.Principal, id geo.ID) ([]invest.SupplyEntry, error) {
	out := []invest.SupplyEntry{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT from_status, to_status, changed_on::text, reason, actor, at
			FROM parcel_supply WHERE parcel_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[invest.SupplyEntry])
		return err
	})
	return out, dbError(err, "地块", "parcel")
}

// Distances returns the nearest transport target of each kind (see
// sql/invest/distances.sql).
func (db *DB) Distances(ctx context.Context, p geo.Principal, layer string, id geo.ID) ([]invest.Distance, error) {
	kinds := make([]string, 0, len(invest.TransportTargets()))
	for _, k := range invest.TransportTargets() {
		kinds = append(kinds, k.ID)
	}
	out := []invest.Distance{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, distancesSQL, layer, id, kinds)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[invest.Distance])
		return err
	})
	return out, dbError(err, "交通距离", "transport distances")
}
