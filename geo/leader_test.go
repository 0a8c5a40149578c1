package geo

import "testing"

func TestParseLeader(t *testing.T) {
	for _, c := range []struct {
		stored string
		want   Leader
	}{
		{"张丽华 副市长", Leader{"张丽华", "副市长"}},
		{"吴振宇 市委常委、经开区党工委书记", Leader{"吴振宇", "市委常委、经开区党工委书记"}},
		{"李明远\u3000副市长", Leader{"李明远", "副市长"}}, // an ideographic space
		{" 王志强  市长 ", Leader{"王志强", "市长"}},
		{"张副市长", Leader{"张副市长", ""}},
		{"", Leader{}},
	} {
		if got := ParseLeader(c.stored); got != c.want {
			t.Errorf("ParseLeader(%q) = %+v, want %+v", c.stored, got, c.want)
		}
	}
}
