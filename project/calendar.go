package project

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/luohe/onemap/geo"
)

// The working-day calendar of the joint approval clock (联审联批): the
// national holidays and the make-up working days (调休) of each year whose
// notice (国务院办公厅关于部分节假日安排的通知) is in the calendar. A day it
// does not list is a working day from Monday to Friday and a rest day at
// the weekend; a listed holiday is a rest day and a listed make-up day a
// working day, whatever their weekday.

// DayKind is what a listed day of the calendar is.
type DayKind string

// The kinds of listed days.
const (
	Holiday DayKind = "holiday" // 放假: a day off
	Makeup  DayKind = "makeup"  // 调休上班: a weekend day worked
)

// Valid reports whether k is a kind of day.
func (k DayKind) Valid() bool { return k == Holiday || k == Makeup }

// Day is a listed day of the calendar: a holiday or a make-up working day,
// with the festival it belongs to (春节).
type Day struct {
	Date time.Time // midnight UTC of the day
	Kind DayKind
	Name string
}

// Year is a year of the calendar: the notice it follows and its listed
// days in date order.
type Year struct {
	Year   int
	Notice string // the notice's title, number and date
	Days   []Day
}

// CalendarYear is a year of the calendar as the API answers it.
type CalendarYear struct {
	Year      int        `json:"year"`
	Notice    string     `json:"notice"`
	Holidays  int        `json:"holidays"` // listed holidays
	Makeups   int        `json:"makeups"`  // listed make-up working days
	Workdays  int        `json:"workdays"` // working days of the whole year
	UpdatedAt time.Time  `json:"updated_at"`
	Days      []DayEntry `json:"days,omitempty"`
}

// DayEntry is a listed day as the API answers and takes it.
type DayEntry struct {
	Date string  `json:"date"` // YYYY-MM-DD
	Kind DayKind `json:"kind"`
	Name string  `json:"name"`
}

// MinYear and MaxYear bound the years a calendar may hold.
const (
	MinYear = 2000
	MaxYear = 2100
)

// MaxDayName bounds the name of a listed day, in characters.
const MaxDayName = 20

// ParseDay parses a day, YYYY-MM-DD from MinYear to MaxYear, into its
// midnight UTC; KindInvalid "bad_date" naming field otherwise.
func ParseDay(field, s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < MinYear || d.Year() > MaxYear {
		return time.Time{}, inputError(field, "bad_date", fmt.Sprintf("日期 %s 无效：%q（格式 2025-01-31）", field, s),
			fmt.Sprintf("invalid date %s: %q (2025-01-31)", field, s))
	}
	return d, nil
}

// ParseYear parses a calendar year, MinYear to MaxYear; KindInvalid
// "bad_year" otherwise.
func ParseYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < MinYear || y > MaxYear {
		return 0, inputError("year", "bad_year", fmt.Sprintf("年份无效：%q（%d–%d）", s, MinYear, MaxYear),
			fmt.Sprintf("invalid year %q (%d to %d)", s, MinYear, MaxYear))
	}
	return y, nil
}

// Check checks a listed day: its kind, its name, and that a make-up day
// falls on a weekend (a weekday is a working day anyway). KindInvalid
// with what is wrong.
func (d Day) Check() error {
	if !d.Kind.Valid() {
		return inputError("kind", "bad_day_kind", fmt.Sprintf("日期类型无效：%q（holiday 放假或 makeup 调休上班）", d.Kind),
			fmt.Sprintf("invalid kind of day %q (holiday or makeup)", d.Kind))
	}
	if n := len([]rune(d.Name)); n == 0 || n > MaxDayName || !geo.ValidText(d.Name) {
		return inputError("name", "bad_day_name", fmt.Sprintf("节日名称需为 1–%d 个字", MaxDayName),
			fmt.Sprintf("the festival's name has 1 to %d characters", MaxDayName))
	}
	if d.Kind == Makeup && !weekend(d.Date) {
		return inputError("kind", "makeup_on_weekday", fmt.Sprintf("%s 是%s，本就是工作日，不能设为调休上班日",
			d.Date.Format(time.DateOnly), weekdayZH[d.Date.Weekday()]),
			fmt.Sprintf("%s is a %s, a working day anyway: it cannot be a make-up working day", d.Date.Format(time.DateOnly), d.Date.Weekday()))
	}
	return nil
}

var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func weekend(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }

// Calendar answers which days are working days, over the years it holds.
type Calendar struct {
	years map[int]bool
	days  map[time.Time]DayKind
}

// NewCalendar is the calendar of years with their listed days.
func NewCalendar(years []int, days []Day) Calendar {
	c := Calendar{years: map[int]bool{}, days: map[time.Time]DayKind{}}
	for _, y := range years {
		c.years[y] = true
	}
	for _, d := range days {
		c.days[d.Date] = d.Kind
	}
	return c
}

// Workday reports whether day d (midnight UTC) is a working day.
func (c Calendar) Workday(d time.Time) bool {
	switch c.days[d] {
	case Holiday:
		return false
	case Makeup:
		return true
	}
	return !weekend(d)
}

// Covers checks that the calendar holds every year from from to to:
// KindInvalid "calendar_year_missing" naming the first year it lacks.
func (c Calendar) Covers(from, to time.Time) error {
	for y := from.Year(); y <= to.Year(); y++ {
		if !c.years[y] {
			return geo.Invalid("calendar_year_missing",
				"节假日日历中没有 %d 年（%s）：请管理员按国务院办公厅当年的节假日安排通知补录后再计算工作日",
				"the holiday calendar has no year %d (%s): an admin adds it from that year's official notice",
				y, c.yearsText())
		}
	}
	return nil
}

// yearsText lists the years held, "已有 2024、2025 年".
func (c Calendar) yearsText() string {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	if len(ys) == 0 {
		return "日历为空"
	}
	slices.Sort(ys)
	s := "已有 "
	for i, y := range ys {
		if i > 0 {
			s += "、"
		}
		s += fmt.Sprint(y)
	}
	return s + " 年"
}

// Workdays counts the working days from from to to, both included:
// KindInvalid "from_after_to" if from is after to, as Covers if a year of
// the range is not in the calendar.
func (c Calendar) Workdays(from, to time.Time) (int, error) {
	if from.After(to) {
		return 0, inputError("to", "from_after_to", fmt.Sprintf("开始日期 %s 晚于结束日期 %s", from.Format(time.DateOnly), to.Format(time.DateOnly)),
			fmt.Sprintf("from %s is after to %s", from.Format(time.DateOnly), to.Format(time.DateOnly)))
	}
	if err := c.Covers(from, to); err != nil {
		return 0, err
	}
	return c.count(from, to), nil
}

// count counts the working days from from to to, both included, taking
// the plain week where the calendar lists nothing.
func (c Calendar) count(from, to time.Time) int {
	n := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.Workday(d) {
			n++
		}
	}
	return n
}

// yearFile is a shipped year's data file (migrations/calendar/YYYY.json):
// the notice's holidays as ranges and its make-up working days. The file's
// "text" quotes the notice's items for its reader; the parser leaves it.
type yearFile struct {
	Year     int    `json:"year"`
	Notice   string `json:"notice"`
	Holidays []struct {
		Name string `json:"name"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"holidays"`
	Makeup []struct {
		Name string `json:"name"`
		Date string `json:"date"`
	} `json:"makeup"`
}

// ParseYearFile reads a shipped year's data file: every day in its year,
// checked as Day.Check checks it, none listed twice. The error says what
// is wrong with the file.
func ParseYearFile(b []byte) (Year, error) {
	var f yearFile
	if err := json.Unmarshal(b, &f); err != nil {
		return Year{}, fmt.Errorf("calendar file: %w", err)
	}
	y := Year{Year: f.Year, Notice: f.Notice}
	seen := map[time.Time]bool{}
	add := func(d Day) error {
		if d.Date.Year() != f.Year {
			return fmt.Errorf("calendar %d: %s is not in the year", f.Year, d.Date.Format(time.DateOnly))
		}
		if seen[d.Date] {
			return fmt.Errorf("calendar %d: %s listed twice", f.Year, d.Date.Format(time.DateOnly))
		}
		if err := d.Check(); err != nil {
			return fmt.Errorf("calendar %d: %s: %w", f.Year, d.Date.Format(time.DateOnly), err)
		}
		seen[d.Date] = true
		y.Days = append(y.Days, d)
		return nil
	}
	for _, h := range f.Holidays {
		from, err := ParseDay("from", h.From)
		if err != nil {
			return Year{}, fmt.Errorf("calendar %d: %w", f.Year, err)
		}
		to, err := ParseDay("to", h.To)
		if err != nil || to.Before(from) {
			return Year{}, fmt.Errorf("calendar %d: bad range %s..%s", f.Year, h.From, h.To)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if err := add(Day{Date: d, Kind: Holiday, Name: h.Name}); err != nil {
				return Year{}, err
			}
		}
	}
	for _, m := range f.Makeup {
		d, err := ParseDay("date", m.Date)
		if err != nil {
			return Year{}, fmt.Errorf("calendar %d: %w", f.Year, err)
		}
		if err := add(Day{Date: d, Kind: Makeup, Name: m.Name}); err != nil {
			return Year{}, err
		}
	}
	if f.Year < MinYear || f.Year > MaxYear || f.Notice == "" || len(y.Days) == 0 {
		return Year{}, fmt.Errorf("calendar %d: a year from %d to %d with its notice and days", f.Year, MinYear, MaxYear)
	}
	slices.SortFunc(y.Days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return y, nil
}
