package api

import (
	"bytes"
	"encoding/json"
	"mime"
	"reflect"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// requestTypes makes a value of each type that bind decodes a request
// body into.
var requestTypes = []func() any{
	func() any { return new(loginRequest) },
	func() any { return new(userRequest) },
	func() any { return new(passwordRequest) },
	func() any { return new(tokenRequest) },
	func() any { return new(shareRequest) },
	func() any { return new(unlockRequest) },
	func() any { return new(feature) },
	func() any { return new(project.Report) },
	func() any { return new(project.TourInput) },
	func() any { return new(project.ScoresInput) },
}

// FuzzBind checks the strict decoding of every request body: a body is
// refused with KindInvalid ("bad_json", "bad_text"), or decodes into what
// encoding/json alone makes of it, with only text PostgreSQL takes, and
// reads back the same once encoded again.
func FuzzBind(f *testing.F) {
	for i, body := range []string{
		`{"username":"admin","password":"luohe2026test"}`,
		`{"username":"county","display_name":"源汇区","password":"luohe2026test","roles":["district"],"district_id":1,"disabled":false}`,
		`{"current":"luohe2026test","password":"luohe2026new"}`,
		`{"name":"GIS 同步","roles":["investment"],"expires_in_days":30}`,
		`{"title":"双汇集团考察地块","parcel_ids":[1,2],"park_ids":[1],"fields":["code","area_mu"],"expires_in_days":7,"password":"zl2026"}`,
		`{"password":"zl2026"}`,
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[114,33.58]},"properties":{"name":"漯河食品产业园","stage":"withdrawn","withdrawn_reason":"并入","annual_plan":"1200.50","district_id":1}}`,
		`{"planned":"100","invested":"80.5","progress_note":"主体完工"}`,
		`{"name":"重点项目观摩","day":"2026-12-08","start_time":"08:30","dwell_minutes":20,"start":{"name":"漯河市人民政府","lon":114.02,"lat":33.58},"project_ids":[1,3],"order":"optimize"}`,
		`{"scores":[{"project_id":1,"score":88.5},{"project_id":3,"score":null}]}`,
	} {
		f.Add(uint8(i), []byte(body))
	}
	for _, body := range []string{`{"Version":1}`, `{"name":"a","name":"b"}`, `{"name":"\u0000"}`, "{\"name\":\"\xff\"}",
		`{"roles":["a","b"],"ROLES":[]}`, `null`, `[]`, `{"version":1}{}`, `{"parcel_ids":[9223372036854775808]}`} {
		for i := range requestTypes {
			f.Add(uint8(i), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		newValue := requestTypes[int(which)%len(requestTypes)]
		v := newValue()
		err := decodeStrict(body, v)
		if err != nil {
			var e *geo.Error
			if geo.KindOf(err) != geo.KindInvalid || !asError(err, &e) || e.Code != "bad_json" && e.Code != "bad_text" {
				t.Fatalf("%T %q: %v, want KindInvalid bad_json or bad_text", v, body, err)
			}
			return
		}
		plain := newValue()
		if err := json.Unmarshal(body, plain); err != nil || !reflect.DeepEqual(v, plain) {
			t.Fatalf("%T %q: strict %+v, encoding/json %+v (%v)", v, body, v, plain, err)
		}
		if s, ok := badString(reflect.ValueOf(v)); ok {
			t.Fatalf("%T %q: took %q", v, body, s)
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		w := newValue()
		if err := decodeStrict(again, w); err != nil || !reflect.DeepEqual(v, w) {
			t.Fatalf("%T %q: encoded as %s, read back as %+v (%v)", v, body, again, w, err)
		}
	})
}

func asError(err error, e **geo.Error) bool {
	ge, ok := err.(*geo.Error)
	*e = ge
	return ok
}

// badString returns a string held in v that is not geo.ValidText.
func badString(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return badString(v.Elem())
		}
	case reflect.String:
		if !geo.ValidText(v.String()) {
			return v.String(), true
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s, ok := badString(v.Index(i)); ok {
				return s, true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if s, ok := badString(v.Field(i)); ok {
				return s, true
			}
		}
	}
	return "", false
}

// FuzzJSONMediaType checks that the content types bind takes are JSON's
// media type with at most a charset of utf-8.
func FuzzJSONMediaType(f *testing.F) {
	for _, s := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON;Charset=\"UTF-8\"",
		"application/json;;;", "application/json; charset", "application/json; charset=gbk", "text/json", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if !jsonMediaType(header) {
			return
		}
		mt, params, err := mime.ParseMediaType(header)
		if err != nil || mt != "application/json" || len(params) > 1 || len(params) == 1 && !bytes.EqualFold([]byte(params["charset"]), []byte("utf-8")) {
			t.Fatalf("%q taken: %q %v %v", header, mt, params, err)
		}
	})
}
