package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"time"
)

// The site search's measurement, on the demo data plus --parcels
// synthetic parcels (onemap seed --parcels): POST /api/sites/search with
// every criterion, one request after another after three to warm up.

func sitesTitle(o options) string {
	return fmt.Sprintf("sites %d — site search with every criterion", o.parcels)
}

// siteQuery asks every criterion of the site search.
const siteQuery = `{"area_mu_min": 20, "area_mu_max": 200, "supply_status": ["ready", "reserved"], "landuse_code": ["1001"],
	"price_max": 24, "industry": "食品", "plot_ratio_min": 1.2, "utilities": ["road", "power", "water"],
	"max_distance_m": {"highway_exit": 20000, "rail_station": 25000, "hsr_station": 30000, "port": 40000},
	"avoid": ["basic_farmland", "eco_redline"], "weights": {"price_max": 2, "highway_exit": 3, "area_mu": 1}}`

// measureSites seeds dir and runs the site search's measurement on it.
func measureSites(ctx context.Context, o options, data string) error {
	dir := filepath.Join(data, fmt.Sprintf("parcels-%d", o.parcels))
	if err := seed(ctx, o.bin, dir, []string{"--parcels", fmt.Sprint(o.parcels)}); err != nil {
		return err
	}
	fmt.Printf("\n## %s\n", sitesTitle(o))
	addr, pid, stop, err := start(ctx, o.bin, dir, true)
	if err != nil {
		return err
	}
	defer stop()
	cookie, csrf, err := signIn(addr, "admin", o.adminPassword)
	if err != nil {
		return err
	}
	fmt.Printf("load average before: %s\n", loadAvg())
	var lat []time.Duration
	var ans struct {
		Total, Matched int
		Excluded       map[string]int
		Sites          []struct{ Code string }
	}
	var cpu cpuMeter
	for i := range 3 + o.searches {
		if i == 3 {
			cpu = newCPUMeter(pid)
		}
		b, d, err := call(http.MethodPost, "http://"+addr+"/api/sites/search", cookie, csrf, "application/json", []byte(siteQuery))
		if err != nil {
			return err
		}
		if i >= 3 {
			lat = append(lat, d)
		}
		if err := json.Unmarshal(b, &ans); err != nil {
			return err
		}
	}
	slices.Sort(lat)
	fmt.Printf("site search over %d parcels (%d match, %d shown; excluded %v)\n", ans.Total, ans.Matched, len(ans.Sites), ans.Excluded)
	fmt.Printf("%d searches: median %s, p90 %s, min %s, max %s; %s per search (load %s)\n",
		len(lat), ms(lat[len(lat)/2]), ms(lat[len(lat)*9/10]), ms(lat[0]), ms(lat[len(lat)-1]), cpu.per(len(lat)), loadAvg())
	return nil
}
