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
	type level struct {
		indent  int
		seq     bool // the level holds "- " items, not keys
		compact bool // a list at its parent key's own indentation
		line    int  // the line that set it
	}
	stack := []level{{indent: 0, line: 1}}
	opens := true   // the line above leaves its value to the lines below
	scalarKey := -1 // in a block scalar: the indentation of its key
	scalarIndent, scalarLine := -1, 0
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := n + 1
		text := bytes.TrimRight(raw, " \r")
		body := bytes.TrimLeft(text, " ")
		indent := len(text) - len(body)
		if scalarKey >= 0 {
			if len(body) == 0 {
				continue
			}
			if indent > scalarKey {
				if scalarIndent < 0 {
					scalarIndent, scalarLine = indent, line
				} else if indent < scalarIndent {
					if line >= from {
						return misindent{line, indent + 1, scalarLine, scalarIndent + 1}, true
					}
					return misindent{}, false
				}
				continue
			}
			scalarKey = -1
		}
		if len(body) == 0 || body[0] == '#' {
			continue
		}
		if bytes.HasPrefix(body, []byte("---")) || bytes.HasPrefix(body, []byte("...")) || body[0] == '%' {
			stack, opens = []level{{indent: 0, line: line}}, true
			continue
		}
		dash := body[0] == '-' && (len(body) == 1 || body[1] == ' ')
		before := stack
		for len(stack) > 1 && (stack[len(stack)-1].indent > indent ||
			stack[len(stack)-1].indent == indent && stack[len(stack)-1].compact && !dash) {
			stack = stack[:len(stack)-1]
		}
		top := stack[len(stack)-1]
		bad := false
		switch {
		case top.indent == indent && top.seq != dash:
			if dash && opens && !top.seq {
				stack = append(stack, level{indent: indent, seq: true, compact: true, line: line})
			} else if len(stack) > 1 || dash {
				bad = true
			}
		case top.indent < indent:
			if opens {
				stack = append(stack, level{indent: indent, seq: dash, line: line})
			} else if dash || isKeyLine(body) {
				bad = true
			} else {
				continue // a plain scalar continued on the next line
			}
		}
		if bad {
			if line < from {
				return misindent{}, false
			}
			// The block the line most likely belongs to: the open level
			// of its kind (items or keys) nearest its indentation.
			ref := before[0]
			for _, l := range before[1:] {
				if l.seq == dash && abs(l.indent-indent) <= abs(ref.indent-indent) {
					ref = l
				}
			}
			return misindent{line, indent + 1, ref.line, ref.indent + 1}, true
		}
		// The line's own structure: "- key: v" opens a mapping two
		// columns in; "key:" or "-" alone opens a block below.
		content, contentIndent := body, indent
		for len(content) > 0 && content[0] == '-' && (len(content) == 1 || content[1] == ' ') {
			rest := bytes.TrimLeft(content[1:], " ")
			contentIndent += len(content) - len(rest)
			content = rest
			if len(content) > 0 {
				stack = append(stack, level{indent: contentIndent, seq: content[0] == '-', line: line})
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
		opens = len(content) == 0 || (keyEnd(content) >= 0 && len(value) == 0)
		if blockScalarHeader.Match(value) {
			scalarKey, opens = contentIndent, false
			scalarIndent = -1
		}
	}
	return misindent{}, false
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
