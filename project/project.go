// Package project is the key-project ledger (重点项目): projects and their
// stages, monthly progress and blockers, the rules of changing them, and
// the Service that the API, the command line and jobs call; with on-site
// visual supervision (Cameras: camera links, snapshots, coverage) and the
// yearly district assessment (Assessments). It keeps its data through
// the small store interfaces it defines; package postgis implements them.
package project

import (
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// Project is a key project (重点项目).
type Project struct {
	ID              geo.ID
	Code            string // 项目代码 of the national approval platform; empty: none yet
	Name            string
	Stage           geo.Stage
	Category        geo.Category
	DistrictID      geo.ID
	Leader          string // 分包领导
	ResponsibleUnit string // 责任单位
	Owner           string // 业主单位
	OwnerContact    string
	Industry        string
	TotalInvestment geo.Dec // 总投资, 万元
	AnnualPlan      geo.Dec // 年度计划, 万元
	PlannedStart    time.Time
	PlannedFinish   time.Time
	ActualStart     time.Time
	ActualFinish    time.Time
	IntendedUse     *land.Code       // intended land-use class; nil: not given
	WithdrawnReason string           // why a withdrawn project left the pool
	Site            orb.MultiPolygon // nil: none drawn yet
	Point           orb.Point        // on the site if there is one; zero: to be put there
	Progress        []Progress
	Blockers        []Blocker
	Version         int // counts the project's changes; 0: not kept yet
}

// Progress is a project's month: planned and actual investment and the
// image progress (形象进度).
type Progress struct {
	Month    time.Time // first day of the month
	Planned  geo.Dec   // 万元
	Invested geo.Dec   // 万元
	Note     string    // progress_note
	Photos   []string
}

// Blocker is a coordination problem (协调问题) of a project.
type Blocker struct {
	ID              geo.ID
	Kind            string // land, funds, planning, environment or other
	Note            string
	ResponsibleUnit string
	RaisedOn        time.Time
	DueOn           time.Time // zero: none
	ResolvedOn      time.Time // zero: open
	Resolution      string    // how it was resolved; with ResolvedOn
}
