// Package load reads errcat catalogs from YAML into the typed model. It is
// the only package that knows YAML: it decodes strictly, checks every rule of
// the format, computes every Go name, and reports all problems of a file at
// once, each with file:line:col and a fix.
package load

import (
	"bytes"
	"fmt"
	"io"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/model"
)

// MaxFileBytes bounds a catalog file. A catalog of 10,000 codes is a few
// megabytes; anything far larger is a mistake or an attack, and is refused
// before parsing.
const MaxFileBytes = 32 << 20

// MaxVendorIDLen bounds vendor.id, the name of the package directory, far
// below the 255-byte file-name limit of common file systems.
const MaxVendorIDLen = 64

// File loads and validates the catalog at path. The model's Source is path,
// slash-separated.
func File(path string) (*model.Catalog, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxFileBytes {
		return nil, ErrorList{{File: path, Line: 1, Col: 1, Msg: fmt.Sprintf("catalog is %d bytes, over the %d-byte limit", fi.Size(), MaxFileBytes), Fix: "split the catalog or remove generated bulk"}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Bytes(filepath.ToSlash(path), data)
}

// Bytes loads and validates a catalog held in memory; name is used in error
// positions and as the model's Source. The error, if any, is an ErrorList.
func Bytes(name string, data []byte) (*model.Catalog, error) {
	d := &decoder{file: name}
	if len(data) > MaxFileBytes {
		d.errorf(nil, "split the catalog", "catalog is %d bytes, over the %d-byte limit", len(data), MaxFileBytes)
		return nil, d.errs
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		d.errs = append(d.errs, yamlError(name, data, err))
		return nil, d.errs
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		d.errorf(nil, "start from the example in docs/catalog-format.md", "catalog is empty")
		return nil, d.errs
	}
	// A second document would be silently ignored: refuse it. An empty one
	// (a trailing "---" or "..." with at most comments) is harmless.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		d.errs = append(d.errs, yamlError(name, data, err))
	case len(next.Content) > 0 && !(next.Content[0].Kind == yaml.ScalarNode && next.Content[0].Tag == "!!null"):
		at := &next // the "---" that starts the document
		if at.Line == 0 {
			at = next.Content[0]
		}
		d.errorf(at, "keep one vendor per file, in one YAML document", "catalog holds more than one YAML document")
	}
	b := &builder{decoder: d, cat: &model.Catalog{Source: name}, idents: map[string]namedAt{}}
	b.catalog(root.Content[0])
	if len(d.errs) > 0 {
		return nil, d.finish()
	}
	b.cat.Finish()
	return b.cat, nil
}

var (
	yamlLine          = regexp.MustCompile(`^line (\d+)(?:, column (\d+))?: `)
	yamlUnknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// yamlParserProblems are the problems yaml.v3's parser (as opposed to its
// scanner) reports. For those, yaml.v3 prints the 0-based line of the
// construct it was parsing, so the 1-based line is one more.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// yamlError turns a yaml.v3 error ("yaml: line 3: mapping values are not
// allowed in this context") into a positioned Error.
func yamlError(name string, data []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, col := 1, 1
	fix := "check indentation and quoting on that line"
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
		}
		msg = strings.TrimPrefix(msg, m[0])
		if contains(yamlParserProblems, msg) {
			// The line is that of the block or flow collection being
			// parsed (the problem is in it), or of the problem itself.
			// (yaml.v3 prints no line at all for a 0-based line 0.)
			line++
			fix = "check indentation and quoting from that line on"
			if m, ok := misindentedLine(data, line); ok {
				// yaml.v3 names the block; the mistake is on this line.
				line, col = m.line, m.col
				fix = fmt.Sprintf("indent it to column %d like line %d, or re-indent line %d if that one is off", m.refCol, m.ref, m.ref)
				if m.ref == m.line-1 {
					fix = fmt.Sprintf("indent it to column %d like the line above, or re-indent the line above if that one is off", m.refCol)
				}
			}
		}
	}
	if m := yamlUnknownAnchor.FindStringSubmatch(msg); m != nil {
		// An alias whose anchor is missing: point at the alias itself.
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			line = bytes.Count(data[:i], []byte("\n")) + 1
			col = i - bytes.LastIndexByte(data[:i], '\n')
		}
		return &Error{File: name, Line: line, Col: col, Msg: fmt.Sprintf("invalid YAML: alias *%s refers to no anchor; aliases are not supported in catalogs", clip(m[1])), Fix: "write the value out"}
	}
	if tab := tabIndentedLine(data, line); tab > 0 {
		// The most common YAML mistake in hand-written files gets its own
		// hint: yaml.v3 only says a character "cannot start any token".
		line, col, fix = tab, 1, "indent with spaces: YAML does not allow tabs for indentation"
	}
	return &Error{File: name, Line: line, Col: col, Msg: "invalid YAML: " + clip(msg), Fix: fix}
}

// tabIndentedLine returns the first line from around line on (the one
// before it included, as yaml.v3 may report the line above) that is
// indented with a tab, or 0.
func tabIndentedLine(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	for i := max(line-2, 0); i < len(lines) && i <= line; i++ {
		if bytes.HasPrefix(bytes.TrimLeft(lines[i], " "), []byte("\t")) {
			return i + 1
		}
	}
	return 0
}

type builder struct {
	*decoder
	cat *model.Catalog
	// idents maps every package-level identifier the generated package will
	// declare from catalog names to the name that made it; reserved
	// identifiers map to a nil node.
	idents map[string]namedAt
	// fieldsByName maps a body field's Go name to the first field declared
	// with it, so formats agree on types and retry delays can name fields.
	fieldsByName map[string]*model.Field
	fieldNodes   map[string]namedAt
	// pendingExamples are the examples read, checked by checkExamples once
	// the body formats are known.
	pendingExamples []pendingExample
	// warningsExample and batchExample are the example: values of the
	// warnings and batch sections, checked by checkSuccessExamples.
	warningsExample, batchExample *yaml.Node
	// statusWins is the catalog's default code precedence
	// (codes.precedence: status).
	statusWins bool
	// pendingDomains are the code sets' domain fields, resolved by
	// finishSets once the body formats are known; setNodes are the sets'
	// nodes, in catalog order.
	pendingDomains []pendingDomain
	setNodes       []*yaml.Node
	// subcodeUnresolved: a role subcode field named no set (reported),
	// so sets it may have meant are not also reported as not carried.
	subcodeUnresolved bool
	// v2Refused: needV2 refused a v2 key of a v1 catalog; starKey is the
	// first v1 path with a key named *, which reads as a wildcard under
	// the v2 header (see v1StarKeyHint).
	v2Refused bool
	starKey   *yaml.Node
}

// namedAt is a catalog name and the node that holds it.
type namedAt struct {
	node *yaml.Node
	name string
}

var (
	vendorIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	packagePattern  = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	headerPattern   = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
)

// reservedIdents are package-level names every generated package declares
// itself; catalog names must not produce them.
var reservedIdents = []string{
	"Vendor", "Status", "Code", "Error", "Parse", "FromResponse", "FromResponseLimit", "Policy",
	"Statuses", "Codes", "LookupCode", "LookupStatus", "ParseCode", "DefaultMaxBodyBytes",
}

// errorMembers are the fixed fields and methods of the generated Error;
// body fields and headers become further fields and must not shadow them.
var errorMembers = []string{
	"Status", "Code", "HasCode", "Message", "Format", "Header", "Vendor", "Kind", "Action", "Error",
	"Is", "Unwrap", "LogValue", "HTTPStatus", "ErrorCode", "RetryDelay", "RawBody", "Truncated",
	"String", "GoString",
}

func (b *builder) catalog(n *yaml.Node) {
	m := b.mapping(n, "the catalog", []string{"format", "vendor", "statuses", "codes", "code_sets", "headers", "bodies", "retry", "warnings", "batch"}, "format", "vendor", "statuses")
	for _, id := range reservedIdents {
		b.idents[id] = namedAt{}
	}
	b.reserveSuccess(m)
	if e, ok := m["format"]; ok {
		if v, ok := b.str(e.val, "format", true); ok {
			switch v {
			case model.FormatV1:
				b.cat.Format = 1
			case model.FormatVersion:
				b.cat.Format = 2
			default:
				b.errorf(e.val, "write format: "+model.FormatVersion+" (or "+model.FormatV1+" for a catalog that uses no v2 key)", "unsupported format %q; this errcat reads %s and %s", clip(v), model.FormatV1, model.FormatVersion)
			}
		}
	}
	if e, ok := m["vendor"]; ok {
		b.vendor(e.val)
	}
	if e, ok := m["statuses"]; ok {
		b.statuses(e.val)
	}
	if e, ok := m["codes"]; ok {
		b.codes(e.val)
	}
	b.fieldsByName = map[string]*model.Field{}
	b.fieldNodes = map[string]namedAt{}
	if e, ok := m["code_sets"]; ok && b.needV2(e.key, "code_sets") {
		b.codeSets(e.val)
	}
	if e, ok := m["headers"]; ok {
		b.headers(e.val)
	}
	if e, ok := m["bodies"]; ok {
		b.bodies(e.val)
	}
	b.finishSets()
	b.checkCleanedCodes()
	if e, ok := m["retry"]; ok {
		b.retry(e.val)
	}
	if e, ok := m["warnings"]; ok {
		b.warnings(e.key, e.val)
	}
	if e, ok := m["batch"]; ok {
		b.batch(e.key, e.val)
	}
	b.v1StarKeyHint()
	if len(b.errs) == 0 {
		b.checkExamples()
		b.checkSuccessExamples()
	}
}

// needV2 reports, at n, a key or value format v2 added when the catalog
// states format v1, and says so; it reports whether the catalog may use it.
// Every v2 addition calls it, so a v1 catalog keeps meaning exactly what it
// meant (and generating what it generated).
func (b *builder) needV2(n *yaml.Node, what string) bool {
	if b.cat.Format == 1 {
		b.errorf(n, "write format: "+model.FormatVersion+" at the top of the catalog (v1 catalogs need no other change)", "%s is a format v2 feature; this catalog states format %s", what, model.FormatV1)
		b.v2Refused = true
		return false
	}
	return true
}

// v1StarKeyHint reports, when a v1 catalog was told to state format v2,
// the one change that header needs beyond itself: a path key named *, the
// member so named in v1, is a wildcard (or, first, refused) in v2.
func (b *builder) v1StarKeyHint() {
	if b.v2Refused && b.starKey != nil {
		b.errorf(b.starKey, `quote the key when you write format: `+model.FormatVersion+`, such as error['*']`, "path %q has a key named *, a member in format %s but a wildcard in format %s", clip(b.starKey.Value), model.FormatV1, model.FormatVersion)
	}
}

func (b *builder) vendor(n *yaml.Node) {
	m := b.mapping(n, "vendor", []string{"id", "name", "package", "docs", "description", "docs_revision"}, "id", "name", "package", "docs", "description", "docs_revision")
	v := &b.cat.Vendor
	v.Pos = at(n)
	if e, ok := m["id"]; ok {
		if s, ok := b.str(e.val, "vendor.id", true); ok {
			switch {
			case !vendorIDPattern.MatchString(s):
				b.errorf(e.val, "use lowercase letters, digits, '_' or '-', starting with a letter", "vendor.id %q is not a valid id", clip(s))
			case len(s) > MaxVendorIDLen:
				b.errorf(e.val, "shorten it: it names the package directory", "vendor.id is %d characters, over the limit of %d", len(s), MaxVendorIDLen)
			}
			v.ID = s
		}
	}
	if e, ok := m["name"]; ok {
		v.Name, _ = b.str(e.val, "vendor.name", true)
	}
	if e, ok := m["package"]; ok {
		if s, ok := b.str(e.val, "vendor.package", true); ok {
			switch {
			case !packagePattern.MatchString(s):
				b.errorf(e.val, "use lowercase letters and digits, starting with a letter, such as \"alloy\"", "vendor.package %q is not a Go package name", clip(s))
			case model.IsReservedWord(s) || s == "apierr":
				b.errorf(e.val, "pick another name, such as the vendor id", "vendor.package %q is a Go keyword, a predeclared identifier or the runtime's name", s)
			}
			v.Package = s
		}
	}
	if e, ok := m["docs"]; ok {
		nodes, urls := b.strs(e.val, "vendor.docs")
		for i, u := range urls {
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
				b.errorf(nodes[i], "give an absolute https:// URL", "vendor.docs entry %q is not an absolute http(s) URL", clip(u))
			}
		}
		v.Docs = urls
	}
	if e, ok := m["description"]; ok {
		v.Description, _ = b.str(e.val, "vendor.description", true)
	}
	if e, ok := m["docs_revision"]; ok {
		v.DocsRevision, _ = b.str(e.val, "vendor.docs_revision", true)
	}
}

// declare records the package-level identifiers one name makes, reporting
// the first collision with a reserved name or with an earlier entry (one
// name clashing makes all its identifiers clash: once is enough).
func (b *builder) declare(n *yaml.Node, name string, idents ...string) {
	reported := false
	for _, ident := range idents {
		prev, taken := b.idents[ident]
		switch {
		case !taken:
			b.idents[ident] = namedAt{n, name}
		case reported:
		case prev.node == nil:
			b.errorf(n, "rename the entry", "name %q makes the identifier %s, which the generated package declares itself", clip(name), ident)
			reported = true
		default:
			b.errorf(n, "give one of them another name", "name %q makes the identifier %s, already made by %q at line %d", clip(name), ident, clip(prev.name), prev.node.Line)
			reported = true
		}
	}
}

// goName normalises a catalog name, reporting why it cannot be used.
func (b *builder) goName(n *yaml.Node, s, what string) (string, bool) {
	if model.IsReservedWord(s) {
		b.errorf(n, "use a descriptive name such as \"invalid value\"", "%s %q is a Go keyword or predeclared identifier", what, s)
		return "", false
	}
	for i, r := range s {
		if r > unicode.MaxASCII {
			b.errorf(n, "spell the name in ASCII: look-alike letters would make names that read alike but differ", "%s %q holds the non-ASCII character %U %q (character %d)", what, clip(s), r, r, utf8.RuneCountInString(s[:i])+1)
			return "", false
		}
	}
	g, err := model.GoName(s)
	if err != nil {
		b.errorf(n, "", "%s: %v", what, err)
		return "", false
	}
	return g, true
}

var (
	kindNames   = names(apierr.Kinds())
	actionNames = names(apierr.Actions())
)

func names[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

func (b *builder) kind(n *yaml.Node, what string) (apierr.Kind, bool) {
	s, ok := b.oneOf(n, what, kindNames)
	if !ok {
		return 0, false
	}
	k, _ := apierr.ParseKind(s)
	return k, true
}

func (b *builder) action(n *yaml.Node, what string) (apierr.Action, bool) {
	s, ok := b.oneOf(n, what, actionNames)
	if !ok {
		return 0, false
	}
	a, _ := apierr.ParseAction(s)
	if a == apierr.ActionDoNotRetry || a == apierr.ActionUserAction {
		if !b.needV2(n, "action "+s) {
			return 0, false
		}
	}
	return a, true
}

var classPattern = regexp.MustCompile(`^([1-5])[xX][xX]$`)

// statusValue reads 404 or "4XX".
func (b *builder) statusValue(n *yaml.Node, what string) (code int, class bool, ok bool) {
	s, ok := b.scalar(n, what)
	if !ok {
		return 0, false, false
	}
	if s.Tag == "!!int" {
		v, err := strconv.Atoi(s.Value)
		if err != nil || v < 100 || v > 599 {
			b.errorf(n, "use a status from 100 to 599, or a class such as 4XX", "%s %s is not an HTTP status", what, clip(s.Value))
			return 0, false, false
		}
		return v, false, true
	}
	if m := classPattern.FindStringSubmatch(s.Value); m != nil {
		d, _ := strconv.Atoi(m[1])
		return d * 100, true, true
	}
	b.errorf(n, "write an exact status such as 404 or a class such as 4XX", "%s %q is neither an HTTP status nor a status class", what, clip(s.Value))
	return 0, false, false
}

func (b *builder) messages(n *yaml.Node, what string) []model.Message {
	var out []model.Message
	for _, it := range b.seq(n, what) {
		m := b.mapping(it, "message", []string{"text", "description"}, "text")
		var msg model.Message
		if e, ok := m["text"]; ok {
			msg.Text, _ = b.str(e.val, "message text", true)
		}
		if e, ok := m["description"]; ok {
			msg.Description, _ = b.str(e.val, "message description", true)
		}
		out = append(out, msg)
	}
	return out
}

func (b *builder) statuses(n *yaml.Node) {
	var all []pendingStatus
	seen := map[[2]int]*yaml.Node{}
	items := b.seq(n, "statuses")
	if n != nil && n.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(n, "list the statuses the vendor documents", "statuses is empty")
	}
	for _, it := range items {
		p := b.status(it, seen)
		all = append(all, p)
		b.cat.Statuses = append(b.cat.Statuses, p.st)
	}
	b.inheritFromClasses(all)
}

// pendingStatus is a status read from its entry whose kind and action may
// still come from its class.
type pendingStatus struct {
	st          *model.Status
	node        *yaml.Node
	kind, actOK bool
	valid       bool // the status itself was read; else its error is reported
}

// status reads one entry of statuses; seen holds the statuses read so far
// (by code and class) for duplicate errors.
func (b *builder) status(it *yaml.Node, seen map[[2]int]*yaml.Node) pendingStatus {
	m := b.mapping(it, "status entry", []string{"status", "name", "description", "kind", "action", "note", "messages", "examples", "min_delay", "default_delay"}, "status", "name", "description")
	st := &model.Status{Pos: at(it)}
	p := pendingStatus{st: st, node: it}
	st.Delay = b.delayBounds(m, "status")
	if e, ok := m["status"]; ok {
		if code, class, ok := b.statusValue(e.val, "status"); ok {
			st.Code, st.Class, p.valid = code, class, true
			key := [2]int{code, btoi(class)}
			if prev, dup := seen[key]; dup {
				b.errorf(e.val, "merge the two entries", "status %s is listed twice (first at line %d)", st.Text(), prev.Line)
			} else {
				seen[key] = e.val
			}
		}
	}
	if e, ok := m["name"]; ok {
		if s, ok := b.str(e.val, "status name", true); ok {
			st.Name = s
			if g, ok := b.goName(e.val, s, "status name"); ok {
				st.GoName = g
				id := model.DeclaredIdents(g, false)
				b.declare(e.val, s, id.Const, id.Err, id.Is)
			}
		}
	}
	if st.Class && !st.Delay.IsZero() {
		b.errorf(it, "put min_delay and default_delay on the exact statuses (such as 429) they apply to", "status class %s cannot carry a minimum or default delay", st.Text())
	}
	if e, ok := m["description"]; ok {
		st.Description, _ = b.str(e.val, "status description", true)
	}
	if e, ok := m["note"]; ok {
		st.Note, _ = b.str(e.val, "status note", true)
	}
	if e, ok := m["kind"]; ok {
		st.Kind, p.kind = b.kind(e.val, "kind")
		p.kind = true
	}
	if e, ok := m["action"]; ok {
		st.Action, _ = b.action(e.val, "action")
		p.actOK = true
	}
	if e, ok := m["messages"]; ok {
		st.Messages = b.messages(e.val, "messages")
	}
	if e, ok := m["examples"]; ok {
		if p.valid {
			st.Examples = b.examples(e.val, st, nil)
		} else {
			b.examples(e.val, nil, nil) // report its own errors
		}
	}
	return p
}

// inheritFromClasses gives exact statuses the kind and action of their
// class where they set none, and checks that every class sets both.
func (b *builder) inheritFromClasses(all []pendingStatus) {
	for _, p := range all {
		if !p.valid {
			continue
		}
		if p.st.Class {
			if !p.kind || !p.actOK {
				b.errorf(p.node, "add kind: and action: to the class", "status class %s needs both kind and action: it is the default for its statuses", p.st.Text())
			}
			continue
		}
		class := b.cat.ClassOf(p.st.Code)
		if !p.kind {
			if class == nil {
				b.errorf(p.node, fmt.Sprintf("add kind: or a %dXX class entry", p.st.Code/100), "status %d has no kind and no class to inherit one from", p.st.Code)
			} else {
				p.st.Kind, p.st.KindInherited = class.Kind, true
			}
		}
		if !p.actOK {
			if class == nil {
				b.errorf(p.node, fmt.Sprintf("add action: or a %dXX class entry", p.st.Code/100), "status %d has no action and no class to inherit one from", p.st.Code)
			} else {
				p.st.Action, p.st.ActionInherited = class.Action, true
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (b *builder) codes(n *yaml.Node) {
	m := b.mapping(n, "codes", []string{"type", "precedence", "items"}, "type", "items")
	b.statusWins = false
	if e, ok := m["precedence"]; ok && b.needV2(e.key, "codes.precedence") {
		b.statusWins = b.precedence(e.val, "codes.precedence")
	}
	if e, ok := m["type"]; ok {
		if s, ok := b.oneOf(e.val, "code type", []string{"integer", "string"}); ok {
			b.cat.CodeType = model.CodeInt
			if s == "string" {
				b.cat.CodeType = model.CodeString
			}
		}
	}
	e, ok := m["items"]
	if !ok {
		return
	}
	items := b.seq(e.val, "codes.items")
	if e.val.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(e.val, "list the codes, or remove the codes section", "codes.items is empty")
	}
	seen := codesSeen{byValue: map[string]*model.Code{}, nodes: map[string]*yaml.Node{}}
	var aliases []codeAlias
	for _, it := range items {
		c, aliasNode := b.code(it, seen)
		if aliasNode != nil {
			aliases = append(aliases, codeAlias{c, aliasNode})
		}
		b.cat.Codes = append(b.cat.Codes, c)
	}
	b.resolveAliases(aliases, seen.byValue)
}

// codesSeen are the codes read so far, by value, with the node of each
// value for duplicate errors.
type codesSeen struct {
	byValue map[string]*model.Code
	nodes   map[string]*yaml.Node
}

// codeAlias is a code with an alias_of, resolved once all codes are read.
type codeAlias struct {
	code *model.Code
	node *yaml.Node
}

// code reads one entry of codes.items; aliasNode is its alias_of value, if
// any, for resolveAliases.
func (b *builder) code(it *yaml.Node, seen codesSeen) (c *model.Code, aliasNode *yaml.Node) {
	cm := b.mapping(it, "code entry", []string{"code", "name", "status", "description", "kind", "action", "precedence", "note", "deprecated", "alias_of", "messages", "examples", "min_delay", "default_delay"}, "code", "description")
	if _, ok := cm["status"]; !ok && it.Kind == yaml.MappingNode && b.cat.Format == 1 {
		b.errorf(it, `add "status:", or write format: `+model.FormatVersion+` to document a code without a status`, `code entry is missing the required key "status" (a code without a status is a format v2 feature)`)
	}
	c = &model.Code{Pos: at(it), StatusWins: b.statusWins}
	c.Delay = b.delayBounds(cm, "code")
	valid := false
	if e, ok := cm["code"]; ok {
		valid = b.codeValue(e.val, "code", c)
		if key := c.Text(); valid {
			if prev, dup := seen.nodes[key]; dup {
				b.errorf(e.val, "remove or merge the duplicate", "code %s is listed twice (first at line %d)", clip(key), prev.Line)
			} else {
				seen.nodes[key], seen.byValue[key] = e.val, c
			}
		}
	}
	b.codeName(it, cm, c, valid)
	statusOK := true
	if e, ok := cm["status"]; ok {
		statusOK = b.codeStatuses(e.val, c)
	}
	if e, ok := cm["description"]; ok {
		c.Description, _ = b.str(e.val, "code description", true)
	}
	if e, ok := cm["note"]; ok {
		c.Note, _ = b.str(e.val, "code note", true)
	}
	if e, ok := cm["deprecated"]; ok {
		c.Deprecated, _ = b.str(e.val, "deprecated", true)
	}
	if e, ok := cm["messages"]; ok {
		c.Messages = b.messages(e.val, "messages")
	}
	if e, ok := cm["precedence"]; ok && b.needV2(e.key, "a code's precedence") {
		c.StatusWins = b.precedence(e.val, "precedence")
	}
	if _, hasStatus := cm["status"]; statusOK && (hasStatus || b.cat.Format == 2) {
		b.codeKindAction(it, cm, c, valid)
	}
	if e, ok := cm["alias_of"]; ok {
		aliasNode = e.val
	}
	if e, ok := cm["examples"]; ok {
		if statusOK && valid && (c.Status != nil || len(c.Statuses) > 0 || b.cat.Format == 2) {
			c.Examples = b.examples(e.val, c.Status, c)
		} else {
			b.examples(e.val, nil, nil) // report its own errors
		}
	}
	return c, aliasNode
}

// precedence reads "code" or "status", reporting whether the status wins.
func (b *builder) precedence(n *yaml.Node, what string) bool {
	s, _ := b.oneOf(n, what, []string{"code", "status"})
	return s == "status"
}

// codeStatuses reads a code's status: an exact status, or in format v2 a
// documented status class or a list of statuses and classes. It reports
// whether the value was read.
func (b *builder) codeStatuses(n *yaml.Node, c *model.Code) bool {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		if !b.needV2(n, "a list of statuses on a code") {
			return false
		}
		items = b.seq(n, "code status")
		if len(items) == 0 {
			b.errorf(n, "list the statuses the vendor returns the code with, or remove status:", "a code's status list is empty")
			return false
		}
	}
	ok := true
	for _, it := range items {
		st := b.codeStatus(it, c)
		switch {
		case st == nil:
			ok = false
		case slices.Contains(c.Statuses, st):
			b.errorf(it, "remove the duplicate", "code %s lists status %s twice", clip(c.Text()), st.Text())
			ok = false
		default:
			c.Statuses = append(c.Statuses, st)
			if c.Status == nil && !st.Class {
				c.Status = st
			}
		}
	}
	return ok
}

// codeStatus reads one status of a code: an exact status the catalog
// documents, or (format v2) a documented class.
func (b *builder) codeStatus(n *yaml.Node, c *model.Code) *model.Status {
	code, class, ok := b.statusValue(n, "code status")
	if !ok {
		return nil
	}
	if class {
		if !b.needV2(n, "a status class on a code ("+n.Value+")") {
			return nil
		}
		st := b.cat.ClassOf(code)
		if st == nil {
			b.errorf(n, fmt.Sprintf("add the class %dXX under statuses, or fix the code's status", code/100), "code %s has the status class %dXX, which the catalog does not document", clip(c.Text()), code/100)
		}
		return st
	}
	st := b.cat.StatusByCode(code)
	switch {
	case st != nil:
	case b.cat.ClassOf(code) != nil && b.cat.Format == 1:
		// The class is documented, but a v1 code needs an exact status.
		b.errorf(n, fmt.Sprintf("add status %d under statuses, or fix the code's status; format %s also accepts status: %dXX on a code", code, model.FormatVersion, code/100), "code %s has status %d, which the catalog documents only as part of the class %dXX", clip(c.Text()), code, code/100)
	case b.cat.ClassOf(code) != nil:
		b.errorf(n, fmt.Sprintf("add status %d under statuses, or write status: %dXX on the code, or fix the code's status", code, code/100), "code %s has status %d, which the catalog documents only as part of the class %dXX", clip(c.Text()), code, code/100)
	default:
		b.errorf(n, fmt.Sprintf("add status %d under statuses, or fix the code's status", code), "code %s has status %d, which the catalog does not document", clip(c.Text()), code)
	}
	return st
}

// codeKindAction sets a code's kind and action: its own, else those its
// statuses all agree on. A code without a status, or whose statuses
// disagree, must state them; precedence: status needs statuses.
func (b *builder) codeKindAction(it *yaml.Node, cm map[string]entry, c *model.Code, valid bool) {
	what := "the code"
	if valid {
		what = "code " + clip(c.Text())
	}
	if e, ok := cm["kind"]; ok {
		c.Kind, _ = b.kind(e.val, "kind")
	} else if k, agree := inherited(c.Statuses, func(s *model.Status) apierr.Kind { return s.Kind }); agree {
		c.Kind, c.KindInherited = k, true
	} else {
		b.errorf(it, "add kind: (a code inherits its status's only when it has statuses that all agree)", "%s has %s", what, noneOrDisagree(c.Statuses, "kind"))
	}
	if e, ok := cm["action"]; ok {
		c.Action, _ = b.action(e.val, "action")
	} else if a, agree := inherited(c.Statuses, func(s *model.Status) apierr.Action { return s.Action }); agree {
		c.Action, c.ActionInherited = a, true
	} else {
		b.errorf(it, "add action: (a code inherits its status's only when it has statuses that all agree)", "%s has %s", what, noneOrDisagree(c.Statuses, "action"))
	}
	if c.StatusWins && len(c.Statuses) == 0 {
		// codes.precedence: status is for the codes that list statuses; a
		// code without one decides wherever it comes.
		c.StatusWins = false
		if e, ok := cm["precedence"]; ok {
			b.errorf(e.val, "add status: with the statuses the code is documented with, or set precedence: code", "%s has precedence status but no status: the status would always win over its kind and action", what)
		}
	}
}

// inherited is the value every status gives, and whether there is one.
func inherited[T comparable](sts []*model.Status, get func(*model.Status) T) (T, bool) {
	var v T
	for i, s := range sts {
		if i > 0 && get(s) != v {
			var zero T
			return zero, false
		}
		v = get(s)
	}
	return v, len(sts) > 0
}

// noneOrDisagree says why a code has no kind (or action) to inherit.
func noneOrDisagree(sts []*model.Status, what string) string {
	if len(sts) == 0 {
		return "no " + what + " and no status to inherit one from"
	}
	texts := make([]string, len(sts))
	for i, s := range sts {
		texts[i] = s.Text()
	}
	return fmt.Sprintf("no %s, and its statuses %s differ in theirs", what, strings.Join(texts, ", "))
}

// codeName reads a code's name (a string code's value when it has none;
// an integer code must have one) and declares its Go names.
func (b *builder) codeName(it *yaml.Node, cm map[string]entry, c *model.Code, valid bool) {
	nameNode := it
	if e, ok := cm["name"]; ok {
		nameNode = e.val
		c.Name, _ = b.str(e.val, "code name", true)
	} else if b.cat.CodeType == model.CodeString && valid {
		c.Name = c.Str
	} else if b.cat.CodeType == model.CodeInt {
		what := "an integer code"
		if valid {
			what = "integer code " + c.Text()
		}
		b.errorf(it, "add name: such as \"credentials expired\"", "%s needs a name", what)
	}
	if c.Name != "" {
		if g, ok := b.goName(nameNode, c.Name, "code name"); ok {
			c.GoName = g
			id := model.CodeIdents(g, b.cat.Format == 2 && b.statusNamed(g))
			b.declare(nameNode, c.Name, id.Const, id.Err, id.Is)
		}
	}
}

// statusNamed reports whether a status has the Go name g: a code of that
// name then gets the identifiers model.CodeIdents gives it (format v2).
func (b *builder) statusNamed(g string) bool {
	for _, s := range b.cat.Statuses {
		if s.GoName == g {
			return true
		}
	}
	return false
}

// resolveAliases points each alias at the code its alias_of names, which
// must be another code of the catalog that is no alias itself.
func (b *builder) resolveAliases(aliases []codeAlias, byValue map[string]*model.Code) {
	for _, a := range aliases {
		target := &model.Code{}
		if !b.codeValue(a.node, "alias_of", target) {
			continue // codeValue reported the problem
		}
		t, ok := byValue[target.Text()]
		switch {
		case !ok:
			b.errorf(a.node, "name a code listed in this catalog", "alias_of %s names no code of this catalog", clip(target.Text()))
		case t == a.code:
			b.errorf(a.node, "remove alias_of", "code %s is an alias of itself", clip(t.Text()))
		case t.AliasOf != nil:
			b.errorf(a.node, "point it at the code the alias ends at", "alias_of %s names another alias; aliases must point at a real code", clip(t.Text()))
		default:
			a.code.AliasOf = t
		}
	}
}

// codeValue reads a code (or an alias_of) into c, reporting whether it is a
// valid code of the catalog's code type. With no valid code type, nothing
// can be read: the type's error is reported already.
func (b *builder) codeValue(n *yaml.Node, what string, c *model.Code) bool {
	switch b.cat.CodeType {
	case model.CodeInt:
		v, ok := b.int64(n, what)
		c.Int = v
		return ok
	case model.CodeString:
		if s, ok := b.str(n, what, true); ok {
			if n.Tag != "!!str" {
				b.errorf(n, "quote it, or set codes.type: integer", "%s %s is not a string but the codes are of type string", what, clip(s))
				return false
			}
			if r, at, ok := model.Verbatim(s); !ok {
				b.errorf(n, "write the code exactly as the vendor's bodies carry it, with printable characters only", "%s %q holds the character %U (character %d), a control, invisible, bidi or format character that generated code and docs would print as it is", what, clip(s), r, utf8.RuneCountInString(s[:at])+1)
				return false
			}
			c.Str = s
			return true
		}
	}
	return false
}

func (b *builder) headers(n *yaml.Node) {
	seen := map[string]*yaml.Node{}
	for _, it := range b.seq(n, "headers") {
		m := b.mapping(it, "header entry", []string{"header", "name", "description", "sensitive"}, "header")
		h := &model.Header{Pos: at(it)}
		if e, ok := m["header"]; ok {
			if s, ok := b.str(e.val, "header", true); ok {
				if !headerPattern.MatchString(s) {
					b.errorf(e.val, "use the header's name as sent, such as X-Request-Id", "header %q is not a valid HTTP header name", clip(s))
				} else {
					h.Header = textproto.CanonicalMIMEHeaderKey(s)
					if prev, dup := seen[h.Header]; dup {
						b.errorf(e.val, "remove the duplicate", "header %s is listed twice (first at line %d)", h.Header, prev.Line)
					}
					seen[h.Header] = e.val
				}
				h.Name = s
			}
		}
		nameNode := it
		if e, ok := m["name"]; ok {
			nameNode = e.val
			h.Name, _ = b.str(e.val, "header name", true)
		}
		if e, ok := m["description"]; ok {
			h.Description, _ = b.str(e.val, "header description", true)
		}
		if e, ok := m["sensitive"]; ok {
			h.Sensitive, _ = b.bool(e.val, "sensitive")
		}
		if h.Name != "" {
			if g, ok := b.goName(nameNode, h.Name, "header name"); ok {
				h.GoName = g
				b.member(g, h.Name, nameNode, nil)
			}
		}
		b.cat.Headers = append(b.cat.Headers, h)
	}
}

// member records a field of the generated Error (a header or a body field)
// and reports clashes with the Error's fixed members or with a field of
// another type.
func (b *builder) member(goName, name string, n *yaml.Node, f *model.Field) bool {
	if contains(errorMembers, goName) {
		b.errorf(n, "rename it; role: code or role: message fill the fixed members", "name %q makes the Error member %s, which the generated Error declares itself", clip(name), goName)
		return false
	}
	prevAt, taken := b.fieldNodes[goName]
	if !taken {
		b.fieldNodes[goName] = namedAt{n, name}
		if f != nil {
			b.fieldsByName[goName] = f
		}
		return true
	}
	prev := b.fieldsByName[goName]
	if f == nil || prev == nil {
		b.errorf(n, "rename one of them", "name %q makes the Error member %s, already made by %q at line %d", clip(name), goName, clip(prevAt.name), prevAt.node.Line)
		return false
	}
	if prev.TypeText() != f.TypeText() || (f.Item != nil && prev.Item != nil && f.Item.GoName != prev.Item.GoName) {
		b.errorf(n, "give both the same type, or rename one", "field %s is declared at line %d as %s and here as %s", goName, prevAt.node.Line, prev.TypeText(), f.TypeText())
		return false
	}
	return true
}
