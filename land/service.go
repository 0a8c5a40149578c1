package land

import (
	"context"
	"math"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Classification is the land-use classification systems with their
// classes.
type Classification struct {
	Systems []System
	Classes []Class
}

// Store reads the land bureau's data.
type Store interface {
	// Classification returns every system and class, classes ordered by
	// system and code.
	Classification(ctx context.Context) (Classification, error)
	// Overlaps finds a site's validity, whether it lies in the city, its
	// area and its overlaps with every land layer (zones that only touch
	// it are left out).
	Overlaps(ctx context.Context, site orb.MultiPolygon) (SiteOverlaps, error)
	// ProjectSite returns the site and intended use of project id as p
	// may see it (KindNotFound if p may not).
	ProjectSite(ctx context.Context, p geo.Principal, id geo.ID) (ProjectSite, error)
	// CheckSettings returns the compliance check's settings.
	CheckSettings(ctx context.Context) (CheckSettings, error)
	// PutCheckSettings stores the settings as p (an admin), audited.
	PutCheckSettings(ctx context.Context, p geo.Principal, s CheckSettings) error
	VerdictStore
}

// ProjectSite is a project's site with what its check needs.
type ProjectSite struct {
	ID       geo.ID
	Name     string
	Site     orb.MultiPolygon // nil: no site drawn
	Intended *Code            // nil: no intended use given
}

// Service is the land bureau's operations, for the API, the command line
// and jobs.
type Service struct {
	store Store
}

// NewService returns the service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Classification returns the land-use classification systems and classes
// (codes clash between systems, so a class is known by both).
func (s *Service) Classification(ctx context.Context) (Classification, error) {
	return s.store.Classification(ctx)
}

// The bounds of a site to check: the vertices of a GeoJSON polygon of at
// most 1 MB, and an extent of 0.2° (about 20 km at Luohe), ten times the
// largest key-project site of the demo ledger.
const (
	maxSiteVertices = 20000
	maxSiteDegrees  = 0.2
)

// CheckSite checks a site drawn or uploaded (a Polygon or MultiPolygon
// in CGCS2000 longitude and latitude) against every land layer; intended,
// if not nil, is the intended land use. Errors: KindInvalid for a shape
// that is not a site ("bad_geometry", "site_too_large"), an invalid site
// ("bad_site", the repaired shape in Details) or one outside the city
// ("outside_city").
func (s *Service) CheckSite(ctx context.Context, g orb.Geometry, intended *Code) (Report, error) {
	site, err := SiteOf(g)
	if err != nil {
		return Report{}, err
	}
	set, err := s.store.CheckSettings(ctx)
	if err != nil {
		return Report{}, err
	}
	so, err := s.store.Overlaps(ctx, site)
	if err != nil {
		return Report{}, err
	}
	if so.Problem != "" {
		return Report{}, &geo.Error{Kind: geo.KindInvalid, Code: "bad_site", Field: "geometry",
			Message:   "用地范围图形无效：" + geo.GeometryProblemZH(so.Problem) + "。可改用系统修复后的图形（见 repaired）",
			MessageEN: "the site is not a valid shape: " + so.Problem + "; the repaired shape is offered",
			Details:   map[string]any{"repaired": geojson.NewGeometry(so.Repaired), "problem": so.Problem}}
	}
	if !so.InCity {
		return Report{}, geo.Invalid("outside_city", "用地范围超出漯河市行政区范围", "the site lies outside the city")
	}
	return Assess(so, intended, set), nil
}

// ProjectCompliance checks project id's site as p sees it. Errors:
// KindNotFound for a project p may not see, KindInvalid ("no_site") for
// a project without a site, else as CheckSite.
func (s *Service) ProjectCompliance(ctx context.Context, p geo.Principal, id geo.ID) (Report, error) {
	ps, err := s.store.ProjectSite(ctx, p, id)
	if err != nil {
		return Report{}, err
	}
	if ps.Site == nil {
		return Report{}, geo.Invalid("no_site", "项目“%s”尚未绘制用地范围，无法进行合规审查", "project %q has no site to check", ps.Name)
	}
	return s.CheckSite(ctx, ps.Site, ps.Intended)
}

// CheckSettings returns the compliance check's settings.
func (s *Service) CheckSettings(ctx context.Context) (CheckSettings, error) {
	return s.store.CheckSettings(ctx)
}

// PutCheckSettings validates and stores the compliance check's settings
// as p. Errors: KindInvalid (see CheckSettings.Validate), KindForbidden.
func (s *Service) PutCheckSettings(ctx context.Context, p geo.Principal, set CheckSettings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	return s.store.PutCheckSettings(ctx, p, set)
}

// SiteOf turns a geometry into a site, or refuses it (KindInvalid).
func SiteOf(g orb.Geometry) (orb.MultiPolygon, error) {
	bad := geo.Invalid("bad_geometry", "用地范围须为面（Polygon）或多面（MultiPolygon），坐标为 CGCS2000（EPSG:4490）或 WGS84（EPSG:4326）经纬度",
		"the site must be a Polygon or MultiPolygon in CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326) longitude and latitude")
	bad.Field = "geometry"
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, bad
	}
	n := 0
	for _, poly := range mp {
		if len(poly) == 0 {
			return nil, bad
		}
		for _, ring := range poly {
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				e := geo.Invalid("bad_geometry", "用地范围的每个环须至少 4 个点且首尾相同（闭合）", "each ring of a site has at least 4 points and is closed")
				e.Field = "geometry"
				return nil, e
			}
			for _, pt := range ring {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.Abs(pt[0]) > 180 || math.Abs(pt[1]) > 90 {
					return nil, bad
				}
			}
			n += len(ring)
		}
	}
	if len(mp) == 0 {
		return nil, bad
	}
	b := mp.Bound()
	if n > maxSiteVertices || b.Max[0]-b.Min[0] > maxSiteDegrees || b.Max[1]-b.Min[1] > maxSiteDegrees {
		e := geo.Invalid("site_too_large", "用地范围过大：至多 %d 个顶点、东西南北各 %.1f 度以内", "the site is too large: at most %d vertices within %.1f degrees", maxSiteVertices, maxSiteDegrees)
		e.Field = "geometry"
		return nil, e
	}
	return mp, nil
}
