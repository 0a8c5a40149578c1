// Package ogr is onemap's GDAL adapter: it unpacks the archives the land
// bureau uploads (safely: no path escapes, links or zip bombs), finds the
// dataset in them (Shapefile, GeoPackage, GeoJSON, FileGDB), lists its
// fields with ogrinfo and reads its features with ogr2ogr as GeoJSON
// sequences in EPSG:4490 (Debian's gdal-bin). GDAL runs as a separate
// process with its arguments as a list (never through a shell), a
// timeout, no network and only the drivers of those formats.
package ogr

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var _ land.Files = (*GDAL)(nil)

// GDAL runs ogrinfo and ogr2ogr.
type GDAL struct {
	// Limits bound unpacked archives.
	Limits Limits
	// Inspect bounds the time ogrinfo takes (0: a minute).
	InspectTimeout time.Duration
}

// New returns the adapter with the importer's limits.
func New(l land.Limits) *GDAL {
	return &GDAL{Limits: Limits{Unpacked: l.Unpacked, Entries: l.Entries}}
}

// The kinds of dataset and the GDAL driver that reads each.
const (
	DriverShapefile = "ESRI Shapefile"
	DriverGPKG      = "GPKG"
	DriverGeoJSON   = "GeoJSON"
	DriverFileGDB   = "OpenFileGDB"
)

func errFormat() error {
	return geo.Invalid("unsupported_file", "不支持的文件：请上传压缩的 Shapefile（.zip，含 .shp .shx .dbf .prj）、GeoPackage（.gpkg）、GeoJSON（.geojson）或压缩的 FileGDB（.gdb 文件夹的 .zip）",
		"unsupported file: upload a zipped Shapefile (.shp .shx .dbf .prj), a GeoPackage (.gpkg), GeoJSON (.geojson) or a zipped FileGDB (.gdb folder)")
}

// Prepare places the upload at file (sent as name) in dir: a zip archive
// is unpacked (Unzip), a GeoPackage or GeoJSON is moved there. It returns
// the path of the one dataset found. Errors are KindInvalid.
func (g *GDAL) Prepare(_ context.Context, file, name, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".zip":
		if err := Unzip(file, dir, g.Limits); err != nil {
			return "", err
		}
	case ".gpkg", ".geojson", ".json":
		if err := os.Rename(file, filepath.Join(dir, "data"+ext)); err != nil {
			return "", err
		}
	case ".shp", ".dbf", ".shx", ".prj":
		return "", geo.Invalid("shapefile_not_zipped", "Shapefile 由多个文件组成（.shp .shx .dbf .prj .cpg），请把它们压缩成一个 .zip 上传",
			"a Shapefile is several files (.shp .shx .dbf .prj .cpg): upload them zipped together")
	default:
		return "", errFormat()
	}
	return find(dir)
}

// find returns the one dataset under dir, checked by its first bytes:
// GDAL picks a driver by content, and a file that only looks like a
// dataset by its name (a VRT naming other files or URLs) is refused.
func find(dir string) (string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		lower := strings.ToLower(d.Name())
		if d.IsDir() {
			if strings.HasSuffix(lower, ".gdb") && p != dir {
				found = append(found, p)
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(lower) {
		case ".shp", ".gpkg", ".geojson", ".json":
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	switch len(found) {
	case 0:
		return "", geo.Invalid("no_dataset", "压缩包里没有可导入的数据（.shp、.gpkg、.geojson 或 .gdb）", "the archive holds no dataset (.shp, .gpkg, .geojson or .gdb)")
	case 1:
	default:
		var names []string
		for _, f := range found {
			rel, _ := filepath.Rel(dir, f)
			names = append(names, rel)
		}
		return "", geo.Invalid("several_datasets", "压缩包里有多个数据集，请每次上传一个：%s", "the archive holds several datasets, upload one at a time: %s", strings.Join(names, ", "))
	}
	return found[0], checkMagic(found[0])
}

// checkMagic checks that a dataset is what its name says.
func checkMagic(p string) error {
	bad := geo.Invalid("bad_dataset", "“%s”的内容与其格式不符", "%s is not what its name says", filepath.Base(p))
	ext := strings.ToLower(filepath.Ext(p))
	if ext == ".gdb" {
		if _, err := os.Stat(filepath.Join(p, "a00000001.gdbtable")); err != nil {
			return bad
		}
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch ext {
	case ".shp":
		if !bytes.HasPrefix(head, []byte{0, 0, 0x27, 0x0a}) {
			return bad
		}
		base := strings.TrimSuffix(p, filepath.Ext(p))
		for _, side := range []string{".dbf", ".shx"} {
			if !sidecar(base, side) {
				return geo.Invalid("shapefile_incomplete", "Shapefile 缺少 %s 文件", "the Shapefile lacks its %s file", side)
			}
		}
	case ".gpkg":
		if !bytes.HasPrefix(head, []byte("SQLite format 3\x00")) {
			return bad
		}
	default:
		t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
		if !bytes.HasPrefix(t, []byte("{")) {
			return bad
		}
	}
	return nil
}

// sidecar finds base+ext in either case (.DBF next to .shp happens).
func sidecar(base, ext string) bool {
	for _, e := range []string{ext, strings.ToUpper(ext)} {
		if _, err := os.Stat(base + e); err == nil {
			return true
		}
	}
	return false
}

func driverOf(dataset string) string {
	switch strings.ToLower(filepath.Ext(dataset)) {
	case ".shp":
		return DriverShapefile
	case ".gpkg":
		return DriverGPKG
	case ".gdb":
		return DriverFileGDB
	}
	return DriverGeoJSON
}

// gdalEncodings maps the encodings a user chooses to GDAL's (iconv) names.
var gdalEncodings = map[string]string{"UTF-8": "UTF-8", "GBK": "CP936", "GB18030": "GB18030", "BIG5": "CP950"}

// encoding decides the text encoding of a Shapefile's DBF: the user's
// choice, else the .cpg or the DBF's language driver byte (GDAL reads
// them: ""), else what the text looks like: UTF-8 if it is valid UTF-8,
// GBK if not (the bureau's files without .cpg are GBK). guessed tells
// whether it was guessed.
func encoding(dataset, chosen string) (enc string, guessed bool) {
	if driverOf(dataset) != DriverShapefile {
		return "", false
	}
	if chosen != "" {
		return strings.ToUpper(chosen), false
	}
	base := strings.TrimSuffix(dataset, filepath.Ext(dataset))
	if sidecar(base, ".cpg") {
		return "", false
	}
	dbf := base + ".dbf"
	if !sidecar(base, ".dbf") {
		dbf = base + ".DBF"
	}
	b, err := os.ReadFile(dbf)
	if err != nil || len(b) < 32 {
		return "", false
	}
	if b[29] != 0 { // language driver id: GDAL knows the code page
		return "", false
	}
	headerLen := int(b[8]) | int(b[9])<<8
	if headerLen > len(b) {
		return "", false
	}
	text := b[headerLen:]
	ascii := true
	for _, c := range text {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return "", false
	}
	if utf8.Valid(text) {
		return "UTF-8", true
	}
	return "GBK", true
}

// Inspect lists the dataset's layer, fields, feature count and
// coordinate system with ogrinfo. A dataset of several layers is read
// from its first polygon layer. Errors are KindInvalid for files GDAL
// cannot read.
func (g *GDAL) Inspect(ctx context.Context, dataset, srs, enc string) (land.FileInfo, error) {
	timeout := g.InspectTimeout
	if timeout == 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	e, guessed := encoding(dataset, enc)
	args := []string{"-ro", "-so", "-al", "-nomd"}
	if e != "" {
		args = append(args, "-oo", "ENCODING="+gdalEncodings[e])
	}
	args = append(args, dataset)
	out, err := run(ctx, "ogrinfo", args, nil)
	if err != nil {
		return land.FileInfo{}, unreadable(err)
	}
	layers := parseInfo(out)
	if len(layers) == 0 {
		return land.FileInfo{}, geo.Invalid("no_layer", "文件中没有图层", "the file holds no layer")
	}
	pick := layers[0]
	for _, l := range layers {
		if strings.Contains(l.geometry, "Polygon") {
			pick = l
			break
		}
	}
	info := land.FileInfo{Driver: driverOf(dataset), Layer: pick.name, Fields: pick.fields, Count: pick.count, SRS: pick.srs,
		Encoding: e, EncodingGuessed: guessed}
	if info.Fields == nil {
		info.Fields = []string{}
	}
	return info, nil
}

func unreadable(err error) error {
	var ge *geo.Error
	if errors.As(err, &ge) || errors.Is(err, context.Canceled) {
		return err
	}
	return &geo.Error{Kind: geo.KindInvalid, Code: "unreadable_file", Message: "GDAL 无法读取该文件", MessageEN: "GDAL cannot read the file", Err: err}
}

type layerInfo struct {
	name, geometry, srs string
	count               int
	fields              []string
}

var (
	fieldLine = regexp.MustCompile(`^(\S.*?): (Integer|Integer64|Real|String|Date|Time|DateTime|Binary|IntegerList|Integer64List|RealList|StringList)(\(\w+\))? \(\d+\.\d+\)`)
	srsName   = regexp.MustCompile(`^[A-Z]+CRS\["([^"]*)"`)
)

// parseInfo reads ogrinfo -so -al's report.
func parseInfo(out []byte) []layerInfo {
	var layers []layerInfo
	var cur *layerInfo
	wkt := false
	for line := range strings.SplitSeq(string(out), "\n") {
		line = strings.TrimRight(line, "\r")
		if name, ok := strings.CutPrefix(line, "Layer name: "); ok {
			layers = append(layers, layerInfo{name: name})
			cur = &layers[len(layers)-1]
			wkt = false
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "Geometry: "):
			cur.geometry = strings.TrimPrefix(line, "Geometry: ")
		case strings.HasPrefix(line, "Feature Count: "):
			cur.count, _ = strconv.Atoi(strings.TrimPrefix(line, "Feature Count: "))
		case line == "Layer SRS WKT:":
			wkt = true
		case wkt:
			if m := srsName.FindStringSubmatch(line); m != nil {
				cur.srs = m[1]
			}
			wkt = false
		default:
			if m := fieldLine.FindStringSubmatch(line); m != nil {
				cur.fields = append(cur.fields, m[1])
			}
		}
	}
	return layers
}

// Read yields the features of the dataset's layer (as Inspect chose it)
// in EPSG:4490, read by ogr2ogr as a GeoJSON sequence. srs, if set, is
// the file's coordinate system instead of its own; a file without one
// needs it (land checks that). The sequence ends at the first error.
func (g *GDAL) Read(ctx context.Context, dataset, srs, enc string) iter.Seq2[land.Feature, error] {
	return func(yield func(land.Feature, error) bool) {
		info, err := g.Inspect(ctx, dataset, srs, enc)
		if err != nil {
			yield(land.Feature{}, err)
			return
		}
		// GeoJSON sequences are RFC 7946: WGS 84, which CGCS2000 equals
		// for a map (DESIGN.md: EPSG:4326 accepted as equal).
		args := []string{"-f", "GeoJSONSeq", "/vsistdout/", dataset, info.Layer,
			"-t_srs", "EPSG:4326", "-dim", "XY", "-lco", "COORDINATE_PRECISION=9", "-lco", "RS=NO"}
		if srs != "" {
			args = append(args, "-s_srs", strings.ToUpper(srs))
		}
		if info.Encoding != "" {
			args = append(args, "-oo", "ENCODING="+gdalEncodings[info.Encoding])
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stop := false
		_, err = run(ctx, "ogr2ogr", args, func(r io.Reader) error {
			br := bufio.NewReaderSize(r, 1<<20)
			for {
				line, err := br.ReadBytes('\n')
				if len(bytes.TrimSpace(line)) > 0 {
					f, ferr := feature(line)
					if ferr != nil {
						return ferr
					}
					if !yield(f, nil) {
						stop = true
						cancel()
						return nil
					}
				}
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
			}
		})
		if err != nil && !stop {
			yield(land.Feature{}, unreadable(err))
		}
	}
}

// feature decodes one GeoJSON feature: fields as text, the geometry.
func feature(line []byte) (land.Feature, error) {
	var raw struct {
		Properties map[string]any    `json:"properties"`
		Geometry   *geojson.Geometry `json:"geometry"`
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return land.Feature{}, fmt.Errorf("ogr2ogr output: %w", err)
	}
	f := land.Feature{Fields: make(map[string]string, len(raw.Properties))}
	for k, v := range raw.Properties {
		switch v := v.(type) {
		case nil:
		case string:
			f.Fields[k] = v
		case float64:
			f.Fields[k] = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			b, _ := json.Marshal(v)
			f.Fields[k] = string(b)
		}
	}
	if raw.Geometry != nil && raw.Geometry.Coordinates != nil {
		f.Geom = raw.Geometry.Coordinates
	}
	if c, ok := f.Geom.(orb.Collection); ok && len(c) == 0 {
		f.Geom = nil
	}
	return f, nil
}

// env is the environment of GDAL's processes: no network (no proxy that
// works, no remote files, PROJ offline), no drivers that read other files
// or URLs named inside a file (VRT), nothing of the server's own
// environment.
func env() []string {
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"LANG=C.UTF-8",
		"HOME=/nonexistent",
		"PROJ_NETWORK=OFF",
		"GDAL_HTTP_PROXY=127.0.0.1:9",
		"http_proxy=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9",
		"NO_PROXY=", "no_proxy=",
		"GDAL_HTTP_TIMEOUT=1", "GDAL_HTTP_CONNECTTIMEOUT=1", "GDAL_HTTP_MAX_RETRY=0",
		"CPL_VSIL_CURL_ALLOWED_EXTENSIONS=.onemap-no-network",
		"GDAL_SKIP=VRT OGR_VRT WFS WMS WMTS OAPIF ESRIJSON TopoJSON CSV PGDUMP PostgreSQL MySQL ODBC",
		"OGR_SQLITE_JOURNAL=OFF",
		"CPL_DEBUG=OFF",
	}
}

// stderrLimit bounds what is kept of GDAL's messages.
const stderrLimit = 8 << 10

// run runs a GDAL program with args (a list: never a shell) and the
// environment env. With read, read consumes its output as it comes;
// otherwise the output is returned.
func run(ctx context.Context, name string, args []string, read func(io.Reader) error) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env()
	cmd.WaitDelay = 5 * time.Second
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	if read == nil {
		out, err := cmd.Output()
		if err != nil {
			return nil, gdalError(ctx, name, err, stderr.String())
		}
		return out, nil
	}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rerr := read(pipe)
	if rerr != nil {
		_ = cmd.Process.Kill()
	}
	_, _ = io.Copy(io.Discard, pipe)
	werr := cmd.Wait()
	if rerr != nil {
		return nil, rerr
	}
	if werr != nil {
		return nil, gdalError(ctx, name, werr, stderr.String())
	}
	return nil, nil
}

func gdalError(ctx context.Context, name string, err error, stderr string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return geo.Invalid("gdal_timeout", "读取文件超时", "reading the file took too long")
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr))
}

// limitedBuffer keeps the first stderrLimit bytes written to it.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := stderrLimit - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
