package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
)

// maxBody bounds a JSON request body.
const maxBody = 1 << 20

// bind decodes a JSON request body into v, refusing unknown fields, other
// content types and trailing data with a clear KindInvalid error.
func bind(c echo.Context, v any) error {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	if mt != "application/json" {
		return geo.Invalid("bad_content_type", "请求内容须为 JSON（Content-Type: application/json）", "the request body must be JSON (Content-Type: application/json)")
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), c.Request().Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return geo.Invalid("too_large", "请求内容过大", "request body too large")
		}
		return geo.Invalid("bad_json", "请求内容不是有效的 JSON：%s", "the request body is not valid JSON: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return geo.Invalid("bad_json", "请求内容只能有一个 JSON 值", "the request body must hold one JSON value")
	}
	return nil
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
	return "unknown field or malformed value"
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
