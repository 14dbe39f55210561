package load

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// problemMediaType is the media type a problem_details format selects when
// the catalog lists none (RFC 9457 section 3).
const problemMediaType = "application/problem+json"

var (
	mediaTypePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$`)
	mediaSuffixPattern = regexp.MustCompile(`^\+[a-z0-9][a-z0-9!#$&^_.-]*$`)
)

// bodySelection reads the format v2 keys that choose a format by what the
// body is: media_types, when, and preset with code_from.
func (b *builder) bodySelection(m map[string]entry, body *model.Body) {
	if e, ok := m["media_types"]; ok && b.needV2(e.key, "media_types") {
		body.MediaTypes = b.mediaTypes(e.val)
	}
	if e, ok := m["when"]; ok && b.needV2(e.key, "when") && body.Content != model.ContentText {
		body.When = b.condition(e.val, "when")
	}
	p, hasPreset := m["preset"]
	cf, hasCodeFrom := m["code_from"]
	if hasCodeFrom && !hasPreset && b.needV2(cf.key, "code_from") {
		b.errorf(cf.key, "add preset: problem_details, or remove code_from", "code_from only goes with preset: problem_details")
	}
	if !hasPreset || !b.needV2(p.key, "preset") {
		return
	}
	if _, ok := b.oneOf(p.val, "preset", []string{"problem_details"}); !ok {
		return
	}
	if c, ok := m["content"]; ok && body.Content != model.ContentJSON {
		b.errorf(c.val, "remove content: problem_details bodies are JSON (application/problem+json)", "preset problem_details reads JSON, not %s", body.Content)
		return
	}
	body.Problem = &model.Problem{}
	if len(body.MediaTypes) == 0 {
		if _, listed := m["media_types"]; !listed {
			body.MediaTypes = []string{problemMediaType}
		}
	}
	switch {
	case hasCodeFrom:
		if s, ok := b.oneOf(cf.val, "code_from", model.URIParts()); ok {
			for i, name := range model.URIParts() {
				if name == s {
					body.Problem.CodeFrom = model.URIPart(i)
				}
			}
		}
		if b.cat.CodeType != model.CodeString {
			b.errorf(cf.key, "remove code_from, or declare codes of type string", "code_from says which part of the type URI is the code, but the catalog declares no string codes")
		}
	case b.cat.CodeType == model.CodeString:
		b.errorf(p.key, "add code_from: uri, fragment or last_segment, as the vendor's codes are written", "a problem_details format of a catalog with codes must say which part of the type URI is the code")
	}
	if b.cat.CodeType == model.CodeInt {
		b.errorf(p.key, "declare codes type: string (the type URIs), or use a json format", "problem_details codes are type URIs, but the catalog's codes are integers")
	}
	b.aboutBlankCodes(p.key)
}

// aboutBlankCodes refuses a code about:blank in a catalog with a Problem
// Details format: RFC 9457 makes that type mean "no code", so no response
// could carry it.
func (b *builder) aboutBlankCodes(at *yaml.Node) {
	for _, c := range b.cat.Codes {
		if strings.EqualFold(c.Str, "about:blank") {
			b.errorf(&yaml.Node{Line: c.Pos.Line, Column: c.Pos.Col}, "remove the code: an about:blank problem is classified by its HTTP status", "code %q can never be read: a problem_details type about:blank means the problem has no code (format at line %d)", clip(c.Str), at.Line)
		}
	}
}

// mediaTypes reads a list of media types: essences or +suffixes,
// lower-cased, each once.
func (b *builder) mediaTypes(n *yaml.Node) []string {
	nodes, items := b.strs(n, "media_types") // reports an empty list
	var out []string
	seen := map[string]*yaml.Node{}
	for i, s := range items {
		t := strings.ToLower(strings.TrimSpace(s))
		switch {
		case strings.Contains(t, ";"):
			b.errorf(nodes[i], "drop the parameters: the Content-Type's parameters (charset, ...) are ignored", "media type %q has parameters", clip(s))
		case !mediaTypePattern.MatchString(t) && !mediaSuffixPattern.MatchString(t):
			b.errorf(nodes[i], "write a media type such as application/problem+json, or a suffix such as +xml", "%q is not a media type (type/subtype) or a structured-syntax suffix (+xml)", clip(s))
		case seen[t] != nil:
			b.errorf(nodes[i], "remove the duplicate", "media type %q is listed twice (first at line %d; case is ignored)", clip(t), seen[t].Line)
		default:
			seen[t] = nodes[i]
			out = append(out, t)
		}
	}
	return out
}

// problemFieldsYAML are the fields of a Problem Details body (RFC 9457
// section 3.1); the code field only where the catalog has string codes.
const problemFieldsYAML = `
- {name: type URI, path: type, type: string, description: "The problem type (RFC 9457): a URI; absent or about:blank means the problem has no meaning beyond the HTTP status."}
- {name: problem code, path: type, type: string, role: code}
- {name: title, path: title, type: string, description: "A short summary of the problem type (RFC 9457)."}
- {name: detail, path: detail, type: string, description: "An explanation of this occurrence of the problem (RFC 9457)."}
- {name: message, path: [detail, title], type: string, role: message}
- {name: problem status, path: status, type: integer, description: "The HTTP status the server gave the problem (RFC 9457); the response's own status may differ."}
- {name: instance, path: instance, type: string, description: "A URI identifying this occurrence of the problem (RFC 9457)."}
`

// problemFields returns the fields of a problem_details format: the
// preset's, at the position of the preset key, then the catalog's
// extension members (user), which may not take a role.
func (b *builder) problemFields(preset, user *yaml.Node) *yaml.Node {
	var doc yaml.Node
	out := &yaml.Node{Kind: yaml.SequenceNode, Line: preset.Line, Column: preset.Column}
	if err := yaml.Unmarshal([]byte(problemFieldsYAML), &doc); err != nil || len(doc.Content) == 0 {
		// A constant that every test of the preset loads: never reached.
		b.errorf(preset, "report this errcat bug", "the problem_details preset does not load")
		return out
	}
	for _, it := range doc.Content[0].Content {
		if b.cat.CodeType != model.CodeString && strings.Contains(it.Content[1].Value, "problem code") {
			continue
		}
		placeAt(it, preset)
		out.Content = append(out.Content, it)
	}
	for _, it := range b.seq(user, "fields") {
		if it.Kind == yaml.MappingNode {
			kept := &yaml.Node{Kind: it.Kind, Tag: it.Tag, Line: it.Line, Column: it.Column, Style: it.Style}
			for i := 0; i+1 < len(it.Content); i += 2 {
				if it.Content[i].Value == "role" {
					b.errorf(it.Content[i], "remove role: the preset reads the code from type and the message from detail (or title)", "an extension member of a problem_details format has no role")
					continue
				}
				kept.Content = append(kept.Content, it.Content[i], it.Content[i+1])
			}
			it = kept
		}
		out.Content = append(out.Content, it)
	}
	return out
}

// placeAt gives n and everything in it the position of at.
func placeAt(n, at *yaml.Node) {
	n.Line, n.Column = at.Line, at.Column
	for _, c := range n.Content {
		placeAt(c, at)
	}
}

// xmlRoot checks that every path of an XML format starts at one root
// element: an XML document has exactly one.
func (b *builder) xmlRoot(body *model.Body) {
	if body.Content != model.ContentXML {
		return
	}
	root := ""
	check := func(p model.Path, pos model.Pos) {
		if len(p) == 0 {
			return
		}
		switch {
		case p[0].IsIndex || strings.HasPrefix(p[0].Key, "@"):
			b.errorf(&yaml.Node{Line: pos.Line, Column: pos.Col}, "start the path with the root element's name, such as Error.Code", "path %s of an XML format does not start with an element name", clip(p.String()))
		case root == "":
			root = p[0].Key
		case p[0].Key != root:
			b.errorf(&yaml.Node{Line: pos.Line, Column: pos.Col}, "start every path with the root element's name ("+clip(root)+"), or split the format", "path %s starts at element %s, but an XML document has one root and another path starts at %s", clip(p.String()), clip(p[0].Key), clip(root))
		}
	}
	for _, f := range body.Fields {
		for _, p := range f.Paths {
			check(p, f.Pos)
		}
	}
	for _, p := range body.Sensitive {
		check(p, body.Pos)
	}
	if body.When != nil {
		check(body.When.Path, body.Pos)
	}
}
