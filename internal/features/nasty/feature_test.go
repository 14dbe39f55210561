package nasty_test

import (
	"errors"
	"math"
	"testing"

	"github.com/errcat/errcat/internal/features/nasty"
)

// Hostile catalog text generated code that compiles (this file building is
// half the test); the rest checks integer limits and alternative paths.
func TestIntegerLimitsAndAlternatives(t *testing.T) {
	cases := []struct {
		body string
		code nasty.Code
		msg  string
	}{
		{`{"c": 9223372036854775807, "m": "max"}`, nasty.CodeMaxInt64, "max"},
		{`{"c": -9223372036854775808, "M": "min"}`, nasty.CodeMinInt64, "min"},
		{`{"c": 0, "message": {"text": "zero"}}`, nasty.CodeZero, "zero"},
		{`{"c": "16"}`, nasty.CodeHexSixteen, ""},
	}
	for _, c := range cases {
		err := nasty.Parse(400, nil, []byte(c.body))
		var e *nasty.Error
		if !errors.As(err, &e) || !e.HasCode || e.Code != c.code || e.Message != c.msg {
			t.Errorf("%s: %#v", c.body, err)
		}
	}
	if int64(nasty.CodeMaxInt64) != math.MaxInt64 || int64(nasty.CodeMinInt64) != math.MinInt64 {
		t.Error("limits lost")
	}
	var e *nasty.Error
	if err := nasty.Parse(400, nil, []byte(`{"c": 9223372036854775808}`)); !errors.As(err, &e) || e.HasCode {
		t.Errorf("overflowing code must not be read: %#v", err)
	}
	if !nasty.IsHTTPAPIJSONURLID(nasty.Parse(400, nil, nil)) || !nasty.IsX5xxServerError(nasty.Parse(502, nil, nil)) {
		t.Error("initialism / leading-digit names do not match")
	}
}
