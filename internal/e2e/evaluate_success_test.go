package e2e_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
	"github.com/errcat/errcat/internal/features/e_batch"
	"github.com/errcat/errcat/internal/features/e_bulk"
	"github.com/errcat/errcat/internal/features/e_warnings"
	"github.com/errcat/errcat/internal/features/x_mix"
)

// itemParser is a generated ParseBatchErrors, its items as outcomes.
type itemParser func(status int, body []byte) ([]model.BatchOutcome, error)

var batchParsers = map[string]itemParser{
	"e_batch": func(status int, body []byte) ([]model.BatchOutcome, error) {
		items, err := ebatch.ParseBatchErrors(status, nil, body)
		var out []model.BatchOutcome
		for _, it := range items {
			out = append(out, itemOutcome(it.Index, it.ID, it))
		}
		return out, err
	},
	"e_bulk": func(status int, body []byte) ([]model.BatchOutcome, error) {
		items, err := ebulk.ParseBatchErrors(status, nil, body)
		var out []model.BatchOutcome
		for _, it := range items {
			out = append(out, itemOutcome(it.Index, it.ID, it))
		}
		return out, err
	},
	"x_mix": func(status int, body []byte) ([]model.BatchOutcome, error) {
		items, err := xmix.ParseBatchErrors(status, nil, body)
		var out []model.BatchOutcome
		for _, it := range items {
			out = append(out, itemOutcome(it.Index, it.ID, it))
		}
		return out, err
	},
}

var warningParsers = map[string]func(int, []byte) ([]model.WarningOutcome, error){
	"e_warnings": func(status int, body []byte) ([]model.WarningOutcome, error) {
		ws, err := ewarnings.ParseWarnings(status, nil, body)
		var out []model.WarningOutcome
		for _, w := range ws {
			out = append(out, model.WarningOutcome{Code: w.Code, Message: w.Message})
		}
		return out, err
	},
	"x_mix": func(status int, body []byte) ([]model.WarningOutcome, error) {
		ws, err := xmix.ParseWarnings(status, nil, body)
		var out []model.WarningOutcome
		for _, w := range ws {
			out = append(out, model.WarningOutcome{Code: w.Code, Message: w.Message})
		}
		return out, err
	},
}

func itemOutcome(index int, id string, err error) model.BatchOutcome {
	o := model.BatchOutcome{Index: index, ID: id}
	var e apierr.Error
	if o.IsError = errors.As(err, &e); o.IsError {
		o.Status = e.HTTPStatus()
		o.Code, o.HasCode = e.ErrorCode(), e.ErrorCode() != ""
		o.Delay, o.HasDelay = e.RetryDelay()
	}
	return o
}

// TestEvaluateSuccessAgrees holds model.EvaluateBatch and
// model.EvaluateWarnings, which the loader checks the batch and warnings
// examples with, to the generated ParseBatchErrors and ParseWarnings of
// every feature catalog with those sections, over their examples and
// bodies of other shapes.
func TestEvaluateSuccessAgrees(t *testing.T) {
	paths, _ := filepath.Glob("../features/catalog/*.yaml")
	compared := 0
	for _, path := range paths {
		c, err := load.File(path)
		if err != nil {
			t.Fatal(err)
		}
		if c.Batch != nil {
			parse, ok := batchParsers[c.Vendor.ID]
			if !ok {
				t.Errorf("%s: no ParseBatchErrors listed for %s", path, c.Vendor.ID)
				continue
			}
			for _, body := range []string{c.Batch.Example, strings.ReplaceAll(c.Batch.Example, "40", "50"), `{}`} {
				compared++
				want, _, _ := model.EvaluateBatch(c, []byte(body), time.Now())
				got, err := parse(200, []byte(body))
				if err != nil || len(got) != len(want) {
					t.Errorf("%s: %d item errors (%v), Evaluate %d", c.Vendor.ID, len(got), err, len(want))
					continue
				}
				for i := range got {
					w := want[i]
					w.Format, w.DelayFromNow = "", false
					if got[i] != w {
						t.Errorf("%s item %d:\n  Evaluate: %+v\n  Parse:    %+v", c.Vendor.ID, i, w, got[i])
					}
				}
			}
		}
		if c.Warnings != nil {
			parse, ok := warningParsers[c.Vendor.ID]
			if !ok {
				t.Errorf("%s: no ParseWarnings listed for %s", path, c.Vendor.ID)
				continue
			}
			compared++
			want, _ := model.EvaluateWarnings(c, []byte(c.Warnings.Example))
			got, err := parse(200, []byte(c.Warnings.Example))
			if err != nil || len(got) != len(want) || len(got) == 0 {
				t.Fatalf("%s: %v, %v; Evaluate %v", c.Vendor.ID, got, err, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s warning %d: Evaluate %+v, Parse %+v", c.Vendor.ID, i, want[i], got[i])
				}
			}
		}
	}
	if compared < 7 {
		t.Errorf("compared %d bodies; want every example", compared)
	}
}
