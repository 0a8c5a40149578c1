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
