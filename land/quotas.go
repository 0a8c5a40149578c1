package land

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// The construction-land quota ledger (年度建设用地计划指标, DOMAIN.md): per
// district and year, in 亩, the quota the land bureau sets; allocated,
// the sites of approved projects; reserved, the sites of the projects
// still in the pipeline; remaining = quota − allocated − reserved.
//
// Every project of the ledger is a key project (重点项目). A project is
// approved, and its site allocated, once its joint-approval step "land"
// (土地出让合同签订, land in hand) is finished or it is under construction
// (在建) or in operation (竣工投产), which it cannot be without land; it
// counts in the year its land step finished, else the year construction
// started (else was planned to start, else this year). A project in the
// pipeline (储备 or 前期, without land) has its site reserved in the year
// it is planned to start, and never before this year. Withdrawn projects
// (退库) and projects without a site count nothing. A site counts by the
// ellipsoidal area of its parts, each piece of land in one district only
// (postgis/sql/land/quota_sites.sql): land in an enclave (飞地) counts in
// the quota of the enclave's QuotaDistrictID (its agreement says whose
// land quota is used, the home district's or the host's), not in the
// district it lies in; the rest counts in the district it lies in, and
// as the function zones (功能区) lie inside the counties, land in a zone
// counts in the zone, not in the county around it.

// Quota statuses of a site.
const (
	QuotaAllocated = "allocated" // 已批（已落实用地）
	QuotaReserved  = "reserved"  // 预留（储备、前期项目）
)

// The bounds of a quota: years 2000 to 2100 (as the ledger's year
// filters), at most 1,000,000 亩 (the city is about 3.9 million 亩), a
// reason of at most MaxQuotaReason characters.
const (
	MinQuotaYear   = 2000
	MaxQuotaYear   = 2100
	MaxQuotaMu     = geo.Dec(1_000_000_00)
	MaxQuotaReason = 500
)

// QuotaNearShare is the share of its quota left below which a district is
// near its quota (near).
const QuotaNearShare = 0.1

// muPerM2 is 亩 per m² (1 亩 = 10000/15 m²).
const muPerM2 = 15.0 / 10000

// QuotaSite is a site's part in one district's quota: the part in an
// enclave (EnclaveID and Enclave set) or the part outside every enclave.
type QuotaSite struct {
	DistrictID geo.ID    `json:"-"`
	ProjectID  geo.ID    `json:"project_id"`
	Name       string    `json:"name"`
	Stage      geo.Stage `json:"stage"`
	Status     string    `json:"status"` // QuotaAllocated or QuotaReserved
	Year       int       `json:"year"`
	AreaM2     float64   `json:"area_m2"`
	Mu         float64   `json:"mu"`
	// EnclaveID and Enclave name the enclave whose land this part is,
	// counted in the enclave's quota district; 0 and "": land outside
	// every enclave, counted in the district it lies in.
	EnclaveID geo.ID `json:"enclave_id,omitempty"`
	Enclave   string `json:"enclave,omitempty"`
}

// DistrictQuota is a district's quota of a year with what it is spent on.
type DistrictQuota struct {
	DistrictID geo.ID     `json:"district_id"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Year       int        `json:"year"`
	QuotaMu    *geo.Dec   `json:"quota_mu"` // nil: none set
	Version    int        `json:"version"`  // the quota's version (ETag "vN"); 0: none set
	UpdatedBy  string     `json:"updated_by"`
	UpdatedAt  *time.Time `json:"updated_at"`
	// AllocatedMu and ReservedMu are the sites of approved and of
	// pipeline projects, in 亩.
	AllocatedMu float64 `json:"allocated_mu"`
	ReservedMu  float64 `json:"reserved_mu"`
	// RemainingMu is QuotaMu − AllocatedMu − ReservedMu, RemainingShare
	// its share of the quota; nil without a quota.
	RemainingMu    *float64 `json:"remaining_mu"`
	RemainingShare *float64 `json:"remaining_share"`
	Over           bool     `json:"over"` // remaining below 0
	Near           bool     `json:"near"` // not over, less than QuotaNearShare left
	// Projects are the sites behind the numbers: allocated first, then
	// the pipeline's 前期 before 储备, the largest first.
	Projects []QuotaSite `json:"projects"`
}

// QuotaLedger is every district's quota of a year.
type QuotaLedger struct {
	Year      int             `json:"year"`
	NearShare float64         `json:"near_share"`
	Districts []DistrictQuota `json:"districts"`
}

// QuotaChange is a change of a district's quota, as the history keeps it.
type QuotaChange struct {
	ID         geo.ID    `json:"id"`
	DistrictID geo.ID    `json:"district_id"`
	Year       int       `json:"year"`
	OldMu      *geo.Dec  `json:"old_mu"` // nil: no quota before
	NewMu      geo.Dec   `json:"new_mu"`
	Version    int       `json:"version"` // the quota's version after the change
	Reason     string    `json:"reason"`
	ChangedBy  string    `json:"changed_by"`
	ChangedAt  time.Time `json:"changed_at"`
}

// QuotaInput is a quota as PUT /api/quotas/{year}/{district} takes it:
// 亩 with at most two decimals (a number or its text) and why.
type QuotaInput struct {
	QuotaMu json.Number `json:"quota_mu"`
	Reason  string      `json:"reason"`
}

// QuotaHistory is a district's quota of a year with every change of it,
// the newest first.
type QuotaHistory struct {
	DistrictQuota
	Changes []QuotaChange `json:"changes"`
}

// QuotaWarning tells that a saved site takes a district over its quota.
type QuotaWarning struct {
	DistrictID geo.ID  `json:"district_id"`
	District   string  `json:"district"`
	Year       int     `json:"year"`
	QuotaMu    geo.Dec `json:"quota_mu"`
	Status     string  `json:"status"`  // the site's: QuotaAllocated or QuotaReserved
	SiteMu     float64 `json:"site_mu"` // the site's part in the district
	// RemainingBeforeMu and RemainingAfterMu are the quota left before
	// the site is counted and after.
	RemainingBeforeMu float64 `json:"remaining_before_mu"`
	RemainingAfterMu  float64 `json:"remaining_after_mu"`
	Message           string  `json:"message"`
	MessageEN         string  `json:"message_en"`
}

// QuotaStore keeps the quotas and finds the sites counted in them.
type QuotaStore interface {
	// Quotas returns every district (or only district, if not 0), by id,
	// with its quota of year if one is set; nothing counted yet.
	// KindNotFound for a district that does not exist.
	Quotas(ctx context.Context, p geo.Principal, year int, district geo.ID) ([]DistrictQuota, error)
	// QuotaSites returns the parts of the sites counted in the quotas,
	// as p may see the projects: of year (0: every year), in district
	// (0: every district), of project (0: every project).
	QuotaSites(ctx context.Context, p geo.Principal, year int, district, project geo.ID) ([]QuotaSite, error)
	// PutQuota sets the quota c.DistrictID, c.Year to c.NewMu as p with
	// c.Reason, made on version (0: no quota yet), and records the change;
	// it answers the new version. KindPreconditionFailed when version is
	// no longer the current one, KindConflict when a quota was set in the
	// meantime (version 0), KindNotFound for no such district.
	PutQuota(ctx context.Context, p geo.Principal, c QuotaChange, version int) (int, error)
	// QuotaChanges returns the changes of a district's quota of year,
	// the newest first.
	QuotaChanges(ctx context.Context, p geo.Principal, district geo.ID, year int) ([]QuotaChange, error)
}

// ParseQuotaYear reads a quota's year, four digits from MinQuotaYear to
// MaxQuotaYear; "" is this year in the city. KindInvalid ("bad_year")
// for anything else.
func ParseQuotaYear(s string) (int, error) {
	if s == "" {
		return time.Now().In(geo.CityZone()).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < MinQuotaYear || y > MaxQuotaYear {
		e := geo.Invalid("bad_year", "年度须为 %d–%d 之间的四位数字", "the year is four digits from %d to %d", MinQuotaYear, MaxQuotaYear)
		e.Field = "year"
		return 0, e
	}
	return y, nil
}

// parse checks a quota's input: KindInvalid naming the field at fault.
func (in QuotaInput) parse() (geo.Dec, string, error) {
	bad := func(field, code, zh, en string, args ...any) error {
		e := geo.Invalid(code, zh, en, args...)
		e.Field = field
		return e
	}
	s := strings.TrimSpace(string(in.QuotaMu))
	if s == "" {
		return 0, "", bad("quota_mu", "bad_quota", "请填写年度建设用地指标（亩）", "the quota (mu) is missing")
	}
	mu, err := geo.ParseDec(s)
	switch {
	case err != nil && strings.HasPrefix(s, "-"), err == nil && mu < 0:
		return 0, "", bad("quota_mu", "negative_quota", "年度建设用地指标不能为负数", "the quota cannot be negative")
	case err != nil:
		return 0, "", bad("quota_mu", "bad_quota", "年度建设用地指标须为数字（亩），至多两位小数", "the quota is a number of mu with at most two decimals")
	case mu > MaxQuotaMu:
		return 0, "", bad("quota_mu", "quota_too_large", "年度建设用地指标不能超过 %s 亩", "the quota is at most %s mu", MaxQuotaMu)
	}
	reason := strings.TrimSpace(in.Reason)
	switch {
	case !geo.ValidText(in.Reason):
		return 0, "", geo.BadText("reason")
	case reason == "":
		return 0, "", bad("reason", "reason_required", "请填写调整原因", "the reason for the change is required")
	case utf8.RuneCountInString(reason) > MaxQuotaReason:
		return 0, "", bad("reason", "reason_too_long", "调整原因不能超过 %d 字", "the reason has at most %d characters", MaxQuotaReason)
	}
	return mu, reason, nil
}

// QuotaLedger returns every district's quota of year (see
// ParseQuotaYear) with the sites counted in it, as p may see the
// projects. KindInvalid for a bad year.
func (s *Service) QuotaLedger(ctx context.Context, p geo.Principal, year string) (QuotaLedger, error) {
	y, err := ParseQuotaYear(year)
	if err != nil {
		return QuotaLedger{}, err
	}
	l := QuotaLedger{Year: y, NearShare: QuotaNearShare}
	l.Districts, err = s.districtQuotas(ctx, p, y, 0)
	return l, err
}

// districtQuotas returns the quotas of year (of one district, if not 0)
// with the sites counted in them.
func (s *Service) districtQuotas(ctx context.Context, p geo.Principal, year int, district geo.ID) ([]DistrictQuota, error) {
	qs, err := s.store.Quotas(ctx, p, year, district)
	if err != nil {
		return nil, err
	}
	sites, err := s.store.QuotaSites(ctx, p, year, district, 0)
	if err != nil {
		return nil, err
	}
	for i := range qs {
		qs[i].tally(sites)
	}
	return qs, nil
}

// tally counts the sites of q's district into q, and orders them.
func (q *DistrictQuota) tally(sites []QuotaSite) {
	q.Projects = []QuotaSite{}
	for _, st := range sites {
		if st.DistrictID != q.DistrictID {
			continue
		}
		st.Mu = st.AreaM2 * muPerM2
		if st.Status == QuotaAllocated {
			q.AllocatedMu += st.Mu
		} else {
			q.ReservedMu += st.Mu
		}
		q.Projects = append(q.Projects, st)
	}
	rank := func(st QuotaSite) int {
		switch {
		case st.Status == QuotaAllocated:
			return 0
		case st.Stage == geo.StagePreparing:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(q.Projects, func(a, b QuotaSite) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(b.AreaM2, a.AreaM2), cmp.Compare(a.ProjectID, b.ProjectID),
			cmp.Compare(a.EnclaveID, b.EnclaveID))
	})
	if q.QuotaMu == nil {
		return
	}
	quota := float64(*q.QuotaMu) / 100
	// To 0.0001 亩 (0.07 m²): a quota spent exactly is not over by the
	// sums' rounding.
	left := math.Round((quota-q.AllocatedMu-q.ReservedMu)*1e4) / 1e4
	if left == 0 {
		left = 0 // not -0
	}
	q.RemainingMu = &left
	share := 0.0
	if quota > 0 {
		share = left / quota
	} else if left < 0 {
		share = -1
	}
	q.RemainingShare = &share
	q.Over = left < 0
	q.Near = !q.Over && share < QuotaNearShare
}

// PutQuota sets district's quota of year as p (the land bureau or an
// admin), made on version (from If-Match; 0: none, for a quota not set
// yet), and answers the quota with its history. KindInvalid for a bad
// year (ParseQuotaYear), quota or reason, else as QuotaStore.PutQuota.
func (s *Service) PutQuota(ctx context.Context, p geo.Principal, district geo.ID, year string, version int, in QuotaInput) (QuotaHistory, error) {
	y, err := ParseQuotaYear(year)
	if err != nil {
		return QuotaHistory{}, err
	}
	mu, reason, err := in.parse()
	if err != nil {
		return QuotaHistory{}, err
	}
	c := QuotaChange{DistrictID: district, Year: y, NewMu: mu, Reason: reason}
	if _, err := s.store.PutQuota(ctx, p, c, version); err != nil {
		return QuotaHistory{}, err
	}
	return s.QuotaHistory(ctx, p, district, strconv.Itoa(y))
}

// QuotaHistory returns district's quota of year, with the sites counted
// in it, and every change of it, the newest first. KindInvalid for a bad
// year, KindNotFound for no such district.
func (s *Service) QuotaHistory(ctx context.Context, p geo.Principal, district geo.ID, year string) (QuotaHistory, error) {
	y, err := ParseQuotaYear(year)
	if err != nil {
		return QuotaHistory{}, err
	}
	qs, err := s.districtQuotas(ctx, p, y, district)
	if err != nil {
		return QuotaHistory{}, err
	}
	if len(qs) != 1 {
		return QuotaHistory{}, geo.NotFound("not_found", "县区不存在", "no such district")
	}
	h := QuotaHistory{DistrictQuota: qs[0]}
	if h.Changes, err = s.store.QuotaChanges(ctx, p, district, y); err != nil {
		return h, err
	}
	if h.Changes == nil {
		h.Changes = []QuotaChange{}
	}
	return h, nil
}

// QuotaWarnings tells, for project id as just saved, every district
// whose quota of the year the project's site counts in is exceeded with
// the site counted: a warning, not a refusal. None for a project without
// a site, a withdrawn one, or a district without a quota for the year.
// A district whose quota counts both land of the site in an enclave and
// land outside it is warned once, of the site's whole part in its quota.
func (s *Service) QuotaWarnings(ctx context.Context, p geo.Principal, id geo.ID) ([]QuotaWarning, error) {
	own, err := s.store.QuotaSites(ctx, p, 0, 0, id)
	if err != nil {
		return nil, err
	}
	var out []QuotaWarning
	for _, st := range byDistrict(own) {
		qs, err := s.districtQuotas(ctx, p, st.Year, st.DistrictID)
		if err != nil {
			return nil, err
		}
		if len(qs) != 1 || qs[0].QuotaMu == nil || !qs[0].Over {
			continue
		}
		q := qs[0]
		w := QuotaWarning{DistrictID: q.DistrictID, District: q.Name, Year: q.Year, QuotaMu: *q.QuotaMu, Status: st.Status,
			SiteMu: st.AreaM2 * muPerM2, RemainingAfterMu: *q.RemainingMu}
		w.RemainingBeforeMu = w.RemainingAfterMu + w.SiteMu
		w.Message = fmt.Sprintf("%s %d 年度建设用地指标将超出：指标 %s 亩，本项目用地 %.2f 亩计入前剩余 %.2f 亩，计入后剩余 %.2f 亩",
			w.District, w.Year, w.QuotaMu, w.SiteMu, round2(w.RemainingBeforeMu), round2(w.RemainingAfterMu))
		w.MessageEN = fmt.Sprintf("%s goes over its %d construction-land quota of %s mu: %.2f mu left before this site of %.2f mu, %.2f mu after",
			w.District, w.Year, w.QuotaMu, round2(w.RemainingBeforeMu), w.SiteMu, round2(w.RemainingAfterMu))
		out = append(out, w)
	}
	return out, nil
}

// byDistrict adds up one project's parts per district whose quota they
// count in (the project's status and year are the same in every part).
func byDistrict(parts []QuotaSite) []QuotaSite {
	var out []QuotaSite
	for _, st := range parts {
		i := slices.IndexFunc(out, func(o QuotaSite) bool { return o.DistrictID == st.DistrictID })
		if i < 0 {
			st.EnclaveID, st.Enclave = 0, ""
			out = append(out, st)
			continue
		}
		out[i].AreaM2 += st.AreaM2
	}
	return out
}

// round2 rounds to hundredths, so that a message never says -0.00.
func round2(x float64) float64 {
	r := math.Round(x*100) / 100
	if r == 0 {
		return 0
	}
	return r
}
