// Command onemap-bench measures onemap's tile speed: it seeds two
// databases in a data folder (the Luohe demo data, and the demo data plus
// a synthetic land-use layer of --scale polygons), starts bin/onemap on
// each, and fetches fixed tile lists over Luohe at zooms 8 to 14, cold
// (cache off) and warm (cache on), printing tiles per second (the median of
// --runs runs, and their range), p50/p99 latency, tile sizes, and the CPU
// time each tile cost the server (onemap and its PostgreSQL) and the
// benchmark client, which share the machine. Under each warm measurement
// it prints a floor: the same answers served by a bare net/http server.
// It also measures the ledger at --projects key projects (ledger.go) and
// the land bureau's compliance check and import (land.go).
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	do := run
	if len(os.Args) == 2 && os.Args[1] == floorArg {
		do = serveFloor
	}
	if err := do(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "onemap-bench:", err)
		os.Exit(1)
	}
}

type options struct {
	bin      string
	data     string
	scale    int
	coldConn int
	warmConn int
	warmFor  time.Duration
	coldFor  time.Duration
	runs     int
	perZoom  int
	user     string
	only     string
	zooms    string
	password string
	// The ledger's measurements.
	projects      int
	dashboards    int
	importRows    int
	adminPassword string
	// The land bureau's measurements.
	checks       int
	landImport   int
	landPassword string
	// The site search's measurement.
	parcels  int
	searches int
}

func run(ctx context.Context) error {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/onemap", "the onemap binary")
	flag.StringVar(&o.data, "data", ".bench-data", "folder for the benchmark databases (kept between runs)")
	flag.IntVar(&o.scale, "scale", 1_000_000, "synthetic land-use polygons in the scale dataset")
	flag.IntVar(&o.coldConn, "cold-conns", 8, "connections for the cold runs")
	flag.IntVar(&o.warmConn, "warm-conns", 64, "connections for the warm runs")
	flag.DurationVar(&o.warmFor, "warm-for", 5*time.Second, "duration of each warm run")
	flag.DurationVar(&o.coldFor, "cold-for", 6*time.Second, "least duration of each cold run (at least one pass over the tiles)")
	flag.IntVar(&o.runs, "runs", 3, "runs per measurement; the median is printed, with the range")
	flag.IntVar(&o.perZoom, "per-zoom", 120, "tiles per zoom level at zooms 11–14 (all tiles over Luohe below)")
	flag.StringVar(&o.only, "only", "", "run only the measurements whose title holds this text (e.g. \"scale\", \"warm\", \"demo — cold\")")
	flag.StringVar(&o.zooms, "zooms", "", "run only the zoom band 8-10, 11-12 or 13-14")
	flag.StringVar(&o.user, "user", "leader", "demo account the benchmark signs in as")
	flag.StringVar(&o.password, "password", "luohe-leader-2026", "its password")
	flag.IntVar(&o.projects, "projects", 10_000, "synthetic key projects in the ledger dataset")
	flag.IntVar(&o.dashboards, "dashboards", 50, "dashboard requests measured")
	flag.IntVar(&o.importRows, "import-rows", 1000, "rows of the imported workbook")
	flag.StringVar(&o.adminPassword, "admin-password", "luohe-admin-2026", "password of the demo account admin, who exports and imports")
	flag.IntVar(&o.checks, "checks", 100, "compliance checks measured")
	flag.IntVar(&o.landImport, "land-import", 100_000, "polygons of the imported Shapefile")
	flag.StringVar(&o.landPassword, "land-password", "luohe-land-2026", "password of the demo account land, who checks sites and imports land layers")
	flag.IntVar(&o.parcels, "parcels", 100_000, "synthetic parcels in the site search's dataset")
	flag.IntVar(&o.searches, "searches", 30, "site searches measured")
	flag.Parse()
	data, err := filepath.Abs(o.data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return err
	}
	_ = os.Chmod(data, 0o755)

	demoDir, scaleDir := filepath.Join(data, "demo"), filepath.Join(data, fmt.Sprintf("scale-%d", o.scale))
	demoLayers := "landuse,controls,districts,parks,enclaves,parcels,transport,firms"
	runs := []struct {
		name, dir string
		layers    []string
		more      []string // the flags of onemap seed that add to the demo data
	}{
		{"demo", demoDir, []string{demoLayers, "projects"}, nil},
		{fmt.Sprintf("scale %d", o.scale), scaleDir, []string{"landuse"}, []string{"--scale", fmt.Sprint(o.scale)}},
	}
	for _, r := range runs {
		seeded := false
		for _, cached := range []bool{false, true} {
			if !strings.Contains(title(r.name, cached, o), o.only) {
				continue
			}
			if !seeded {
				if err := seed(ctx, o.bin, r.dir, r.more); err != nil {
					return err
				}
				seeded = true
			}
			if err := measure(ctx, o, r.name, r.dir, r.layers, cached); err != nil {
				return err
			}
		}
	}
	if strings.Contains(complianceTitle(o), o.only) {
		if err := seed(ctx, o.bin, scaleDir, runs[1].more); err != nil {
			return err
		}
		if err := measureCompliance(ctx, o, scaleDir); err != nil {
			return err
		}
	}
	if strings.Contains(landImportTitle(o), o.only) {
		if err := seed(ctx, o.bin, demoDir, nil); err != nil {
			return err
		}
		if err := measureLandImport(ctx, o, demoDir, data); err != nil {
			return err
		}
	}
	if strings.Contains(sitesTitle(o), o.only) {
		if err := measureSites(ctx, o, data); err != nil {
			return err
		}
	}
	if strings.Contains(ledgerTitle(o), o.only) {
		dir := filepath.Join(data, fmt.Sprintf("projects-%d", o.projects))
		if err := seed(ctx, o.bin, dir, []string{"--projects", fmt.Sprint(o.projects)}); err != nil {
			return err
		}
		return measureLedger(ctx, o, dir)
	}
	return nil
}

// seed makes a data folder with the demo data and, if more is not nil,
// what onemap seed adds with the flags more (synthetic land use or
// projects), unless it was made before.
func seed(ctx context.Context, bin, dir string, more []string) error {
	done := filepath.Join(dir, "seeded")
	if _, err := os.Stat(done); err == nil {
		return nil
	}
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	steps := [][]string{{"seed", "--data", dir}}
	if more != nil {
		steps = append(steps, append([]string{"seed", "--data", dir}, more...))
	}
	for _, args := range steps {
		fmt.Printf("# %s %v\n", bin, args)
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%v: %w", args, err)
		}
		fmt.Printf("#   took %s\n", time.Since(start).Round(time.Second))
	}
	return os.WriteFile(done, nil, 0o644)
}

// luohe is the extent of the tile lists.
var luohe = orb.Bound{Min: orb.Point{113.45, 33.40}, Max: orb.Point{114.27, 33.98}}

// tileList returns the tiles over Luohe at zoom z: all of them, or an
// evenly spaced sample of at most n.
func tileList(z maptile.Zoom, n int) []maptile.Tile {
	nw := maptile.At(orb.Point{luohe.Min[0], luohe.Max[1]}, z)
	se := maptile.At(orb.Point{luohe.Max[0], luohe.Min[1]}, z)
	var all []maptile.Tile
	for x := nw.X; x <= se.X; x++ {
		for y := nw.Y; y <= se.Y; y++ {
			all = append(all, maptile.New(x, y, z))
		}
	}
	if len(all) <= n {
		return all
	}
	step := float64(len(all)) / float64(n)
	out := make([]maptile.Tile, 0, n)
	for i := range n {
		out = append(out, all[int(float64(i)*step)])
	}
	return out
}

// measure starts onemap on dir and reports, per zoom band, the speed of
// fetching each layer list's tiles.
func measure(ctx context.Context, o options, name, dir string, layerLists []string, cached bool) error {
	addr, pid, stop, err := start(ctx, o.bin, dir, cached)
	if err != nil {
		return err
	}
	defer stop()
	conns := o.coldConn
	if cached {
		conns = o.warmConn
	}
	cookie, _, err := signIn(addr, o.user, o.password)
	if err != nil {
		return err
	}
	fmt.Printf("\n## %s\n", title(name, cached, o))
	fmt.Printf("%-22s %-7s %6s %9s %15s %8s %8s %9s %9s %9s %7s %7s\n", "layers", "zooms", "tiles", "tiles/s", "range", "p50 ms", "p99 ms", "avg KB", "max KB", "max gz KB", "srv µs", "cli µs")
	var bands [][2]maptile.Zoom
	for _, b := range [][2]maptile.Zoom{{8, 10}, {11, 12}, {13, 14}} {
		if o.zooms == "" || o.zooms == fmt.Sprintf("%d-%d", b[0], b[1]) {
			bands = append(bands, b)
		}
	}
	d := o.coldFor
	if cached {
		d = o.warmFor
	}
	for _, layers := range layerLists {
		label := layers
		if len(label) > 22 {
			label = label[:19] + "…"
		}
		for _, b := range bands {
			var urls []string
			for z := b[0]; z <= b[1]; z++ {
				for _, t := range tileList(z, o.perZoom) {
					urls = append(urls, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layers, t.Z, t.X, t.Y))
				}
			}
			// One pass over the list measures the sizes (and fills the
			// cache); the runs then only count: warm, round and round the
			// cached list; cold, every tile built again, pass after pass.
			sized, err := fetchAll(ctx, addr, cookie, urls, conns, 0, true)
			if err != nil {
				return err
			}
			servers := []*server{{addr: addr, pid: pid}}
			if cached {
				// The floor: the same answers, byte for byte, from a bare
				// net/http server that looks them up in a map.
				answers, err := record(addr, cookie, urls)
				if err != nil {
					return err
				}
				floor, err := startFloor(ctx, answers)
				if err != nil {
					return err
				}
				defer floor.stop()
				servers = append(servers, floor)
			}
			// The machine's speed drifts: the servers take turns, run by run.
			for range max(1, o.runs) {
				for _, s := range servers {
					srv0, cli0 := treeCPU(s.pid), selfCPU()
					r, err := fetchAll(ctx, s.addr, cookie, urls, conns, d, false)
					if err != nil {
						return err
					}
					s.runs = append(s.runs, r)
					s.srv += treeCPU(s.pid) - srv0
					s.cli += selfCPU() - cli0
				}
			}
			fmt.Printf("%-22s z%d–z%-3d %s %9.1f %9.1f %9.1f %s\n", label, b[0], b[1], servers[0].summary(),
				sized.avgKB, sized.maxKB, sized.maxGzKB, servers[0].cpu())
			if cached {
				fmt.Printf("%-22s %-7s %s %29s %s\n", "└ bare net/http", "", servers[1].summary(), "", servers[1].cpu())
				servers[1].stop()
			}
		}
	}
	return nil
}

// signIn signs in to onemap at addr and returns the session cookie
// (name=value) and its CSRF token.
func signIn(addr, user, password string) (cookie, csrf string, err error) {
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)
	res, err := http.Post("http://"+addr+"/api/login", "application/json", strings.NewReader(body))
	if err != nil {
		return "", "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("sign in as %s: %s", user, res.Status)
	}
	var info struct {
		CSRF string `json:"csrf"`
	}
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		return "", "", fmt.Errorf("sign in as %s: %w", user, err)
	}
	for _, c := range res.Cookies() {
		if c.Name == "onemap_session" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		return "", "", errors.New("sign-in set no session cookie")
	}
	return cookie, info.CSRF, nil
}

// server is a tile server under measurement and the runs it served.
type server struct {
	addr     string
	pid      int
	runs     []result
	srv, cli time.Duration
	stop     func()
}

// summary prints the tiles fetched, the median run's rate (with the range
// of the runs) and its p50 and p99 latency.
func (s *server) summary() string {
	runs := slices.SortedFunc(slices.Values(s.runs), func(a, b result) int { return cmp.Compare(a.rate, b.rate) })
	res := runs[len(runs)/2]
	spread := fmt.Sprintf("%.0f–%.0f", runs[0].rate, runs[len(runs)-1].rate)
	return fmt.Sprintf("%6d %9.0f %15s %8.1f %8.1f", s.tiles(), res.rate, spread, res.p50, res.p99)
}

// cpu prints the CPU time per tile of the server and of the client.
func (s *server) cpu() string {
	per := func(t time.Duration) float64 { return float64(t.Microseconds()) / float64(max(1, s.tiles())) }
	return fmt.Sprintf("%7.0f %7.0f", per(s.srv), per(s.cli))
}

func (s *server) tiles() int {
	n := 0
	for _, r := range s.runs {
		n += r.n
	}
	return n
}

// title names a measurement.
func title(name string, cached bool, o options) string {
	if cached {
		return fmt.Sprintf("%s — warm (cache on), %d connections", name, o.warmConn)
	}
	return fmt.Sprintf("%s — cold (cache off), %d connections", name, o.coldConn)
}

type result struct {
	n                     int
	rate, p50, p99        float64
	avgKB, maxKB, maxGzKB float64
}

// fetchAll fetches urls with conns workers, each on its own keep-alive
// connection: each URL once, and round and round until d has passed; sizes
// measures the tiles before gzip too.
func fetchAll(ctx context.Context, addr, cookie string, urls []string, conns int, d time.Duration, sizes bool) (result, error) {
	reqs := make([][]byte, len(urls))
	for i, u := range urls {
		reqs[i] = fmt.Appendf(nil, "GET %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nAccept-Encoding: gzip\r\n\r\n", u, addr, cookie)
	}
	var (
		next    atomic.Int64
		mu      sync.Mutex
		lat     []float64
		total   int64
		maxRaw  int
		maxGz   int
		firstEr error
		wg      sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var (
				local []float64
				c     *conn
				err   error
				raw   int
				gz    int
			)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(urls) && (d == 0 || time.Now().After(deadline)) || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				if c == nil {
					c, err = dial(addr)
				}
				if err == nil {
					raw, gz, err = c.get(reqs[i%len(reqs)], sizes)
				}
				local = append(local, float64(time.Since(t0).Microseconds())/1000)
				if err != nil || c.closed {
					c.close()
					c = nil
				}
				mu.Lock()
				if err != nil && firstEr == nil {
					firstEr = fmt.Errorf("%s: %w", urls[i%len(urls)], err)
				}
				total += int64(raw)
				maxRaw, maxGz = max(maxRaw, raw), max(maxGz, gz)
				mu.Unlock()
			}
			if c != nil {
				c.close()
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstEr != nil {
		return result{}, firstEr
	}
	el := time.Since(start).Seconds()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return math.NaN()
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	return result{n: len(lat), rate: float64(len(lat)) / el, p50: pct(0.5), p99: pct(0.99),
		avgKB: float64(total) / float64(max(1, len(lat))) / 1024, maxKB: float64(maxRaw) / 1024, maxGzKB: float64(maxGz) / 1024}, nil
}

// conn is a minimal HTTP/1.1 keep-alive client connection: the load
// generator shares the machine's two cores with onemap and PostgreSQL, so
// it does as little as it can (no goroutines per connection, no header
// maps).
type conn struct {
	nc     net.Conn
	r      *bufio.Reader
	body   bytes.Buffer
	closed bool
}

func dial(addr string) (*conn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &conn{nc: nc, r: bufio.NewReaderSize(nc, 64<<10)}, nil
}

func (c *conn) close() {
	if c != nil {
		c.nc.Close()
	}
}

// get sends one request and reads its answer, which must be 200 with a
// Content-Length; it returns the body's size after gzip, and before if
// sizes is set.
func (c *conn) get(req []byte, sizes bool) (raw, gz int, err error) {
	if _, err := c.nc.Write(req); err != nil {
		return 0, 0, err
	}
	status, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, 0, err
	}
	ok := bytes.HasPrefix(status, []byte("HTTP/1.1 200 "))
	length, gzipped := -1, false
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, 0, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, 0, err
			}
		case bytes.EqualFold(name, []byte("Content-Encoding")):
			gzipped = bytes.EqualFold(value, []byte("gzip"))
		case bytes.EqualFold(name, []byte("Connection")):
			c.closed = bytes.EqualFold(value, []byte("close"))
		}
	}
	if length < 0 {
		return 0, 0, fmt.Errorf("answer without Content-Length: %s", bytes.TrimSpace(status))
	}
	if !ok || sizes {
		c.body.Reset()
		if _, err := io.CopyN(&c.body, c.r, int64(length)); err != nil {
			return 0, 0, err
		}
	} else if _, err := c.r.Discard(length); err != nil {
		return 0, 0, err
	}
	if !ok {
		return 0, 0, fmt.Errorf("%s %s", bytes.TrimSpace(status), c.body.String())
	}
	if !sizes || !gzipped {
		return length, length, nil
	}
	zr, err := gzip.NewReader(&c.body)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, zr)
	return int(n), length, err
}

// start runs onemap serve on dir and waits until it is ready; it returns
// onemap's address and process id.
func start(ctx context.Context, bin, dir string, cached bool) (string, int, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", 0, nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cache := "0"
	if cached {
		cache = "1024"
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "--data", dir, "--addr", addr, "--cache-mb", cache, "--db-max-conns", "16", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	for i := 0; ; i++ {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return addr, cmd.Process.Pid, stop, nil
			}
		}
		if i > 600 {
			stop()
			return "", 0, nil, errors.New("onemap did not become ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// clockTick is the unit of the CPU times in /proc/<pid>/stat (USER_HZ,
// 100 on every Linux this runs on).
const clockTick = 10 * time.Millisecond

// treeCPU returns the CPU time used so far by process pid and its running
// descendants (onemap and its embedded PostgreSQL), read from /proc; zero
// where there is no /proc.
func treeCPU(pid int) time.Duration {
	entries, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	ticks := map[int]int64{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, t, ok := procStat(p); ok {
			parent[p], ticks[p] = pp, t
		}
	}
	var total int64
	for p, t := range ticks {
		for q := p; q > 1; q = parent[q] {
			if q == pid {
				total += t
				break
			}
		}
	}
	return time.Duration(total) * clockTick
}

// procCPU returns the CPU time used so far by process pid alone.
func procCPU(pid int) time.Duration {
	_, t, _ := procStat(pid)
	return time.Duration(t) * clockTick
}

// procStat reads a process's parent and the CPU time it used (user and
// system, in clock ticks) from /proc/<pid>/stat, with that of its children
// that ended and were waited for (an ogr2ogr that read a file, a
// PostgreSQL backend that closed): each ended process counts once, in the
// living parent that waited for it.
func procStat(pid int) (ppid int, ticks int64, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, false
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state, ppid, … utime, stime, cutime and cstime are the
	// 12th to the 15th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	for _, x := range f[11:15] {
		n, _ := strconv.ParseInt(x, 10, 64)
		ticks += n
	}
	return ppid, ticks, true
}

// selfCPU returns the CPU time the benchmark itself has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// floorArg makes this program the floor server of startFloor.
const floorArg = "serve-floor"

// answer is one tile answer as onemap gave it.
type answer struct {
	Path   string
	Header http.Header
	Body   []byte
}

// record fetches each of urls once from onemap's cache and keeps the
// answers, headers and (gzipped) body.
func record(addr, cookie string, urls []string) ([]answer, error) {
	var answers []answer
	for _, u := range slices.Compact(slices.Sorted(slices.Values(urls))) {
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s", u, res.Status)
		}
		// net/http writes the date itself.
		res.Header.Del("Date")
		answers = append(answers, answer{u, res.Header, body})
	}
	return answers, nil
}

// startFloor runs this program as a bare net/http server of answers, in a
// process of its own as onemap is, and returns it once it listens.
func startFloor(ctx context.Context, answers []answer) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, floorArg)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := sync.OnceFunc(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	err = gob.NewEncoder(in).Encode(answers)
	if err == nil {
		err = in.Close()
	}
	var addr string
	if err == nil {
		addr, err = bufio.NewReader(out).ReadString('\n')
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("floor server: %w", err)
	}
	return &server{addr: strings.TrimSpace(addr), pid: cmd.Process.Pid, stop: stop}, nil
}

// serveFloor reads answers from stdin, prints the address it listens on
// and serves them with net/http and nothing else: no routing, no
// middleware, no sign-in, no cache, one map lookup.
func serveFloor(ctx context.Context) error {
	var answers []answer
	if err := gob.NewDecoder(os.Stdin).Decode(&answers); err != nil {
		return err
	}
	byPath := make(map[string]answer, len(answers))
	for _, a := range answers {
		byPath[a.Path] = a
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range a.Header {
			h[k] = v
		}
		_, _ = w.Write(a.Body)
	})}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
