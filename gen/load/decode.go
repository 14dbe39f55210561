package load

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// decoder walks yaml.Node trees by hand rather than decoding into structs:
// that is what gives every error its line and column, lets one run collect
// every error of a file, and keeps integers exact (no float64 detour).
type decoder struct {
	file string
	errs ErrorList
	// more counts the errors beyond MaxErrors, which are not kept; first
	// is the position of the first of them.
	more  int
	first *yaml.Node
}

// MaxErrors bounds the errors reported for one file, as the Go compiler
// does: a huge catalog of mistakes must not cost gigabytes to report. The
// rest are counted in one last line.
const MaxErrors = 100

func (d *decoder) errorf(n *yaml.Node, fix, format string, args ...any) {
	if d.full() {
		if d.more == 0 {
			d.first = n
		}
		d.more++
		return
	}
	line, col := position(n)
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Fix: fix})
}

// full reports whether the file has MaxErrors errors already.
func (d *decoder) full() bool { return len(d.errs) >= MaxErrors }

func position(n *yaml.Node) (line, col int) {
	if n != nil && n.Line > 0 {
		return n.Line, n.Column
	}
	return 1, 1
}

// finish sorts the errors and adds the line that counts those not kept.
func (d *decoder) finish() ErrorList {
	d.errs.sort()
	if d.more > 0 {
		line, col := position(d.first)
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf("too many errors: %d more not shown", d.more), Fix: "correct the errors above and run again"})
	}
	return d.errs
}

// entry is one key of a mapping with the nodes of its key and value.
type entry struct {
	key, val *yaml.Node
}

// mapping checks that n is a mapping with only known keys, each at most
// once, and returns its entries by key. required keys that are missing are
// reported at the mapping itself.
func (d *decoder) mapping(n *yaml.Node, what string, known []string, required ...string) map[string]entry {
	out := map[string]entry{}
	suggested := map[string]bool{} // keys a did-you-mean named
	if !d.plain(n, what) {
		return out
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "write it as key: value lines", "%s must be a mapping, not %s", what, describe(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "use a plain word as the key", "%s has a key that is not a plain scalar", what)
			continue
		}
		if k.Value == "<<" {
			d.errorf(k, "write the keys out", "merge keys (<<) are not supported in %s", what)
			continue
		}
		if !contains(known, k.Value) {
			if d.full() {
				d.errorf(k, "", "") // only counted: skip the did-you-mean search
				continue
			}
			fix := "known keys: " + strings.Join(known, ", ")
			if m := didYouMean(k.Value, known); m != "" {
				fix = fmt.Sprintf("did you mean %q?", m)
				if contains(required, m) {
					fix = fmt.Sprintf("did you mean %q, which %s requires?", m, what)
				}
				suggested[m] = true
			}
			d.errorf(k, fix, "unknown key %q in %s", clip(k.Value), what)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			d.errorf(k, "remove one of them", "key %q appears twice in %s (first at line %d)", k.Value, what, prev.key.Line)
			continue
		}
		out[k.Value] = entry{k, v}
	}
	for _, r := range required {
		if _, ok := out[r]; !ok && !suggested[r] {
			// (A misspelt key whose suggestion is r already said so.)
			d.errorf(n, fmt.Sprintf("add %q", r+":"), "%s is missing the required key %q", what, r)
		}
	}
	return out
}

// plain rejects aliases and anchors' indirections: catalogs are small
// enough to write out, and refusing aliases rules out "billion laughs"
// expansion by construction.
func (d *decoder) plain(n *yaml.Node, what string) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode {
		d.errorf(n, "write the value out instead of *"+n.Value, "%s uses a YAML alias; aliases are not supported in catalogs", what)
		return false
	}
	if n.Anchor != "" {
		d.errorf(n, "remove &"+n.Anchor, "%s defines a YAML anchor; anchors and aliases are not supported in catalogs", what)
	}
	return true
}

func (d *decoder) seq(n *yaml.Node, what string) []*yaml.Node {
	if !d.plain(n, what) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "write it as a list of '- ' items", "%s must be a list, not %s", what, describe(n))
		return nil
	}
	return n.Content
}

func (d *decoder) scalar(n *yaml.Node, what string) (*yaml.Node, bool) {
	if !d.plain(n, what) {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "give a single value", "%s must be a single value, not %s", what, describe(n))
		return nil, false
	}
	return n, true
}

// str reads a non-null scalar as text. nonEmpty rejects blank text.
func (d *decoder) str(n *yaml.Node, what string, nonEmpty bool) (string, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return "", false
	}
	if s.Tag == "!!null" {
		d.errorf(n, "give it a value or remove the key", "%s is empty (null)", what)
		return "", false
	}
	if nonEmpty && strings.TrimSpace(s.Value) == "" {
		d.errorf(n, "write the text, quoting the vendor's docs where there is one", "%s is empty", what)
		return "", false
	}
	return s.Value, true
}

var wholeNumber = regexp.MustCompile(`^[-+]?[0-9][0-9_]*$`)

// int64 reads a YAML integer exactly, reporting values beyond int64.
func (d *decoder) int64(n *yaml.Node, what string) (int64, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return 0, false
	}
	if s.Tag == "!!float" && wholeNumber.MatchString(s.Value) {
		// yaml.v3 reads integers beyond 64 bits as floats.
		d.errorf(n, fmt.Sprintf("use a value between %d and %d", int64(math.MinInt64), int64(math.MaxInt64)), "%s %s is out of range for a 64-bit integer", what, clip(s.Value))
		return 0, false
	}
	if s.Tag != "!!int" {
		d.errorf(n, "write a whole number such as 4012", "%s must be an integer, not %q", what, clip(s.Value))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(s.Value, "_", ""), 0, 64)
	if err != nil {
		d.errorf(n, fmt.Sprintf("use a value between %d and %d", int64(math.MinInt64), int64(math.MaxInt64)), "%s %s is out of range for a 64-bit integer", what, clip(s.Value))
		return 0, false
	}
	return v, true
}

func (d *decoder) bool(n *yaml.Node, what string) (bool, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return false, false
	}
	if s.Tag != "!!bool" {
		d.errorf(n, "write true or false", "%s must be true or false, not %q", what, clip(s.Value))
		return false, false
	}
	return s.Value == "true" || s.Value == "True" || s.Value == "TRUE", true
}

// oneOf reads a scalar that must be one of choices.
func (d *decoder) oneOf(n *yaml.Node, what string, choices []string) (string, bool) {
	s, ok := d.str(n, what, true)
	if !ok {
		return "", false
	}
	if contains(choices, s) {
		return s, true
	}
	fix := "one of: " + strings.Join(choices, ", ")
	if m := didYouMean(s, choices); m != "" {
		fix = fmt.Sprintf("did you mean %q?", m)
	}
	d.errorf(n, fix, "unknown %s %q", what, clip(s))
	return "", false
}

// strings reads a scalar or a list of scalars.
func (d *decoder) strs(n *yaml.Node, what string) ([]*yaml.Node, []string) {
	if n != nil && n.Kind == yaml.ScalarNode {
		s, ok := d.str(n, what, true)
		if !ok {
			return nil, nil
		}
		return []*yaml.Node{n}, []string{s}
	}
	var nodes []*yaml.Node
	var out []string
	for _, it := range d.seq(n, what) {
		if s, ok := d.str(it, what, true); ok {
			nodes = append(nodes, it)
			out = append(out, s)
		}
	}
	if n != nil && n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		d.errorf(n, "list at least one", "%s is an empty list", what)
	}
	return nodes, out
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("the value %q", clip(n.Value))
	}
	return "something else"
}

// clip keeps error messages one readable line whatever a hostile catalog
// holds: a line break shows as ↵ and a tab as →, so a quoted snippet keeps
// its shape; other control and hidden characters become '?'.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return '↵'
		case r == '\t':
			return '→'
		case model.Hidden(r):
			return '?' // nor may a hostile catalog reorder or break the terminal's line
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
