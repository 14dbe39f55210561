package load

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// maxPathSteps bounds a path's steps (a filter's relative path included).
const maxPathSteps = 32

// maxIndex bounds an array index in a path.
const maxIndex = 1 << 20

// path parses a field path: error.minor_code or errors[0].extensions.code,
// and in format v2 the rest of the grammar (parsePath). A v1 catalog that
// uses v2 syntax is told to state format v2.
func (b *builder) path(n *yaml.Node, s string) (model.Path, bool) {
	if b.cat.Format == 2 {
		p, err := parsePath(s)
		if err != nil {
			b.errorf(n, err.fix, "bad field path %q: %s", clip(s), err.why)
			return nil, false
		}
		return p, true
	}
	p, why := parsePathV1(s)
	if why == "" {
		if b.starKey == nil && n != nil && slices.ContainsFunc(p, func(s model.Segment) bool { return s.Key == "*" }) {
			b.starKey = n
		}
		return p, true
	}
	if v2, err := parsePath(s); err == nil {
		b.needV2(n, fmt.Sprintf("the path %q (%s)", clip(s), v2Syntax(v2)))
		return nil, false
	}
	b.errorf(n, "write dotted keys with [N] for array items, such as errors[0].code", "bad field path %q: %s", clip(s), why)
	return nil, false
}

// v2Syntax names the v2 syntax p uses, for the error that refuses it in a
// v1 catalog.
func v2Syntax(p model.Path) string {
	if p.AtArray() {
		return "a path into a top-level array"
	}
	for _, s := range p {
		switch {
		case s.Wildcard:
			return "a wildcard"
		case s.Filter != nil:
			return "a filter"
		}
	}
	return "a quoted key"
}

// parsePathV1 parses a format v1 path; it returns why it is not one.
func parsePathV1(s string) (model.Path, string) {
	var p model.Path
	rest := s
	afterDot := false
	for rest != "" {
		i := strings.IndexAny(rest, ".[")
		key := rest
		if i >= 0 {
			key = rest[:i]
		}
		if key == "" && (len(p) == 0 || afterDot || rest[0] == '.') {
			return nil, "empty key"
		}
		afterDot = false
		if strings.ContainsAny(key, "] \t\n") {
			return nil, fmt.Sprintf("key %q holds a bracket or space", clip(key))
		}
		if key != "" {
			p = append(p, model.Segment{Key: key})
		}
		if i < 0 {
			break
		}
		rest = rest[i:]
		if rest[0] == '[' {
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				return nil, "unclosed ["
			}
			digits := rest[1:j]
			idx, err := strconv.Atoi(digits)
			if err != nil || strings.Trim(digits, "0123456789") != "" || idx > maxIndex {
				return nil, fmt.Sprintf("index %q is not a small non-negative number", clip(rest[1:j]))
			}
			p = append(p, model.Segment{Index: idx, IsIndex: true})
			rest = rest[j+1:]
			if rest != "" && rest[0] != '.' && rest[0] != '[' {
				return nil, "a key must follow a dot after ]"
			}
		}
		if rest != "" && rest[0] == '.' {
			rest = rest[1:]
			afterDot = true
			if rest == "" {
				return nil, "ends with a dot"
			}
		}
	}
	return checkSteps(p)
}

func checkSteps(p model.Path) (model.Path, string) {
	if len(p) == 0 {
		return nil, "empty path"
	}
	if len(p) > maxPathSteps {
		return nil, "more than 32 steps deep"
	}
	return p, ""
}

// pathError is why a path is refused and how to fix it.
type pathError struct{ why, fix string }

const (
	fixDotted = "write dotted keys, [N] for an item, [*] or .* for every item or member, such as errors[*].code"
	fixQuote  = "quote a key that holds path syntax in brackets, such as error['.tag'] or error[\"a b\"]"
	fixFilter = "write a filter as [?@.field == 'value'], comparing with a string, number, true, false or null"
)

// pathParser reads a format v2 path: a subset of RFC 9535 JSONPath without
// the leading $ (docs/catalog-format.md, "Paths").
type pathParser struct {
	s string
	i int
}

// parsePath parses a format v2 path.
func parsePath(s string) (model.Path, *pathError) {
	if s == "" {
		return nil, &pathError{"empty path", fixDotted}
	}
	if s == "$" || strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$[") {
		return nil, &pathError{"starts with $", "leave out the $: paths start at the body, such as error.code or [0].code"}
	}
	p := &pathParser{s: s}
	var out model.Path
	for p.i < len(s) || len(out) == 0 {
		seg, err := p.step(len(out) == 0)
		if err != nil {
			return nil, err
		}
		out = append(out, seg)
		if len(out) > maxPathSteps {
			return nil, &pathError{"more than 32 steps deep", fixDotted}
		}
	}
	return out, nil
}

func (p *pathParser) step(first bool) (model.Segment, *pathError) {
	switch {
	case p.i < len(p.s) && p.s[p.i] == '[':
		p.i++
		return p.bracket()
	case !first && p.i < len(p.s) && p.s[p.i] == '.':
		p.i++
		if strings.HasPrefix(p.s[p.i:], "*") && (p.i+1 == len(p.s) || strings.ContainsRune(".[", rune(p.s[p.i+1]))) {
			p.i++
			return model.Segment{Wildcard: true}, nil
		}
		if p.i == len(p.s) {
			return model.Segment{}, &pathError{"ends with a dot", fixDotted}
		}
	case !first:
		return model.Segment{}, &pathError{fmt.Sprintf("%q must follow a dot after ]", p.s[p.i:p.i+1]), fixDotted}
	}
	key := p.dotted(".[")
	switch {
	case key == "":
		return model.Segment{}, &pathError{"empty key", "write a key between the dots, such as errors[0].code; quote a key that holds a dot, such as error['.tag']"}
	case strings.ContainsAny(key, "] \t\r\n"):
		return model.Segment{}, &pathError{fmt.Sprintf("key %q holds a bracket or space", clip(key)), fixQuote}
	case key == "*" && first:
		return model.Segment{}, &pathError{"a path cannot start with *", "write [*] for every item of a top-level array, or ['*'] for a key named *"}
	}
	return model.Segment{Key: key}, nil
}

// dotted reads a dotted key up to one of stop or the end.
func (p *pathParser) dotted(stop string) string {
	j := p.i
	for j < len(p.s) && !strings.ContainsRune(stop, rune(p.s[j])) {
		j++
	}
	key := p.s[p.i:j]
	p.i = j
	return key
}

// bracket reads what follows [ up to and including its ].
func (p *pathParser) bracket() (model.Segment, *pathError) {
	p.space()
	var seg model.Segment
	switch c := p.peek(); {
	case c == '*':
		p.i++
		seg.Wildcard = true
	case c == '\'' || c == '"':
		key, err := p.quoted()
		if err != nil {
			return seg, err
		}
		seg.Key = key
	case c == '?':
		p.i++
		f, err := p.filter()
		if err != nil {
			return seg, err
		}
		seg.Filter = f
	case c >= '0' && c <= '9':
		n, err := p.index()
		if err != nil {
			return seg, err
		}
		seg.Index, seg.IsIndex = n, true
	case p.i == len(p.s):
		return seg, &pathError{"unclosed [", "close every [ with ]"}
	default:
		return seg, &pathError{fmt.Sprintf("[%s is not an index, *, a quoted key or a filter", clip(p.s[p.i:])), fixQuote}
	}
	return seg, p.close()
}

func (p *pathParser) close() *pathError {
	p.space()
	if p.peek() != ']' {
		if p.i == len(p.s) {
			return &pathError{"unclosed [", "close every [ with ]"}
		}
		return &pathError{fmt.Sprintf("expected ] at %q", clip(p.s[p.i:])), "close every [ with ]"}
	}
	p.i++
	return nil
}

func (p *pathParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *pathParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *pathParser) index() (int, *pathError) {
	j := p.i
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(p.s[p.i:j])
	if err != nil || n > maxIndex {
		return 0, &pathError{fmt.Sprintf("index %q is not a small non-negative number", clip(p.s[p.i:j])), fixDotted}
	}
	p.i = j
	return n, nil
}

// quoted reads a single- or double-quoted string with JSON's backslash
// escapes (and \' in either quote).
func (p *pathParser) quoted() (string, *pathError) {
	q := p.s[p.i]
	p.i++
	var b strings.Builder
	for {
		if p.i >= len(p.s) {
			return "", &pathError{"unterminated quoted key", fmt.Sprintf("close the quote with %c before ]", q)}
		}
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case c < 0x20:
			return "", &pathError{"a control character in a quoted key", "write it as \\uXXXX"}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
}

var simpleEscapes = map[byte]rune{'\\': '\\', '\'': '\'', '"': '"', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape reads a backslash escape; \uXXXX may be a UTF-16 surrogate pair.
func (p *pathParser) escape() (rune, *pathError) {
	bad := &pathError{fmt.Sprintf("bad escape %q", clip(p.s[p.i:min(p.i+6, len(p.s))])), "use \\\\, \\', \\\", \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"}
	if p.i+1 >= len(p.s) {
		return 0, bad
	}
	if r, ok := simpleEscapes[p.s[p.i+1]]; ok {
		p.i += 2
		return r, nil
	}
	// hex reads \uXXXX at at.
	hex := func(at int) (rune, bool) {
		if at+6 > len(p.s) || p.s[at] != '\\' || p.s[at+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(p.s[at+2:at+6], 16, 32)
		return rune(n), err == nil
	}
	r, ok := hex(p.i)
	if !ok {
		return 0, bad
	}
	p.i += 6
	if utf16.IsSurrogate(r) {
		if r2, ok := hex(p.i); ok {
			if c := utf16.DecodeRune(r, r2); c != 0xfffd {
				p.i += 6
				return c, nil
			}
		}
	}
	if utf16.IsSurrogate(r) {
		return 0, &pathError{"a lone UTF-16 surrogate in an escape", "write a character outside the BMP as a \\uD8XX\\uDCXX pair"}
	}
	return r, nil
}

// filter reads what follows [? : @, a relative path of keys and indexes,
// ==, and a literal.
func (p *pathParser) filter() (*model.Filter, *pathError) {
	p.space()
	if p.peek() != '@' {
		return nil, &pathError{"a filter must start with @, the item", fixFilter}
	}
	p.i++
	f := &model.Filter{}
	for {
		switch p.peek() {
		case '.':
			p.i++
			key := p.dotted(".[ \t=!<>]")
			if key == "" || key == "*" {
				return nil, &pathError{"a filter compares one value: write keys and indexes after @, no wildcard", fixFilter}
			}
			f.Path = append(f.Path, model.Segment{Key: key})
		case '[':
			p.i++
			seg, err := p.bracket()
			if err != nil {
				return nil, err
			}
			if seg.Wildcard || seg.Filter != nil {
				return nil, &pathError{"a filter compares one value: write keys and indexes after @, no wildcard or filter", fixFilter}
			}
			f.Path = append(f.Path, seg)
		default:
			if len(f.Path) > maxPathSteps {
				return nil, &pathError{"more than 32 steps deep", fixFilter}
			}
			return f, p.comparison(f)
		}
	}
}

// comparison reads == and the literal of f.
func (p *pathParser) comparison(f *model.Filter) *pathError {
	p.space()
	if !strings.HasPrefix(p.s[p.i:], "==") {
		if p.i == len(p.s) {
			return &pathError{"unterminated filter", fixFilter + ", and close it with ]"}
		}
		return &pathError{fmt.Sprintf("a filter only tests equality (==), not %q", clip(p.s[p.i:])), fixFilter}
	}
	p.i += 2
	p.space()
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		s, err := p.quoted()
		if err != nil {
			return err
		}
		q, _ := json.Marshal(s)
		f.Equals = string(q)
		return nil
	case c == 0:
		return &pathError{"unterminated filter", fixFilter + ", and close it with ]"}
	}
	lit := p.dotted(" \t]")
	switch {
	case lit == "true" || lit == "false" || lit == "null":
		f.Equals = lit
	case json.Valid([]byte(lit)) && lit != "" && (lit[0] == '-' || lit[0] >= '0' && lit[0] <= '9'):
		f.Equals = lit
	default:
		return &pathError{fmt.Sprintf("%q is not a literal", clip(lit)), fixFilter + "; quote strings"}
	}
	return nil
}
