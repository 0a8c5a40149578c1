package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
)

// maxBody bounds a JSON request body.
const maxBody = 1 << 20

// bind decodes a JSON request body into v strictly, with a clear
// KindInvalid error for anything else: the content type must be
// application/json (charset utf-8 at most), the body one JSON value in
// UTF-8 whose object keys name v's fields exactly (encoding/json alone
// matches them case-insensitively), none twice, and whose strings are
// text PostgreSQL can take (geo.ValidText: "bad_text").
func bind(c echo.Context, v any) error {
	_, err := bindBody(c, v)
	return err
}

// bindBody is bind that also answers the body as it came.
func bindBody(c echo.Context, v any) ([]byte, error) {
	if !jsonMediaType(c.Request().Header.Get("Content-Type")) {
		return nil, geo.Invalid("bad_content_type", "请求内容须为 JSON（Content-Type: application/json）", "the request body must be JSON (Content-Type: application/json)")
	}
	body, err := readBody(c, maxBody)
	if err != nil {
		return nil, err
	}
	return body, decodeStrict(body, v)
}

// readBody reads a request body of at most limit bytes.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, geo.Invalid("too_large", "请求内容过大", "request body too large")
		}
		return nil, geo.Invalid("bad_json", "请求内容读取失败", "the request body could not be read")
	}
	return body, nil
}

// jsonMediaType reports whether a Content-Type header is JSON's media
// type, parsed strictly: no malformed parameters, and no parameter but a
// charset of utf-8.
func jsonMediaType(header string) bool {
	mt, params, err := mime.ParseMediaType(header)
	if err != nil || mt != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// decodeStrict decodes body, one JSON value, into v (a pointer) as bind
// says.
func decodeStrict(body []byte, v any) error {
	if !utf8.Valid(body) {
		// encoding/json would turn the bad bytes into U+FFFD unseen.
		return geo.Invalid("bad_text", "请求内容须为 UTF-8 文本", "the request body must be UTF-8 text")
	}
	// Unknown fields are left to the walk below, which matches names
	// exactly.
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return geo.Invalid("bad_json", "请求内容不是有效的 JSON：%s", "the request body is not valid JSON: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return geo.Invalid("bad_json", "请求内容只能有一个 JSON 值", "the request body must hold one JSON value")
	}
	// The body decoded: walk it again, token by token, along v's type.
	return checkValue(json.NewDecoder(bytes.NewReader(body)), reflect.TypeOf(v), "")
}

// checkValue reads the next JSON value from dec, decoded before into a
// value of type t (nil: any), and checks what encoding/json lets pass:
// object keys that name no field of a struct exactly (encoding/json
// ignores unknown keys and matches the others up to case), keys given
// twice, and strings that are not geo.ValidText. path names the value in
// errors.
func checkValue(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return geo.Invalid("bad_json", "请求内容不是有效的 JSON", "the request body is not valid JSON")
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)) {
		t = nil // its own decoding: its keys are its business
	}
	switch tok {
	case json.Delim('{'):
		var fields map[string]reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = structFields(t)
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return geo.Invalid("bad_json", "请求内容不是有效的 JSON", "the request body is not valid JSON")
			}
			key := kt.(string)
			at := join(path, key)
			if !geo.ValidText(key) {
				return geo.BadText(quote(at))
			}
			if seen[key] {
				return geo.Invalid("bad_json", "字段 %s 重复", "field %s is given twice", quote(at))
			}
			seen[key] = true
			var ft reflect.Type
			switch {
			case fields != nil:
				var ok bool
				if ft, ok = fields[key]; !ok {
					return geo.Invalid("bad_json", "未知字段：%s（字段名区分大小写）", "unknown field %s (names are case-sensitive)", quote(at))
				}
			case t != nil && t.Kind() == reflect.Map:
				ft = t.Elem()
			}
			if err := checkValue(dec, ft, at); err != nil {
				return err
			}
		}
	case json.Delim('['):
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := checkValue(dec, et, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case json.Delim('}'), json.Delim(']'):
		return geo.Invalid("bad_json", "请求内容不是有效的 JSON", "the request body is not valid JSON")
	default:
		if s, ok := tok.(string); ok && !geo.ValidText(s) {
			return geo.BadText(quote(path))
		}
		return nil
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// structFields returns the JSON names of struct type t's fields as
// encoding/json reads them (the tag's name, or the field's; "-" left out;
// the fields of embedded structs without a tag promoted), with their
// types.
func structFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		tag, hasTag := f.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case !f.IsExported() || tag == "-":
			continue
		case f.Anonymous && !hasTag && (f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct):
			continue // its fields are listed too, promoted
		case name == "":
			name = f.Name
		}
		if _, taken := m[name]; !taken || len(f.Index) == 1 {
			m[name] = f.Type
		}
	}
	return m
}

// join appends an object key to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// quote quotes a field's path for an error message, shortened: it may be
// anything a client sent.
func quote(path string) string {
	if len(path) > 40 {
		path = strings.ToValidUTF8(path[:40], "") + "…"
	}
	return strconv.QuoteToGraphic(path)
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "wrong type for field " + strconv.Quote(te.Field)
	case errors.Is(err, io.EOF):
		return "empty body"
	}
	return "malformed value"
}

// checkQuery refuses a request whose query parameters, names or values,
// are not text PostgreSQL can take (geo.ValidText: "bad_text"), whatever
// the route: any of them may end up in a query. Most tile requests have
// no query and cost nothing here.
func checkQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery == "" {
			return next(c)
		}
		for k, vs := range c.QueryParams() {
			if !geo.ValidText(k) {
				return geo.BadText(quote(k))
			}
			for _, v := range vs {
				if !geo.ValidText(v) {
					return geo.BadText(quote(k))
				}
			}
		}
		return next(c)
	}
}

// queryList reads the query parameter name as a comma separated list:
// trimmed, without empty or repeated items.
func queryList(c echo.Context, name string) []string {
	var out []string
	for _, v := range strings.Split(c.QueryParam(name), ",") {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// idParam parses the path parameter name as an id (geo.ParseID).
func idParam(c echo.Context, name string) (geo.ID, error) {
	return geo.ParseID(c.Param(name))
}

// parsePositive parses an integer from 1 to limit.
func parsePositive(v string, limit int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > limit {
		return 0, strconv.ErrRange
	}
	return n, nil
}
