package e2e_test

import (
	"errors"
	"net/http"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/alvys"
	"github.com/errcat/errcat/generated/quivo"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/generated/trackunit"
	"github.com/errcat/errcat/internal/features/agraphql"
	"github.com/errcat/errcat/internal/features/apaths"
	"github.com/errcat/errcat/internal/features/bbodies"
	"github.com/errcat/errcat/internal/features/bodydelay"
	"github.com/errcat/errcat/internal/features/c1codes"
	"github.com/errcat/errcat/internal/features/c1graphql"
	"github.com/errcat/errcat/internal/features/cardpay"
	"github.com/errcat/errcat/internal/features/d1transport"
	"github.com/errcat/errcat/internal/features/d2cost"
	"github.com/errcat/errcat/internal/features/d2delays"
	"github.com/errcat/errcat/internal/features/e_batch"
	"github.com/errcat/errcat/internal/features/e_bulk"
	"github.com/errcat/errcat/internal/features/e_warnings"
	"github.com/errcat/errcat/internal/features/epochreset"
	"github.com/errcat/errcat/internal/features/errarray"
	"github.com/errcat/errcat/internal/features/nasty"
	"github.com/errcat/errcat/internal/features/okflag"
	"github.com/errcat/errcat/internal/features/override"
	"github.com/errcat/errcat/internal/features/percode"
	"github.com/errcat/errcat/internal/features/u_s3"
	"github.com/errcat/errcat/internal/features/u_shopify"
	"github.com/errcat/errcat/internal/features/unionbox"
	"github.com/errcat/errcat/internal/features/x_mix"
)

// parsers are the generated Parse functions by vendor id.
var parsers = map[string]func(int, http.Header, []byte) error{
	"alloy": alloy.Parse, "alvys": alvys.Parse, "quivo": quivo.Parse, "samsara": samsara.Parse, "trackunit": trackunit.Parse,
	"agraphql": agraphql.Parse, "apaths": apaths.Parse,
	"bodydelay": bodydelay.Parse, "epochreset": epochreset.Parse, "errarray": errarray.Parse, "nasty": nasty.Parse, "okflag": okflag.Parse, "override": override.Parse, "percode": percode.Parse,
	"cardpay": cardpay.Parse, "unionbox": unionbox.Parse,
	"e_batch": ebatch.Parse, "e_bulk": ebulk.Parse, "e_warnings": ewarnings.Parse,
	"d1transport": d1transport.Parse,
	"d2delays":    d2delays.Parse, "d2cost": d2cost.Parse,
	"bbodies": bbodies.Parse,
	"c1codes": c1codes.Parse, "c1graphql": c1graphql.Parse,
	"u_s3": us3.Parse, "u_shopify": ushopify.Parse,
	"x_mix": xmix.Parse,
}

// TestEvaluateAgreesWithGeneratedParsers holds model.Evaluate, which errcat
// validate uses to check catalog examples without running generated code,
// to the generated parser of every shipped and feature catalog: over every
// example of the catalogs, and over a sample body of every code and every
// error status in every body format (model.SampleBody), both must agree on
// error or not, the format, the code and the retry delay.
func TestEvaluateAgreesWithGeneratedParsers(t *testing.T) {
	paths, _ := filepath.Glob("../../catalog/*.yaml")
	more, _ := filepath.Glob("../features/catalog/*.yaml")
	cases, examples := 0, 0
	for _, path := range append(paths, more...) {
		c, err := load.File(path)
		if err != nil {
			t.Fatal(err)
		}
		parse, ok := parsers[c.Vendor.ID]
		if !ok {
			t.Errorf("%s: no generated parser listed for vendor %s", path, c.Vendor.ID)
			continue
		}
		for _, ex := range c.Examples() {
			examples++
			agree(t, c, parse, ex.Status, ex.Header(), ex.Body)
		}
		for _, r := range samples(c) {
			cases++
			agree(t, c, parse, r.status, r.header, r.body)
		}
	}
	if examples < 9 || cases < 100 {
		t.Errorf("compared %d examples and %d samples; want at least 9 and 100", examples, cases)
	}
}

type sample struct {
	status int
	header http.Header
	body   string
}

// samples are a body of every format for every code and error status, with
// the catalog's delay headers set (and the headers their conditions test),
// and each without headers.
func samples(c *model.Catalog) []sample {
	delays := http.Header{}
	for _, d := range c.Retry.Delays {
		switch {
		case d.Format == model.DelayRateLimit:
			delays.Set(d.Header, `"default";r=0;t=7`)
		case d.Header != "":
			delays.Set(d.Header, "7")
		}
		if w := d.Rule.When; w != nil {
			delays.Set(w.Header, w.Equals)
		}
	}
	var out []sample
	for _, b := range c.Bodies {
		// A format that lists media types gets its bodies with each (and
		// with none, above): the parser must pick by it as Evaluate does.
		var typed []http.Header
		for _, t := range b.MediaTypes {
			if t[0] == '+' {
				t = "application/example" + t
			}
			typed = append(typed, http.Header{"Content-Type": {t + "; charset=utf-8"}})
		}
		for _, code := range c.Codes {
			body, _, ok := model.SampleBody(b, code)
			if !ok {
				continue
			}
			for _, st := range codeSampleStatuses(c, code) {
				out = append(out, sample{st, delays, body}, sample{st, nil, body})
				for _, h := range typed {
					out = append(out, sample{st, h, body})
				}
			}
		}
		for _, s := range c.ExactStatuses() {
			if body, _, ok := model.SampleBody(b, nil); ok {
				out = append(out, sample{s.Code, delays, body}, sample{s.Code, nil, "not json"}, sample{s.Code, http.Header{"Content-Type": {"application/json"}}, body})
			}
		}
	}
	return out
}

// codeSampleStatuses are the statuses a code's sample body is tried at:
// every exact status it is listed with, a status of each of its classes,
// its examples' statuses, and every exact status of the catalog (where a
// code whose precedence is status may not decide).
func codeSampleStatuses(c *model.Catalog, code *model.Code) []int {
	var out []int
	for _, s := range code.Statuses {
		out = append(out, s.Code+btoi(s.Class)*3)
	}
	for _, ex := range code.Examples {
		out = append(out, ex.Status)
	}
	if code.StatusWins || code.Status == nil {
		for _, s := range c.ExactStatuses() {
			out = append(out, s.Code)
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func agree(t *testing.T, c *model.Catalog, parse func(int, http.Header, []byte) error, status int, header http.Header, body string) {
	t.Helper()
	want := model.Evaluate(c, status, header, []byte(body), time.Now())
	err := parse(status, header, []byte(body))
	var e apierr.Error
	got := model.Outcome{IsError: errors.As(err, &e)}
	if got.IsError {
		got.Format = reflect.ValueOf(e).Elem().FieldByName("Format").String()
		got.Code = e.ErrorCode()
		got.HasCode = got.Code != "" || want.HasCode && want.Code == ""
		got.Delay, got.HasDelay = e.RetryDelay()
		got.DelayFromNow = want.DelayFromNow
		if want.DelayFromNow && got.HasDelay {
			got.Delay = want.Delay // measured from two clocks: compare presence only
		}
		// A secondary code that decides: the parsed error has its kind and
		// action (no feature catalog with deciding sets overrides actions).
		if d := want.Decided; d != nil && e.Kind() == d.Kind && e.Action() == d.Action {
			got.Decided = d
		}
	}
	if got != want {
		t.Errorf("%s: status %d, header %v, body %q:\n  Evaluate: %+v\n  Parse:    %+v", c.Vendor.ID, status, header, body, want, got)
	}
	if !got.IsError {
		return
	}
	// model.Catalog.Decide is the rule the generated table implements.
	var code *model.Code
	for _, k := range c.Codes {
		if want.HasCode && k.Text() == want.Code {
			code = k
		}
	}
	kind, action := c.Decide(status, code, want.Format)
	if d := want.Decided; d != nil { // a secondary code that decides comes first
		kind, action = d.Kind, d.Action
	}
	if e.Kind() != kind || (c.Retry.Override == nil && e.Action() != action) {
		t.Errorf("%s: status %d, body %q: kind %v, action %v; Decide says %v, %v", c.Vendor.ID, status, body, e.Kind(), e.Action(), kind, action)
	}
}
