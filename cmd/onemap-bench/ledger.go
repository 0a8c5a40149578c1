package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
)

// The ledger's measurements, on the demo data plus --projects synthetic
// key projects (onemap seed --projects) with twelve months of reports
// each: the leaders' dashboard (GET /api/dashboard), the ledger's export
// (GET /api/projects.xlsx, every project) and an import
// (POST /api/projects/import) of a workbook of --import-rows rows made
// from the export (demo.LedgerImport). The import writes: it runs on a
// copy of the data folder, a fresh one for each run.

func ledgerTitle(o options) string {
	return fmt.Sprintf("projects %d — dashboard, ledger export and import", o.projects)
}

// loadAvg is the machine's load average over the last minute, five and
// fifteen minutes, as /proc/loadavg gives it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// call makes one request with a session and returns the answer's body and
// how long it took to the last byte; an answer other than 2xx is an
// error.
func call(method, url, cookie, csrf, ctype string, body []byte) ([]byte, time.Duration, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Cookie", cookie)
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	t := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	d := time.Since(t)
	if err != nil {
		return nil, d, err
	}
	if res.StatusCode/100 != 2 {
		return nil, d, fmt.Errorf("%s %s: %s %.300s", method, url, res.Status, b)
	}
	return b, d, nil
}

// cpuMeter measures the CPU time onemap (pid) and its PostgreSQL spend
// from its start: robust where the wall time is not, on a machine that
// other work shares.
type cpuMeter struct {
	pid        int
	self, tree time.Duration
}

func newCPUMeter(pid int) cpuMeter { return cpuMeter{pid, procCPU(pid), treeCPU(pid)} }

// per prints the CPU time spent since the start, divided by n.
func (c cpuMeter) per(n int) string {
	self, tree := procCPU(c.pid)-c.self, treeCPU(c.pid)-c.tree
	return fmt.Sprintf("CPU %s (onemap %s, PostgreSQL %s)", ms((tree)/time.Duration(n)),
		ms(self/time.Duration(n)), ms((tree-self)/time.Duration(n)))
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

// measureLedger runs the ledger's measurements on dir.
func measureLedger(ctx context.Context, o options, dir string) error {
	fmt.Printf("\n## %s\n", ledgerTitle(o))
	addr, pid, stop, err := start(ctx, o.bin, dir, true)
	if err != nil {
		return err
	}
	defer stop()
	base := "http://" + addr
	leader, _, err := signIn(addr, o.user, o.password)
	if err != nil {
		return err
	}
	// The dashboard of this year, as the leader's first screen asks it,
	// one request after another after three to warm up.
	var lat []time.Duration
	var size int
	fmt.Printf("load average before: %s\n", loadAvg())
	var cpu cpuMeter
	for i := range 3 + o.dashboards {
		if i == 3 {
			cpu = newCPUMeter(pid)
		}
		b, d, err := call(http.MethodGet, base+"/api/dashboard", leader, "", "", nil)
		if err != nil {
			return err
		}
		if i >= 3 {
			lat, size = append(lat, d), len(b)
		}
	}
	slices.Sort(lat)
	fmt.Printf("dashboard (GET /api/dashboard, %d requests, %d KB): median %s, p95 %s, min %s, max %s; %s per request (load %s)\n",
		len(lat), size/1024, ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100]), ms(lat[0]), ms(lat[len(lat)-1]), cpu.per(len(lat)), loadAvg())

	admin, _, err := signIn(addr, "admin", o.adminPassword)
	if err != nil {
		return err
	}
	var export []byte
	var exports []time.Duration
	cpu = newCPUMeter(pid)
	for range max(1, o.runs) {
		b, d, err := call(http.MethodGet, base+"/api/projects.xlsx", admin, "", "", nil)
		if err != nil {
			return err
		}
		export, exports = b, append(exports, d)
	}
	fmt.Printf("ledger export (GET /api/projects.xlsx, every project, %d KB): %s; %s per export (load %s)\n",
		len(export)/1024, runs(exports), cpu.per(len(exports)), loadAvg())
	book, err := demo.LedgerImport(export, o.importRows, geo.NewRegistry(), time.Now())
	if err != nil {
		return err
	}
	stop()

	var imports []time.Duration
	var answer []byte
	var cpus []string
	for range max(1, o.runs) {
		d, b, c, err := importOnCopy(ctx, o, dir, book)
		if err != nil {
			return err
		}
		imports, answer, cpus = append(imports, d), b, append(cpus, c)
	}
	var res struct{ Created, Updated, Unchanged int }
	if err := json.Unmarshal(answer, &res); err != nil {
		return err
	}
	fmt.Printf("import (POST /api/projects/import, %d rows: %d new projects, %d changed, %d unchanged; %d KB): %s; %s (load %s)\n",
		o.importRows, res.Created, res.Updated, res.Unchanged, len(book)/1024, runs(imports), strings.Join(cpus, "; "), loadAvg())
	return nil
}

// runs prints the median of durations and their range.
func runs(ds []time.Duration) string {
	s := slices.Sorted(slices.Values(ds))
	return fmt.Sprintf("median %s of %d (%s–%s)", ms(s[len(s)/2]), len(s), ms(s[0]), ms(s[len(s)-1]))
}

// importOnCopy imports book as admin into a copy of the data folder dir,
// which it removes afterwards, and returns the time the import took, its
// answer and the CPU time it cost.
func importOnCopy(ctx context.Context, o options, dir string, book []byte) (time.Duration, []byte, string, error) {
	cp := dir + "-import"
	_ = os.RemoveAll(cp)
	defer os.RemoveAll(cp)
	if out, err := exec.CommandContext(ctx, "cp", "-a", dir, cp).CombinedOutput(); err != nil {
		return 0, nil, "", fmt.Errorf("copy %s: %v %s", dir, err, out)
	}
	addr, pid, stop, err := start(ctx, o.bin, cp, true)
	if err != nil {
		return 0, nil, "", err
	}
	defer stop()
	admin, csrf, err := signIn(addr, "admin", o.adminPassword)
	if err != nil {
		return 0, nil, "", err
	}
	cpu := newCPUMeter(pid)
	b, d, err := call(http.MethodPost, "http://"+addr+"/api/projects/import", admin, csrf,
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", book)
	return d, b, cpu.per(1), err
}
