package project_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/migrations"
	"github.com/luohe/onemap/project"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// codeOf is the code of a domain error, "" for nil.
func codeOf(err error) string {
	var e *geo.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestWorkdays counts working days over a calendar of 2030 (which begins
// on a Tuesday) with a holiday on a weekday, a holiday on a weekend and
// a make-up Saturday.
func TestWorkdays(t *testing.T) {
	c := project.NewCalendar([]int{2030, 2031}, []project.Day{
		{Date: day("2030-01-01"), Kind: project.Holiday, Name: "元旦"}, // Tuesday
		{Date: day("2030-01-05"), Kind: project.Holiday, Name: "元旦"}, // Saturday, a rest day anyway
		{Date: day("2030-01-12"), Kind: project.Makeup, Name: "元旦"},  // Saturday worked
	})
	for _, tc := range []struct {
		name, from, to string
		want           int
		code           string
	}{
		{"a plain week", "2030-01-14", "2030-01-20", 5, ""},
		{"the holiday's week", "2030-01-01", "2030-01-06", 3, ""},
		{"the make-up Saturday's week", "2030-01-07", "2030-01-13", 6, ""},
		{"both ends included", "2030-01-02", "2030-01-02", 1, ""},
		{"a Sunday", "2030-01-06", "2030-01-06", 0, ""},
		{"January", "2030-01-01", "2030-01-31", 23 - 1 + 1, ""},
		{"across the year's end", "2030-12-30", "2031-01-02", 4, ""},
		{"from after to", "2030-01-02", "2030-01-01", 0, "from_after_to"},
		{"a year the calendar lacks", "2031-12-31", "2032-01-01", 0, "calendar_year_missing"},
		{"the year before", "2029-12-31", "2030-01-01", 0, "calendar_year_missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := c.Workdays(day(tc.from), day(tc.to))
			if n != tc.want || codeOf(err) != tc.code {
				t.Fatalf("%d, %v; want %d, %q", n, err, tc.want, tc.code)
			}
		})
	}
}

// TestShippedYears parses the calendar files that ship with onemap: every
// year from 2024 on, none twice, each with its notice.
func TestShippedYears(t *testing.T) {
	paths, err := fs.Glob(migrations.FS(), "calendar/*.json")
	if err != nil {
		t.Fatal(err)
	}
	next := 2024
	for _, p := range paths {
		b, err := fs.ReadFile(migrations.FS(), p)
		if err != nil {
			t.Fatal(err)
		}
		y, err := project.ParseYearFile(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if y.Year != next || p != fmt.Sprintf("calendar/%d.json", y.Year) {
			t.Errorf("%s holds %d (%s), want %d", p, y.Year, y.Notice, next)
		}
		next++
	}
	if next < 2027 {
		t.Fatalf("shipped up to %d, want 2024 to 2026 at least", next-1)
	}
}

// TestParseYearFile refuses a file with a day outside its year, a day
// listed twice or a make-up day on a weekday.
func TestParseYearFile(t *testing.T) {
	for name, file := range map[string]string{
		"outside the year": `{"year": 2030, "notice": "通知", "holidays": [{"name": "元旦", "from": "2029-12-31", "to": "2030-01-01"}]}`,
		"twice":            `{"year": 2030, "notice": "通知", "holidays": [{"name": "元旦", "from": "2030-01-01", "to": "2030-01-01"}], "makeup": [{"name": "元旦", "date": "2030-01-01"}]}`,
		"make-up weekday":  `{"year": 2030, "notice": "通知", "makeup": [{"name": "元旦", "date": "2030-01-02"}]}`,
		"no notice":        `{"year": 2030, "holidays": [{"name": "元旦", "from": "2030-01-01", "to": "2030-01-01"}]}`,
		"backwards":        `{"year": 2030, "notice": "通知", "holidays": [{"name": "元旦", "from": "2030-01-02", "to": "2030-01-01"}]}`,
	} {
		if _, err := project.ParseYearFile([]byte(file)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// TestApprovalOf runs the clock of 38 working days over 2030: from the
// first step's start to the permit's issue, or to today while it runs.
func TestApprovalOf(t *testing.T) {
	c := project.NewCalendar([]int{2030}, nil)
	step := func(s, from, to string) project.Step {
		st := project.Step{Step: s, Started: day(from)}
		if to != "" {
			st.Finished = day(to)
		}
		return st
	}
	for _, tc := range []struct {
		name       string
		steps      []project.Step
		today      string
		used, left int
		overrun    bool
	}{
		{"running", []project.Step{step("land", "2030-03-04", "2030-03-04"), step("filing", "2030-03-05", "")}, "2030-03-08", 5, 33, false},
		{"stopped by the permit", []project.Step{step("land", "2030-03-04", ""), step(project.StepPermit, "2030-03-11", "2030-04-24")}, "2030-06-28", 38, 0, false},
		{"a day over", []project.Step{step("land", "2030-03-04", ""), step(project.StepPermit, "2030-03-11", "2030-04-25")}, "2030-06-28", 39, 0, true},
		{"the permit still open", []project.Step{step("land", "2030-03-04", ""), step(project.StepPermit, "2030-03-11", "")}, "2030-04-25", 39, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := project.ApprovalOf(1, tc.steps, c, day(tc.today))
			if a.Used == nil || *a.Used != tc.used || *a.Left != tc.left || a.Overrun != tc.overrun {
				t.Fatalf("%+v", a)
			}
		})
	}
	t.Run("a year the calendar lacks", func(t *testing.T) {
		a := project.ApprovalOf(1, []project.Step{step("land", "2029-12-03", "")}, c, day("2030-01-04"))
		if a.Used != nil || a.Note == "" || a.Steps[0].Workdays != nil {
			t.Fatalf("%+v", a)
		}
	})
}
