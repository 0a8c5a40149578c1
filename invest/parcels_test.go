package invest

import (
	"slices"
	"testing"

	"github.com/luohe/onemap/geo"
)

func text(s string) *string { return &s }

// TestParcelRules reads parcels' values without a database: each rule
// answers its code at its field.
func TestParcelRules(t *testing.T) {
	good := Values{"code": text("JK-1"), "supply_status": text("净地可供"), "landuse_system": text("gtkj2023"),
		"landuse_code": text("100101"), "plot_ratio_min": text("1.2"), "plot_ratio_max": text("2"), "utilities": text("通路、power,通路")}
	for _, c := range []struct {
		name        string
		set         Values
		field, code string
	}{
		{"good", nil, "", ""},
		{"bad status", Values{"supply_status": text("出让")}, "supply_status", "bad_supply_status"},
		{"negative price", Values{"price": text("-0.01")}, "price", "negative"},
		{"three decimals", Values{"tax_per_mu": text("1.005")}, "tax_per_mu", "bad_number"},
		{"density over 100", Values{"building_density": text("100.01")}, "building_density", "too_large"},
		{"min over max", Values{"plot_ratio_min": text("2.01")}, "plot_ratio_max", "plot_ratio_order"},
		{"one bound", Values{"plot_ratio_min": nil}, "plot_ratio_max", "plot_ratio_pair"},
		{"NUL", Values{"name": text("a\x00b")}, "name", "bad_text"},
		{"not UTF-8", Values{"name": text("\xff")}, "name", "bad_text"},
		{"no code", Values{"code": text("  ")}, "code", "required"},
		{"unknown field", Values{"district_id": text("1")}, "district_id", "read_only"},
		{"bad day", Values{"supply_date": text("2026-02-30")}, "supply_date", "bad_date"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := Values{}
			for k, x := range good {
				v[k] = x
			}
			for k, x := range c.set {
				v[k] = x
			}
			var pc Parcel
			_, _, errs := applyParcel(&pc, v)
			errs = besides(errs, checkParcel(pc))
			if c.code == "" {
				if len(errs) > 0 || !slices.Equal(pc.Utilities, []string{"road", "power"}) || pc.SupplyStatus != "ready" {
					t.Fatalf("%+v %+v", errs, pc)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != c.field || errs[0].Code != c.code || errs[0].Message == "" {
				t.Fatalf("errors %+v, want %s at %s", errs, c.code, c.field)
			}
		})
	}
}

// TestPlaceFaults names what is wrong with an outline, in order: shape,
// city, park.
func TestPlaceFaults(t *testing.T) {
	in := []geo.District{{ID: 1, Name: "源汇区"}}
	for _, c := range []struct {
		pc   PlaceCheck
		code string
	}{
		{PlaceCheck{Problem: "Self-intersection[114 33.6]", InCity: true, Districts: in, InPark: true}, "bad_geometry"},
		{PlaceCheck{InCity: false, InPark: true}, "outside_city"},
		{PlaceCheck{InCity: true, Districts: in, InPark: false}, "outside_park"},
		{PlaceCheck{InCity: true, Districts: in, InPark: true}, ""},
	} {
		err := placeFault(c.pc, "地块", "parcel")
		if got := ""; err != nil {
			got = err.(*geo.Error).Code
			if got != c.code {
				t.Errorf("%+v: %s, want %s", c.pc, got, c.code)
			}
		} else if c.code != "" {
			t.Errorf("%+v: no fault, want %s", c.pc, c.code)
		}
	}
}
