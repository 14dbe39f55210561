package load

import (
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// reserveSuccess reserves the identifiers the warnings and batch sections
// make the generated package declare, before any catalog name is read, so
// that a list item or other name making one of them is refused there.
func (b *builder) reserveSuccess(m map[string]entry) {
	if _, ok := m["warnings"]; ok {
		for _, id := range []string{model.WarningType, model.WarningsFunc, model.ParseWarningsFunc} {
			b.idents[id] = namedAt{}
		}
	}
	if _, ok := m["batch"]; ok {
		for _, id := range []string{model.ItemErrorType, model.BatchErrorsFunc, model.ParseBatchErrorsFunc} {
			b.idents[id] = namedAt{}
		}
	}
}

// warnings reads the warnings section: where success bodies list their
// warnings and what each holds.
func (b *builder) warnings(key, n *yaml.Node) {
	if !b.needV2(key, "warnings") {
		return
	}
	m := b.mapping(n, "warnings", []string{"description", "statuses", "path", "fields", "sensitive", "example"}, "path")
	w := &model.Warnings{Pos: at(n)}
	if e, ok := m["description"]; ok {
		w.Description, _ = b.str(e.val, "warnings description", true)
	}
	if e, ok := m["example"]; ok {
		w.Example, _ = b.str(e.val, "warnings example", true)
		b.warningsExample = e.val
	}
	if e, ok := m["statuses"]; ok {
		w.Statuses = b.successStatuses(e.val, "warnings")
	}
	if e, ok := m["path"]; ok {
		w.Paths = b.pathList(e.val, "warnings path")
	}
	if e, ok := m["sensitive"]; ok {
		nodes, paths := b.strs(e.val, "sensitive")
		for i, p := range paths {
			if path, ok := b.path(nodes[i], p); ok {
				w.Sensitive = append(w.Sensitive, path)
			}
		}
	}
	if e, ok := m["fields"]; ok {
		w.Fields = b.fields(e.val, nil, scopeWarning, nil)
	}
	b.cat.Warnings = w
}

// batch reads the batch section: where a batch response lists its items
// and where each item holds its status, body, id and headers.
func (b *builder) batch(key, n *yaml.Node) {
	if !b.needV2(key, "batch") {
		return
	}
	m := b.mapping(n, "batch", []string{"description", "statuses", "path", "status", "body", "id", "headers", "example"}, "path", "status")
	bt := &model.Batch{Pos: at(n)}
	if e, ok := m["description"]; ok {
		bt.Description, _ = b.str(e.val, "batch description", true)
	}
	if e, ok := m["example"]; ok {
		bt.Example, _ = b.str(e.val, "batch example", true)
		b.batchExample = e.val
	}
	if e, ok := m["statuses"]; ok {
		bt.Statuses = b.successStatuses(e.val, "batch")
	}
	for _, k := range []struct {
		key  string
		into *[]model.Path
	}{{"path", &bt.Paths}, {"status", &bt.Status}, {"body", &bt.Body}, {"id", &bt.ID}, {"headers", &bt.Headers}} {
		if e, ok := m[k.key]; ok {
			*k.into = b.pathList(e.val, "batch "+k.key)
		}
	}
	b.cat.Batch = bt
}

// successStatuses reads the statuses of a warnings or batch section: only
// statuses below 400, since FromResponse makes an error of the others.
func (b *builder) successStatuses(n *yaml.Node, what string) []model.StatusMatch {
	var out []model.StatusMatch
	items := b.seq(n, what+" statuses")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(n, "list statuses such as [200, 207], or remove statuses: (every 2xx)", "%s statuses is empty", what)
	}
	for _, sn := range items {
		code, class, ok := b.statusValue(sn, what+" status")
		if !ok {
			continue
		}
		if code >= 400 {
			b.errorf(sn, "list success statuses only; FromResponse returns the typed *Error for "+sn.Value, "%s status %s is an error status", what, clip(sn.Value))
			continue
		}
		out = append(out, model.StatusMatch{Code: code, Class: class})
	}
	return out
}

// pathList reads a path or a list of alternative paths.
func (b *builder) pathList(n *yaml.Node, what string) []model.Path {
	var out []model.Path
	nodes, paths := b.strs(n, what)
	for i, p := range paths {
		if path, ok := b.path(nodes[i], p); ok {
			out = append(out, path)
		}
	}
	return out
}

// warningRole sets the role of a warning's field f; others are the fields
// read before it. A warning's code is text whatever the catalog's codes
// are: warnings are not errors, and their codes are not the catalog's.
func (b *builder) warningRole(n *yaml.Node, role string, f *model.Field, others []*model.Field) {
	want := model.RoleCode
	if role == "message" {
		want = model.RoleMessage
	}
	for _, other := range others {
		if other.Role == want {
			b.errorf(n, "keep one; list alternative paths under path: instead", "warnings have two fields with role %s", role)
			return
		}
	}
	f.Role = want
	switch {
	case want == model.RoleMessage && f.Type != model.TypeString:
		b.errorf(n, "use type: string", "a field with role message must be a string, not %s", f.Type)
	case want == model.RoleCode && f.Type != model.TypeString && f.Type != model.TypeInteger:
		b.errorf(n, "use type: string (or integer)", "a warning's code field must be a string or an integer, not %s", f.Type)
	}
}

// checkSuccessExamples reads the warnings and batch examples as the
// generated ParseWarnings and ParseBatchErrors will, and refuses one that
// is no JSON object or in which the section's paths find nothing: a path
// that finds nothing in the vendor's own example is a mistake.
func (b *builder) checkSuccessExamples() {
	if w := b.cat.Warnings; w != nil && b.warningsExample != nil {
		out, ok := model.EvaluateWarnings(b.cat, []byte(w.Example))
		switch {
		case !ok:
			b.errorf(b.warningsExample, "quote a success body from the docs", "the warnings example is not a JSON object")
		case len(out) == 0:
			b.errorf(b.warningsExample, "fix warnings path: so that it names the list, or quote a body that carries warnings", "the warnings example yields no warning: path %s finds no list of objects or strings in it", pathsText(w.Paths))
		}
	}
	if bt := b.cat.Batch; bt != nil && b.batchExample != nil {
		_, items, ok := model.EvaluateBatch(b.cat, []byte(bt.Example), time.Now())
		switch {
		case !ok:
			b.errorf(b.batchExample, "quote a batch response body from the docs", "the batch example is not a JSON object")
		case items == 0:
			b.errorf(b.batchExample, "fix path: and status: so that they name the list and each item's status", "the batch example yields no item: path %s finds no object with a status at %s in it", pathsText(bt.Paths), pathsText(bt.Status))
		}
	}
}

func pathsText(ps []model.Path) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " or "
		}
		s += p.String()
	}
	return s
}
