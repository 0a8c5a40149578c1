package geo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// The domain model: plain values for what the database holds. Geometries
// are orb values in CGCS2000 longitude/latitude (equal to WGS84 within
// centimetres); areas are computed by the database. Dates are time.Time
// values at midnight UTC, and the zero time means "none". IDs are the
// database's; 0 means "none" in an optional reference.

// Dec is an exact decimal number with two places, held as a count of
// hundredths: Dec(1234567) is 12345.67. Money (万元), prices and
// intensities (万元/亩), quotas (亩), percentages and plot ratios are Decs,
// matching the database's numeric(…, 2); onemap never holds them in
// floating point.
type Dec int64

// DecOf returns units + hundredths/100; for a negative amount give both
// parts negative.
func DecOf(units, hundredths int64) Dec { return Dec(units*100 + hundredths) }

// String returns the number with exactly two decimals, e.g. "12345.67",
// "-0.50".
func (d Dec) String() string {
	n := int64(d)
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign = "-"
		u = uint64(-n) // also right for math.MinInt64
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// Units returns the integer part, truncated towards zero.
func (d Dec) Units() int64 { return int64(d) / 100 }

// ErrDecRange is the error ParseDec wraps when a decimal is too large for
// a Dec.
var ErrDecRange = errors.New("decimal out of range")

// ParseDec parses a decimal with at most two places: "12345.67", "-3",
// "0.5", "+7.25". A well-formed decimal too large for a Dec is an error
// wrapping ErrDecRange.
func ParseDec(s string) (Dec, error) {
	orig := s
	bad := func() (Dec, error) { return 0, fmt.Errorf("decimal %q: want digits with at most two decimals", orig) }
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" && frac == "" || len(frac) > 2 || hasPoint && frac == "" {
		return bad()
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return bad()
		}
	}
	var u uint64
	if intPart != "" {
		var err error
		if u, err = strconv.ParseUint(intPart, 10, 64); err != nil || u > (1<<63-1)/100-1 {
			return 0, fmt.Errorf("decimal %q: %w", orig, ErrDecRange)
		}
	}
	var f uint64
	if frac != "" {
		f, _ = strconv.ParseUint(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := int64(u*100 + f)
	if neg {
		v = -v
	}
	return Dec(v), nil
}

// MarshalText writes the decimal as in String.
func (d Dec) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a decimal as ParseDec does.
func (d *Dec) UnmarshalText(b []byte) error {
	v, err := ParseDec(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DecPtr returns a pointer to d, for the optional Dec fields.
func DecPtr(d Dec) *Dec { return &d }

// District kinds.
const (
	DistrictCounty = "county" // 县区: a county-level unit with an adcode
	DistrictZone   = "zone"   // 功能区: a function zone run by a management committee
)

// District is one of the five county-level units (县区) or the three
// function zones (功能区) statistics roll up by. Function zones lie inside
// counties, so district outlines may overlap.
type District struct {
	ID   ID
	Code string // adcode of a county, a stable code of a function zone
	Name string
	Kind string // DistrictCounty or DistrictZone
	Seat orb.Point
	Geom orb.MultiPolygon
}

// Transport is a transport feature or a river: a line, a point (stations,
// exits) or a polygon (the port).
type Transport struct {
	ID   ID
	Kind string // one of TransportKinds
	Name string
	Ref  string // e.g. G4; empty: none
	Geom orb.Geometry
}
