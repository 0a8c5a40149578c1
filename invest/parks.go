package invest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
)

// ParkView is a park as the API answers it, by the registry's names.
type ParkView struct {
	ID           geo.ID          `json:"id"`
	Name         string          `json:"name"`
	Level        string          `json:"level"`
	DistrictID   geo.ID          `json:"district_id"`
	District     string          `json:"district"`
	Industries   string          `json:"industries"` // joined by 、
	Model        *string         `json:"model"`
	Utilities    string          `json:"utilities"` // ids, comma separated
	Policies     *string         `json:"policies"`
	ContactName  *string         `json:"contact_name"`
	ContactPhone *string         `json:"contact_phone"`
	AreaMu       float64         `json:"area_mu"`
	Geom         json.RawMessage `json:"geom,omitempty"`
	Lon          float64         `json:"lon"`
	Lat          float64         `json:"lat"`
	Version      int             `json:"version"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// ParkLevels are a park's levels.
func ParkLevels() []geo.Label {
	return []geo.Label{{ID: "national", ZH: "国家级", EN: "National"}, {ID: "provincial", ZH: "省级", EN: "Provincial"},
		{ID: "city", ZH: "市级", EN: "City"}}
}

// ParkModels are the development models a park may name (empty: none).
func ParkModels() []string {
	return []string{"主体企业开发", "政企联合", "飞地工业", "政府主导"}
}

// parkFields lists, in the order their errors are reported, the fields a
// park's Values may set.
func parkFields() []string {
	return []string{"name", "level", "industries", "model", "utilities", "policies", "contact_name", "contact_phone"}
}

// applyPark sets the fields v gives on pk, with each value that cannot be
// read.
func applyPark(pk *Park, v Values) []geo.FieldError {
	errs := unknown(v, parkFields())
	for _, name := range parkFields() {
		raw, ok := v[name]
		if !ok {
			continue
		}
		limit := maxName
		if name == "policies" {
			limit = maxPolicy
		}
		s, fe := geo.FieldText(name, raw, limit)
		if fe == nil {
			fe = setPark(pk, name, s)
		}
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	return errs
}

// setPark sets one field from its text s (trimmed, "" for none).
func setPark(pk *Park, name, s string) *geo.FieldError {
	bad := func(code, zh, en string, args ...any) *geo.FieldError {
		fe := geo.NewFieldError(name, code, zh, en, args...)
		return &fe
	}
	var fe *geo.FieldError
	switch name {
	case "name":
		pk.Name = s
	case "level":
		id, ok := geo.LabelID(ParkLevels(), s)
		if !ok {
			return bad("bad_level", "园区级别 %q 无效，应为国家级、省级或市级", "invalid park level %q", s)
		}
		pk.Level = id
	case "industries":
		pk.LeadingIndustries = list(s)
		if len(pk.LeadingIndustries) > maxList {
			return bad("too_many", "主导产业最多 %d 个", "at most %d leading industries", maxList)
		}
	case "model":
		if s != "" && !slices.Contains(ParkModels(), s) {
			return bad("bad_model", "开发模式 %[1]q 无效，应为%[2]s", "invalid development model %[1]q", s, strings.Join(ParkModels(), "、"))
		}
		pk.Model = s
	case "utilities":
		pk.Utilities, fe = utilities(name, s)
	case "policies":
		pk.Policies = s
	case "contact_name":
		pk.ContactName = s
	case "contact_phone":
		if strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789+-() 转", r) }) >= 0 {
			return bad("bad_phone", "联系电话 %q 无效：只能含数字、空格和 + - ( ) 转", "invalid phone number %q", s)
		}
		pk.ContactPhone = s
	}
	return fe
}

// checkPark checks what a park needs whatever was changed.
func checkPark(pk Park) []geo.FieldError {
	var errs []geo.FieldError
	if pk.Name == "" {
		errs = append(errs, geo.NewFieldError("name", "required", "须填写园区名称", "a park needs a name"))
	}
	if pk.Level == "" {
		errs = append(errs, geo.NewFieldError("level", "required", "须填写园区级别", "a park needs a level"))
	}
	return errs
}

// Park returns a park with its outline; KindNotFound.
func (s *Sites) Park(ctx context.Context, p geo.Principal, id geo.ID) (ParkView, error) {
	return s.store.Park(ctx, p, id)
}

// Parks lists the parks.
func (s *Sites) Parks(ctx context.Context, p geo.Principal) ([]ParkView, error) {
	return s.store.Parks(ctx, p)
}

// CreatePark makes a new park: KindInvalid with every field at fault,
// else as SiteStore.SavePark.
func (s *Sites) CreatePark(ctx context.Context, p geo.Principal, e Edit) (ParkView, error) {
	var pk Park
	errs := applyPark(&pk, e.Values)
	if e.Geometry == nil {
		errs = append(errs, geo.NewFieldError("geom", "required", "须画出园区范围", "a park needs its outline"))
	} else if mp, fe := outline(e.Geometry); fe != nil {
		errs = append(errs, *fe)
	} else {
		pk.Geom = mp
	}
	if errs = besides(errs, checkPark(pk)); len(errs) > 0 {
		return ParkView{}, geo.FieldsError(errs)
	}
	if err := s.placePark(ctx, &pk); err != nil {
		return ParkView{}, err
	}
	return s.store.SavePark(ctx, p, pk, 0)
}

// UpdatePark changes a park made on version: KindPreconditionFailed (the
// current view in Details) if it changed since, KindInvalid as
// CreatePark.
func (s *Sites) UpdatePark(ctx context.Context, p geo.Principal, id geo.ID, version int, e Edit) (ParkView, error) {
	cur, err := s.store.ParkRecord(ctx, p, id)
	if err != nil {
		return ParkView{}, err
	}
	if cur.Version != version {
		return ParkView{}, s.stalePark(ctx, p, id, version)
	}
	next := cur
	next.LeadingIndustries, next.Utilities = slices.Clone(cur.LeadingIndustries), slices.Clone(cur.Utilities)
	errs := applyPark(&next, e.Values)
	if e.Geometry != nil {
		if mp, fe := outline(e.Geometry); fe != nil {
			errs = append(errs, *fe)
		} else {
			next.Geom = mp
		}
	}
	if errs = besides(errs, checkPark(next)); len(errs) > 0 {
		return ParkView{}, geo.FieldsError(errs)
	}
	if e.Geometry != nil {
		if err := s.placePark(ctx, &next); err != nil {
			return ParkView{}, err
		}
	}
	v, err := s.store.SavePark(ctx, p, next, version)
	if geo.KindOf(err) == geo.KindPreconditionFailed {
		return ParkView{}, s.stalePark(ctx, p, id, version)
	}
	return v, err
}

// placePark checks a park's outline (in the city) and sets its district.
func (s *Sites) placePark(ctx context.Context, pk *Park) error {
	chk, err := s.store.CheckPlace(ctx, pk.Geom, 0)
	if err != nil {
		return err
	}
	if err := placeFault(chk, "园区", "park"); err != nil {
		return err
	}
	pk.DistrictID = chk.Districts[0].ID
	return nil
}

// stalePark is the error of a change to park id made on version since.
func (s *Sites) stalePark(ctx context.Context, p geo.Principal, id geo.ID, since int) error {
	v, err := s.store.Park(ctx, p, id)
	if err != nil {
		return err
	}
	return stale("园区", "park", since, v.Version, v)
}
