package postgis_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/luohe/onemap/geo"
)

// TestSiteWritesInvalidateTiles changes a parcel and a park through the
// store: each write hands the tiles of parcels and parks around the
// outline, before and after, to the pool's hook before it returns.
func TestSiteWritesInvalidateTiles(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	if _, err := conn.Exec(t.Context(), `
		INSERT INTO districts (id, code, name, kind, geom) VALUES
		  (1, '411102', '源汇区', 'county', ST_Multi(ST_MakeEnvelope(113.9, 33.5, 114.05, 33.65, 4490)));
		INSERT INTO landuse_systems VALUES ('gtkj2023', '国土空间调查、规划、用途管制用地用海分类');
		INSERT INTO landuse_classes VALUES ('gtkj2023', '100101', '一类工业用地', '1001', true);
		INSERT INTO parks (id, name, level, district_id, geom) VALUES
		  (1, '食品产业园', 'national', 1, ST_Multi(ST_MakeEnvelope(113.99, 33.57, 114.01, 33.59, 4490)));
		INSERT INTO parcels (id, code, park_id, district_id, supply_status, landuse_system, landuse_code, geom) VALUES
		  (1, 'JK-01', 1, 1, 'planned', 'gtkj2023', '100101', ST_Multi(ST_MakeEnvelope(113.995, 33.575, 113.998, 33.578, 4490)))`); err != nil {
		t.Fatal(err)
	}
	var heard []string
	db.OnTilesChanged(func(payload string) { heard = append(heard, payload) })
	p := geo.Principal{Kind: geo.UserSession, Username: "invest", Roles: []geo.Role{geo.RoleInvestment}}
	pc, err := db.ParcelRecord(t.Context(), p, 1)
	if err != nil {
		t.Fatal(err)
	}
	pc.Name = "一号地块"
	if _, err := db.SaveParcel(t.Context(), p, pc, pc.Version, nil); err != nil {
		t.Fatal(err)
	}
	pk, err := db.ParkRecord(t.Context(), p, 1)
	if err != nil {
		t.Fatal(err)
	}
	pk.Name = "漯河食品产业园"
	if _, err := db.SavePark(t.Context(), p, pk, pk.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePark(t.Context(), p, pk, pk.Version); err == nil || geo.KindOf(err) != geo.KindPreconditionFailed {
		t.Fatalf("a change made on an old version: %v", err)
	}
	if len(heard) != 2 {
		t.Fatalf("heard %q, want the two writes", heard)
	}
	for i, want := range [][4]float64{{113.995, 33.575, 113.998, 33.578}, {113.99, 33.57, 114.01, 33.59}} {
		var inv struct {
			Layers []string  `json:"layers"`
			BBox   []float64 `json:"bbox"`
		}
		if err := json.Unmarshal([]byte(heard[i]), &inv); err != nil {
			t.Fatal(err)
		}
		if slices.Sort(inv.Layers); !slices.Equal(inv.Layers, []string{"parcels", "parks"}) || !slices.Equal(inv.BBox, want[:]) {
			t.Errorf("write %d was heard as %s, want parcels and parks over %v", i+1, heard[i], want)
		}
	}
}
