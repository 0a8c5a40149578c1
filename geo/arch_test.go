package geo_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportArrows checks DESIGN.md's arrows with the go tool's own import
// lists: cmd → api → capability packages → geo; tiles → geo; postgis →
// capability packages, tiles, geo; nothing runs back up.
func TestImportArrows(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go tool")
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "github.com/luohe/onemap/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/luohe/onemap/"
	imports := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(p.ImportPath, mod)
		if name == "geo" {
			for _, imp := range p.Imports {
				first, _, _ := strings.Cut(imp, "/")
				if strings.Contains(first, ".") && !strings.HasPrefix(imp, "github.com/paulmach/orb") {
					t.Errorf("geo imports %s: it imports only the standard library and orb", imp)
				}
			}
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, mod) {
				imports[name] = append(imports[name], strings.TrimPrefix(imp, mod))
			}
		}
	}
	// What each package may import of the module; a package not listed
	// here may import anything but the packages that import it.
	capabilities := []string{"project", "land", "invest", "access"}
	allowed := map[string][]string{
		"geo":     {},
		"tiles":   {"geo"},
		"project": {"geo", "land", "project/photo"},
		// Reading and cleaning photos: no database, no HTTP, no domain.
		"project/photo": {},
		"land":          {"geo"},
		"invest":        {"geo", "land"},
		"access":        {"geo"},
		"api":           append([]string{"geo", "tiles"}, capabilities...),
		"postgis":       append([]string{"geo", "tiles", "migrations"}, capabilities...),
		"fonts":         {"geo"},
		"frontend":      {},
	}
	for pkg, ok := range allowed {
		for _, imp := range imports[pkg] {
			if !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s: the arrows point the other way (DESIGN.md, Architecture)", pkg, imp)
			}
		}
	}
	for pkg, imps := range imports {
		for _, imp := range imps {
			if strings.HasPrefix(imp, "cmd/") {
				t.Errorf("%s imports the command %s", pkg, imp)
			}
		}
	}
}
