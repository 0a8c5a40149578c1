package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/postgis"
	"github.com/paulmach/orb"
)

// TestComplianceGolden checks known sites against the demo land layers:
// two demo projects' sites and a drawn square across the central
// district's zones. Run with -update after a change of the demo data.
func TestComplianceGolden(t *testing.T) {
	db, err := postgis.Open(t.Context(), demoURL(t), postgis.Options{Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ls := land.NewService(db)
	p := geo.Principal{Kind: geo.UserSession, Username: "test", Roles: []geo.Role{geo.RoleAdmin}}
	got := map[string]land.Report{}
	for _, id := range []geo.ID{1, 19} {
		r, err := ls.ProjectCompliance(t.Context(), p, id)
		if err != nil {
			t.Fatalf("project %d: %v", id, err)
		}
		got["project "+id.String()] = r.WithoutShapes()
	}
	square := orb.Polygon{{{114.020, 33.616}, {114.030, 33.616}, {114.030, 33.624}, {114.020, 33.624}, {114.020, 33.616}}}
	r, err := ls.CheckSite(t.Context(), square, &land.Code{System: land.SystemGTKJ2023, Code: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	got["square 114.020–114.030E 33.616–33.624N for 1001"] = r.WithoutShapes()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "compliance_golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		out := filepath.Join(t.TempDir(), "compliance_got.json")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Fatalf("the reports differ from %s (got: %s; -update rewrites it)", path, out)
	}
}

// TestComplianceInChromium draws a site on the web map in headless
// Chromium and reads its compliance report; screenshots go to
// frontend/test-results/compliance.
func TestComplianceInChromium(t *testing.T) {
	inChromium(t, "compliance.mjs", "compliance")
}
