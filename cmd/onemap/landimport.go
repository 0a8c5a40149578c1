package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/ogr"
)

// importOptions are the flags of onemap import.
type importOptions struct {
	file, layer, srs, encoding, fields, system, plan string
}

func (o *importOptions) flags(fs *flag.FlagSet) {
	var layers []string
	for _, l := range land.Layers() {
		layers = append(layers, string(l.Layer))
	}
	fs.StringVar(&o.file, "file", "", "the file: zipped Shapefile (.zip with .shp .shx .dbf .prj), GeoPackage (.gpkg), GeoJSON (.geojson) or zipped FileGDB (.gdb folder)")
	fs.StringVar(&o.layer, "layer", "", "the layer the file replaces: "+strings.Join(layers, ", "))
	fs.StringVar(&o.srs, "srs", "", "the file's coordinate system when it has no .prj or a wrong one: "+strings.Join(land.SRSes(), ", "))
	fs.StringVar(&o.encoding, "encoding", "", "text encoding of a Shapefile without .cpg: "+strings.Join(land.Encodings(), ", ")+" (default: guessed)")
	fs.StringVar(&o.fields, "map", "", "the file's fields: code=FIELD (land-use or control-zone code), system=FIELD, name=FIELD, plan=FIELD, e.g. code=DLBM,name=DLMC")
	fs.StringVar(&o.system, "system", "", "classification system of every land-use code when no field holds it: "+land.SystemGTKJ2023+" (default) or "+land.SystemGBT21010)
	fs.StringVar(&o.plan, "plan", "", "the plan every zone belongs to when no field holds it (default: the file's name)")
}

// importActor is the audit log's actor of a command-line import.
const importActor = "onemap import"

// Import imports a file into a land layer, replacing the layer, and
// prints the progress and the report.
func (m *Main) Import(ctx context.Context, o importOptions, out io.Writer) error {
	if o.file == "" || o.layer == "" {
		return errors.New("give --file and --layer")
	}
	fields, err := land.ParseFieldMap(o.fields)
	if err != nil {
		return err
	}
	limits := land.DefaultLimits()
	root, err := os.MkdirTemp("", "onemap-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	im := land.NewImporter(m.db, ogr.New(limits), root, limits, m.log)
	defer im.Close()
	p := geo.Principal{Kind: geo.UserSession, Username: importActor, Roles: []geo.Role{geo.RoleAdmin}}
	last := ""
	imp, err := im.Run(ctx, p, o.file, land.ImportOptions{Layer: land.Layer(o.layer), SRS: o.srs, Encoding: o.encoding,
		Map: fields, System: o.system, Plan: o.plan}, func(phase string, done, total int) {
		line := fmt.Sprintf("%s %d/%d", phase, done, total)
		if phase != land.PhaseReading {
			line = phase
		}
		if line != last {
			fmt.Fprintln(out, line)
			last = line
		}
	})
	if err != nil {
		var ge *geo.Error
		if errors.As(err, &ge) {
			return fmt.Errorf("%s (%s): %s", ge.Message, ge.Code, ge.MessageEN)
		}
		return err
	}
	printImport(out, imp)
	return nil
}

// printImport prints an import's report.
func printImport(out io.Writer, imp land.Import) {
	r := imp.Report
	fmt.Fprintf(out, "%s → %s: read %d, imported %d (replacing %d), %.1f m² (%.2f 亩); repaired %d, rejected %d\n",
		filepath.Base(imp.FileName), imp.Options.Layer, r.Read, r.Imported, r.Replaced, r.AreaM2, r.AreaM2*15/10000, r.RepairedCount, r.RejectedCount)
	fmt.Fprintf(out, "file: %s, layer %s, %s", imp.Info.Driver, imp.Info.Layer, imp.Info.SRS)
	if imp.Info.Encoding != "" {
		guess := ""
		if imp.Info.EncodingGuessed {
			guess = " (guessed)"
		}
		fmt.Fprintf(out, ", encoding %s%s", imp.Info.Encoding, guess)
	}
	fmt.Fprintln(out)
	for _, x := range r.Repaired {
		fmt.Fprintf(out, "repaired feature %d: %s; %.1f m² → %.1f m²\n", x.N, x.Reason, x.AreaBefore, x.AreaAfter)
	}
	reasons := land.RejectReasons()
	for _, x := range r.Rejected {
		code := ""
		if x.Code != "" {
			code = " " + x.Code
		}
		fmt.Fprintf(out, "rejected feature %d: %s (%s)%s\n", x.N, x.Reason, reasons[x.Reason], code)
	}
}
