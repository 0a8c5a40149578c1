package geo

import (
	"testing"
	"unicode"
)

func TestValidText(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true},
		{"漯河食品产业园", true},
		{"tab\tand\nnewline", true},
		{"\x00", false},
		{"a\x00b", false},
		{"\xff", false},
		{"\xe6\xbc", false},     // 漯 cut short
		{"\xed\xa0\x80", false}, // a UTF-16 surrogate
	} {
		if got := ValidText(tc.in); got != tc.ok {
			t.Errorf("ValidText(%q) = %v, want %v", tc.in, got, tc.ok)
		}
	}
	if err := BadText("title"); KindOf(err) != KindInvalid || err.Code != "bad_text" || err.Message == "" || err.MessageEN == "" {
		t.Errorf("BadText: %+v", err)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"Mozilla/5.0 (X11; Linux x86_64)": "Mozilla/5.0 (X11; Linux x86_64)",
		"Mozilla\xff\xfe/5.0":             "Mozilla/5.0",
		"a\x00b\x1bc\u0085d":              "abcd",
		"微信 MicroMessenger":               "微信 MicroMessenger",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Mozilla/5.0", "a\x00b", "\xff\xfe", "微信\x1b", "\xe6\xbc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CleanText(s)
		if !ValidText(c) || len(c) > len(s) {
			t.Fatalf("CleanText(%q) = %q", s, c)
		}
		for _, r := range c {
			if unicode.IsControl(r) {
				t.Fatalf("CleanText(%q) = %q keeps a control character", s, c)
			}
		}
		if CleanText(c) != c {
			t.Fatalf("CleanText is not idempotent on %q", s)
		}
	})
}

func TestGeometryProblemZH(t *testing.T) {
	if got := GeometryProblemZH("Self-intersection[113.995 33.575]"); got != "边界自相交（位置 113.995, 33.575）" {
		t.Fatalf("%q", got)
	}
	if got := GeometryProblemZH("Something new"); got != "图形拓扑错误" {
		t.Fatalf("%q", got)
	}
}
