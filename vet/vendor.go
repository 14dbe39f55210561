package vet

import (
	"go/constant"
	"go/types"
	"slices"
	"strconv"
	"strings"
)

// The marker every package errcat generates declares (gen/golang,
// vettexts.go): a string constant whose first line names its format and
// whose further lines are "<GoName>\t<quoted text>". Both names are
// repeated there (this package must not import the generator and its
// dependencies); TestVendorTablesRoundTrip fails if they drift apart.
const (
	textsConst  = "ErrcatTexts"
	textsHeader = "errcat-texts/v1"
)

// vendor is what the analyzer knows of one imported generated package, all
// of it read from the package's declarations through go/types.
type vendor struct {
	pkg      *types.Package
	status   types.Type // the package's Status type
	code     types.Type // its Code type, nil when the vendor documents no codes
	errType  types.Type // its Error struct type
	matchers map[string]bool
	// texts maps a text that can appear in an error's Error() or Message to
	// the Go names (status or code) it stands for, statuses first, then
	// codes, then the table's order; folded is the same keyed by lower case.
	texts, folded map[string][]string
	// entries are the same pairs in the order they were added, for the
	// search of texts that contain a literal.
	entries []textEntry
	// codeTexts maps a code as ErrorCode() returns it to the code's Go name.
	codeTexts map[string]string
	// statusConsts and codeConsts map a constant's exact value to the name
	// of the generated constant that has it ("StatusTooManyRequests").
	statusConsts, codeConsts map[string]string
}

// loadVendor returns the vendor pkg is, or nil when pkg is not a package
// errcat generated (no ErrcatTexts constant in a known format).
func loadVendor(pkg *types.Package) *vendor {
	scope := pkg.Scope()
	marker, ok := scope.Lookup(textsConst).(*types.Const)
	if !ok || marker.Val().Kind() != constant.String {
		return nil
	}
	table := constant.StringVal(marker.Val())
	header, rest, _ := strings.Cut(table, "\n")
	if header != textsHeader {
		return nil
	}
	v := &vendor{
		pkg:          pkg,
		matchers:     map[string]bool{},
		texts:        map[string][]string{},
		folded:       map[string][]string{},
		codeTexts:    map[string]string{},
		statusConsts: map[string]string{},
		codeConsts:   map[string]string{},
	}
	v.status = typeNamed(scope, "Status")
	v.code = typeNamed(scope, "Code")
	v.errType = typeNamed(scope, "Error")
	if v.status == nil || v.errType == nil {
		return nil
	}
	for _, name := range scope.Names() {
		if _, ok := scope.Lookup(name).(*types.Func); ok && strings.HasPrefix(name, "Is") {
			v.matchers[name[len("Is"):]] = true
		}
	}
	// Statuses first, so a text that is both a status's and a code's
	// description stands first for the status, which covers the code too.
	for _, want := range []struct {
		prefix string
		typ    types.Type
		consts map[string]string
	}{{"Status", v.status, v.statusConsts}, {"Code", v.code, v.codeConsts}} {
		if want.typ == nil {
			continue
		}
		for _, name := range scope.Names() {
			c, ok := scope.Lookup(name).(*types.Const)
			if !ok || !strings.HasPrefix(name, want.prefix) || !types.Identical(c.Type(), want.typ) {
				continue
			}
			want.consts[c.Val().ExactString()] = name
			goName := name[len(want.prefix):]
			ownName := goName // as Error() prints it
			if want.prefix == "Code" && v.isStatus(goName) {
				// A code named like a status has the matcher
				// IsCode<Name> (the status holds Is<Name>).
				goName = name
			}
			text := c.Val().ExactString()
			if c.Val().Kind() == constant.String {
				text = constant.StringVal(c.Val())
			}
			if want.prefix == "Code" {
				v.codeTexts[text] = goName
			}
			v.addText(text, goName)
			v.addText(ownName, goName)
		}
	}
	for _, line := range strings.Split(rest, "\n") {
		name, quoted, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		if text, err := strconv.Unquote(quoted); err == nil {
			v.addText(text, name)
		}
	}
	return v
}

func typeNamed(scope *types.Scope, name string) types.Type {
	if tn, ok := scope.Lookup(name).(*types.TypeName); ok {
		return tn.Type()
	}
	return nil
}

// addText records that text stands for goName, if goName has a matcher.
func (v *vendor) addText(text, goName string) {
	if text == "" || !v.matchers[goName] {
		return
	}
	add := func(m map[string][]string, k string) {
		for _, n := range m[k] {
			if n == goName {
				return
			}
		}
		m[k] = append(m[k], goName)
	}
	before := len(v.texts[text])
	add(v.texts, text)
	add(v.folded, strings.ToLower(text))
	if len(v.texts[text]) > before {
		v.entries = append(v.entries, textEntry{text, goName})
	}
}

type textEntry struct{ text, goName string }

// minPartLen is the shortest literal matched as a part of a documented
// text rather than as a whole: shorter ones ("Error", "invalid") occur in
// texts of every kind.
const minPartLen = 10

// containing returns the Go names of the documented texts that contain lit
// (where: "Contains"), start with it ("HasPrefix") or end with it
// ("HasSuffix"), comparing in lower case when fold is set.
func (v *vendor) containing(lit, where string, fold bool) []string {
	if len(lit) < minPartLen {
		return nil
	}
	if fold {
		lit = strings.ToLower(lit)
	}
	var names []string
	for _, e := range v.entries {
		text := e.text
		if fold {
			text = strings.ToLower(text)
		}
		var ok bool
		switch where {
		case "Contains":
			ok = strings.Contains(text, lit)
		case "HasPrefix":
			ok = strings.HasPrefix(text, lit)
		case "HasSuffix":
			ok = strings.HasSuffix(text, lit)
		}
		if ok && !slices.Contains(names, e.goName) {
			names = append(names, e.goName)
		}
	}
	return names
}

// isStatus reports whether goName is a status's Go name (not a code's).
func (v *vendor) isStatus(goName string) bool {
	for _, n := range v.statusConsts {
		if n == "Status"+goName {
			return true
		}
	}
	return false
}
