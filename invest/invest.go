// Package invest is investment promotion (招商): parks, parcels, enclaves
// and their share schedules, target firms, and what a share link shows of
// parks and parcels, with the Service that reads them.
package invest

import (
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// Park is an industrial park (园区 / 产业集聚区).
type Park struct {
	ID                geo.ID
	Name              string
	Level             string // national, provincial or city
	DistrictID        geo.ID
	LeadingIndustries []string // 主导产业
	Model             string   // 主体企业开发, 政企联合, 飞地工业 or 政府主导; empty: not given
	Utilities         []string // 七通一平 items, ids of Utilities
	Policies          string   // 招商政策, as text
	ContactName       string   // the investment contact (sensitive)
	ContactPhone      string
	Geom              orb.MultiPolygon
	Version           int     // counts the park's changes; 0: not kept yet
	Chains            []Chain // 产业链: a bulk load writes them; parks are saved without them (see Firms.SetChains)
}

// Parcel is a parcel (地块) offered to investors.
type Parcel struct {
	ID                  geo.ID
	Code                string
	Name                string
	DistrictID          geo.ID // 0: none
	ParkID              geo.ID // 0: outside parks
	SupplyStatus        string
	Landuse             land.Code
	Price               *geo.Dec // 起始价, 万元/亩
	PlotRatioMin        *geo.Dec // 容积率
	PlotRatioMax        *geo.Dec //
	BuildingDensity     *geo.Dec // 建筑密度, %
	GreenRatio          *geo.Dec // 绿地率, %
	InvestmentIntensity *geo.Dec // 投资强度, 万元/亩
	TaxPerMu            *geo.Dec // 地均税收, 万元/亩/年
	Utilities           []string // 七通一平 items, ids of Utilities
	Geom                orb.MultiPolygon
	Version             int // counts the parcel's changes; 0: not kept yet
}

// Enclave is an enclave zone (飞地): home district (飞出地) and host
// district (飞入地) share its statistics by schedule.
type Enclave struct {
	ID              geo.ID
	Name            string
	HomeDistrictID  geo.ID
	HostDistrictID  geo.ID
	AgreementNo     string
	AgreementDate   time.Time
	TermYears       int
	Model           string // 主体企业开发, 政企联合, 飞地工业, 联合管委会 or 第三方运营
	QuotaDistrictID geo.ID // whose land quota is used
	Geom            orb.MultiPolygon
	Shares          []EnclaveShare
}

// EnclaveShare is one step of a share schedule: from FromYear on, item is
// split HomePct : HostPct, which sum to 100.
type EnclaveShare struct {
	Item     string // gdp, fixed_investment, tax or land_revenue
	FromYear int
	HomePct  geo.Dec
	HostPct  geo.Dec
}

// Firm is a target firm (目标企业) of investment promotion.
type Firm struct {
	ID           geo.ID
	Name         string
	Tags         []string // ids of FirmTags
	Industries   []string
	HQCity       string
	Stage        string // one of FirmStages
	Responsible  string // the person of the investment team in charge
	ContactName  string
	ContactPhone string
	HQ           orb.Point // headquarters
	ParkIDs      []geo.ID
	ParcelIDs    []geo.ID
	History      []FirmStageEntry // oldest first: a bulk load writes it; SaveFirm writes a StageMove instead
}
