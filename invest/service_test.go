package invest

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

type memStore []Shared

func (m memStore) Shared(context.Context, geo.ShareScope) ([]Shared, error) {
	return slices.Clone(m), nil
}

func ptr[T any](v T) *T { return &v }

// full is a parcel with every field set.
func full() Shared {
	return Shared{Layer: "parcels", ID: 1, Lon: 114, Lat: 33.6, Code: ptr("JK-01"), Name: ptr("一号地块"),
		SupplyStatus: ptr("ready"), LanduseCode: ptr("100101"), LanduseName: ptr("一类工业用地"), Park: ptr("食品产业园"),
		AreaMu: ptr(12.5), Price: ptr(25.0), PlotRatio: ptr("1.2–2.0"), Utilities: ptr("road,power"),
		Level: ptr("national"), District: ptr("源汇区"), Industries: ptr("食品加工")}
}

func TestSharedKeepsOnlyChosenFields(t *testing.T) {
	for _, fields := range [][]string{{"code"}, {"price", "area_mu"}, {}, geo.NewRegistry().Shareable("parcels", "parks")} {
		got, err := NewService(memStore{full()}).Shared(t.Context(), geo.ShareScope{Fields: fields})
		if err != nil || len(got) != 1 {
			t.Fatalf("%v: %v %v", fields, got, err)
		}
		b, err := json.Marshal(got[0])
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			if k != "layer" && k != "id" && k != "lon" && k != "lat" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		want := slices.Sorted(slices.Values(fields))
		if !reflect.DeepEqual(keys, want) && !(len(keys) == 0 && len(want) == 0) {
			t.Errorf("fields %v: shown %s", fields, strings.Join(keys, ","))
		}
	}
}

// TestEveryShareableFieldCanBeShown checks that the registry's shareable
// fields of parcels and parks are the fields a share link can show.
func TestEveryShareableFieldCanBeShown(t *testing.T) {
	b, err := json.Marshal(full())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range geo.NewRegistry().Shareable("parcels", "parks") {
		if _, ok := m[f]; !ok {
			t.Errorf("shareable field %s is not in a shared feature", f)
		}
	}
}
