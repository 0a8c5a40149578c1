package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
)

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Field     string `json:"field,omitempty"` // the input field at fault
	RequestID string `json:"request_id,omitempty"`
	Details   any    `json:"details,omitempty"`
}

// retryAfter is the Retry-After of a 503, in seconds: about as long as
// the embedded database takes to restart.
const retryAfter = "5"

// status maps each error kind to its HTTP status: the one place where
// this happens.
func status(k geo.Kind) int {
	switch k {
	case geo.KindInvalid:
		return http.StatusBadRequest
	case geo.KindNotFound:
		return http.StatusNotFound
	case geo.KindConflict:
		return http.StatusConflict
	case geo.KindForbidden:
		return http.StatusForbidden
	case geo.KindUnauthorized:
		return http.StatusUnauthorized
	case geo.KindUnavailable:
		return http.StatusServiceUnavailable
	case geo.KindTooMany:
		return http.StatusTooManyRequests
	case geo.KindPreconditionRequired:
		return http.StatusPreconditionRequired
	case geo.KindPreconditionFailed:
		return http.StatusPreconditionFailed
	}
	return http.StatusInternalServerError
}

// errorHandler answers every error as JSON: a domain error with its code
// and messages, echo's routing errors likewise, and anything else as a
// plain internal error with the request id, the whole error going to the
// log only.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	rid := c.Response().Header().Get(echo.HeaderXRequestID)
	var (
		de   *geo.Error
		he   *echo.HTTPError
		code int
		body errorBody
	)
	switch {
	case errors.As(err, &de) && de.Kind != geo.KindInternal:
		code = status(de.Kind)
		body.Error = errorDetail{Code: de.Code, Message: de.Message, MessageEN: de.MessageEN, Field: de.Field, Details: de.Details}
		if de.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", seconds(de.RetryAfter))
		}
	case errors.As(err, &he) && he.Code < 500:
		code = he.Code
		body.Error = httpErrorDetail(he.Code)
	case errors.Is(err, c.Request().Context().Err()) && c.Request().Context().Err() != nil:
		// The client went away; nobody reads the answer.
		code = 499
		body.Error = errorDetail{Code: "canceled", Message: "请求已取消", MessageEN: "request canceled"}
	default:
		code = http.StatusInternalServerError
		body.Error = errorDetail{Code: "internal", Message: "服务器内部错误，请联系管理员并提供请求编号", MessageEN: "internal error; report the request id"}
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "request_id", rid, "err", err)
	}
	if code == http.StatusServiceUnavailable && c.Response().Header().Get("Retry-After") == "" {
		// Unavailable for a moment (the database restarting): say when to
		// ask again, unless the handler said it already.
		c.Response().Header().Set("Retry-After", retryAfter)
	}
	body.Error.RequestID = rid
	// net/http leaves the body out of an answer to HEAD.
	if err := c.JSON(code, body); err != nil {
		s.log.Debug("write error answer", "err", err)
	}
}

// seconds is a Retry-After header's value: d in whole seconds, rounded
// up.
func seconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

func httpErrorDetail(code int) errorDetail {
	switch code {
	case http.StatusNotFound:
		return errorDetail{Code: "not_found", Message: "请求的地址不存在", MessageEN: "no such endpoint"}
	case http.StatusMethodNotAllowed:
		return errorDetail{Code: "method_not_allowed", Message: "不支持该请求方法", MessageEN: "method not allowed"}
	case http.StatusRequestEntityTooLarge:
		return errorDetail{Code: "too_large", Message: "请求内容过大", MessageEN: "request too large"}
	}
	return errorDetail{Code: "bad_request", Message: "请求无效", MessageEN: http.StatusText(code)}
}
