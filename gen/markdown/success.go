package markdown

import (
	"strings"

	"github.com/errcat/errcat/gen/model"
)

// SuccessView is a warnings or batch section (format v2) on the vendor
// page: where the generated Warnings or BatchErrors read, in the words the
// page prints.
type SuccessView struct {
	Description, Statuses, Path, Example string
	// Parts are a batch item's status, body, id and headers paths, as
	// "status at `status`" phrases.
	Parts  []string
	Fields []FieldRow
}

func successStatuses(ms []model.StatusMatch) string {
	if len(ms) == 0 {
		return "2xx"
	}
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	return strings.Join(s, ", ")
}

func pathsCode(ps []model.Path) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = Code(p.String())
	}
	return strings.Join(s, " or ")
}

func warningsView(w *model.Warnings) *SuccessView {
	if w == nil {
		return nil
	}
	v := &SuccessView{Description: w.Description, Statuses: successStatuses(w.Statuses), Path: pathsCode(w.Paths), Example: strings.TrimRight(w.Example, "\n")}
	for _, f := range w.Fields {
		row := fieldRows(f, model.WarningType+".")[0]
		switch f.Role {
		case model.RoleCode:
			row.Go = "`Warning.Code`"
		case model.RoleMessage:
			row.Go = "`Warning.Message`"
		}
		v.Fields = append(v.Fields, row)
	}
	return v
}

func batchView(b *model.Batch) *SuccessView {
	if b == nil {
		return nil
	}
	v := &SuccessView{Description: b.Description, Statuses: successStatuses(b.Statuses), Path: pathsCode(b.Paths), Example: strings.TrimRight(b.Example, "\n")}
	v.Parts = append(v.Parts, "status at "+pathsCode(b.Status))
	if len(b.Body) > 0 {
		v.Parts = append(v.Parts, "body at "+pathsCode(b.Body))
	} else {
		v.Parts = append(v.Parts, "body: the item itself")
	}
	if len(b.ID) > 0 {
		v.Parts = append(v.Parts, "id at "+pathsCode(b.ID))
	}
	if len(b.Headers) > 0 {
		v.Parts = append(v.Parts, "headers at "+pathsCode(b.Headers))
	}
	return v
}

// successSections fills the page's warnings and batch sections and lists
// the warnings' secrets among the sensitive values.
func (p *VendorPage) successSections(c *model.Catalog) {
	p.Warnings, p.Batch = warningsView(c.Warnings), batchView(c.Batch)
	p.Sensitive = append(p.Sensitive, warningSecrets(c.Warnings)...)
}

// warningSecrets are the sensitive paths and secret fields of a warnings
// section, for the page's list of sensitive values.
func warningSecrets(w *model.Warnings) []string {
	if w == nil {
		return nil
	}
	var out []string
	for _, s := range w.Sensitive {
		out = append(out, "warnings "+s.String())
	}
	for _, f := range w.Fields {
		if f.Type == model.TypeSecret {
			out = append(out, "Warning."+f.GoName)
		}
	}
	return out
}
