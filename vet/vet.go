// Package vet is errcat vet: an analyzer, on golang.org/x/tools/go/analysis,
// that finds code handling a generated package's errors by their text or by
// raw numbers, and points at the generated name to use instead.
//
// In a package that imports packages errcat generated, it reports:
//
//  1. string matching on an error's text — strings.Contains, HasPrefix,
//     HasSuffix, EqualFold or == on err.Error(), on a vendor Error's
//     Message or on ErrorCode() — when the text is one the vendor
//     documents: a code, a status, a Go name, a description or a known
//     message; the fix calls the matcher, such as alloy.IsCredentialsExpired(err).
//     Not in _test.go files, where such a comparison asserts what a parser
//     produced rather than handling an error;
//  2. a raw literal compared to a vendor Code or Status (e.Code == 4012,
//     case "rate_limited":), or an error status (400 and up) compared to
//     resp.StatusCode where resp goes to the vendor's FromResponse, or to a
//     vendor Error's HTTPStatus(); the fix names the generated constant;
//  3. == against a vendor sentinel (the fix is errors.Is), and type
//     assertions or type switches to a vendor *Error (use errors.As), which
//     miss wrapped errors.
//
// It needs no catalog: it reads each imported generated package through
// go/types — its Status and Code constants, its Is<Name> matchers and the
// ErrcatTexts constant the generator emits, which marks the package as
// errcat's and lists the texts its catalog documents.
package vet

import (
	"bytes"
	"go/ast"
	"go/constant"
	"go/format"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Analyzer is errcat vet's analyzer.
var Analyzer = &analysis.Analyzer{
	Name: "errcatvet",
	Doc: `find vendor errors handled by their text or raw numbers

In packages that import errcat-generated packages, errcatvet reports string
matching on an error's text where the text is one the vendor documents, raw
literals compared to a vendor's codes and statuses, and == or type
assertions on vendor errors, which miss wrapped errors. Its fixes use the
generated matchers, constants and errors.Is.`,
	URL: "https://github.com/errcat/errcat#errcat-vet-finding-errors-matched-by-their-text",
	Run: run,
}

func run(pass *analysis.Pass) (any, error) {
	if loadVendor(pass.Pkg) != nil {
		return nil, nil // the generated package itself
	}
	fc := &fileChecker{pass: pass, byPkg: map[*types.Package]*vendor{}}
	for _, imp := range pass.Pkg.Imports() {
		if v := loadVendor(imp); v != nil {
			fc.vendors = append(fc.vendors, v)
			fc.byPkg[imp] = v
		}
	}
	if len(fc.vendors) == 0 {
		return nil, nil
	}
	for _, f := range pass.Files {
		if ast.IsGenerated(f) {
			continue
		}
		fc.file = f
		fc.check()
	}
	return nil, nil
}

// fileChecker checks one file at a time; its diagnostics are reported at
// the end of the file, once it knows whether the fixes leave the strings
// import unused.
type fileChecker struct {
	pass    *analysis.Pass
	vendors []*vendor
	byPkg   map[*types.Package]*vendor

	file *ast.File
	// parsed maps a variable passed to a vendor's FromResponse to the
	// vendors that parse it.
	parsed map[types.Object][]*vendor
	diags  []analysis.Diagnostic
	// inTest is set in _test.go files, where comparing an error's text
	// asserts what a parser produced rather than handling the error.
	inTest bool
	// stringsFix is the index in diags of the last fix that removes uses of
	// package strings; stringsRemoved counts the uses fixes remove.
	stringsFix     int
	stringsRemoved int
}

func (fc *fileChecker) check() {
	fc.parsed = map[types.Object][]*vendor{}
	fc.inTest = strings.HasSuffix(fc.pass.Fset.File(fc.file.Pos()).Name(), "_test.go")
	fc.diags = nil
	fc.stringsFix, fc.stringsRemoved = -1, 0
	ast.Inspect(fc.file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if fn := fc.callee(call); fn != nil && (fn.Name() == "FromResponse" || fn.Name() == "FromResponseLimit") {
			if v := fc.byPkg[fn.Pkg()]; v != nil {
				if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok {
					if obj := fc.pass.TypesInfo.Uses[id]; obj != nil {
						fc.parsed[obj] = append(fc.parsed[obj], v)
					}
				}
			}
		}
		return true
	})
	ast.Inspect(fc.file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			return !fc.stringsCall(n)
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			return !(fc.textCompare(n) || fc.rawLiteral(n.Y, n.X) || fc.rawLiteral(n.X, n.Y) || fc.sentinelCompare(n))
		case *ast.SwitchStmt:
			fc.switchCases(n)
		case *ast.TypeAssertExpr:
			if n.Type != nil {
				fc.assertion(n.X, n.Type, "type assertion to")
			}
		case *ast.TypeSwitchStmt:
			fc.typeSwitch(n)
		}
		return true
	})
	if fc.stringsFix >= 0 && fc.stringsRemoved == fc.countStrings(fc.file) {
		if edit, ok := fc.removeImport("strings"); ok {
			fix := &fc.diags[fc.stringsFix].SuggestedFixes[0]
			fix.TextEdits = append(fix.TextEdits, edit)
		}
	}
	for _, d := range fc.diags {
		fc.pass.Report(d)
	}
}

// ---- 1. string matching on an error's text

type textKind int

const (
	errText     textKind = iota // err.Error()
	messageText                 // e.Message of a vendor Error
	codeText                    // e.ErrorCode()
)

var kindWords = [...]string{errText: "text", messageText: "Message", codeText: "code"}

// stringsCall reports strings.Contains(err.Error(), "known text") and its
// kin, returning whether it reported.
func (fc *fileChecker) stringsCall(call *ast.CallExpr) bool {
	if fc.inTest {
		return false
	}
	fn := fc.stringsFunc(call)
	switch fn {
	case "Contains", "HasPrefix", "HasSuffix", "EqualFold":
	default:
		return false
	}
	if len(call.Args) != 2 {
		return false
	}
	lit, ok := fc.stringConst(call.Args[1])
	if !ok {
		return false
	}
	subj, kind, fold, ok := fc.subject(call.Args[0])
	if !ok {
		return false
	}
	where := fn
	if fn == "EqualFold" {
		where = ""
	}
	return fc.textMatch(call, subj, kind, lit, fold || fn == "EqualFold", false, where)
}

// textCompare reports err.Error() == "known text" (or !=).
func (fc *fileChecker) textCompare(b *ast.BinaryExpr) bool {
	if fc.inTest {
		return false
	}
	for _, sides := range [2][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		lit, ok := fc.stringConst(sides[1])
		if !ok {
			continue
		}
		subj, kind, fold, ok := fc.subject(sides[0])
		if !ok {
			continue
		}
		return fc.textMatch(b, subj, kind, lit, fold, b.Op == token.NEQ, "")
	}
	return false
}

// subject returns the error whose text e is — err in err.Error(),
// strings.ToLower(err.Error()), e.Message or e.ErrorCode() — what text it
// is, and whether case was folded on the way.
func (fc *fileChecker) subject(e ast.Expr) (x ast.Expr, kind textKind, fold, ok bool) {
	e = ast.Unparen(e)
	if call, isCall := e.(*ast.CallExpr); isCall {
		switch fc.stringsFunc(call) {
		case "ToLower", "ToUpper":
			if len(call.Args) == 1 {
				x, kind, _, ok = fc.subject(call.Args[0])
				return x, kind, true, ok
			}
			return nil, 0, false, false
		case "TrimSpace":
			if len(call.Args) == 1 {
				return fc.subject(call.Args[0])
			}
			return nil, 0, false, false
		}
		sel, isSel := call.Fun.(*ast.SelectorExpr)
		if !isSel || len(call.Args) != 0 {
			return nil, 0, false, false
		}
		s := fc.pass.TypesInfo.Selections[sel]
		if s == nil || s.Kind() != types.MethodVal || !implementsError(fc.pass.TypesInfo.TypeOf(sel.X)) {
			return nil, 0, false, false
		}
		switch sel.Sel.Name {
		case "Error":
			return sel.X, errText, false, true
		case "ErrorCode":
			return sel.X, codeText, false, true
		}
		return nil, 0, false, false
	}
	if sel, isSel := e.(*ast.SelectorExpr); isSel && sel.Sel.Name == "Message" {
		if s := fc.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.FieldVal && fc.vendorError(s.Recv()) != nil {
			return sel.X, messageText, false, true
		}
	}
	return nil, 0, false, false
}

type candidate struct {
	v      *vendor
	goName string
}

// textMatch reports node, which matches lit against subj's text, if lit is
// a text some imported vendor documents or, for strings.Contains, HasPrefix
// and HasSuffix (where), a part of one at least minPartLen bytes long.
func (fc *fileChecker) textMatch(node, subj ast.Expr, kind textKind, lit string, fold, negate bool, where string) bool {
	find := func(part bool) []candidate {
		var cands []candidate
		for _, v := range fc.vendors {
			var names []string
			switch {
			case kind == codeText:
				if n, ok := v.codeTexts[lit]; ok && !part {
					names = []string{n}
				}
			case part:
				names = v.containing(lit, where, fold)
			case fold:
				names = v.folded[strings.ToLower(lit)]
			default:
				names = v.texts[lit]
			}
			for _, n := range names {
				cands = append(cands, candidate{v, n})
			}
		}
		return cands
	}
	cands := find(false)
	if len(cands) == 0 && where != "" {
		cands = find(true)
	}
	if len(cands) == 0 {
		return false
	}
	subjSrc := fc.src(subj)
	var uses []string
	for _, c := range cands {
		uses = append(uses, fc.qual(c.v.pkg)+".Is"+c.goName+"("+subjSrc+")")
	}
	d := analysis.Diagnostic{
		Pos:     node.Pos(),
		End:     node.End(),
		Message: "errcat: matching " + strconv.Quote(lit) + " in an error's " + kindWords[kind] + "; use " + strings.Join(uses, " or "),
	}
	c, unique := chooseFix(cands)
	q, imported := fc.importName(c.v.pkg.Path())
	if unique && imported && implementsError(fc.pass.TypesInfo.TypeOf(subj)) {
		repl := q + ".Is" + c.goName + "(" + subjSrc + ")"
		if negate {
			repl = "!" + repl
		}
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "Use " + q + ".Is" + c.goName,
			TextEdits: []analysis.TextEdit{{Pos: node.Pos(), End: node.End(), NewText: []byte(repl)}},
		}}
		if n := fc.countStrings(node) - fc.countStrings(subj); n > 0 {
			fc.stringsRemoved += n
			fc.stringsFix = len(fc.diags)
		}
	}
	fc.diags = append(fc.diags, d)
	return true
}

// chooseFix picks the matcher a fix uses: the only candidate, or a status
// whose description the text is when the other candidates are codes of
// the same vendor (the status's matcher covers them).
func chooseFix(cands []candidate) (candidate, bool) {
	if len(cands) == 1 {
		return cands[0], true
	}
	first := cands[0]
	if !first.v.isStatus(first.goName) {
		return first, false
	}
	for _, c := range cands[1:] {
		if c.v != first.v || c.v.isStatus(c.goName) {
			return first, false
		}
	}
	return first, true
}

// ---- 2. raw literals compared to codes and statuses

// rawLiteral reports lit (a literal) compared to other when other is a
// vendor Code or Status, a vendor Error's HTTPStatus(), or the StatusCode of
// a response a vendor parses, and the vendor has a constant for it.
func (fc *fileChecker) rawLiteral(litExpr, other ast.Expr) bool {
	lit, ok := ast.Unparen(litExpr).(*ast.BasicLit)
	if !ok {
		return false
	}
	tv, ok := fc.pass.TypesInfo.Types[lit]
	if !ok || tv.Value == nil {
		return false
	}
	val := tv.Value.ExactString()
	t := fc.pass.TypesInfo.TypeOf(other)
	for _, v := range fc.vendors {
		var name, what string
		switch {
		case types.Identical(t, v.status):
			name, what = v.statusConsts[val], v.pkg.Name()+".Status"
		case v.code != nil && types.Identical(t, v.code):
			name, what = v.codeConsts[val], v.pkg.Name()+".Code"
		default:
			continue
		}
		if name == "" {
			return false
		}
		fc.constFix(lit, v, name, "errcat: raw "+lit.Value+" compared to "+what, "")
		return true
	}
	v, what := fc.httpStatus(other)
	iv := constant.ToInt(tv.Value)
	if v == nil || iv.Kind() != constant.Int {
		return false
	}
	if n, exact := constant.Int64Val(iv); !exact || n < 400 {
		return false // a success check is plain HTTP, not handling a vendor's error
	}
	name := v.statusConsts[val]
	if name == "" {
		return false
	}
	fc.constFix(lit, v, name, "errcat: raw status "+lit.Value+" compared to "+what, "int")
	return true
}

// httpStatus returns the vendor whose status e is, as an int: resp.StatusCode
// of a response passed to exactly one vendor's FromResponse, or a vendor
// Error's HTTPStatus().
func (fc *fileChecker) httpStatus(e ast.Expr) (*vendor, string) {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 0 {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "HTTPStatus" {
			if s := fc.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
				if v := fc.vendorError(s.Recv()); v != nil {
					return v, fc.src(e)
				}
			}
		}
		return nil, ""
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "StatusCode" {
		return nil, ""
	}
	s := fc.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || s.Obj().Pkg() == nil || s.Obj().Pkg().Path() != "net/http" {
		return nil, ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil, ""
	}
	vs := fc.parsed[fc.pass.TypesInfo.Uses[id]]
	if len(vs) == 0 {
		return nil, ""
	}
	for _, v := range vs[1:] {
		if v != vs[0] {
			return nil, "" // two vendors parse it: which one's constant is meant is unclear
		}
	}
	return vs[0], fc.src(e) + " of a response " + fc.qual(vs[0].pkg) + ".FromResponse parses"
}

// constFix reports lit and offers to replace it with the vendor's
// constant name, converted by conv when conv is not "".
func (fc *fileChecker) constFix(lit *ast.BasicLit, v *vendor, name, msg, conv string) {
	q, imported := fc.importName(v.pkg.Path())
	if !imported {
		q = v.pkg.Name()
	}
	repl := q + "." + name
	if conv != "" {
		repl = conv + "(" + repl + ")"
	}
	d := analysis.Diagnostic{Pos: lit.Pos(), End: lit.End(), Message: msg + "; use " + repl}
	if imported {
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "Use " + q + "." + name,
			TextEdits: []analysis.TextEdit{{Pos: lit.Pos(), End: lit.End(), NewText: []byte(repl)}},
		}}
	}
	fc.diags = append(fc.diags, d)
}

// switchCases checks the cases of a switch over a vendor Code, Status or
// status (raw literals) or over an error (sentinels compared with ==).
func (fc *fileChecker) switchCases(s *ast.SwitchStmt) {
	if s.Tag == nil {
		return
	}
	for _, stmt := range s.Body.List {
		cc, ok := stmt.(*ast.CaseClause)
		if !ok {
			continue
		}
		for _, e := range cc.List {
			if fc.rawLiteral(e, s.Tag) {
				continue
			}
			if v, _ := fc.sentinel(e); v != nil && types.IsInterface(fc.pass.TypesInfo.TypeOf(s.Tag)) {
				fc.diags = append(fc.diags, analysis.Diagnostic{
					Pos:     e.Pos(),
					End:     e.End(),
					Message: "errcat: case " + fc.src(e) + " compares the error with ==, which misses wrapped errors; use errors.Is(" + fc.src(s.Tag) + ", " + fc.src(e) + ") in a switch with no tag",
				})
			}
		}
	}
}

// ---- 3. == and type assertions on vendor errors

// sentinelCompare reports err == alloy.ErrX (or !=) and offers errors.Is.
func (fc *fileChecker) sentinelCompare(b *ast.BinaryExpr) bool {
	for _, sides := range [2][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		v, _ := fc.sentinel(sides[1])
		if v == nil || !types.IsInterface(fc.pass.TypesInfo.TypeOf(sides[0])) {
			continue
		}
		errorsName, hasErrors := fc.importName("errors")
		if !hasErrors {
			errorsName = "errors"
		}
		repl := errorsName + ".Is(" + fc.src(sides[0]) + ", " + fc.src(sides[1]) + ")"
		if b.Op == token.NEQ {
			repl = "!" + repl
		}
		edits := []analysis.TextEdit{{Pos: b.Pos(), End: b.End(), NewText: []byte(repl)}}
		if !hasErrors {
			edits = append(edits, fc.addImport("errors"))
		}
		fc.diags = append(fc.diags, analysis.Diagnostic{
			Pos:            b.Pos(),
			End:            b.End(),
			Message:        "errcat: " + b.Op.String() + " on " + fc.src(sides[1]) + " misses wrapped errors; use " + repl,
			SuggestedFixes: []analysis.SuggestedFix{{Message: "Use errors.Is", TextEdits: edits}},
		})
		return true
	}
	return false
}

// sentinel returns the vendor whose sentinel error e names.
func (fc *fileChecker) sentinel(e ast.Expr) (*vendor, string) {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	default:
		return nil, ""
	}
	obj, ok := fc.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || obj.Pkg() == nil || !strings.HasPrefix(obj.Name(), "Err") {
		return nil, ""
	}
	v := fc.byPkg[obj.Pkg()]
	if v == nil || obj.Parent() != v.pkg.Scope() || !implementsError(obj.Type()) {
		return nil, ""
	}
	return v, obj.Name()
}

// assertion reports x.(*alloy.Error) and type switch cases of it.
func (fc *fileChecker) assertion(x, typ ast.Expr, what string) {
	if !types.IsInterface(fc.pass.TypesInfo.TypeOf(x)) || fc.vendorError(fc.pass.TypesInfo.TypeOf(typ)) == nil {
		return
	}
	fc.diags = append(fc.diags, analysis.Diagnostic{
		Pos:     typ.Pos(),
		End:     typ.End(),
		Message: "errcat: " + what + " " + fc.src(typ) + " misses wrapped errors; use errors.As(" + fc.src(x) + ", &target) with a target of type " + fc.src(typ),
	})
}

func (fc *fileChecker) typeSwitch(s *ast.TypeSwitchStmt) {
	var x ast.Expr
	switch a := s.Assign.(type) {
	case *ast.AssignStmt:
		x = a.Rhs[0].(*ast.TypeAssertExpr).X
	case *ast.ExprStmt:
		x = a.X.(*ast.TypeAssertExpr).X
	default:
		return
	}
	for _, stmt := range s.Body.List {
		if cc, ok := stmt.(*ast.CaseClause); ok {
			for _, t := range cc.List {
				fc.assertion(x, t, "type switch case")
			}
		}
	}
}

// ---- helpers

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func implementsError(t types.Type) bool {
	return t != nil && types.Implements(t, errorIface)
}

// vendorError returns the vendor whose Error t is (or points to).
func (fc *fileChecker) vendorError(t types.Type) *vendor {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	for _, v := range fc.vendors {
		if types.Identical(t, v.errType) {
			return v
		}
	}
	return nil
}

// callee returns the package-level function call calls, or nil.
func (fc *fileChecker) callee(call *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil
	}
	fn, _ := fc.pass.TypesInfo.Uses[id].(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Type().(*types.Signature).Recv() != nil {
		return nil
	}
	return fn
}

// stringsFunc returns the name of the package strings function call calls, or "".
func (fc *fileChecker) stringsFunc(call *ast.CallExpr) string {
	if fn := fc.callee(call); fn != nil && fn.Pkg().Path() == "strings" {
		return fn.Name()
	}
	return ""
}

func (fc *fileChecker) stringConst(e ast.Expr) (string, bool) {
	tv, ok := fc.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// src returns e as Go source.
func (fc *fileChecker) src(e ast.Expr) string {
	var b bytes.Buffer
	if err := format.Node(&b, fc.pass.Fset, e); err != nil {
		return "…"
	}
	return b.String()
}

// importName returns the name the file refers to the package at path by,
// and whether the file imports it under a usable name.
func (fc *fileChecker) importName(path string) (string, bool) {
	for _, spec := range fc.file.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != path {
			continue
		}
		if spec.Name != nil {
			if spec.Name.Name == "_" || spec.Name.Name == "." {
				return "", false
			}
			return spec.Name.Name, true
		}
		if pn, ok := fc.pass.TypesInfo.Implicits[spec].(*types.PkgName); ok {
			return pn.Imported().Name(), true
		}
	}
	return "", false
}

// qual is how a message names pkg: the file's name for it, else its own.
func (fc *fileChecker) qual(pkg *types.Package) string {
	if q, ok := fc.importName(pkg.Path()); ok {
		return q
	}
	return pkg.Name()
}

// countStrings counts the references to package strings within n.
func (fc *fileChecker) countStrings(n ast.Node) int {
	count := 0
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if pn, ok := fc.pass.TypesInfo.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == "strings" {
				count++
			}
		}
		return true
	})
	return count
}

// removeImport returns the edit deleting the file's import of path: its
// line, or the whole import declaration when it is the only spec.
func (fc *fileChecker) removeImport(path string) (analysis.TextEdit, bool) {
	for _, d := range fc.file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, spec := range gd.Specs {
			is := spec.(*ast.ImportSpec)
			if p, err := strconv.Unquote(is.Path.Value); err != nil || p != path || is.Name != nil {
				continue
			}
			var from, to ast.Node = is, is
			if len(gd.Specs) == 1 {
				from, to = gd, gd
			}
			return fc.deleteLines(from.Pos(), to.End()), true
		}
	}
	return analysis.TextEdit{}, false
}

// deleteLines returns the edit deleting the whole lines from pos to end.
func (fc *fileChecker) deleteLines(pos, end token.Pos) analysis.TextEdit {
	tf := fc.pass.Fset.File(pos)
	start := tf.LineStart(tf.Line(pos))
	stop := token.Pos(tf.Base() + tf.Size())
	if l := tf.Line(end); l < tf.LineCount() {
		stop = tf.LineStart(l + 1)
	}
	return analysis.TextEdit{Pos: start, End: stop}
}

// addImport returns the edit adding an import of path (a standard
// package): in the first import block, in sorted position, else as a
// declaration of its own.
func (fc *fileChecker) addImport(path string) analysis.TextEdit {
	quoted := strconv.Quote(path)
	for _, d := range fc.file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if !gd.Lparen.IsValid() {
			return analysis.TextEdit{Pos: gd.Pos(), End: gd.Pos(), NewText: []byte("import " + quoted + "\n")}
		}
		specs := append([]ast.Spec(nil), gd.Specs...)
		i := sort.Search(len(specs), func(i int) bool { return specs[i].(*ast.ImportSpec).Path.Value > quoted })
		if i < len(specs) {
			p := specs[i].Pos()
			return analysis.TextEdit{Pos: p, End: p, NewText: []byte(quoted + "\n\t")}
		}
		p := specs[len(specs)-1].End()
		return analysis.TextEdit{Pos: p, End: p, NewText: []byte("\n\t" + quoted)}
	}
	p := fc.file.Name.End()
	return analysis.TextEdit{Pos: p, End: p, NewText: []byte("\n\nimport " + quoted)}
}
