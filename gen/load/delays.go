package load

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// maxBoundDelay bounds min_delay and default_delay: a vendor page asks for
// seconds or minutes; a day is far above any of them.
const maxBoundDelay = 24 * time.Hour

// delayBounds reads a status's or code's min_delay and default_delay
// (format v2).
func (b *builder) delayBounds(m map[string]entry, what string) model.DelayBounds {
	var out model.DelayBounds
	if e, ok := m["min_delay"]; ok && b.needV2(e.key, what+" min_delay") {
		out.Min = b.boundDelay(e.val, "min_delay")
	}
	if e, ok := m["default_delay"]; ok && b.needV2(e.key, what+" default_delay") {
		out.Default = b.boundDelay(e.val, "default_delay")
	}
	return out
}

// boundDelay reads a delay written as a Go duration: "1s", "500ms", "1m30s".
func (b *builder) boundDelay(n *yaml.Node, what string) time.Duration {
	s, ok := b.str(n, what, true)
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		b.errorf(n, "write a duration such as 1s, 500ms or 1m30s", "%s %q is not a duration", what, clip(s))
	case d < time.Millisecond || d > maxBoundDelay:
		b.errorf(n, "give a delay from 1ms to 24h", "%s %s is out of range", what, s)
	default:
		return d
	}
	return 0
}

// rule reads the statuses: and when: keys that limit a delay source or an
// override value to some responses (format v2).
func (b *builder) rule(m map[string]entry, what string) model.Rule {
	var r model.Rule
	if e, ok := m["statuses"]; ok && b.needV2(e.key, what+" statuses") {
		items := b.seq(e.val, what+" statuses")
		if e.val.Kind == yaml.SequenceNode && len(items) == 0 {
			b.errorf(e.val, "list the statuses it applies to, or remove statuses: to apply it to every status", "%s statuses is empty", what)
		}
		seen := map[model.StatusMatch]*yaml.Node{}
		for _, it := range items {
			code, class, ok := b.statusValue(it, what+" status")
			if !ok {
				continue
			}
			sm := model.StatusMatch{Code: code, Class: class}
			if prev, dup := seen[sm]; dup {
				b.errorf(it, "remove the duplicate", "status %s is listed twice (first at line %d)", sm, prev.Line)
				continue
			}
			seen[sm] = it
			r.Statuses = append(r.Statuses, sm)
		}
	}
	if e, ok := m["when"]; ok && b.needV2(e.key, what+" when") {
		r.When = b.headerCondition(e.val, what)
	}
	return r
}

// headerCondition reads when: {header: X, equals: "0"}; without equals the
// header need only be present.
func (b *builder) headerCondition(n *yaml.Node, what string) *model.HeaderCondition {
	m := b.mapping(n, what+" when", []string{"header", "equals"}, "header")
	c := &model.HeaderCondition{}
	if e, ok := m["header"]; ok {
		if s, ok := b.str(e.val, "when header", true); ok {
			c.Header = b.headerName(e.val, s)
		}
	}
	if e, ok := m["equals"]; ok {
		if e.val.Kind == yaml.ScalarNode && e.val.Tag != "!!str" {
			b.errorf(e.val, fmt.Sprintf("quote the value as the header carries it: equals: %q", e.val.Value), "when equals must be a string: headers carry text")
		} else if s, ok := b.str(e.val, "when equals", false); ok {
			c.Equals, c.HasEquals = s, true
		}
	}
	if c.Header == "" {
		return nil
	}
	return c
}

// costFormula reads a cost delay source's cost:, available: and rate:,
// each the name of a number or integer body field.
func (b *builder) costFormula(it *yaml.Node, dm map[string]entry) *model.CostFormula {
	cf := &model.CostFormula{}
	targets := []struct {
		key string
		dst **model.Field
	}{{"cost", &cf.Cost}, {"available", &cf.Available}, {"rate", &cf.Rate}}
	complete := true
	for _, t := range targets {
		e, ok := dm[t.key]
		if !ok {
			b.errorf(it, "give cost:, available: and rate:, each the name of a number field under bodies", "format cost needs %s:", t.key)
			complete = false
			continue
		}
		s, ok := b.str(e.val, "cost "+t.key, true)
		if !ok {
			complete = false
			continue
		}
		f := b.delayField(e.val, s, model.DelayCost)
		if f == nil {
			complete = false
			continue
		}
		*t.dst = f
	}
	if !complete {
		return nil
	}
	return cf
}

// costKeysOnlyForCost reports cost:, available: and rate: on a source of
// another format.
func (b *builder) costKeysOnlyForCost(dm map[string]entry, format model.DelayFormat) {
	if format == model.DelayCost {
		return
	}
	for _, k := range []string{"cost", "available", "rate"} {
		if e, ok := dm[k]; ok {
			b.errorf(e.key, "remove it, or use format: cost", "%s: is only for format cost", k)
		}
	}
}
