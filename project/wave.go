package project

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/luohe/onemap/geo"
)

// Groundbreaking waves (集中开工): three a year, after the Spring Festival,
// after the wheat harvest and after the autumn harvest. Each has a window
// of dates an admin sets per year (DefaultWaves until then); a project
// started in a window is a new start of that wave, unless it was assigned
// to a wave by hand, which wins.

// Wave is a wave's window in a year.
type Wave struct {
	Year   int
	Wave   int // 1 to 3
	Starts time.Time
	Ends   time.Time
}

// WaveNames names the three waves, in order.
func WaveNames() []geo.Label {
	return []geo.Label{
		{ID: "1", ZH: "春节后集中开工", EN: "After the Spring Festival"},
		{ID: "2", ZH: "麦收后集中开工", EN: "After the wheat harvest"},
		{ID: "3", ZH: "秋收后集中开工", EN: "After the autumn harvest"},
	}
}

// springFestival is the first day of the lunar year (春节), by year.
var springFestival = map[int]string{
	2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06",
	2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03", 2031: "2031-01-23",
	2032: "2032-02-11", 2033: "2033-01-31", 2034: "2034-02-19", 2035: "2035-02-08",
}

// DefaultWaves are a year's windows until an admin sets them, for the
// years whose Spring Festival is known (2024 to 2035): from the 8th day
// of the lunar year, when work resumes after the festival's week, to 30
// April; after Henan's wheat harvest (late May to early June), 1 June to
// 31 July; after the autumn harvest and the National Day holiday, 8
// October to 30 November. false for another year.
func DefaultWaves(year int) ([]Wave, bool) {
	sf, ok := springFestival[year]
	if !ok {
		return nil, false
	}
	first, _ := time.Parse(time.DateOnly, sf)
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	return []Wave{
		{Year: year, Wave: 1, Starts: first.AddDate(0, 0, 7), Ends: day(time.April, 30)},
		{Year: year, Wave: 2, Starts: day(time.June, 1), Ends: day(time.July, 31)},
		{Year: year, Wave: 3, Starts: day(time.October, 8), Ends: day(time.November, 30)},
	}, true
}

// WaveProject is a new start of a year: a project started in the year
// or assigned to one of its waves.
type WaveProject struct {
	PolicyProject
	// Assigned is the wave of the year it was assigned to; nil: none.
	Assigned *int `json:"assigned"`
}

// WaveView is a wave of a year with its new starts.
type WaveView struct {
	Wave       int           `json:"wave"`
	Name       string        `json:"name"`
	NameEN     string        `json:"name_en"`
	Starts     string        `json:"starts"`
	Ends       string        `json:"ends"`
	Projects   []WaveProject `json:"projects"`
	Investment geo.Dec       `json:"investment"` // their total investment, 万元
}

// WaveYear is a year's waves.
type WaveYear struct {
	Year int `json:"year"`
	// Default: the windows are DefaultWaves, no admin set them.
	Default bool       `json:"default"`
	Waves   []WaveView `json:"waves"`
	// Others started in the year outside every window and were not
	// assigned to a wave.
	Others []WaveProject `json:"others"`
}

// WaveStore keeps the waves' windows and the projects assigned to them.
type WaveStore interface {
	// Waves returns a year's windows as an admin set them, in order; none
	// if they were not.
	Waves(ctx context.Context, p geo.Principal, year int) ([]Wave, error)
	// PutWaves sets a year's three windows.
	PutWaves(ctx context.Context, p geo.Principal, year int, ws []Wave) error
	// WaveProjects lists the projects p may see that started in year or
	// are assigned to one of its waves, by actual start and id.
	WaveProjects(ctx context.Context, p geo.Principal, year int) ([]WaveProject, error)
	// AssignWave assigns a project to a wave of year.
	AssignWave(ctx context.Context, p geo.Principal, id geo.ID, year, wave int) error
	// UnassignWave takes a project off its wave; KindNotFound if it has
	// none.
	UnassignWave(ctx context.Context, p geo.Principal, id geo.ID) error
}

// windows returns year y's windows: set by an admin, or the defaults
// (true); KindNotFound "wave_dates_missing" for a year with neither.
func (s *Policies) windows(ctx context.Context, p geo.Principal, y int) ([]Wave, bool, error) {
	ws, err := s.store.Waves(ctx, p, y)
	if err != nil || len(ws) > 0 {
		return ws, false, err
	}
	if ws, ok := DefaultWaves(y); ok {
		return ws, true, nil
	}
	return nil, false, geo.NotFound("wave_dates_missing", "尚未设置 %d 年的集中开工时间，请系统管理员设置", "the groundbreaking waves of %d have no dates yet; an admin sets them", y)
}

// Waves returns a year's waves (YYYY; "": this year) with their new
// starts: KindInvalid for a bad year, KindNotFound "wave_dates_missing"
// for a year without dates.
func (s *Policies) Waves(ctx context.Context, p geo.Principal, year string) (WaveYear, error) {
	y := s.today().Year()
	if year != "" {
		var err error
		if y, err = ParseYear(year); err != nil {
			return WaveYear{}, err
		}
	}
	ws, def, err := s.windows(ctx, p, y)
	if err != nil {
		return WaveYear{}, err
	}
	ps, err := s.store.WaveProjects(ctx, p, y)
	if err != nil {
		return WaveYear{}, err
	}
	out := WaveYear{Year: y, Default: def, Others: []WaveProject{}}
	names := WaveNames()
	for _, w := range ws {
		out.Waves = append(out.Waves, WaveView{Wave: w.Wave, Name: names[w.Wave-1].ZH, NameEN: names[w.Wave-1].EN,
			Starts: dayString(w.Starts), Ends: dayString(w.Ends), Projects: []WaveProject{}})
	}
	for _, pr := range ps {
		i := waveOf(pr, ws)
		if i < 0 {
			out.Others = append(out.Others, pr)
			continue
		}
		out.Waves[i].Projects = append(out.Waves[i].Projects, pr)
		out.Waves[i].Investment += pr.TotalInvestment
	}
	return out, nil
}

// waveOf is the index in ws of the wave of new start pr: the one it was
// assigned to, else the one whose window holds its actual start; -1:
// none.
func waveOf(pr WaveProject, ws []Wave) int {
	for i, w := range ws {
		if pr.Assigned != nil && *pr.Assigned == w.Wave {
			return i
		}
	}
	if pr.Assigned != nil || pr.ActualStart == nil {
		return -1
	}
	d, err := time.Parse(time.DateOnly, *pr.ActualStart)
	if err != nil {
		return -1
	}
	for i, w := range ws {
		if !d.Before(w.Starts) && !d.After(w.Ends) {
			return i
		}
	}
	return -1
}

// WindowInput is a wave's window as the API takes it.
type WindowInput struct {
	Starts string `json:"starts"`
	Ends   string `json:"ends"`
}

// WavesInput is a year's three windows as the API takes them
// (PUT /api/waves/{year}), in the order of WaveNames.
type WavesInput struct {
	Waves []WindowInput `json:"waves"`
}

// parse checks the windows of year y: KindInvalid with what is wrong.
func (in WavesInput) parse(y int) ([]Wave, error) {
	names := WaveNames()
	if len(in.Waves) != len(names) {
		return nil, inputError("waves", "bad_waves", fmt.Sprintf("须依次给出三批集中开工的起止日期（现有 %d 批）", len(in.Waves)),
			fmt.Sprintf("give the dates of the three waves, in order (there are %d)", len(in.Waves)))
	}
	ws := make([]Wave, len(in.Waves))
	for i, w := range in.Waves {
		var err error
		ws[i] = Wave{Year: y, Wave: i + 1}
		if ws[i].Starts, err = ParseDay("starts", w.Starts); err != nil {
			return nil, err
		}
		if ws[i].Ends, err = ParseDay("ends", w.Ends); err != nil {
			return nil, err
		}
		zh := names[i].ZH
		switch {
		case ws[i].Starts.Year() != y || ws[i].Ends.Year() != y:
			return nil, inputError("starts", "date_not_in_year", fmt.Sprintf("%s的日期须在 %d 年内", zh, y),
				fmt.Sprintf("the dates of wave %d must lie in %d", i+1, y))
		case ws[i].Ends.Before(ws[i].Starts):
			return nil, inputError("ends", "ends_before_starts", fmt.Sprintf("%s的结束日期 %s 早于开始日期 %s", zh, w.Ends, w.Starts),
				fmt.Sprintf("wave %d ends (%s) before it starts (%s)", i+1, w.Ends, w.Starts))
		case i > 0 && !ws[i].Starts.After(ws[i-1].Ends):
			return nil, inputError("starts", "waves_overlap", fmt.Sprintf("%s须在%s结束（%s）之后开始", zh, names[i-1].ZH, dayString(ws[i-1].Ends)),
				fmt.Sprintf("wave %d must start after wave %d ends (%s)", i+1, i, dayString(ws[i-1].Ends)))
		}
	}
	return ws, nil
}

// PutWaves sets a year's windows: KindInvalid for a bad year or
// windows; then the year's waves.
func (s *Policies) PutWaves(ctx context.Context, p geo.Principal, year string, in WavesInput) (WaveYear, error) {
	y, err := ParseYear(year)
	if err != nil {
		return WaveYear{}, err
	}
	ws, err := in.parse(y)
	if err != nil {
		return WaveYear{}, err
	}
	if err := s.store.PutWaves(ctx, p, y, ws); err != nil {
		return WaveYear{}, err
	}
	return s.Waves(ctx, p, strconv.Itoa(y))
}

// AssignInput assigns a project to a wave (PUT /api/projects/{id}/wave).
type AssignInput struct {
	Year int `json:"year"`
	Wave int `json:"wave"`
}

// AssignWave assigns a project to a wave: KindInvalid for a bad year
// or wave, else as WaveStore.AssignWave.
func (s *Policies) AssignWave(ctx context.Context, p geo.Principal, id geo.ID, in AssignInput) error {
	if in.Year < MinYear || in.Year > MaxYear {
		return inputError("year", "bad_year", fmt.Sprintf("年份无效：%d（%d–%d）", in.Year, MinYear, MaxYear),
			fmt.Sprintf("invalid year %d (%d to %d)", in.Year, MinYear, MaxYear))
	}
	if in.Wave < 1 || in.Wave > len(WaveNames()) {
		return inputError("wave", "bad_wave", fmt.Sprintf("集中开工批次须为 1、2 或 3（现为 %d）", in.Wave),
			fmt.Sprintf("the wave is 1, 2 or 3 (it is %d)", in.Wave))
	}
	return s.store.AssignWave(ctx, p, id, in.Year, in.Wave)
}

// UnassignWave takes a project off its wave: KindNotFound if it has none.
func (s *Policies) UnassignWave(ctx context.Context, p geo.Principal, id geo.ID) error {
	return s.store.UnassignWave(ctx, p, id)
}
