package geo

import "strconv"

// ID identifies a row of any aggregate: a project, a parcel, a user, a
// share link. It is the database's identity; 0 means "none" in an
// optional reference.
type ID int64

// MaxID is the largest id any table holds (PostgreSQL's integer).
const MaxID ID = 1<<31 - 1

// MaxDistrictID is the largest id a district may have (its table's key
// is a smallint).
const MaxDistrictID ID = 1<<15 - 1

// ParseID parses a positive id strictly: decimal digits only, no sign,
// no leading zero, at most MaxID ("01", "+1" and "1.0" are not 1).
// KindInvalid otherwise.
func ParseID(s string) (ID, error) {
	bad := Invalid("bad_id", "编号无效：%q", "invalid id %q", s)
	if s == "" || len(s) > 10 || s[0] == '0' {
		return 0, bad
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > int64(MaxID) {
		return 0, bad
	}
	return ID(n), nil
}

// String returns the id in decimal.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }
