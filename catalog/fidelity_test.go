package catalog_test

// Fidelity tests: each test parses a vendor's error page (a flattened text copy
// in testdata/vendor-docs) and checks that the vendor's catalog reproduces every
// row of it, then checks the facts the catalog takes from the extra page
// (testdata/vendor-docs/extra). Texts are compared after normalising whitespace
// and verbatim otherwise: the vendors' oddities ("Unhanded Server Error",
// "Samsara's servers", curly apostrophes) must survive.

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
)

const docsDir = "testdata/vendor-docs"

var vendors = []string{"alloy", "alvys", "quivo", "samsara", "trackunit"}

// vendorDoc is one vendor's inputs: its error page, its extra page and its catalog.
type vendorDoc struct {
	main, extra string
	cat         *model.Catalog
}

func open(t *testing.T, vendor string) vendorDoc {
	t.Helper()
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cat, err := load.File(vendor + ".yaml")
	if err != nil {
		t.Fatalf("load %s.yaml: %v", vendor, err)
	}
	return vendorDoc{
		main:  read(filepath.Join(docsDir, vendor+".txt")),
		extra: read(filepath.Join(docsDir, "extra", vendor+".txt")),
		cat:   cat,
	}
}

// TestVendorDocsCopies keeps testdata in step with the vendor pages. The
// copies must match testdata/vendor-docs/SHA256SUMS, the digests of the
// shared pages they were copied from, which a clean clone (CI) checks too;
// where the shared pages are present (../shared/vendor-docs beside the
// checkout, or the directory ERRCAT_VENDOR_DOCS names) they must match the
// copies byte for byte. After copying new pages, regenerate the sums with
// `cd catalog/testdata/vendor-docs && sha256sum *.txt extra/*.txt > SHA256SUMS`.
func TestVendorDocsCopies(t *testing.T) {
	sums, err := os.ReadFile(filepath.Join(docsDir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, rel, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: bad line %q", line)
		}
		listed[rel] = true
		got, err := os.ReadFile(filepath.Join(docsDir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%x", sha256.Sum256(got)) != sum {
			t.Errorf("%s/%s does not match SHA256SUMS: copy it again from the shared vendor docs (never edit it by hand)", docsDir, rel)
		}
	}
	for _, v := range vendors {
		for _, rel := range []string{v + ".txt", "extra/" + v + ".txt"} {
			if !listed[rel] {
				t.Errorf("SHA256SUMS does not list %s", rel)
			}
		}
	}
	shared := os.Getenv("ERRCAT_VENDOR_DOCS")
	if shared == "" {
		shared = filepath.Join("..", "..", "shared", "vendor-docs")
		if _, err := os.Stat(shared); err != nil {
			t.Logf("no shared vendor docs at %s: checked the copies against SHA256SUMS only", shared)
			return
		}
	}
	for rel := range listed {
		want, err := os.ReadFile(filepath.Join(shared, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(docsDir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s/%s differs from %s/%s: copy it again", docsDir, rel, shared, rel)
		}
	}
}

// ---- text helpers

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkContains fails unless got contains want, whitespace normalised.
func checkContains(t *testing.T, what, got, want string) {
	t.Helper()
	if norm(want) == "" || !strings.Contains(norm(got), norm(want)) {
		t.Errorf("%s does not reproduce the docs:\n  catalog: %q\n  docs:    %q", what, norm(got), norm(want))
	}
}

func checkCount(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("parsed %d %s from the docs, want %d (parser or docs changed)", got, what, want)
	}
}

// between returns the lines of text after the line from, up to the line to
// ("" for the end of text).
func between(t *testing.T, text, from, to string) string {
	t.Helper()
	_, rest, ok := strings.Cut("\n"+text, "\n"+from+"\n")
	if !ok {
		t.Fatalf("docs have no line %q", from)
	}
	if to == "" {
		return rest
	}
	rest, _, ok = strings.Cut(rest, "\n"+to+"\n")
	if !ok {
		t.Fatalf("docs have no line %q after %q", to, from)
	}
	return rest
}

// row is one row of a vendor table: key (a status or class), sub (a minor
// code, or ""), and text.
type row struct{ key, sub, text string }

// tableRows splits a flattened table into rows. A line matching start (three
// groups: key, sub, text) begins a row; any other line continues the row.
func tableRows(t *testing.T, table string, start *regexp.Regexp) []row {
	t.Helper()
	var rows []row
	for _, line := range strings.Split(table, "\n") {
		if m := start.FindStringSubmatch(line); m != nil {
			rows = append(rows, row{key: m[1], sub: m[2], text: m[3]})
		} else if len(rows) > 0 {
			rows[len(rows)-1].text += "\n" + line
		} else if strings.TrimSpace(line) != "" {
			t.Errorf("table line before the first row: %q", line)
		}
	}
	for i := range rows {
		rows[i].text = norm(rows[i].text)
	}
	return rows
}

// bullets returns the "• 4XX ..." response-class bullets: class → whole bullet text.
func bullets(text string) map[string]string {
	re := regexp.MustCompile(`(?m)^\s*•\s*((\d[Xx][Xx]) .*)$`)
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		out[strings.ToUpper(m[2])] = m[1]
	}
	return out
}

// jsonBlock is a JSON example of a page: the text between a line "{" and a line
// "}", with callout markers (①…⑳) removed, and the key each marker points at.
type jsonBlock struct {
	text    string
	markers map[string]string
}

var (
	markerRe    = regexp.MustCompile(`[\x{2460}-\x{2473}]`)
	markedKeyRe = regexp.MustCompile(`([\x{2460}-\x{2473}])\s*"([^"]+)"`)
)

func jsonBlocks(text string) []jsonBlock {
	var out []jsonBlock
	var cur []string
	for _, line := range strings.Split(text, "\n") {
		switch {
		case cur == nil && line == "{":
			cur = []string{line}
		case cur != nil:
			cur = append(cur, line)
			if line == "}" {
				raw := strings.Join(cur, "\n")
				b := jsonBlock{text: markerRe.ReplaceAllString(raw, ""), markers: map[string]string{}}
				for _, m := range markedKeyRe.FindAllStringSubmatch(raw, -1) {
					b.markers[m[1]] = m[2]
				}
				out = append(out, b)
				cur = nil
			}
		}
	}
	return out
}

func decode(t *testing.T, what, text string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%s is not a JSON object: %v\n%s", what, err, text)
	}
	return v
}

// lookup follows a dotted path through decoded JSON objects.
func lookup(v map[string]any, path string) (any, bool) {
	var cur any = v
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// ---- catalog helpers

func status(t *testing.T, cat *model.Catalog, key string) *model.Status {
	t.Helper()
	for _, s := range cat.Statuses {
		if s.Text() == strings.ToUpper(key) {
			return s
		}
	}
	t.Errorf("%s catalog has no status %s", cat.Vendor.ID, key)
	return nil
}

func code(t *testing.T, cat *model.Catalog, key string) *model.Code {
	t.Helper()
	for _, c := range cat.Codes {
		if c.Text() == key {
			return c
		}
	}
	t.Errorf("%s catalog has no code %s", cat.Vendor.ID, key)
	return nil
}

// entryText is everything a catalog entry says: description, note, messages.
func entryText(desc, note string, msgs []model.Message) string {
	parts := []string{desc, note}
	for _, m := range msgs {
		parts = append(parts, m.Text, m.Description)
	}
	return strings.Join(parts, "\n")
}

// extraOnly explains a catalog entry the vendor page does not list: why, and
// the extra page's words the entry reproduces.
type extraOnly struct{ reason, quote string }

// checkListed is the reverse direction: every catalog entry is on the vendor
// page or explained by allow, whose quote must be on the extra page and in the
// entry. Allowlist entries that are stale fail too.
func checkListed(t *testing.T, extra, what string, catalog map[string]string, onPage map[string]bool, allow map[string]extraOnly) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(catalog)) {
		text := catalog[k]
		if onPage[k] {
			continue
		}
		a, ok := allow[k]
		if !ok {
			t.Errorf("catalog %s %s is on neither the vendor page nor the test's allowlist", what, k)
			continue
		}
		checkContains(t, "extra page (evidence for "+what+" "+k+": "+a.reason+")", extra, a.quote)
		checkContains(t, "catalog "+what+" "+k+" ("+a.reason+")", text, a.quote)
	}
	for _, k := range slices.Sorted(maps.Keys(allow)) {
		if onPage[k] {
			t.Errorf("allowlisted %s %s is on the vendor page: drop it from the allowlist", what, k)
		}
		if _, ok := catalog[k]; !ok {
			t.Errorf("allowlisted %s %s is not in the catalog", what, k)
		}
	}
}

func statusTexts(cat *model.Catalog) map[string]string {
	out := map[string]string{}
	for _, s := range cat.Statuses {
		out[s.Text()] = entryText(s.Description, s.Note, s.Messages)
	}
	return out
}

func codeTexts(cat *model.Catalog) map[string]string {
	out := map[string]string{}
	for _, c := range cat.Codes {
		out[c.Text()] = entryText(c.Description, c.Note, c.Messages)
	}
	return out
}

// firstBody is the body format tried first for status: the first that applies
// to it. Text formats fit any body, so a JSON format must come first to be used.
func firstBody(t *testing.T, cat *model.Catalog, status int, content model.Content) *model.Body {
	t.Helper()
	for _, b := range cat.Bodies {
		if b.AppliesTo(status) && b.ErrorWhen == nil {
			if b.Content != content {
				t.Errorf("%s: the first body format for %d is %q (%s), want %s", cat.Vendor.ID, status, b.Name, b.Content, content)
				return nil
			}
			return b
		}
	}
	t.Errorf("%s: no body format applies to %d", cat.Vendor.ID, status)
	return nil
}

func pathStrings(f *model.Field) []string {
	var out []string
	for _, p := range f.Paths {
		out = append(out, p.String())
	}
	return out
}

// field returns the field of fields read from path.
func field(t *testing.T, what string, fields []*model.Field, path string) *model.Field {
	t.Helper()
	for _, f := range fields {
		if slices.Contains(pathStrings(f), path) {
			return f
		}
	}
	t.Errorf("%s has no field at path %s", what, path)
	return nil
}

// checkDelay fails unless a retry delay is read from source (a header or a
// body field path) in format want.
func checkDelay(t *testing.T, cat *model.Catalog, source string, want model.DelayFormat) {
	t.Helper()
	for _, d := range cat.Retry.Delays {
		if strings.EqualFold(d.Header, source) || d.Field != nil && slices.Contains(pathStrings(d.Field), source) {
			if d.Format != want {
				t.Errorf("%s: retry delay from %s has format %s, want %s", cat.Vendor.ID, source, d.Format, want)
			}
			return
		}
	}
	t.Errorf("%s: no retry delay is read from %s", cat.Vendor.ID, source)
}

func checkAction(t *testing.T, what string, got, want apierr.Action) {
	t.Helper()
	if got != want {
		t.Errorf("%s: action %s, want %s", what, got, want)
	}
}

func checkRetryable(t *testing.T, what string, a apierr.Action, want bool) {
	t.Helper()
	if a.Retryable() != want {
		t.Errorf("%s: action %s, retryable %v, want %v", what, a, a.Retryable(), want)
	}
}

// ---- Alloy

func TestAlloyFidelity(t *testing.T) {
	v := open(t, "alloy")
	cat := v.cat

	// The "HTTP code / Minor Code / Description" table: "4014012Unauthorized - ...".
	rows := tableRows(t, between(t, v.main, "HTTP codeMinor CodeDescription", ""),
		regexp.MustCompile(`^(\d{3})(\d{4})?(\D.*)$`))
	onPage, codesOnPage := map[string]bool{}, map[string]bool{}
	coded := 0
	for _, r := range rows {
		onPage[r.key] = true
		if r.sub == "" {
			if s := status(t, cat, r.key); s != nil {
				checkContains(t, "alloy status "+r.key, s.Description, r.text)
			}
			continue
		}
		coded++
		codesOnPage[r.sub] = true
		if !strings.HasPrefix(r.sub, r.key) {
			t.Errorf("docs row %s%s: the minor code does not start with its HTTP status", r.key, r.sub)
		}
		c := code(t, cat, r.sub)
		if c == nil {
			continue
		}
		if c.Status.Text() != r.key {
			t.Errorf("alloy code %s is tied to status %s, docs say %s", r.sub, c.Status.Text(), r.key)
		}
		checkContains(t, "alloy code "+r.sub, c.Description, r.text)
		// A status's description is its rows' common prefix, before the first " - ".
		if prefix, _, _ := strings.Cut(r.text, " - "); c.Status.Description != prefix {
			t.Errorf("alloy status %s description %q, want the row prefix %q (row %s)", c.Status.Text(), c.Status.Description, prefix, r.sub)
		}
	}
	checkCount(t, "alloy table rows", len(rows), 22)
	checkCount(t, "alloy rows with a minor code", coded, 18)

	checkListed(t, v.extra, "status", statusTexts(cat), onPage, map[string]extraOnly{
		"4XX": {"Request Handling and Retries page", "Non-retryable: other 4xx until the underlying cause is fixed."},
		"5XX": {"Request Handling and Retries page", "Retryable: 429 (rate limit) and 5xx."},
		"429": {"Request Handling and Retries page", "Retryable: 429 (rate limit) and 5xx."},
	})
	checkListed(t, v.extra, "code", codeTexts(cat), codesOnPage, map[string]extraOnly{
		"4000": {"only on the extra page's partially recovered copy of the table", "Bad Request - Custom Error Oc[curred ...]"},
	})
	if c := code(t, cat, "4000"); c != nil && c.Status.Code != 400 {
		t.Errorf("alloy code 4000 is tied to status %s, the extra page says 400", c.Status.Text())
	}
	checkContains(t, "alloy extra page", v.extra, "400  4000 Bad Request - Custom Error Oc[curred ...]")

	// The attribute table: "error.minor_codeMinor code indicating ...".
	attrs := tableRows(t, between(t, v.main, "AttributeDescription", "HTTP codeMinor CodeDescription"),
		regexp.MustCompile(`^([a-z][a-z_.]*)()([A-Z].*)$`))
	checkCount(t, "alloy attribute rows", len(attrs), 11)
	parents := map[string]string{"error": "the main error object: the parent of the error.* fields, not a field itself"}
	env := firstBody(t, cat, 401, model.ContentJSON)
	if env == nil {
		t.FailNow()
	}
	for _, a := range attrs {
		if _, ok := parents[a.key]; ok {
			if !slices.ContainsFunc(attrs, func(r row) bool { return strings.HasPrefix(r.key, a.key+".") }) {
				t.Errorf("attribute %s is allowlisted as a parent but the docs list no %s.* attribute", a.key, a.key)
			}
			continue
		}
		if f := field(t, "alloy body "+env.Name, env.Fields, a.key); f != nil {
			checkContains(t, "alloy field "+a.key, f.Description, a.text)
		}
	}

	// The error format example, and the bearer token it echoes.
	blocks := jsonBlocks(v.main)
	checkCount(t, "alloy JSON examples", len(blocks), 1)
	if len(blocks) > 0 {
		doc := decode(t, "alloy docs example", blocks[0].text)
		if got := decode(t, "alloy catalog example", env.Example); !reflect.DeepEqual(got, doc) {
			t.Errorf("alloy body example differs from the docs':\n%s", env.Example)
		}
		const secret = "error.details.bearer_token"
		if _, ok := lookup(doc, secret); !ok {
			t.Errorf("docs example has no %s", secret)
		}
		if !slices.ContainsFunc(env.Sensitive, func(p model.Path) bool { return p.String() == secret }) {
			t.Errorf("alloy body %q does not mark %s sensitive", env.Name, secret)
		}
	}

	// Extra: Request Handling and Retries.
	checkContains(t, "alloy extra page", v.extra, "retry-after seconds to wait before retrying")
	checkContains(t, "alloy extra page", v.extra, "alloy-ratelimit-reset UNIX TIMESTAMP when the window resets")
	checkDelay(t, cat, "Retry-After", model.DelayRetryAfter)
	checkDelay(t, cat, "alloy-ratelimit-reset", model.DelayEpochSeconds)
	if c := code(t, cat, "4012"); c != nil {
		checkAction(t, "alloy code 4012", c.Action, apierr.ActionReauthenticate)
	}
	for _, s := range cat.Statuses {
		switch what := "alloy status " + s.Text(); {
		case s.ClassDigit() == 5 || s.Code == 429:
			checkRetryable(t, what, s.Action, true)
		case s.ClassDigit() == 4:
			checkAction(t, what, s.Action, apierr.ActionFixRequest)
		}
	}
	for _, c := range cat.Codes {
		switch what := "alloy code " + c.Text(); {
		case c.Int == 4012:
		case c.Status.ClassDigit() == 5 || c.Status.Code == 429:
			checkRetryable(t, what, c.Action, true)
		case c.Status.ClassDigit() == 4:
			checkAction(t, what, c.Action, apierr.ActionFixRequest)
		}
	}
}

// ---- Alvys and Samsara (Alvys's page is derived from Samsara's)

// statusText renders an entry the way the vendor's table row reads: the
// description, then each message as `<intro> "<text>"<sep><description>`.
func statusText(s *model.Status, intro, sep string) string {
	out := s.Description
	for _, m := range s.Messages {
		out += " " + intro + ` "` + m.Text + `"` + sep + m.Description
	}
	return out
}

// checkStatusTable checks the "Status CodeDescription" table and the
// response-class bullets of a Samsara-style page; it returns the rows.
func checkStatusTable(t *testing.T, v vendorDoc, wantRows int, intro, sep string) []row {
	t.Helper()
	cat := v.cat
	rows := tableRows(t, between(t, v.main, "Status CodeDescription", ""),
		regexp.MustCompile(`^(\d{3}|\dXX)()(\S.*)$`))
	checkCount(t, cat.Vendor.ID+" table rows", len(rows), wantRows)
	onPage := map[string]bool{}
	for _, r := range rows {
		onPage[r.key] = true
		if s := status(t, cat, r.key); s != nil {
			checkContains(t, cat.Vendor.ID+" status "+r.key, statusText(s, intro, sep), r.text)
		}
	}
	classes := bullets(v.main)
	checkCount(t, cat.Vendor.ID+" response-class bullets", len(classes), 3)
	for _, class := range slices.Sorted(maps.Keys(classes)) {
		text := classes[class]
		onPage[class] = true
		if s := status(t, cat, class); s != nil {
			checkContains(t, cat.Vendor.ID+" class "+class+" (description or note)", s.Description+"\n"+s.Note, text)
		}
	}
	checkListed(t, v.extra, "status", statusTexts(cat), onPage, nil)
	return rows
}

// checkTextServerErrors: the 5XX row says the bodies are strings, so the
// format tried first for 5xx must be text, with the row's words.
func checkTextServerErrors(t *testing.T, cat *model.Catalog, rows []row) {
	t.Helper()
	const note = "Note that the body of these responses will be strings and not JSON encoded."
	i := slices.IndexFunc(rows, func(r row) bool { return r.key == "5XX" })
	if i < 0 {
		t.Errorf("%s docs have no 5XX row", cat.Vendor.ID)
		return
	}
	checkContains(t, cat.Vendor.ID+" docs 5XX row", rows[i].text, note)
	for _, st := range []int{500, 502, 503} {
		if b := firstBody(t, cat, st, model.ContentText); b != nil {
			checkContains(t, cat.Vendor.ID+" body "+b.Name, b.Description, note)
		}
	}
}

func TestAlvysFidelity(t *testing.T) {
	v := open(t, "alvys")
	rows := checkStatusTable(t, v, 8, "Common error messages include:", " ")
	checkTextServerErrors(t, v.cat, rows)

	// Extra: Authentication and the token endpoint.
	checkContains(t, "alvys extra page", v.extra, "tokens valid 1 hour; on 401 obtain a new token and retry.")
	if s := status(t, v.cat, "401"); s != nil {
		checkAction(t, "alvys status 401", s.Action, apierr.ActionReauthenticate)
	}
	checkContains(t, "alvys extra page", v.extra, "415 is explicitly documented")
	if s := status(t, v.cat, "415"); s != nil && s.Kind != apierr.KindUnsupportedMediaType {
		t.Errorf("alvys status 415: kind %s, want unsupported_media_type", s.Kind)
	}
}

func TestSamsaraFidelity(t *testing.T) {
	v := open(t, "samsara")
	rows := checkStatusTable(t, v, 7, "Here are some common error messages you might see:", ": ")
	checkTextServerErrors(t, v.cat, rows)

	// Extra: Rate Limits (Retry-After) and the SDK's 4XX JSON body.
	checkContains(t, "samsara extra page", v.extra, "Retry-After | Suggested time to wait before retrying (in seconds). Example: 0.40235")
	checkDelay(t, v.cat, "Retry-After", model.DelayRetryAfter)
	if s := status(t, v.cat, "429"); s != nil {
		checkAction(t, "samsara status 429", s.Action, apierr.ActionRetryAfter)
	}
	keys := regexp.MustCompile(`"(\w+)": "<string`).FindAllStringSubmatch(v.extra, -1)
	checkCount(t, "samsara 4XX body keys (extra)", len(keys), 2)
	if b := firstBody(t, v.cat, 400, model.ContentJSON); b != nil {
		for _, k := range keys {
			field(t, "samsara body "+b.Name, b.Fields, k[1])
		}
		if f := field(t, "samsara body "+b.Name, b.Fields, "message"); f != nil && f.Role != model.RoleMessage {
			t.Errorf("samsara field message does not have role: message")
		}
	}
}

// ---- Quivo

// quivoRepairs undo the text extraction's damage to the Quivo page; each must
// apply exactly once.
var quivoRepairs = []struct{ old, new, why string }{
	{"No Contentfor", "No Content for", "inline code glued to the next word"},
	{"response body - DELETE", "response body\n- DELETE", "two bullets run together"},
	{"amessage (or Message)", "a message (or Message)", "inline code glued to the previous word"},
}

// quivoDropped are sentences of the page no catalog entry needs to carry.
var quivoDropped = map[string]string{
	"See the Authentication reference for detailed instructions.": "a link to the Authentication page, whose facts come from the extra page",
}

// quivoSection is a heading ("401 Unauthorized" or "Client Error Codes (4xx)")
// and what follows it: a sentence, "When returned:" bullets, paragraphs.
type quivoSection struct {
	key, sentence     string
	bullets, paras    []string
	inBullet, hasWhen bool
}

var (
	quivoClassRe  = regexp.MustCompile(`^[A-Z][A-Za-z ]* Codes \((\dxx)\)$`)
	quivoStatusRe = regexp.MustCompile(`(?:^|\.)(\d{3}) [A-Z][A-Za-z ]*[A-Za-z]$`) // may end a line
	inlineCodeRe  = regexp.MustCompile(`^\d{3} `)                                  // "204 No Content" broken onto its own line
)

func quivoSections(text string) []*quivoSection {
	var out []*quivoSection
	add := func(line string) {
		if len(out) == 0 {
			return
		}
		s := out[len(out)-1]
		if before, after, ok := strings.Cut(line, "When returned:"); ok {
			s.sentence, s.hasWhen, line = strings.TrimSpace(before), true, after
		}
		switch {
		case strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "- "):
			s.bullets, s.inBullet = append(s.bullets, line[2:]), true
		case inlineCodeRe.MatchString(line) && s.inBullet:
			s.bullets[len(s.bullets)-1] += " " + line
		case inlineCodeRe.MatchString(line) && len(s.paras) > 0:
			s.paras[len(s.paras)-1] += " " + line
		default:
			s.paras, s.inBullet = append(s.paras, line), false
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if m := quivoClassRe.FindStringSubmatch(line); m != nil {
			out = append(out, &quivoSection{key: strings.ToUpper(m[1])})
		} else if loc := quivoStatusRe.FindStringSubmatchIndex(line); loc != nil {
			add(line[:loc[2]])
			out = append(out, &quivoSection{key: line[loc[2]:loc[3]]})
		} else {
			add(line)
		}
	}
	return out
}

func TestQuivoFidelity(t *testing.T) {
	v := open(t, "quivo")
	cat := v.cat
	text := v.main
	for _, r := range quivoRepairs {
		if n := strings.Count(text, r.old); n != 1 {
			t.Fatalf("repair %q (%s) applies %d times, want once: the page changed", r.old, r.why, n)
		}
		text = strings.Replace(text, r.old, r.new, 1)
	}

	sections := quivoSections(between(t, text, "Overview", "Error Response Format"))
	onPage := map[string]bool{}
	var exact, classes int
	dropped := map[string]bool{}
	for _, sec := range sections {
		onPage[sec.key] = true
		s := status(t, cat, sec.key)
		if s == nil {
			continue
		}
		if strings.HasSuffix(sec.key, "XX") {
			classes++
		} else {
			exact++
			if !sec.hasWhen || sec.sentence == "" || len(sec.bullets) == 0 {
				t.Errorf("quivo docs %s: no sentence and \"When returned\" bullets parsed", sec.key)
			}
			want := sec.sentence + " When returned: " + strings.Join(sec.bullets, "; ")
			checkContains(t, "quivo status "+sec.key, s.Description, want)
		}
		for _, p := range sec.paras {
			for d := range quivoDropped {
				if strings.Contains(p, d) {
					p, dropped[d] = strings.Replace(p, d, "", 1), true
				}
			}
			if norm(p) != "" {
				checkContains(t, "quivo status "+sec.key+" (description or note)", s.Description+"\n"+s.Note, p)
			}
		}
	}
	checkCount(t, "quivo status headings", exact, 13)
	checkCount(t, "quivo class headings", classes, 3)
	for _, d := range slices.Sorted(maps.Keys(quivoDropped)) {
		if why := quivoDropped[d]; !dropped[d] {
			t.Errorf("dropped sentence %q (%s) is not on the page", d, why)
		}
	}
	checkListed(t, v.extra, "status", statusTexts(cat), onPage, nil)

	// Error Response Format: one sentence per body format.
	formats := regexp.MustCompile(`Errors returned by [^:]+:`).FindAllString(between(t, text, "Error Response Format", "Additional Response Codes"), -1)
	checkCount(t, "quivo error response formats", len(formats), 2)
	for _, f := range formats {
		f = strings.TrimSuffix(f, ":")
		i := slices.IndexFunc(cat.Bodies, func(b *model.Body) bool { return strings.Contains(norm(b.Description), norm(f)) })
		if i < 0 {
			t.Errorf("no quivo body format is described as %q", f)
			continue
		}
		want := model.ContentText
		if strings.Contains(f, "JSON") {
			want = model.ContentJSON
		}
		if b := cat.Bodies[i]; b.Content != want {
			t.Errorf("quivo body %q (%q) has content %s, want %s", b.Name, f, b.Content, want)
		}
	}

	// Extra: Authentication (re-login on 401) and the gateway's message field.
	checkContains(t, "quivo extra page", v.extra, "Session tokens expire after 1 hour. When a token expires, you receive a 401 Unauthorized error response.")
	if s := status(t, cat, "401"); s != nil {
		checkAction(t, "quivo status 401", s.Action, apierr.ActionReauthenticate)
	}
	checkContains(t, "quivo page", text, "formatted as JSON with a message (or Message) field")
	if b := firstBody(t, cat, 401, model.ContentJSON); b != nil {
		if f := field(t, "quivo body "+b.Name, b.Fields, "message"); f != nil {
			if got := pathStrings(f); !slices.Equal(got, []string{"message", "Message"}) || f.Role != model.RoleMessage {
				t.Errorf("quivo message field: paths %v (role: message %v), want [message Message] with role: message", got, f.Role == model.RoleMessage)
			}
		}
	}
	if !slices.ContainsFunc(cat.Bodies, func(b *model.Body) bool { return b.Content == model.ContentText && b.AppliesTo(400) }) {
		t.Errorf("quivo has no text body format for the backend's plain-string errors")
	}
}

// ---- Trackunit

func TestTrackunitFidelity(t *testing.T) {
	v := open(t, "trackunit")
	cat := v.cat

	// "4xx Client error responses" headings and "• 400 Bad Request - ..." bullets.
	headingRe := regexp.MustCompile(`^(\dxx) \S.* responses$`)
	bulletRe := regexp.MustCompile(`^\s*•\s*(\d{3}) (\S.*)$`)
	onPage := map[string]bool{}
	heading, classes, exact := "", 0, 0
	for _, line := range strings.Split(v.main, "\n") {
		if m := headingRe.FindStringSubmatch(line); m != nil {
			heading, classes = line, classes+1
			onPage[strings.ToUpper(m[1])] = true
			if s := status(t, cat, m[1]); s != nil {
				checkContains(t, "trackunit class "+s.Text(), s.Description, line)
			}
		} else if m := bulletRe.FindStringSubmatch(line); m != nil {
			exact++
			onPage[m[1]] = true
			if heading == "" || heading[0] != m[1][0] {
				t.Errorf("trackunit docs: %s is listed under heading %q", m[1], heading)
			}
			if s := status(t, cat, m[1]); s != nil {
				checkContains(t, "trackunit status "+m[1], s.Description, m[2])
				if c := cat.ClassOf(s.Code); c == nil || norm(c.Description) != norm(heading) {
					t.Errorf("trackunit status %s: its class does not read %q", m[1], heading)
				}
			}
		}
	}
	checkCount(t, "trackunit class headings", classes, 4)
	checkCount(t, "trackunit status bullets", exact, 8)
	checkListed(t, v.extra, "status", statusTexts(cat), onPage, map[string]extraOnly{
		"429": {"Rate & Size Limiting page", "Rate-limited requests get HTTP 429."},
	})

	// The error object examples and their callouts (① … ④).
	rest := firstBody(t, cat, 400, model.ContentJSON)
	if rest == nil {
		t.FailNow()
	}
	blocks := jsonBlocks(v.main)
	checkCount(t, "trackunit JSON examples", len(blocks), 2)
	markers := map[string]string{}
	codesOnPage := map[string]bool{}
	for i, b := range blocks {
		maps.Copy(markers, b.markers)
		ex := decode(t, "trackunit example "+strconv.Itoa(i+1), b.text)
		key, _ := ex["code"].(string)
		msg, _ := ex["message"].(string)
		st, _ := ex["status"].(float64)
		codesOnPage[key] = true
		c := code(t, cat, key)
		if c == nil {
			continue
		}
		if c.Status.Code != int(st) {
			t.Errorf("trackunit code %s is tied to status %s, its example says %v", key, c.Status.Text(), st)
		}
		if norm(c.Description) != norm(msg) && !slices.ContainsFunc(c.Messages, func(m model.Message) bool { return m.Text == msg }) {
			t.Errorf("trackunit code %s: the example's message %q is neither its description nor one of its messages", key, msg)
		}
		if vs, ok := ex["violations"].([]any); ok && len(vs) > 0 {
			item, _ := vs[0].(map[string]any)
			f := field(t, "trackunit body "+rest.Name, rest.Fields, "violations")
			if f == nil {
				continue
			}
			var got, want []string
			if f.Type == model.TypeList && f.Item != nil {
				for _, sub := range f.Item.Fields {
					got = append(got, pathStrings(sub)...)
				}
			}
			for k := range item {
				want = append(want, k)
			}
			slices.Sort(got)
			slices.Sort(want)
			if f.Type != model.TypeList || !slices.Equal(got, want) {
				t.Errorf("trackunit violations: type %s with item paths %v, want a list of %v", f.Type, got, want)
			}
		}
	}
	checkCount(t, "trackunit callout markers", len(markers), 4)
	callouts := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^([\x{2460}-\x{2473}]) (\S.*)$`).FindAllStringSubmatch(v.main, -1) {
		callouts[m[1]] = m[2]
	}
	// A marker with no legend line is explained where the text says "(see ④ below)".
	for _, m := range regexp.MustCompile(`(?m)^.*\(see ([\x{2460}-\x{2473}]) below\).*$`).FindAllStringSubmatch(v.main, -1) {
		if _, ok := callouts[m[1]]; !ok {
			callouts[m[1]] = strings.Replace(m[0], " (see "+m[1]+" below)", "", 1)
		}
	}
	checkCount(t, "trackunit callout explanations", len(callouts), 4)
	for _, m := range slices.Sorted(maps.Keys(markers)) {
		key := markers[m]
		if f := field(t, "trackunit body "+rest.Name, rest.Fields, key); f != nil {
			checkContains(t, "trackunit field "+key+" (callout "+m+")", f.Description, callouts[m])
		}
	}
	if f := field(t, "trackunit body "+rest.Name, rest.Fields, "code"); f != nil && f.Role != model.RoleCode {
		t.Errorf("trackunit field code does not have role: code")
	}

	checkListed(t, v.extra, "code", codeTexts(cat), codesOnPage, map[string]extraOnly{
		"QUERY_COMPLEXITY_REACHED": {"GraphQL errors (extra)", "The query is too complex. The estimated complexity of the query is 480011, which is greater than the maximum allowed complexity limit of 50000."},
		"RATE_LIMITED":             {"GraphQL rate limits (extra)", "The rate limit has been exceeded given the current estimated query complexity of 49011. Please wait 9 minutes, 46 seconds, 351 milliseconds before retrying."},
	})

	// Extra: GraphQL errors arrive with HTTP 200 in errors[]; RATE_LIMITED's
	// delay is extensions.resetIn, in milliseconds.
	checkContains(t, "trackunit extra page", v.extra, "GRAPHQL API (different error channel: HTTP 200 + errors[])")
	checkContains(t, "trackunit extra page", v.extra, "retry delay is in the BODY, in MILLISECONDS (extensions.resetIn)")
	for _, k := range []string{"QUERY_COMPLEXITY_REACHED", "RATE_LIMITED"} {
		checkContains(t, "trackunit extra page", v.extra, `"extensions":{"code":"`+k+`"`)
		if c := code(t, cat, k); c != nil && c.Status.Code != 200 {
			t.Errorf("trackunit GraphQL code %s is tied to status %s, want 200", k, c.Status.Text())
		}
	}
	i := slices.IndexFunc(cat.Bodies, func(b *model.Body) bool { return b.ErrorWhen != nil })
	if i < 0 {
		t.Fatalf("trackunit has no body format with error_when (GraphQL)")
	}
	gql := cat.Bodies[i]
	if w := gql.ErrorWhen; !gql.AppliesTo(200) || gql.Content != model.ContentJSON || w.Path.String() != "errors" || !w.NonEmpty {
		t.Errorf("trackunit body %q: want JSON on 200 with error_when {path: errors, non_empty: true}, got statuses %v when %+v", gql.Name, gql.Statuses, *w)
	}
	if f := field(t, "trackunit body "+gql.Name, gql.Fields, "errors[0].extensions.code"); f != nil && f.Role != model.RoleCode {
		t.Errorf("trackunit field errors[0].extensions.code does not have role: code")
	}
	checkDelay(t, cat, "errors[0].extensions.resetIn", model.DelayMillis)
}

// globalLimit matches the extra pages' "Global:" rate-limit line.
var globalLimit = regexp.MustCompile(`Global: per API access token (?:up to )?(\d+) requests/second; per organization (?:up to )?(\d+) requests/second`)

// TestRateLimitFidelity checks that the catalogs record exactly the global
// limits the extra pages state, and no limits where the pages give none.
func TestRateLimitFidelity(t *testing.T) {
	for _, v := range vendors {
		d := open(t, v)
		var want []string
		if m := globalLimit.FindStringSubmatch(norm(d.extra)); m != nil {
			want = []string{"token " + m[1] + "/second", "organization " + m[2] + "/second"}
		}
		var got []string
		for _, l := range d.cat.Retry.RateLimits {
			got = append(got, string(l.Scope)+" "+strconv.Itoa(l.Requests)+"/"+l.Period.String())
			checkContains(t, v+" rate limit description", d.extra, l.Description)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: catalog rate limits %q, the docs state %q", v, got, want)
		}
	}
}

// ---- examples

// notExamples are the JSON objects the vendor pages show that are not error
// responses (or copies of one already quoted), each with the reason; every
// other object a page shows must be the body of an example in the catalog.
var notExamples = map[string][]struct{ start, why string }{
	"alloy": {
		{`{ "status_code": 401, "error": { "minor_code": 4012,`, "the extra page's reformatted copy of the main page's example, which code 4012 quotes"},
		{`{ "minor_code": 4012,`, "inside that copy"},
		{`{ "bearer_token": "7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA" }`, "inside that copy"},
		{`{"blocked_actions":[`, "a fragment of a 206 evaluation body, not an error response"},
		{`{"blocked":`, "inside that fragment"},
		{`{"action_name":"tmx_pass"`, "inside that fragment"},
		{`{"action_name":"Threatmetrix"`, "inside that fragment"},
	},
	"alvys": {
		{`{"client_id":"...","client_secret":"..."`, "a token request, not a response"},
		{`{"access_token":"eyJ...","expires_in":3600`, "a successful token response"},
	},
	"quivo": {
		{`{"message":$context.error.messageString}`, "AWS's response template, not a response"},
		{`{"username": "...", "password": "..."}`, "the login request, not a response"},
	},
	"samsara": {
		{`{ "message": "<string, the message of the error>"`, "the SDK's schema with placeholders, not an example"},
	},
	"trackunit": {
		{`{ "status": 400, "code": "exactly_one_telematics_device_is_required",`, "the extra page's copy of the main page's example"},
		{`{ "violations": [ { "field": "name",`, "the extra page's copy of the main page's example"},
		{`{ "field": "name", "message": "value '' was rejected: must not be empty" }`, "inside those copies"},
		{`{"token_type":"Bearer","expires_in":3600,`, "a successful token response"},
	},
}

// TestExamplesQuoteTheDocs holds the catalogs' example responses to the
// vendor pages both ways: every example's body is the text of a page
// (whitespace normalised, callout markers removed) and its headers a line of
// one, and every JSON object the pages show is an example's body, inside
// one, or listed in notExamples with the reason.
func TestExamplesQuoteTheDocs(t *testing.T) {
	for _, vendor := range vendors {
		t.Run(vendor, func(t *testing.T) {
			v := open(t, vendor)
			pages := norm(markerRe.ReplaceAllString(v.main, "")) + "\n" + norm(markerRe.ReplaceAllString(v.extra, ""))
			covered := make([]bool, len(pages))
			for _, ex := range v.cat.Examples() {
				what := fmt.Sprintf("%s example at line %d", vendor, ex.Pos.Line)
				if body := norm(ex.Body); body != "" {
					i := strings.Index(pages, body)
					if i < 0 {
						t.Errorf("%s: its body is not on the vendor's pages:\n%s", what, body)
						continue
					}
					for j := i; j < i+len(body); j++ {
						covered[j] = true
					}
				}
				for _, h := range ex.Headers {
					if !slices.ContainsFunc(strings.Split(v.main+"\n"+v.extra, "\n"), func(line string) bool {
						return strings.Contains(line, h.Name) && strings.Contains(line, h.Value)
					}) {
						t.Errorf("%s: no line of the pages shows header %s with %q", what, h.Name, h.Value)
					}
				}
			}
			explained := map[string]bool{}
			for _, m := range regexp.MustCompile(`\{ ?"|\{\s*\$`).FindAllStringIndex(pages, -1) {
				if covered[m[0]] {
					continue
				}
				rest := pages[m[0]:]
				i := slices.IndexFunc(notExamples[vendor], func(n struct{ start, why string }) bool { return strings.HasPrefix(rest, n.start) })
				if i < 0 {
					t.Errorf("%s pages show a JSON object no example quotes: %.80s… (quote it as an example of its status or code, or list it in notExamples with the reason)", vendor, rest)
					continue
				}
				explained[notExamples[vendor][i].start] = true
			}
			for _, n := range notExamples[vendor] {
				if !explained[n.start] {
					t.Errorf("notExamples[%q] lists %q, which the pages no longer show uncovered", vendor, n.start)
				}
			}
		})
	}
	// The one documented header example: Samsara's fractional Retry-After.
	if ex := open(t, "samsara").cat.StatusByCode(429).Examples; len(ex) != 1 || ex[0].Header().Get("Retry-After") != "0.40235" {
		t.Errorf("samsara 429 must quote the Rate Limits page's Retry-After example 0.40235, got %v", ex)
	}
}
