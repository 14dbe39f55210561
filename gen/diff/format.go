package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats lists the output formats by name.
var Formats = []string{"text", "markdown", "json", "github"}

// Write renders the report in format (one of Formats).
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "text":
		return WriteText(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	case "json":
		return WriteJSON(w, r)
	case "github":
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q (one of %s)", format, strings.Join(Formats, ", "))
}

func sevText(c Change) string {
	if c.Security {
		return c.Severity.String() + " (security)"
	}
	return c.Severity.String()
}

func countsText(n [3]int) string {
	return fmt.Sprintf("%d breaking, %d warning, %d info", n[Breaking], n[Warning], n[Info])
}

func sides(cd *CatalogDiff) string {
	switch {
	case cd.Old == "":
		return clipName(cd.New) + " (new)"
	case cd.New == "":
		return clipName(cd.Old) + " (removed)"
	}
	return clipName(cd.Old) + " → " + clipName(cd.New)
}

func where(cd *CatalogDiff, c Change) string {
	p := c.Pos
	if cd.New == "" {
		p = c.OldPos
	}
	if p.Line == 0 {
		p.Line, p.Col = 1, 1
	}
	return fmt.Sprintf("%s:%d:%d", clipName(cd.File()), p.Line, p.Col)
}

// WriteText writes the report for a terminal: per catalog a summary line,
// then one file:line:col line per change (editors make them clickable),
// then the Go API impact.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, cd := range r.Catalogs {
		fmt.Fprintf(&b, "%s: %s; Go API: %s\n", sides(cd), countsText(cd.Counts()), apiSummary(cd))
		for _, c := range cd.Changes {
			fmt.Fprintf(&b, "%s: %s: %s [%s %s]\n", where(cd, c), sevText(c), c.Message, c.ID, c.Fingerprint)
		}
		if a := cd.API; a != nil {
			if len(a.Removed) > 0 {
				fmt.Fprintf(&b, "  Go API removed: %s\n", strings.Join(a.Removed, ", "))
			}
			for _, ch := range a.Changed {
				fmt.Fprintf(&b, "  Go API changed: %s: %s → %s\n", ch.Name, ch.Old, ch.New)
			}
			if len(a.Added) > 0 {
				fmt.Fprintf(&b, "  Go API added: %s\n", strings.Join(a.Added, ", "))
			}
		}
	}
	for _, ig := range r.Ignored {
		fmt.Fprintf(&b, "ignored %s [%s %s]: %s\n", ig.Change.Subject, ig.Change.ID, ig.Change.Fingerprint, clipName(ig.Reason))
	}
	fmt.Fprintf(&b, "total: %s", countsText(r.Counts()))
	if len(r.Ignored) > 0 {
		fmt.Fprintf(&b, ", %d ignored", len(r.Ignored))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func apiSummary(cd *CatalogDiff) string {
	if cd.API == nil && cd.APIError == "" {
		return "not computed"
	}
	if cd.API == nil {
		return "unknown (" + clipName(cd.APIError) + ")"
	}
	a := cd.API
	return fmt.Sprintf("%s (%d removed, %d changed, %d added)", a.Bump, len(a.Removed), len(a.Changed), len(a.Added))
}

// md escapes text for Markdown, inline or in a table cell: every ASCII
// punctuation character is backslash-escaped (no emphasis, link, image,
// heading, list or table syntax can form), <, > and & become entities (no
// HTML), @ becomes an entity (no mentions of people), and line breaks and
// other control characters become spaces (no new block can start).
func md(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("&#64;")
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r < 0x80 && strings.ContainsRune("!\"#$%'()*+,-./:;=?[\\]^_`{|}~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WriteMarkdown writes the report as a pull-request comment: a summary
// table by severity, the Go API impact, then every change. All catalog
// text (and every file name) goes through md.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	n := r.Counts()
	b.WriteString("## errcat diff\n\n| severity | changes |\n|---|---|\n")
	fmt.Fprintf(&b, "| breaking | %d |\n| warning | %d |\n| info | %d |\n", n[Breaking], n[Warning], n[Info])
	if len(r.Ignored) > 0 {
		fmt.Fprintf(&b, "| ignored | %d |\n", len(r.Ignored))
	}
	b.WriteString("\n| catalog | breaking | warning | info | Go API |\n|---|---|---|---|---|\n")
	for _, cd := range r.Catalogs {
		c := cd.Counts()
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", md(sides(cd)), c[Breaking], c[Warning], c[Info], md(apiSummary(cd)))
	}
	for _, cd := range r.Catalogs {
		fmt.Fprintf(&b, "\n### %s\n\n", md(sides(cd)))
		if len(cd.Changes) == 0 {
			b.WriteString("No changes.\n")
		}
		for _, sev := range []Severity{Breaking, Warning, Info} {
			for _, c := range cd.Changes {
				if c.Severity == sev {
					fmt.Fprintf(&b, "- **%s** `%s` %s: %s <sub>%s</sub>\n", sevText(c), c.ID, md(where(cd, c)), md(c.Message), c.Fingerprint)
				}
			}
		}
		if a := cd.API; a != nil && len(a.Removed)+len(a.Changed)+len(a.Added) > 0 {
			fmt.Fprintf(&b, "\nGo API: **%s**\n\n", a.Bump)
			for _, name := range a.Removed {
				fmt.Fprintf(&b, "- removed %s\n", md(name))
			}
			for _, ch := range a.Changed {
				fmt.Fprintf(&b, "- changed %s: %s → %s\n", md(ch.Name), md(ch.Old), md(ch.New))
			}
			for _, name := range a.Added {
				fmt.Fprintf(&b, "- added %s\n", md(name))
			}
		}
	}
	if len(r.Ignored) > 0 {
		b.WriteString("\n### Ignored\n\n")
		for _, ig := range r.Ignored {
			fmt.Fprintf(&b, "- `%s` %s <sub>%s</sub>: %s\n", ig.Change.ID, md(ig.Change.Subject), ig.Change.Fingerprint, md(ig.Reason))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The JSON output; docs/diff.schema.json describes it.
type jsonReport struct {
	Version  int           `json:"version"`
	Summary  jsonCounts    `json:"summary"`
	Catalogs []jsonCatalog `json:"catalogs"`
	Ignored  []jsonIgnored `json:"ignored"`
}

type jsonCounts struct {
	Breaking int `json:"breaking"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

type jsonCatalog struct {
	Old      string       `json:"old"`
	New      string       `json:"new"`
	Vendor   string       `json:"vendor"`
	Summary  jsonCounts   `json:"summary"`
	GoAPI    *jsonAPI     `json:"go_api"`
	APIError string       `json:"go_api_error,omitempty"`
	Changes  []jsonChange `json:"changes"`
}

type jsonAPI struct {
	Bump    string      `json:"bump"`
	Removed []string    `json:"removed"`
	Changed []APIChange `json:"changed"`
	Added   []string    `json:"added"`
}

type jsonPos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

type jsonChange struct {
	ID          string   `json:"id"`
	Severity    string   `json:"severity"`
	Security    bool     `json:"security"`
	Fingerprint string   `json:"fingerprint"`
	Subject     string   `json:"subject"`
	Message     string   `json:"message"`
	Old         string   `json:"old"`
	New         string   `json:"new"`
	At          jsonPos  `json:"at"`
	OldAt       *jsonPos `json:"old_at"`
}

type jsonIgnored struct {
	Catalog string     `json:"catalog"`
	Reason  string     `json:"reason"`
	Change  jsonChange `json:"change"`
}

func counts(n [3]int) jsonCounts {
	return jsonCounts{Breaking: n[Breaking], Warning: n[Warning], Info: n[Info]}
}

func toJSON(cd *CatalogDiff, c Change) jsonChange {
	j := jsonChange{
		ID: c.ID, Severity: c.Severity.String(), Security: c.Security, Fingerprint: c.Fingerprint,
		Subject: c.Subject, Message: c.Message, Old: c.Old, New: c.New,
		At: jsonPos{File: cd.File(), Line: max(c.Pos.Line, 1), Col: max(c.Pos.Col, 1)},
	}
	if cd.New == "" {
		j.At = jsonPos{File: cd.Old, Line: max(c.OldPos.Line, 1), Col: max(c.OldPos.Col, 1)}
	}
	if c.OldPos.Line > 0 && cd.Old != "" {
		j.OldAt = &jsonPos{File: cd.Old, Line: c.OldPos.Line, Col: c.OldPos.Col}
	}
	return j
}

// WriteJSON writes the report as JSON (docs/diff.schema.json).
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{Version: 1, Summary: counts(r.Counts()), Catalogs: []jsonCatalog{}, Ignored: []jsonIgnored{}}
	byFile := map[string]*CatalogDiff{}
	for _, cd := range r.Catalogs {
		byFile[cd.File()] = cd
		jc := jsonCatalog{Old: cd.Old, New: cd.New, Vendor: cd.Vendor, Summary: counts(cd.Counts()), APIError: cd.APIError, Changes: []jsonChange{}}
		if a := cd.API; a != nil {
			jc.GoAPI = &jsonAPI{Bump: a.Bump, Removed: nonNil(a.Removed), Changed: a.Changed, Added: nonNil(a.Added)}
			if jc.GoAPI.Changed == nil {
				jc.GoAPI.Changed = []APIChange{}
			}
		}
		for _, c := range cd.Changes {
			jc.Changes = append(jc.Changes, toJSON(cd, c))
		}
		out.Catalogs = append(out.Catalogs, jc)
	}
	for _, ig := range r.Ignored {
		cd := byFile[ig.Catalog]
		if cd == nil {
			cd = &CatalogDiff{New: ig.Catalog}
		}
		out.Ignored = append(out.Ignored, jsonIgnored{Catalog: ig.Catalog, Reason: ig.Reason, Change: toJSON(cd, ig.Change)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ghData escapes a GitHub workflow command's message, and ghProp a
// property value, as the Actions toolkit does (toolkit/packages/core
// command.ts): a message or value cannot end the command or start another.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteGitHub writes one workflow annotation per change (::error for
// breaking, ::warning, ::notice for info) at the change's line, and a
// notice with the totals.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	level := [...]string{Info: "notice", Warning: "warning", Breaking: "error"}
	for _, cd := range r.Catalogs {
		for _, c := range cd.Changes {
			p := c.Pos
			if cd.New == "" {
				p = c.OldPos
			}
			fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level[c.Severity],
				ghProp(cd.File()), max(p.Line, 1), max(p.Col, 1),
				ghProp("errcat diff "+sevText(c)+": "+c.ID+" "+c.Fingerprint), ghData(c.Message))
		}
		if a := cd.API; a != nil && a.Bump == "major" {
			fmt.Fprintf(&b, "::error file=%s,title=%s::%s\n", ghProp(cd.File()), ghProp("errcat diff: Go API"),
				ghData(fmt.Sprintf("the generated package needs a major version: removed %s; changed %s", orNone(strings.Join(a.Removed, ", ")), orNone(changedNames(a)))))
		}
	}
	fmt.Fprintf(&b, "::notice title=%s::%s\n", ghProp("errcat diff"), ghData(countsText(r.Counts())+fmt.Sprintf(", %d ignored", len(r.Ignored))))
	_, err := io.WriteString(w, b.String())
	return err
}

func changedNames(a *API) string {
	var s []string
	for _, c := range a.Changed {
		s = append(s, c.Name)
	}
	return strings.Join(s, ", ")
}
