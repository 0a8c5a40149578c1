package geo

import (
	"encoding/json"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

func TestDecString(t *testing.T) {
	cases := []struct {
		d    Dec
		want string
	}{
		{0, "0.00"}, {1, "0.01"}, {50, "0.50"}, {1234567, "12345.67"}, {-5, "-0.05"}, {-1234567, "-12345.67"},
		{DecOf(100, 0), "100.00"}, {DecOf(-3, -25), "-3.25"}, {math.MinInt64, "-92233720368547758.08"},
	}
	for _, c := range cases {
		if got := c.d.String(); got != c.want {
			t.Errorf("Dec(%d) = %q, want %q", int64(c.d), got, c.want)
		}
	}
	if DecOf(12, 5).Units() != 12 || DecOf(-12, -5).Units() != -12 {
		t.Error("Units")
	}
}

func TestParseDec(t *testing.T) {
	good := map[string]Dec{
		"0": 0, "12345.67": 1234567, "-3": -300, "0.5": 50, ".5": 50, "+7.25": 725, "-0.05": -5, "007.10": 710,
	}
	for s, want := range good {
		got, err := ParseDec(s)
		if err != nil || got != want {
			t.Errorf("ParseDec(%q) = %d, %v; want %d", s, got, err, want)
		}
		back, err := ParseDec(got.String())
		if err != nil || back != got {
			t.Errorf("round trip of %q: %d, %v", s, back, err)
		}
	}
	for _, s := range []string{"", "-", "+", ".", "1.", "1.234", "1e3", "1,5", "12a", " 1", "--1", "99999999999999999999"} {
		if _, err := ParseDec(s); err == nil {
			t.Errorf("ParseDec(%q) succeeded", s)
		}
	}
}

func TestDecJSON(t *testing.T) {
	type row struct {
		Total Dec  `json:"total"`
		Price *Dec `json:"price"`
	}
	b, err := json.Marshal(row{Total: 1234567, Price: DecPtr(1550)})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"total":"12345.67","price":"15.50"}` {
		t.Errorf("JSON %s", b)
	}
	var back row
	if err := json.Unmarshal(b, &back); err != nil || back.Total != 1234567 || *back.Price != 1550 {
		t.Errorf("back %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"total":"1.234"}`), &back); err == nil {
		t.Error("three decimals accepted")
	}
}

// decimal is the grammar ParseDec takes: a sign, digits, at most two
// decimals.
var decimal = regexp.MustCompile(`^[+-]?(\d+(\.\d{1,2})?|\.\d{1,2})$`)

// FuzzParseDec checks ParseDec against the grammar and against exact
// rational arithmetic: what it takes is a decimal of the grammar whose
// value it holds exactly and writes back in the same value; what it
// refuses is outside the grammar or too large.
func FuzzParseDec(f *testing.F) {
	for _, s := range []string{"0", "12345.67", "-3", ".5", "+7.25", "-0.05", "007.10", "1.", "1e3", "92233720368547758.07", "-92233720368547757", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDec(s)
		if err != nil {
			intPart, _, _ := strings.Cut(strings.TrimLeft(s, "+-"), ".")
			if decimal.MatchString(s) && len(strings.TrimLeft(intPart, "0")) <= 15 {
				t.Fatalf("ParseDec(%q) refused a decimal: %v", s, err)
			}
			return
		}
		if !decimal.MatchString(s) {
			t.Fatalf("ParseDec(%q) = %v, not a decimal", s, d)
		}
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
		if !ok || r.Mul(r, big.NewRat(100, 1)).Cmp(new(big.Rat).SetInt64(int64(d))) != 0 {
			t.Fatalf("ParseDec(%q) = %d hundredths, want %v", s, int64(d), r)
		}
		if back, err := ParseDec(d.String()); err != nil || back != d {
			t.Fatalf("%q: %v reads back as %v, %v", s, d, back, err)
		}
	})
}
