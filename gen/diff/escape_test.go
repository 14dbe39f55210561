package diff

import (
	"bytes"
	"strings"
	"testing"
)

// hostile is catalog text meant to break out of every report format: a new
// Markdown block, HTML, a mention, a link, a table cell, a GitHub workflow
// command on its own line, and a terminal escape sequence.
const hostile = "\x1b[31m\u202e\r\n::error::f\n## pwned\n<img src=x> @everyone [c](javascript:1) | cell *b*"

func hostileReport(t *testing.T) *Report {
	t.Helper()
	old := mustLoad(t, "old.yaml", []byte(stringCodes))
	src := strings.Replace(stringCodes, "description: Going away.", "description: "+yamlQuote(hostile), 1)
	src = strings.Replace(src, "name: Acme,", "name: "+yamlQuote(hostile)+",", 1)
	src = strings.Replace(src, "code: retired,", "code: "+yamlQuote("retired|<b>@x</b> ::warning::y")+", name: retired,", 1)
	new := mustLoad(t, "new.yaml", []byte(src))
	cd := NewCatalogDiff("old.yaml", old, "dir,with:odd\nname.yaml", new, nil)
	if len(cd.Changes) < 2 {
		t.Fatalf("expected a removed, an added code and more: %v", ids(cd.Changes))
	}
	return &Report{Catalogs: []*CatalogDiff{cd}}
}

// yamlQuote writes s as a double-quoted YAML scalar.
func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\x1b", `\e`, "\u202e", `\u202e`)
	return `"` + r.Replace(s) + `"`
}

func render(t *testing.T, format string, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHostileText(t *testing.T) {
	r := hostileReport(t)
	n := len(r.Catalogs[0].Changes)
	for _, f := range Formats {
		out := render(t, f, r)
		for _, bad := range []string{"\x1b", "\u202e", "\r"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s output holds %q", f, bad)
			}
		}
		switch f {
		case "text":
			// One line per change, plus the summary lines: no line came
			// from the catalog.
			if lines := strings.Count(out, "\n"); lines != n+2 {
				t.Errorf("text: %d lines for %d changes:\n%s", lines, n, out)
			}
		case "markdown":
			for _, bad := range []string{"\n## pwned", "<img", "<b>", "@everyone", "@x", "](", " | cell", "*b*"} {
				if strings.Contains(out, bad) {
					t.Errorf("markdown holds %q:\n%s", bad, out)
				}
			}
			if got := strings.Count(out, "\n- **"); got != n {
				t.Errorf("markdown: %d change items for %d changes", got, n)
			}
		case "github":
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != n+1 {
				t.Errorf("github: %d commands for %d changes:\n%s", len(lines), n, out)
			}
			for _, l := range lines[:n] {
				props, _, ok := strings.Cut(strings.TrimPrefix(l, "::"), "::")
				if !ok || !strings.HasPrefix(props, "notice file=dir%2Cwith%3Aodd%0Aname.yaml,line=") && !strings.HasPrefix(props, "error file=dir%2Cwith%3Aodd%0Aname.yaml,line=") {
					t.Errorf("github: bad command %q", l)
				}
				if strings.Count(props, ",") != 3 || strings.Count(props, ":") != 0 {
					t.Errorf("github: properties not escaped: %q", props)
				}
			}
		}
	}
}

// TestMarkdownEscape checks md on its own against a table of inputs.
func TestMarkdownEscape(t *testing.T) {
	for in, want := range map[string]string{
		"a_b*c":       `a\_b\*c`,
		"<x> & @y":    "&lt;x&gt; &amp; &#64;y",
		"[l](u)":      `\[l\]\(u\)`,
		"a|b":         `a\|b`,
		"line\nnext":  "line next",
		"héllo wörld": "héllo wörld",
	} {
		if got := md(in); got != want {
			t.Errorf("md(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitHubEscape(t *testing.T) {
	if got := ghProp("a%b\r\nc:d,e"); got != "a%25b%0D%0Ac%3Ad%2Ce" {
		t.Errorf("ghProp: %q", got)
	}
	if got := ghData("a%b\r\nc:d,e"); got != "a%25b%0D%0Ac:d,e" {
		t.Errorf("ghData: %q", got)
	}
}
