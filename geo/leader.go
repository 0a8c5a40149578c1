package geo

import (
	"strings"
	"unicode"
)

// Leader is a leader in charge of projects (分包领导). Projects store one
// as its name, a space and its title: "张丽华 副市长". People look a
// leader up by name, so the leader filter of the projects' tiles takes
// names, and the web app offers them.
type Leader struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
}

// ParseLeader splits a leader as projects store it into the name and the
// title, at the first space (ASCII or ideographic); with no space the
// whole text is the name ("张副市长": no title).
func ParseLeader(stored string) Leader {
	s := strings.TrimSpace(stored)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return Leader{Name: s}
	}
	return Leader{Name: s[:i], Title: strings.TrimSpace(s[i:])}
}
