package geo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidText reports whether s is text that PostgreSQL stores as given:
// valid UTF-8 without NUL characters. Text from outside that is not is
// refused where it comes in (BadText), or cleaned (CleanText) where it is
// only kept for the record.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// BadText is the KindInvalid error ("bad_text") of the input named name
// (a field or a query parameter, quoted) that is not ValidText.
func BadText(name string) *Error {
	return Invalid("bad_text", "%s 含有无效字符：须为 UTF-8 文本，且不含 NUL 字符", "%s is not valid text: it must be UTF-8 without NUL characters", name)
}

// CleanText returns s without invalid UTF-8 and control characters: for
// text that is only logged or stored, such as a browser's User-Agent,
// which is cleaned rather than refused.
func CleanText(s string) string {
	if ValidText(s) && strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// GeometryProblemZH says in Chinese what PostGIS found wrong with a geometry
// (ST_IsValidReason: "Self-intersection[114 33.6]").
func GeometryProblemZH(reason string) string {
	what, where, _ := strings.Cut(reason, "[")
	where = strings.TrimSuffix(where, "]")
	zh := map[string]string{
		"Self-intersection":        "边界自相交",
		"Ring Self-intersection":   "环自相交",
		"Too few points":           "点数过少",
		"Hole lies outside shell":  "内环位于外环之外",
		"Nested shells":            "外环相互嵌套",
		"Interior is disconnected": "内部不连通",
		"Invalid Coordinate":       "坐标无效",
		"Nested holes":             "内环相互嵌套",
		"Ring is not closed":       "环未闭合",
	}[what]
	if zh == "" {
		zh = "图形拓扑错误"
	}
	if where != "" {
		zh += "（位置 " + strings.ReplaceAll(where, " ", ", ") + "）"
	}
	return zh
}
