package postgis

import (
	"context"
	_ "embed"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var _ invest.SiteStore = (*DB)(nil)

//go:embed sql/invest/search.sql
var searchSQL string

// siteExclusions are the criteria of search.sql's failure mask, bit by
// bit, as SiteRows.Excluded names them.
var siteExclusions = []string{"area_mu_min", "area_mu_max", "supply_status", "landuse_code", "price_max", "industry",
	"plot_ratio_min", "utilities", "max_distance_m.highway_exit", "max_distance_m.rail_station", "max_distance_m.hsr_station",
	"max_distance_m.port", "avoid.basic_farmland", "avoid.eco_redline"}

// utilityBits are the 七通一平 items as parcel_sites.utilities: bit i is
// geo.Utilities()[i].
func utilityBits(items []string) *int32 {
	if items == nil {
		return nil
	}
	var m int32
	for i, u := range geo.Utilities() {
		if slices.Contains(items, u.ID) {
			m |= 1 << i
		}
	}
	return &m
}

// SearchSites finds the parcels that meet every criterion of l, and
// counts the parcels each criterion leaves out.
func (db *DB) SearchSites(ctx context.Context, p geo.Principal, l invest.SiteLimits) (invest.SiteRows, error) {
	var out invest.SiteRows
	var patterns []string
	for _, c := range l.LanduseCode {
		patterns = append(patterns, c+"%")
	}
	var industry *string
	if l.Industry != "" {
		industry = &l.Industry
	}
	dist := func(target string) *float64 {
		if d, ok := l.MaxDistanceM[target]; ok {
			return &d
		}
		return nil
	}
	hwMax, railMax, hsrMax, portMax := dist("highway_exit"), dist("rail_station"), dist("hsr_station"), dist("port")
	args := []any{l.AreaMuMin, l.AreaMuMax, l.SupplyStatus, patterns, l.PriceMax, industry, l.PlotRatioMin, utilityBits(l.Utilities),
		hwMax, railMax, hsrMax, portMax, l.BasicFarmland, l.EcoRedline}
	asked := []bool{l.AreaMuMin != nil, l.AreaMuMax != nil, l.SupplyStatus != nil, l.LanduseCode != nil, l.PriceMax != nil,
		industry != nil, l.PlotRatioMin != nil, l.Utilities != nil, hwMax != nil, railMax != nil, hsrMax != nil, portMax != nil,
		l.BasicFarmland, l.EcoRedline}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, searchSQL, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		counts := make([]int, len(siteExclusions))
		seen := map[int32]bool{}
		for rows.Next() {
			var mask int32
			var n int
			var id *geo.ID
			var c invest.SiteCandidate
			var hw, rail, hsr, port *float64
			var code, name, park, status, luCode, luName *string
			var area, lon, lat *float64
			if err := rows.Scan(&mask, &n, &id, &code, &name, &park, &c.ParkIndustries, &status, &luCode, &luName, &area, &c.Price,
				&c.PlotRatio, &c.Utilities, &hw, &rail, &hsr, &port, &lon, &lat); err != nil {
				return err
			}
			if !seen[mask] {
				seen[mask] = true
				out.Total += n
				for i := range counts {
					if mask&(1<<i) != 0 {
						counts[i] += n
					}
				}
			}
			if id == nil {
				continue
			}
			c.ID, c.Code, c.Name, c.Park, c.SupplyStatus = *id, *code, *name, *park, *status
			c.LanduseCode, c.LanduseName, c.AreaMu, c.Lon, c.Lat = *luCode, *luName, *area, *lon, *lat
			c.DistanceM = map[string]*float64{"highway_exit": hw, "rail_station": rail, "hsr_station": hsr, "port": port}
			out.Candidates = append(out.Candidates, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		out.Excluded = map[string]int{}
		for i, name := range siteExclusions {
			if asked[i] {
				out.Excluded[name] = counts[i]
			}
		}
		return nil
	})
	return out, dbError(err, "选址", "site search")
}

// ParkShapes returns the parks with their outlines (and no other field
// but the district), in id order: what synthetic parcels are placed in.
func (db *DB) ParkShapes(ctx context.Context) ([]invest.Park, error) {
	rows, err := db.pool.Query(ctx, "SELECT id, district_id, ST_AsBinary(geom) FROM parks ORDER BY id")
	if err != nil {
		return nil, dbError(err, "园区", "park")
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (invest.Park, error) {
		var p invest.Park
		var b []byte
		if err := r.Scan(&p.ID, &p.DistrictID, &b); err != nil {
			return p, err
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return p, err
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return p, fmt.Errorf("park %d: outline is a %s", p.ID, g.GeoJSONType())
		}
		p.Geom = mp
		return p, nil
	})
	return ps, dbError(err, "园区", "park")
}
