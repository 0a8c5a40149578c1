package geo

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// FieldError is what is wrong with one field of an edit (a project, a
// park, a parcel).
type FieldError struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// NewFieldError builds a FieldError; formatting verbs in both messages
// take the same args.
func NewFieldError(field, code, zh, en string, args ...any) FieldError {
	return FieldError{Field: field, Code: code, Message: fmt.Sprintf(zh, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// FieldsError is the KindInvalid error of field errors: the first's code,
// every message, and the list in Details ("fields"); a single error also
// names its field (Field), for a form to mark it.
func FieldsError(errs []FieldError) *Error {
	zh, en := make([]string, len(errs)), make([]string, len(errs))
	for i, e := range errs {
		zh[i], en[i] = e.Message, e.MessageEN
	}
	err := &Error{Kind: KindInvalid, Code: errs[0].Code, Message: strings.Join(zh, "；"),
		MessageEN: strings.Join(en, "; "), Details: map[string]any{"fields": errs}}
	if len(errs) == 1 {
		err.Field = errs[0].Field
	}
	return err
}

// FieldText reads the text value v of a field: trimmed, ValidText, at most
// limit characters; nil is "".
func FieldText(field string, v *string, limit int) (string, *FieldError) {
	if v == nil {
		return "", nil
	}
	s := strings.TrimSpace(*v)
	if !ValidText(s) {
		fe := NewFieldError(field, "bad_text", "含有无效字符：须为 UTF-8 文本，且不含 NUL 字符", "is not valid text: UTF-8 without NUL characters")
		return "", &fe
	}
	if utf8.RuneCountInString(s) > limit {
		fe := NewFieldError(field, "too_long", "不能超过 %d 个字", "has at most %d characters", limit)
		return "", &fe
	}
	return s, nil
}
