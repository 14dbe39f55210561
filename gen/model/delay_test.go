package model_test

import (
	"testing"
	"time"

	"github.com/errcat/errcat/gen/model"
)

// TestDelayParser: each format and value type maps to one runtime parser,
// and Eval runs that parser as the generated code does.
func TestDelayParser(t *testing.T) {
	num := &model.Field{Type: model.TypeInteger}
	str := &model.Field{Type: model.TypeString}
	for _, tc := range []struct {
		src   model.DelaySource
		fn    string
		unit  time.Duration
		now   bool
		text  string
		delay time.Duration
		ok    bool
	}{
		{model.DelaySource{Header: "Retry-After", Format: model.DelayRetryAfter}, "ParseRetryAfter", 0, true, "3", 3 * time.Second, true},
		{model.DelaySource{Field: num, Format: model.DelayRetryAfter}, "ParseDelayNumber", time.Second, false, "1.5", 1500 * time.Millisecond, true},
		{model.DelaySource{Header: "X", Format: model.DelayMillis}, "ParseDelayString", time.Millisecond, false, "250", 250 * time.Millisecond, true},
		{model.DelaySource{Field: num, Format: model.DelaySeconds}, "ParseDelayNumber", time.Second, false, "2", 2 * time.Second, true},
		{model.DelaySource{Field: str, Format: model.DelayDuration}, "ParseDelayString", time.Second, false, "1m", time.Minute, true},
		{model.DelaySource{Field: num, Format: model.DelayEpochMillis}, "ParseEpochReset", time.Millisecond, true, "x", 0, false},
		{model.DelaySource{Header: "RateLimit", Format: model.DelayRateLimit}, "ParseRateLimit", 0, false, `"default";r=0;t=30`, 30 * time.Second, true},
		{model.DelaySource{Header: "RateLimit", Format: model.DelayRateLimit}, "ParseRateLimit", 0, false, `"default";r=1;t=30`, 0, false},
		{model.DelaySource{Cost: &model.CostFormula{Cost: num, Available: num, Rate: num}, Format: model.DelayCost}, "CostDelay", 0, false, "1", 0, false},
	} {
		p := tc.src.Parser()
		if p.Func != tc.fn || p.Unit != tc.unit || p.Now != tc.now {
			t.Errorf("%v: parser %+v, want %s unit %v now %t", tc.src.Format, p, tc.fn, tc.unit, tc.now)
		}
		if d, ok := p.Eval(tc.text, time.Unix(1e9, 0)); d != tc.delay || ok != tc.ok {
			t.Errorf("%v: Eval(%q) = %v %t, want %v %t", tc.src.Format, tc.text, d, ok, tc.delay, tc.ok)
		}
	}
	c := &model.Catalog{Retry: model.Retry{Delays: []model.DelaySource{{Header: "retry-after", Format: model.DelayMillis}, {Header: "Retry-After", Format: model.DelaySeconds}}}}
	if d, ok := c.HeaderDelay(503, "Retry-After", "2", time.Now()); d != 2*time.Millisecond || !ok {
		t.Errorf("HeaderDelay = %v %t, want the first source's 2ms", d, ok)
	}
	// A source whose rule does not hold is skipped; the status's minimum
	// raises what the next one gives.
	c.Retry.Delays[0].Rule = model.Rule{Statuses: []model.StatusMatch{{Code: 429}}}
	c.Statuses = []*model.Status{{Code: 503, Delay: model.DelayBounds{Min: 5 * time.Second}}}
	if d, ok := c.HeaderDelay(503, "Retry-After", "2", time.Now()); d != 5*time.Second || !ok {
		t.Errorf("HeaderDelay with a rule and a minimum = %v %t, want 5s", d, ok)
	}
	if d, ok := c.HeaderDelay(503, "Retry-After", "9", time.Now()); d != 9*time.Second || !ok {
		t.Errorf("HeaderDelay above the minimum = %v %t, want 9s", d, ok)
	}
}
