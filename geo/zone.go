package geo

import "time"

// TimeZone is the IANA name of the city's time zone, for the database's
// sessions (what current_date means) and the web app's clock: all of
// China keeps Beijing time.
const TimeZone = "Asia/Shanghai"

// CityZone returns the city's time zone as a location: Beijing time is
// UTC+8 without daylight saving (none since 1991), so a fixed zone is
// exact and needs no time zone database on the machine.
func CityZone() *time.Location { return time.FixedZone("CST", 8*60*60) }
