package main

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The land bureau's measurements: the compliance check of a 50-hectare
// site (POST /api/land/check) on the scale dataset (--scale land-use
// polygons plus the demo's control lines), and the import of a zipped
// Shapefile of --land-import polygons (POST /api/imports, then the job's
// progress polled until it ends) on a fresh copy of the demo data for
// each run.

func complianceTitle(o options) string {
	return fmt.Sprintf("compliance check — 50 ha sites against %d land-use polygons", o.scale)
}

func landImportTitle(o options) string {
	return fmt.Sprintf("landimport — zipped Shapefile of %d polygons", o.landImport)
}

// complianceSites are the candidate sites: 50-hectare squares (707 m a
// side) on a 7 × 6 grid over Luohe, as GeoJSON request bodies; those
// outside the city are left out when they are first checked.
func complianceSites() [][]byte {
	const side = 707.1 // m
	var out [][]byte
	for i := range 42 {
		lon, lat := 113.62+float64(i%7)*0.09, 33.45+float64(i/7)*0.08
		dx := side / (111320 * math.Cos(lat*math.Pi/180))
		dy := side / 110574
		b, _ := json.Marshal(map[string]any{"geometry": map[string]any{"type": "Polygon",
			"coordinates": [][][2]float64{{{lon, lat}, {lon + dx, lat}, {lon + dx, lat + dy}, {lon, lat + dy}, {lon, lat}}}}})
		out = append(out, b)
	}
	return out
}

// measureCompliance checks each site --checks times in all, one after
// another, as the land user, after one round to warm up, and prints the
// median and p95 and what the checks found.
func measureCompliance(ctx context.Context, o options, dir string) error {
	fmt.Printf("\n## %s\n", complianceTitle(o))
	addr, pid, stop, err := start(ctx, o.bin, dir, false)
	if err != nil {
		return err
	}
	defer stop()
	cookie, csrf, err := signIn(addr, "land", o.landPassword)
	if err != nil {
		return err
	}
	url := "http://" + addr + "/api/land/check"
	type report struct {
		Site struct {
			AreaM2 float64 `json:"area_m2"`
		} `json:"site"`
		Layers  []struct{ Zones []json.RawMessage } `json:"layers"`
		Verdict string                              `json:"verdict"`
	}
	verdicts := map[string]int{}
	var zones []int
	var sites [][]byte
	for _, s := range complianceSites() {
		b, _, err := call(http.MethodPost, url, cookie, csrf, "application/json", s)
		if err != nil && strings.Contains(err.Error(), `"outside_city"`) {
			continue
		}
		if err != nil {
			return err
		}
		sites = append(sites, s)
		var r report
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		n := 0
		for _, l := range r.Layers {
			n += len(l.Zones)
		}
		verdicts[r.Verdict]++
		zones = append(zones, n)
	}
	if len(sites) == 0 {
		return errors.New("no site in the city")
	}
	fmt.Printf("load average before: %s\n", loadAvg())
	var lat []time.Duration
	cpu := newCPUMeter(pid)
	for i := range max(len(sites), o.checks) {
		_, d, err := call(http.MethodPost, url, cookie, csrf, "application/json", sites[i%len(sites)])
		if err != nil {
			return err
		}
		lat = append(lat, d)
	}
	slices.Sort(lat)
	slices.Sort(zones)
	fmt.Printf("check (POST /api/land/check, %d sites of 50 ha, %d checks): median %s, p95 %s, min %s, max %s; %s per check (load %s)\n",
		len(sites), len(lat), ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100]), ms(lat[0]), ms(lat[len(lat)-1]), cpu.per(len(lat)), loadAvg())
	fmt.Printf("zones overlapped per site: median %d, max %d; verdicts %v\n", zones[len(zones)/2], zones[len(zones)-1], verdicts)
	return nil
}

// measureLandImport imports a zipped Shapefile of --land-import polygons
// into a fresh copy of the demo data folder dir, --runs times, printing
// the job's progress as it was polled and the time from the upload to
// the job's end.
func measureLandImport(ctx context.Context, o options, dir, data string) error {
	fmt.Printf("\n## %s\n", landImportTitle(o))
	file := filepath.Join(data, fmt.Sprintf("landimport-%d.zip", o.landImport))
	if err := landImportFile(ctx, file, o.landImport); err != nil {
		return err
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	fmt.Printf("file: %s, %d KB\n", filepath.Base(file), len(body)/1024)
	var took []time.Duration
	for range max(1, o.runs) {
		d, err := landImportOnCopy(ctx, o, dir, body)
		if err != nil {
			return err
		}
		took = append(took, d)
	}
	fmt.Printf("import (upload, mapping, job to its end, %d polygons): %s (load %s)\n", o.landImport, runs(took), loadAvg())
	return nil
}

// progressSample is one poll of an import job.
type progressSample struct {
	at          time.Duration
	status      string
	phase       string
	done, total int
}

// landImportOnCopy runs one import on a fresh copy of dir and returns
// the time from the upload to the job's end.
func landImportOnCopy(ctx context.Context, o options, dir string, body []byte) (time.Duration, error) {
	cp := dir + "-landimport"
	_ = os.RemoveAll(cp)
	defer os.RemoveAll(cp)
	if out, err := exec.CommandContext(ctx, "cp", "-a", dir, cp).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("copy %s: %v %s", dir, err, out)
	}
	addr, pid, stop, err := start(ctx, o.bin, cp, true)
	if err != nil {
		return 0, err
	}
	defer stop()
	cookie, csrf, err := signIn(addr, "land", o.landPassword)
	if err != nil {
		return 0, err
	}
	base := "http://" + addr + "/api/imports"
	cpu := newCPUMeter(pid)
	t0 := time.Now()
	b, up, err := call(http.MethodPost, base+"?name=plan.zip", cookie, csrf, "application/zip", body)
	if err != nil {
		return 0, err
	}
	var imp struct {
		ID     int64
		Status string
		Phase  string
		Done   int
		Total  int
		Report *struct {
			Read, Imported, Replaced int
			RepairedCount            int `json:"repaired_count"`
			RejectedCount            int `json:"rejected_count"`
		}
		Error *struct{ Code, Message string }
	}
	if err := json.Unmarshal(b, &imp); err != nil {
		return 0, err
	}
	start, _ := json.Marshal(map[string]any{"layer": "landuse", "map": map[string]string{"code": "DLBM", "name": "DLMC"}})
	if _, _, err := call(http.MethodPost, fmt.Sprintf("%s/%d/start", base, imp.ID), cookie, csrf, "application/json", start); err != nil {
		return 0, err
	}
	var samples []progressSample
	for imp.Status != "done" && imp.Status != "failed" {
		time.Sleep(250 * time.Millisecond)
		b, _, err := call(http.MethodGet, fmt.Sprintf("%s/%d", base, imp.ID), cookie, "", "", nil)
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal(b, &imp); err != nil {
			return 0, err
		}
		samples = append(samples, progressSample{time.Since(t0), imp.Status, imp.Phase, imp.Done, imp.Total})
	}
	took := time.Since(t0)
	if imp.Status == "failed" {
		return 0, fmt.Errorf("the import failed: %+v", imp.Error)
	}
	fmt.Printf("run: upload %s, job to its end %s; %s; read %d, imported %d (replacing %d), repaired %d, rejected %d\n",
		ms(up), ms(took), cpu.per(1), imp.Report.Read, imp.Report.Imported, imp.Report.Replaced, imp.Report.RepairedCount, imp.Report.RejectedCount)
	fmt.Println("  progress " + progressLine(samples))
	return took, nil
}

// progressLine prints the distinct progress the polls saw, with the time
// of each, and how many of them lay strictly between the start and the
// end of a phase.
func progressLine(samples []progressSample) string {
	var parts []string
	last, between := "", 0
	for _, s := range samples {
		now := s.status
		if s.phase != "" {
			now = fmt.Sprintf("%s %d/%d", s.phase, s.done, s.total)
		}
		if now == last {
			continue
		}
		last = now
		if s.phase != "" && s.done > 0 && s.done < s.total {
			between++
		}
		parts = append(parts, fmt.Sprintf("%.1fs %s", s.at.Seconds(), now))
	}
	return fmt.Sprintf("(%d samples, %d of them inside a phase): %s", len(parts), between, strings.Join(parts, ", "))
}

// landImportFile writes, unless it is there, a zipped Shapefile (UTF-8,
// with .cpg and .prj, EPSG:4547) of n land-use zones in a grid of 50 m
// cells over the middle of Luohe: each a cell with a jagged border of
// twelve points, a code among six classes and its name.
func landImportFile(ctx context.Context, file string, n int) error {
	if _, err := os.Stat(file); err == nil {
		return nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(file), "landimport-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "plan.geojson")
	f, err := os.Create(src)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	classes := [][2]string{{"0701", "城镇住宅用地"}, {"1001", "工业用地"}, {"0101", "水田"}, {"0103", "旱地"}, {"1207", "城镇村道路用地"}, {"1402", "防护绿地"}}
	rnd := rand.New(rand.NewPCG(1, 2))
	const cell, cols = 50.0, 400
	for i := range n {
		x, y := 488000+float64(i%cols)*cell, 3708000+float64(i/cols)*cell
		var ring [][2]float64
		for k := range 12 {
			t := float64(k) / 3 // three points a side, corners first
			side, f := int(t), t-math.Floor(t)
			jx, jy := rnd.Float64()*4-2, rnd.Float64()*4-2
			if f == 0 {
				jx, jy = 0, 0
			}
			p := [4][2]float64{{x + f*cell, y}, {x + cell, y + f*cell}, {x + cell - f*cell, y + cell}, {x, y + cell - f*cell}}[side]
			ring = append(ring, [2]float64{p[0] + jx, p[1] + jy})
		}
		ring = append(ring, ring[0])
		c := classes[rnd.IntN(len(classes))]
		feat, _ := json.Marshal(map[string]any{"type": "Feature", "properties": map[string]string{"DLBM": c[0], "DLMC": c[1]},
			"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}}})
		if i > 0 {
			w.WriteString(",\n")
		}
		w.Write(feat)
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	shp := filepath.Join(tmp, "plan")
	if err := os.Mkdir(shp, 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "ogr2ogr", "-f", "ESRI Shapefile", "-a_srs", "EPSG:4547", "-lco", "ENCODING=UTF-8",
		"-nlt", "POLYGON", filepath.Join(shp, "plan.shp"), src)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ogr2ogr: %v %s", err, out)
	}
	return zipDir(shp, file)
}

// zipDir zips the files of dir into file.
func zipDir(dir, file string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	out, err := os.Create(file + ".part")
	if err != nil {
		return err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, e := range entries {
		w, err := zw.Create(e.Name())
		if err != nil {
			return err
		}
		in, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		_, err = io.Copy(w, in)
		in.Close()
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(file+".part", file)
}
