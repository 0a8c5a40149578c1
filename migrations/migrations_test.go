package migrations_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/luohe/onemap/migrations"
)

// TestNames checks the files' names: numbered files NNNN_name.sql at the
// top, numbered 0001, 0002, … without a gap or a duplicate; repeatable
// files NN_name.sql in repeatable/, each NN once; the calendar's years
// calendar/YYYY.json; nothing else.
func TestNames(t *testing.T) {
	numbered := regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)
	repeatable := regexp.MustCompile(`^repeatable/(\d{2})_[a-z0-9_]+\.sql$`)
	calendar := regexp.MustCompile(`^calendar/\d{4}\.json$`)
	next := 1
	seen := map[string]bool{}
	err := fs.WalkDir(migrations.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if m := numbered.FindStringSubmatch(p); m != nil {
			if m[1] != fmt.Sprintf("%04d", next) {
				t.Errorf("%s: want number %04d", p, next)
			}
			next++
		} else if m := repeatable.FindStringSubmatch(p); m != nil {
			if seen[m[1]] {
				t.Errorf("%s: a second repeatable file numbered %s", p, m[1])
			}
			seen[m[1]] = true
		} else if !calendar.MatchString(p) {
			t.Errorf("%s: neither NNNN_name.sql nor repeatable/NN_name.sql", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if next == 1 || len(seen) == 0 {
		t.Fatalf("%d numbered and %d repeatable files", next-1, len(seen))
	}
}

// TestFrozen checks the numbered files against testdata/sha256sums, the
// checksums of the files as they landed: a landed file never changes, and
// a new one lands with its line added (`sha256sum NNNN_name.sql`). Without
// this test an edit would pass every test on fresh databases and be found
// only when a deployed database refuses it.
func TestFrozen(t *testing.T) {
	f, err := os.Open("testdata/sha256sums")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	landed := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("testdata/sha256sums: bad line %q", sc.Text())
		}
		landed[name] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(migrations.FS(), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		body, err := fs.ReadFile(migrations.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(body)
		sum := hex.EncodeToString(s[:])
		switch want, ok := landed[name]; {
		case !ok:
			t.Errorf("%s is not in testdata/sha256sums: once it lands, add the line %q", name, sum+"  "+name)
		case want != sum:
			t.Errorf("%s was edited after it landed (sha256 %s, now %s): restore it and put the change in a new numbered migration",
				name, want, sum)
		}
		delete(landed, name)
	}
	for name := range landed {
		t.Errorf("%s landed and is gone: a landed migration stays", name)
	}
}
