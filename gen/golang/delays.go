package golang

import (
	"fmt"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// The format v2 side of retry delays: rules that limit a delay source or
// an override value to some responses, the minimum and default delays of
// statuses and codes, the RateLimit header and the cost formula. A v1
// catalog uses none of them, and findDelay keeps its v1 shape for it.

// ruleExpr is the condition under which a rule holds, written over
// e.Status and header; nil for the zero rule.
func ruleExpr(r model.Rule) *jen.Statement {
	var conds []jen.Code
	if len(r.Statuses) > 0 {
		var st *jen.Statement
		for i, m := range r.Statuses {
			var c *jen.Statement
			if m.Class {
				c = jen.Id("e").Dot("Status").Op("/").Lit(100).Op("==").Lit(m.Code / 100)
			} else {
				c = jen.Id("e").Dot("Status").Op("==").Lit(m.Code)
			}
			if i == 0 {
				st = c
			} else {
				st = st.Op("||").Add(c)
			}
		}
		if len(r.Statuses) > 1 {
			st = jen.Parens(st)
		}
		conds = append(conds, st)
	}
	if w := r.When; w != nil {
		if w.HasEquals {
			conds = append(conds, jen.Id("header").Dot("Get").Call(jen.Lit(w.Header)).Op("==").Lit(w.Equals))
		} else {
			conds = append(conds, jen.Len(jen.Id("header").Dot("Values").Call(jen.Lit(w.Header))).Op(">").Lit(0))
		}
	}
	if len(conds) == 0 {
		return nil
	}
	out := jen.Add(conds[0])
	for _, c := range conds[1:] {
		out = out.Op("&&").Add(c)
	}
	return out
}

// and joins a rule's condition (nil: none) with c.
func and(rule *jen.Statement, c *jen.Statement) *jen.Statement {
	if rule == nil {
		return c
	}
	return rule.Clone().Op("&&").Add(c)
}

// hasBodyDelay reports whether source d is read while the body is parsed
// (a body field or a cost formula), into bodyDelay<i>.
func hasBodyDelay(d model.DelaySource) bool { return d.Field != nil || d.Cost != nil }

// sourceChecks writes, in catalog order, one check per delay source that
// runs found(value) when the source's rule holds and it gives a delay.
func (g *gen) sourceChecks(b *jen.Group, found func(jen.Code) []jen.Code) {
	for i, d := range g.c.Retry.Delays {
		rule := ruleExpr(d.Rule)
		if hasBodyDelay(d) {
			b.If(and(rule, jen.Id("e").Dot(fmt.Sprintf("hasBodyDelay%d", i)))).Block(
				found(jen.Id("e").Dot(fmt.Sprintf("bodyDelay%d", i)))...,
			)
			continue
		}
		var parse jen.Code
		if d.Format == model.DelayRateLimit {
			parse = jen.Qual(implPath, "ParseRateLimit").Call(
				jen.Id("header").Dot("Values").Call(jen.Lit(d.Header)),
				jen.Id("header").Dot("Values").Call(jen.Lit(d.Header+"-Policy")))
		} else {
			parse = delayCall(d.Parser(), jen.Id("header").Dot("Get").Call(jen.Lit(d.Header)), model.TypeString)
		}
		check := jen.If(jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Add(parse), jen.Id("ok")).Block(found(jen.Id("d"))...)
		if rule != nil {
			b.If(rule).Block(check)
		} else {
			b.Add(check)
		}
	}
}

// findDelayV2 writes findDelay for a catalog with delay rules or bounds:
// the server's delay from the first source whose rule holds, then the
// bounds of the error's code, else its status.
func (g *gen) findDelayV2(f *jen.File) {
	c := g.c
	bounds := c.HasDelayBounds()
	f.Comment("// findDelay sets the retry delay from the first source, in catalog order,")
	f.Comment("// whose rule (statuses, header condition) holds and that holds a valid")
	f.Comment("// value, measuring dates and reset times from now (the clock of the")
	f.Comment("// apierr.Transport that made the request, see apierr.Now).")
	if bounds {
		f.Comment("// The catalog's minimum and default delay of the error's code, else of")
		f.Comment("// its status, then apply: the default when no source gave a delay, and")
		f.Comment("// the minimum over a shorter delay or none (errcatimpl.BoundDelay).")
	}
	f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("findDelay").Params(jen.Id("header").Qual(httpPath, "Header"), jen.Id("now").Qual(timePath, "Time")).BlockFunc(func(b *jen.Group) {
		if len(c.Retry.Delays) > 0 {
			b.List(jen.Id("e").Dot("delay"), jen.Id("e").Dot("hasDelay")).Op("=").Id("e").Dot("serverDelay").Call(jen.Id("header"), jen.Id("now"))
		}
		if bounds {
			b.List(jen.Id("minDelay"), jen.Id("defaultDelay")).Op(":=").Id("e").Dot("delayBounds").Call()
			b.List(jen.Id("e").Dot("delay"), jen.Id("e").Dot("hasDelay")).Op("=").Qual(implPath, "BoundDelay").Call(jen.Id("e").Dot("delay"), jen.Id("e").Dot("hasDelay"), jen.Id("minDelay"), jen.Id("defaultDelay"))
		}
	})
	f.Line()
	if len(c.Retry.Delays) > 0 {
		f.Comment("// serverDelay returns the delay of the first source, in catalog order,")
		f.Comment("// whose rule holds and that holds a valid value.")
		f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("serverDelay").Params(jen.Id("header").Qual(httpPath, "Header"), jen.Id("now").Qual(timePath, "Time")).Params(jen.Qual(timePath, "Duration"), jen.Bool()).BlockFunc(func(b *jen.Group) {
			g.sourceChecks(b, func(v jen.Code) []jen.Code { return []jen.Code{jen.Return(v, jen.True())} })
			b.Return(jen.Lit(0), jen.False())
		})
		f.Line()
	}
	if bounds {
		g.delayBoundsFunc(f)
	}
}

// delayBoundsFunc writes delayBounds: the exact statuses' bounds, then
// the bounds each code sets over them.
func (g *gen) delayBoundsFunc(f *jen.File) {
	c := g.c
	f.Comment("// delayBounds returns the minimum and default retry delay the catalog gives")
	f.Comment("// the error's code, else its status; zero means none.")
	f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("delayBounds").Params().Params(jen.Id("minDelay"), jen.Id("defaultDelay").Qual(timePath, "Duration")).BlockFunc(func(b *jen.Group) {
		var statuses []*model.Status
		for _, s := range c.Statuses {
			if !s.Class && !s.Delay.IsZero() {
				statuses = append(statuses, s)
			}
		}
		if len(statuses) > 0 {
			b.Switch(jen.Id("e").Dot("Status")).BlockFunc(func(sw *jen.Group) {
				for _, s := range statuses {
					sw.Case(jen.Id(s.Idents.Const)).Block(boundsAssign(s.Delay)...)
				}
			})
		}
		var codes []*model.Code
		for _, code := range c.Codes {
			if !code.Delay.IsZero() {
				codes = append(codes, code)
			}
		}
		if len(codes) > 0 {
			b.If(jen.Id("e").Dot("HasCode")).Block(jen.Switch(jen.Id("e").Dot("Code")).BlockFunc(func(sw *jen.Group) {
				for _, code := range codes {
					sw.Case(jen.Id(code.Idents.Const)).Block(boundsAssign(code.Delay)...)
				}
			}))
		}
		b.Return(jen.Id("minDelay"), jen.Id("defaultDelay"))
	})
	f.Line()
}

// boundsAssign sets minDelay and defaultDelay to the bounds d sets (a
// code's replace its status's; a status's replace zero).
func boundsAssign(d model.DelayBounds) []jen.Code {
	var out []jen.Code
	if d.Min != 0 {
		out = append(out, jen.Id("minDelay").Op("=").Add(durationLit(d.Min)))
	}
	if d.Default != 0 {
		out = append(out, jen.Id("defaultDelay").Op("=").Add(durationLit(d.Default)))
	}
	return out
}

// durationLit writes d as the largest whole unit: 5 * time.Second.
func durationLit(d time.Duration) *jen.Statement {
	units := []struct {
		name string
		d    time.Duration
	}{{"Hour", time.Hour}, {"Minute", time.Minute}, {"Second", time.Second}, {"Millisecond", time.Millisecond}, {"Microsecond", time.Microsecond}}
	if d == 0 {
		return jen.Lit(0)
	}
	for _, u := range units {
		if d%u.d == 0 {
			if d == u.d {
				return jen.Qual(timePath, u.name)
			}
			return jen.Lit(int(d/u.d)).Op("*").Qual(timePath, u.name)
		}
	}
	return jen.Lit(int(d))
}

// costDelays writes, for each cost source whose three fields the body
// format declares, the computation of its delay into bodyDelay<i>.
func (g *gen) costDelays(b *jen.Group, body *model.Body) {
	for i, d := range g.c.Retry.Delays {
		cf := d.Cost
		if cf == nil {
			continue
		}
		fields := []*model.Field{fieldNamed(body, cf.Cost.GoName), fieldNamed(body, cf.Available.GoName), fieldNamed(body, cf.Rate.GoName)}
		if fields[0] == nil || fields[1] == nil || fields[2] == nil {
			continue
		}
		set := jen.List(jen.Id("e").Dot(fmt.Sprintf("bodyDelay%d", i)), jen.Id("e").Dot(fmt.Sprintf("hasBodyDelay%d", i))).Op("=").
			Qual(implPath, "CostDelay").Call(jen.Id("cost"), jen.Id("available"), jen.Id("rate"))
		for j := 2; j >= 0; j-- {
			name := []string{"cost", "available", "rate"}[j]
			set = jen.If(jen.List(jen.Id(name), jen.Id("ok")).Op(":=").Id("doc").Dot("Float").Call(pathLits(fields[j].Paths)...), jen.Id("ok")).Block(set)
		}
		b.Add(set)
	}
}

// fieldNamed returns body's field without a role named goName, or nil.
func fieldNamed(body *model.Body, goName string) *model.Field {
	for _, f := range body.Fields {
		if f.GoName == goName && f.Role == model.RoleNone {
			return f
		}
	}
	return nil
}

// overrideCase writes what an override value does: set the action, under
// its rule if it has one.
func overrideCase(v model.OverrideValue) []jen.Code {
	set := jen.List(jen.Id("e").Dot("override"), jen.Id("e").Dot("hasOverride")).Op("=").List(actionLit(v.Action), jen.True())
	if rule := ruleExpr(v.Rule); rule != nil {
		return []jen.Code{jen.If(rule).Block(set)}
	}
	return []jen.Code{set}
}
