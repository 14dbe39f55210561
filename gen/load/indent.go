package load

import (
	"bytes"
	"regexp"
)

// blockScalarHeader matches a value that starts a literal or folded block
// scalar ("|", ">-", "|2+", …): the lines below it that are indented more
// than its key are text, not structure.
var blockScalarHeader = regexp.MustCompile(`^[|>][-+0-9]*$`)

// misindent is a line whose indentation breaks its block: the block was
// set by line ref, whose content starts at column refCol.
type misindent struct {
	line, col, ref, refCol int
}

// misindentedLine returns the first line at or after from (1-based) whose
// indentation breaks the block it stands in, or ok false if every line
// fits. yaml.v3 reports a mis-indented line at the start of the enclosing
// block, which can be far above it; this finds the line itself. It follows
// block structure only (keys, "- " items, block scalars); a line it cannot
// place is not guessed at.
//
// A line breaks its block when its indentation is deeper than the block's
// but the line above opens nothing (it is not "key:" or "-" with the value
// below), when it falls between two open levels, when it is a "- " item at
// the indentation of a mapping's keys (or a key at that of a list's
// items), or when it is less indented than the first line of the block
// text it continues.
func misindentedLine(data []byte, from int) (misindent, bool) {
	sc := &indentScan{stack: []level{{indent: 0, line: 1}}, opens: true, scalarKey: -1}
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := n + 1
		text := bytes.TrimRight(raw, " \r")
		body := bytes.TrimLeft(text, " ")
		indent := len(text) - len(body)
		m, bad, skip := sc.inScalar(line, indent, body)
		if !bad && !skip {
			m, bad, skip = sc.place(line, indent, body)
		}
		if bad {
			return m, line >= from
		}
		if !skip {
			sc.structure(line, indent, body)
		}
	}
	return misindent{}, false
}

// level is one open block of the scan: its indentation and kind.
type level struct {
	indent  int
	seq     bool // the level holds "- " items, not keys
	compact bool // a list at its parent key's own indentation
	line    int  // the line that set it
}

// indentScan is misindentedLine's state between lines.
type indentScan struct {
	stack     []level
	opens     bool // the line above leaves its value to the lines below
	scalarKey int  // in a block scalar: the indentation of its key, else -1
	// scalarIndent and scalarLine are the block scalar's first text line.
	scalarIndent, scalarLine int
}

// inScalar handles a line inside a block scalar: skip it if it is text, or
// report it if it is less indented than the scalar's first text line.
func (sc *indentScan) inScalar(line, indent int, body []byte) (m misindent, bad, skip bool) {
	if sc.scalarKey < 0 {
		return misindent{}, false, false
	}
	if len(body) == 0 {
		return misindent{}, false, true
	}
	if indent <= sc.scalarKey {
		sc.scalarKey = -1
		return misindent{}, false, false
	}
	if sc.scalarIndent < 0 {
		sc.scalarIndent, sc.scalarLine = indent, line
	} else if indent < sc.scalarIndent {
		return misindent{line, indent + 1, sc.scalarLine, sc.scalarIndent + 1}, true, false
	}
	return misindent{}, false, true
}

// place fits a structural line into the open levels, or reports it with
// the level it most likely belongs to; skip is set for lines that carry no
// structure (blank, comments, document markers, continued plain scalars).
func (sc *indentScan) place(line, indent int, body []byte) (m misindent, bad, skip bool) {
	if len(body) == 0 || body[0] == '#' {
		return misindent{}, false, true
	}
	if bytes.HasPrefix(body, []byte("---")) || bytes.HasPrefix(body, []byte("...")) || body[0] == '%' {
		sc.stack, sc.opens = []level{{indent: 0, line: line}}, true
		return misindent{}, false, true
	}
	dash := body[0] == '-' && (len(body) == 1 || body[1] == ' ')
	before := sc.stack
	for len(sc.stack) > 1 && (sc.top().indent > indent || sc.top().indent == indent && sc.top().compact && !dash) {
		sc.stack = sc.stack[:len(sc.stack)-1]
	}
	top := sc.top()
	switch {
	case top.indent == indent && top.seq != dash:
		if dash && sc.opens && !top.seq {
			sc.stack = append(sc.stack, level{indent: indent, seq: true, compact: true, line: line})
		} else if len(sc.stack) > 1 || dash {
			bad = true
		}
	case top.indent < indent:
		if sc.opens {
			sc.stack = append(sc.stack, level{indent: indent, seq: dash, line: line})
		} else if dash || isKeyLine(body) {
			bad = true
		} else {
			return misindent{}, false, true // a plain scalar continued on the next line
		}
	}
	if !bad {
		return misindent{}, false, false
	}
	// The block the line most likely belongs to: the open level of its
	// kind (items or keys) nearest its indentation.
	ref := before[0]
	for _, l := range before[1:] {
		if l.seq == dash && abs(l.indent-indent) <= abs(ref.indent-indent) {
			ref = l
		}
	}
	return misindent{line, indent + 1, ref.line, ref.indent + 1}, true, false
}

func (sc *indentScan) top() level { return sc.stack[len(sc.stack)-1] }

// structure records what a placed line opens: "- key: v" a mapping two
// columns in, "key:" or "-" alone a block below, "key: |" a block scalar.
func (sc *indentScan) structure(line, indent int, body []byte) {
	content, contentIndent := body, indent
	for len(content) > 0 && content[0] == '-' && (len(content) == 1 || content[1] == ' ') {
		rest := bytes.TrimLeft(content[1:], " ")
		contentIndent += len(content) - len(rest)
		content = rest
		if len(content) > 0 {
			sc.stack = append(sc.stack, level{indent: contentIndent, seq: content[0] == '-', line: line})
		}
	}
	value := content
	if k := keyEnd(content); k >= 0 {
		value = bytes.TrimLeft(content[k+1:], " ")
	}
	if bytes.HasPrefix(value, []byte("#")) {
		value = nil
	} else if c := bytes.Index(value, []byte(" #")); c >= 0 {
		value = bytes.TrimRight(value[:c], " ")
	}
	sc.opens = len(content) == 0 || (keyEnd(content) >= 0 && len(value) == 0)
	if blockScalarHeader.Match(value) {
		sc.scalarKey, sc.opens = contentIndent, false
		sc.scalarIndent = -1
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// keyEnd returns the index of the colon ending a plain or quoted key at
// the start of s ("key:" or "key: value"), or -1.
func keyEnd(s []byte) int {
	if len(s) == 0 || s[0] == '[' || s[0] == '{' {
		return -1
	}
	start := 0
	if s[0] == '"' || s[0] == '\'' {
		end := bytes.IndexByte(s[1:], s[0])
		if end < 0 {
			return -1
		}
		start = end + 2
	}
	for i := start; i < len(s); i++ {
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ') {
			return i
		}
		if s[i] == ' ' && i+1 < len(s) && s[i+1] == '#' {
			return -1
		}
	}
	return -1
}

func isKeyLine(body []byte) bool { return keyEnd(body) >= 0 }
