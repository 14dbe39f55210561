package diff

import (
	"github.com/errcat/errcat/gen/model"
)

// success compares the warnings and batch sections (format v2).
func (d *differ) success() {
	ow, nw := d.old.Warnings, d.new.Warnings
	switch {
	case ow == nil && nw != nil:
		d.add("success-section-added", "warnings", "", pathsText(nw.Paths), nw.Pos, model.Pos{}, "added: Warnings and ParseWarnings return the warnings at %s", pathsText(nw.Paths))
	case ow != nil && nw == nil:
		d.add("success-section-removed", "warnings", pathsText(ow.Paths), "", d.firstPos(), ow.Pos, "removed: the Warning type, Warnings and ParseWarnings disappear")
	case ow != nil:
		d.warnings(ow, nw)
	}
	ob, nb := d.old.Batch, d.new.Batch
	switch {
	case ob == nil && nb != nil:
		d.add("success-section-added", "batch", "", pathsText(nb.Paths), nb.Pos, model.Pos{}, "added: BatchErrors and ParseBatchErrors parse the items at %s", pathsText(nb.Paths))
	case ob != nil && nb == nil:
		d.add("success-section-removed", "batch", pathsText(ob.Paths), "", d.firstPos(), ob.Pos, "removed: the ItemError type, BatchErrors and ParseBatchErrors disappear")
	case ob != nil:
		d.batch(ob, nb)
	}
}

func (d *differ) warnings(o, n *model.Warnings) {
	const subj = "warnings"
	if os, ns := successStatusesText(o.Statuses), successStatusesText(n.Statuses); os != ns {
		d.add("success-section-changed", subj, os, ns, n.Pos, o.Pos, "read for %s → %s", os, ns)
	}
	if op, np := pathsText(o.Paths), pathsText(n.Paths); op != np {
		d.add("success-section-changed", subj, op, np, n.Pos, o.Pos, "path %s → %s", op, np)
	}
	d.sensitive(subj, &model.Body{Sensitive: o.Sensitive}, &model.Body{Sensitive: n.Sensitive, Pos: n.Pos})
	newGo := map[string]*model.Field{}
	for _, f := range n.Fields {
		if f.Role == model.RoleNone {
			newGo[model.WarningType+"."+f.GoName] = f
		}
	}
	d.fields(subj, o.Fields, n.Fields, newGo, model.WarningType+".", n.Pos)
	d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
	d.text(subj, "example", o.Example, n.Example, n.Pos, o.Pos)
}

func (d *differ) batch(o, n *model.Batch) {
	const subj = "batch"
	if os, ns := successStatusesText(o.Statuses), successStatusesText(n.Statuses); os != ns {
		d.add("success-section-changed", subj, os, ns, n.Pos, o.Pos, "read for %s → %s", os, ns)
	}
	for _, p := range []struct {
		what     string
		old, new []model.Path
	}{{"path", o.Paths, n.Paths}, {"status", o.Status, n.Status}, {"body", o.Body, n.Body}, {"id", o.ID, n.ID}, {"headers", o.Headers, n.Headers}} {
		if op, np := pathsText(p.old), pathsText(p.new); op != np {
			d.add("success-section-changed", subj+" "+p.what, op, np, n.Pos, o.Pos, "%s → %s", op, np)
		}
	}
	d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
	d.text(subj, "example", o.Example, n.Example, n.Pos, o.Pos)
}

func successStatusesText(ms []model.StatusMatch) string {
	if len(ms) == 0 {
		return "every 2xx status"
	}
	return matchesText(ms)
}
