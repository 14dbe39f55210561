package errcatimpl

import "strings"

// Fold is the case folding a cleaned code gets.
type Fold int

// The foldings.
const (
	FoldNone Fold = iota
	FoldLower
	FoldUpper
)

// maxTagDepth bounds how many nested tags Compose.Tags follows.
const maxTagDepth = 8

// Compose is how a generated parser builds a code from a body (format v2):
// several parts joined by Sep, each part with Trim's characters removed from
// both ends, the whole case-folded by Fold. A code that cleans to "" is
// absent. Its methods never panic, whatever the body.
type Compose struct {
	Sep  string
	Trim string
	Fold Fold
	// Tag is the key of a tagged union's tag, for Tags.
	Tag string
}

// Clean cleans a value read from a body (v, ok as Doc.String returns them).
func (c Compose) Clean(v string, ok bool) (string, bool) {
	if !ok {
		return "", false
	}
	return c.finish([]string{v})
}

// Join reads each path as text, in order, up to the first one missing (or
// cleaning to ""), and joins the parts read; ok is false when there is none.
func (c Compose) Join(d Doc, paths ...Path) (string, bool) {
	var parts []string
	for _, p := range paths {
		v, ok := d.String(p)
		if !ok {
			break
		}
		if v = c.trim(v); v == "" {
			break
		}
		parts = append(parts, v)
	}
	return c.finish(parts)
}

// Tags follows a tagged union from the object at p: its tag (the string
// at key Tag), then the tag of the member that tag names, and so on, at most
// eight levels; the code is the tags joined ("path/not_found").
func (c Compose) Tags(d Doc, p Path) (string, bool) {
	obj, ok := d.Object(p)
	var parts []string
	for ok && len(parts) < maxTagDepth {
		tag, isString := obj[c.Tag].(string)
		if tag = c.trim(tag); !isString || tag == "" {
			break
		}
		parts = append(parts, tag)
		obj, ok = obj[tag].(map[string]any)
	}
	return c.finish(parts)
}

func (c Compose) trim(v string) string {
	if c.Trim == "" {
		return v
	}
	return strings.Trim(v, c.Trim)
}

// finish trims and joins parts and folds the result.
func (c Compose) finish(parts []string) (string, bool) {
	if len(parts) == 1 {
		parts[0] = c.trim(parts[0])
	}
	s := strings.Join(parts, c.Sep)
	switch c.Fold {
	case FoldLower:
		s = strings.ToLower(s)
	case FoldUpper:
		s = strings.ToUpper(s)
	}
	return s, s != ""
}
