package load

import (
	"fmt"
	"net/textproto"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// exampleKeys are the keys of one example response.
var exampleKeys = []string{"status", "headers", "body", "description"}

// pendingExample is an example read from its entry, checked against the
// body formats once the whole catalog is read.
type pendingExample struct {
	ex   *model.Example
	node *yaml.Node
}

// examples reads the examples of a status entry (st) or a code entry (code,
// whose status is st; st may be nil when the code's status is wrong).
func (b *builder) examples(n *yaml.Node, st *model.Status, code *model.Code) []*model.Example {
	var out []*model.Example
	items := b.seq(n, "examples")
	if n != nil && n.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(n, "give at least one example, or remove the key", "examples is an empty list")
	}
	for _, it := range items {
		m := b.mapping(it, "example", exampleKeys)
		ex := &model.Example{Pos: at(it), Code: code}
		if st != nil && !st.Class {
			ex.Status = st.Code
		}
		if e, ok := m["status"]; ok {
			b.exampleStatus(e.val, st, code, ex)
		} else if st != nil && st.Class {
			b.errorf(it, fmt.Sprintf("add status: with the exact status of the response, such as %d", st.Code), "an example of the class %s must name its exact status", st.Text())
		} else if code != nil && st == nil {
			b.errorf(it, "add status: with the exact status of the response the vendor shows", "an example of code %s must name its status: the code lists no exact status", clip(code.Text()))
		}
		if e, ok := m["headers"]; ok {
			ex.Headers = b.exampleHeaders(e.val)
		}
		if e, ok := m["body"]; ok {
			ex.Body, _ = b.str(e.val, "example body", false)
		}
		if e, ok := m["description"]; ok {
			ex.Description, _ = b.str(e.val, "example description", true)
		}
		if len(m) == 0 || (m["body"].val == nil && m["headers"].val == nil) {
			if it.Kind == yaml.MappingNode {
				b.errorf(it, "add body: (and headers: if the docs show them)", "an example needs a body or headers")
			}
		}
		out = append(out, ex)
		if st != nil || code != nil {
			b.pendingExamples = append(b.pendingExamples, pendingExample{ex, it})
		}
	}
	return out
}

// exampleStatus reads an example's status: required for a class entry (an
// exact status of the class), refused elsewhere (the entry gives it) except
// on a format v2 code that does not list exactly one exact status, where it
// is one the code is listed with (any status, for a code without one).
func (b *builder) exampleStatus(n *yaml.Node, st *model.Status, code *model.Code, ex *model.Example) {
	flexible := code != nil && b.cat.Format == 2 && (len(code.Statuses) != 1 || code.Statuses[0].Class)
	if !flexible && (code != nil || (st != nil && !st.Class)) {
		msg := "only an example of a status class names its status"
		if code != nil && b.cat.Format == 2 {
			msg = "only an example of a status class, or of a code with several statuses, a class or none, names its status"
		}
		b.errorf(n, "remove status: the example takes its entry's status", "%s", msg)
		return
	}
	v, class, ok := b.statusValue(n, "example status")
	if !ok {
		return
	}
	switch {
	case class:
		b.errorf(n, "name the exact status of the response, such as "+fmt.Sprint(v+3), "an example's status must be exact, not the class %s", n.Value)
	case flexible && len(code.Statuses) > 0 && !code.At(v):
		b.errorf(n, "use one of the code's statuses ("+strings.Join(code.StatusTexts(), ", ")+"), or add the status to the code", "status %d is not one code %s is listed with", v, clip(code.Text()))
	case !flexible && st != nil && !st.Matches(v):
		b.errorf(n, fmt.Sprintf("use a status of the class %s, or move the example to the status's entry", st.Text()), "status %d is not in the class %s", v, st.Text())
	default:
		ex.Status = v
	}
}

// exampleHeaders reads an example's headers: a mapping of header names to
// values, kept in catalog order.
func (b *builder) exampleHeaders(n *yaml.Node) []model.ExampleHeader {
	var out []model.ExampleHeader
	if !b.plain(n, "example headers") {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		b.errorf(n, "write one Name: value line per header", "example headers must be a mapping, not %s", describe(n))
		return nil
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, ok := b.str(k, "example header name", true)
		if !ok {
			continue
		}
		if !headerPattern.MatchString(name) {
			b.errorf(k, "use the header's name as sent, such as Retry-After", "header %q is not a valid HTTP header name", clip(name))
			continue
		}
		canon := textproto.CanonicalMIMEHeaderKey(name)
		if prev, dup := seen[canon]; dup {
			b.errorf(k, "remove the duplicate", "header %s is given twice (first at line %d)", canon, prev.Line)
			continue
		}
		seen[canon] = k
		val, ok := b.str(v, "example header value", false)
		if !ok {
			continue
		}
		if strings.ContainsAny(val, "\r\n\x00") {
			b.errorf(v, "write the value on one line", "the value of header %s holds a line break or NUL, which no response can carry", canon)
			continue
		}
		out = append(out, model.ExampleHeader{Name: canon, Value: val})
	}
	return out
}

// checkExamples evaluates every example against the body formats, as the
// generated parser will read it, and reports one that would not yield its
// entry: a success, or another code (or a code where a status's example
// must carry none). It runs only on an otherwise valid catalog.
func (b *builder) checkExamples() {
	for _, p := range b.pendingExamples {
		ex := p.ex
		if ex.Status == 0 {
			continue
		}
		o := model.Evaluate(b.cat, ex.Status, ex.Header(), []byte(ex.Body), time.Now())
		format := "no body format fits it"
		if o.Format != "" {
			format = fmt.Sprintf("body format %q reads it", o.Format)
		}
		switch {
		case !o.IsError:
			b.errorf(p.node, "give an error response, or fix the body formats' statuses and error_when", "example of %s is not an error: the generated parser returns nil for it (%s)", exampleOf(ex), format)
		case ex.Code != nil && (!o.HasCode || o.Code != ex.Code.Text()):
			got := "no code"
			if o.HasCode {
				got = "code " + clip(o.Code)
			}
			b.errorf(p.node, "quote the vendor's example exactly, or fix the format's code field path", "example of %s yields %s, not its code (%s)", exampleOf(ex), got, format)
		case ex.Code == nil && o.HasCode:
			b.errorf(p.node, "move the example to the code's entry", "example of %s yields code %s (%s); a status's example must carry no code", exampleOf(ex), clip(o.Code), format)
		}
	}
}

func exampleOf(ex *model.Example) string {
	if ex.Code != nil {
		return "code " + clip(ex.Code.Text())
	}
	return fmt.Sprintf("status %d", ex.Status)
}
