package geo

import "testing"

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ID
		ok   bool
	}{
		{"1", 1, true},
		{"2147483647", MaxID, true},
		{"2147483648", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{"-1", 0, false},
		{"0", 0, false},
		{"1.0", 0, false},
		{"", 0, false},
		{"1e3", 0, false},
		{"99999999999999999999", 0, false},
		{"1\x00", 0, false},
	} {
		got, err := ParseID(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseID(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && KindOf(err) != KindInvalid {
			t.Errorf("ParseID(%q): kind %v, want KindInvalid", tc.in, KindOf(err))
		}
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "01", "+1", "2147483647", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err != nil {
			return
		}
		if id <= 0 || id > MaxID || id.String() != s {
			t.Fatalf("ParseID(%q) = %d: not the canonical positive id", s, id)
		}
	})
}
