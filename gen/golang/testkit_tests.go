package golang

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
	"github.com/errcat/errcat/gen/model"
)

// kitFormat is the body format the kit makes a sample body of for status
// (with a code field when needCode), as the kit's formatFor picks it.
func (k *kit) kitFormat(status int, needCode bool) *model.Body {
	for _, b := range k.c.Bodies {
		if b.AppliesTo(status) && ((!needCode && !codeOnly(b)) || (needCode && hasRole(b, model.RoleCode) && b.Content != model.ContentXML)) {
			return b
		}
	}
	return nil
}

func hasRole(b *model.Body, r model.Role) bool {
	for _, f := range b.Fields {
		if f.Role == r && len(f.Paths) > 0 {
			return true
		}
	}
	return false
}

// canMake reports whether the kit's NewError yields code c: from its
// example, or from a format that carries codes.
func (k *kit) canMake(c *model.Code) bool {
	return len(c.Examples) > 0 || (c.Status != nil && k.kitFormat(c.Status.Code, true) != nil)
}

// kitStatus is the status the kit answers code c with: its first example's,
// else its first exact status (Code.Status()), else 0, when the caller must
// give one (WithStatus): the kit never invents a status.
func kitStatus(c *model.Code) int {
	if len(c.Examples) > 0 {
		return c.Examples[0].Status
	}
	if c.Status != nil {
		return c.Status.Code
	}
	return 0
}

// kitStatuses writes the entries of a map from code to the status the kit
// answers it with, for the codes where that is not Code.Status(); "" when
// there are none (every format v1 catalog).
func (k *kit) kitStatuses() string {
	var b strings.Builder
	for _, c := range k.c.Codes {
		if c.Status == nil || kitStatus(c) != c.Status.Code {
			fmt.Fprintf(&b, "\t%s.%s: %d,\n", k.pkg, c.Idents.Const, kitStatus(c))
		}
	}
	return b.String()
}

// kitTest writes kit_test.go: every code and every error status through
// NewError, and the knobs.
func (k *kit) kitTest() string {
	p, kp := k.pkg, k.name
	var b strings.Builder
	if k.c.CodeType != model.CodeNone {
		text := "string(c)"
		if k.c.CodeType == model.CodeInt {
			text = "fmt.Sprint(int64(c))"
		}
		decl, stmt, expr := k.everyCodeStatus()
		var skip []string
		for _, c := range k.c.Codes {
			if !k.canMake(c) {
				skip = append(skip, p+".Code"+c.GoName+": true")
			}
		}
		fmt.Fprintf(&b, `
// TestEveryCode makes every code's error as a client would get it and
// checks it is that code's, with the catalog's status, kind and action,
// also through apierr's helpers on a wrapped error.
func TestEveryCode(t *testing.T) {
	skip := map[%[1]s.Code]bool{%[4]s} // no body format carries them%[6]s
	for _, c := range %[1]s.Codes() {
		if skip[c] {
			continue
		}
		e := %[2]s.NewError(c%[5]s)
		if e == nil {
			t.Errorf("NewError(%%v) is nil", c)
			continue
		}%[7]s
		if e.ErrorCode() != %[3]s || e.HTTPStatus() != %[8]s || e.Kind() != c.Kind() || e.Action() != c.Action() {
			t.Errorf("NewError(%%v) = %%v: code %%q, status %%d, %%v, %%v", c, e, e.ErrorCode(), e.HTTPStatus(), e.Kind(), e.Action())
		}
		err := fmt.Errorf("calling: %%w", e)
		if apierr.KindOf(err) != c.Kind() || apierr.ActionOf(err) != c.Action() {
			t.Errorf("apierr helpers on NewError(%%v): %%v, %%v", c, apierr.KindOf(err), apierr.ActionOf(err))
		}
	}
}
`, p, kp, text, strings.Join(skip, ", "), k.noOverride(), decl, stmt, expr)
	}
	fmt.Fprintf(&b, `
// TestEveryStatus makes every documented error status's error and checks
// its status, kind and action, and that it carries no code.
func TestEveryStatus(t *testing.T) {
	for _, s := range %[1]s.Statuses() {
		if s < 400 {
			continue
		}
		e := %[2]s.NewError(s%[3]s)
		if e == nil {
			t.Errorf("NewError(%%v) is nil", s)
			continue
		}
		if e.ErrorCode() != "" || e.HTTPStatus() != int(s) || e.Kind() != s.Kind() || e.Action() != s.Action() {
			t.Errorf("NewError(%%v) = %%v: code %%q, status %%d, %%v, %%v", s, e, e.ErrorCode(), e.HTTPStatus(), e.Kind(), e.Action())
		}
	}
}
`, p, kp, k.noOverride())
	b.WriteString(k.knobTests())
	return k.withImports(kp+"_test", b.String())
}

// everyCodeStatus is what TestEveryCode needs to expect the status the kit
// answers a code with (kitStatuses): a map declared before the loop (after
// the skip comment), the statement setting status in it, and the expected
// status; "", "" and int(c.Status()) when the kit answers every code with
// its Status(), as for every format v1 catalog.
func (k *kit) everyCodeStatus() (decl, stmt, expr string) {
	entries := k.kitStatuses()
	if entries == "" {
		return "", "", "int(c.Status())"
	}
	decl = ", or the catalog gives no status to answer with\n\t// statuses are those the kit answers with where they are not c.Status().\n\tstatuses := map[" + k.pkg + ".Code]int{\n" + entries + "}"
	stmt = "\n\t\tstatus := int(c.Status())\n\t\tif s, ok := statuses[c]; ok {\n\t\t\tstatus = s\n\t\t}"
	return decl, stmt, "status"
}

// noOverride is the option that keeps a documented example's retry
// override header from replacing the catalog's action, for the tests that
// compare the action with the catalog's: "" when the catalog has none.
func (k *kit) noOverride() string {
	if o := k.c.Retry.Override; o != nil {
		return ", " + k.name + ".WithHeader(" + strconv.Quote(o.Header) + ", \"\")"
	}
	return ""
}

// withImports prefixes body with the header and the imports it uses, of
// the standard packages kit tests and examples may use, apierr, the
// vendor package and the kit.
func (k *kit) withImports(pkgClause, body string) string {
	var std, other []string
	for _, imp := range []string{"context", "errors", "fmt", "net/http", "net/http/httptest", "strings", "testing", "time"} {
		name := imp[strings.LastIndex(imp, "/")+1:]
		if strings.Contains(body, name+".") {
			std = append(std, strconv.Quote(imp))
		}
	}
	if strings.Contains(body, "apierr.") {
		other = append(other, strconv.Quote(apierrPath))
	}
	if strings.Contains(body, k.pkg+".") { // not in examples of a catalog with no exact error status
		other = append(other, k.importPath())
	}
	if strings.Contains(body, k.name+".") {
		other = append(other, strconv.Quote(k.c.ImportPath+"/"+k.name))
	}
	if len(std)+len(other) == 0 {
		return k.header(pkgClause, false) + body
	}
	return k.header(pkgClause, false, append(append(std, ""), other...)...) + body
}

// knobKey is the key expression the knob tests and examples use: the first
// exact error status (for header delays and messages), or the first code
// whose format carries the body delay field.
func (k *kit) firstErrorStatus() *model.Status {
	for _, s := range k.c.ExactStatuses() {
		if s.Code >= 400 {
			return s
		}
	}
	return nil
}

// delayKey is a key whose response can carry a delay set by WithRetryAfter,
// preferring one whose action is retry_after, whether it is retryable, and
// the minimum and default delay (format v2) that bound its delay; "" if
// none.
func (k *kit) delayKey() (key string, retryable bool, bounds model.DelayBounds) {
	ds := k.c.Retry.Delays
	if len(ds) == 0 {
		return "", false, bounds
	}
	carries := func(status int, code bool) bool {
		if !(model.Rule{Statuses: ds[0].Rule.Statuses}).Holds(status, nil) {
			return false
		}
		if ds[0].Cost != nil {
			b := k.kitFormat(status, code)
			return b != nil && strings.Contains(k.formatLit(b), "Cost: ")
		}
		if ds[0].Field == nil {
			return status >= 400
		}
		b := k.kitFormat(status, code)
		return b != nil && strings.Contains(k.formatLit(b), "Delay: ")
	}
	var fallback string
	var fallbackBounds model.DelayBounds
	for _, s := range k.c.ExactStatuses() {
		if carries(s.Code, false) {
			if s.Action.Retryable() {
				return k.pkg + ".Status" + s.GoName, true, k.c.BoundsFor(s.Code, nil)
			}
			if fallback == "" {
				fallback, fallbackBounds = k.pkg+".Status"+s.GoName, k.c.BoundsFor(s.Code, nil)
			}
		}
	}
	for _, c := range k.c.Codes {
		if k.canMake(c) && carries(kitStatus(c), true) {
			if c.Action.Retryable() {
				return k.pkg + ".Code" + c.GoName, true, k.c.BoundsFor(c.Status.Code, c)
			}
			if fallback == "" {
				fallback, fallbackBounds = k.pkg+".Code"+c.GoName, k.c.BoundsFor(c.Status.Code, c)
			}
		}
	}
	return fallback, false, fallbackBounds
}

// boundedDelayLit is the delay a response asking for d reports under
// bounds, as a Go expression: lit itself when the bounds leave d alone.
func boundedDelayLit(d time.Duration, lit string, bounds model.DelayBounds) (time.Duration, string) {
	got, _ := errcatimpl.BoundDelay(d, true, bounds.Min, bounds.Default)
	if got == d {
		return d, lit
	}
	return got, fmt.Sprintf("%d*time.Millisecond", got.Milliseconds())
}

// knobTests writes the tests of WithRetryAfter, WithReset and WithMessage.
func (k *kit) knobTests() string {
	var b strings.Builder
	key, _, bounds := k.delayKey()
	want, wantLit := boundedDelayLit(1500*time.Millisecond, "1500*time.Millisecond", bounds)
	switch {
	case key != "" && isEpoch(k.c.Retry.Delays[0].Format):
		fmt.Fprintf(&b, `
// TestWithRetryAfter checks the delay reaches the parsed error: as an
// epoch time measured from time.Now, both here and by the parser, rounded
// up to the unit the source keeps.
func TestWithRetryAfter(t *testing.T) {
	e := %[1]s.NewError(%[2]s, %[1]s.WithRetryAfter(time.Hour))
	if d, ok := e.RetryDelay(); !ok || d < 59*time.Minute || d > time.Hour+time.Second {
		t.Errorf("RetryDelay() = %%v, %%v; want about an hour", d, ok)
	}
}
`, k.name, key)
	case key != "":
		fmt.Fprintf(&b, `
// TestWithRetryAfter checks the delay reaches the parsed error.
func TestWithRetryAfter(t *testing.T) {
	e := %[1]s.NewError(%[2]s, %[1]s.WithRetryAfter(1500*time.Millisecond))
	if d, ok := e.RetryDelay(); !ok || d != %[3]s {
		t.Errorf("RetryDelay() = %%v, %%v; want %[4]s", d, ok)
	}
}
`, k.name, key, wantLit, want)
	}
	if r := k.resetSource(); r != nil && k.firstErrorStatus() != nil {
		fmt.Fprintf(&b, `
// TestWithReset checks a reset time becomes a delay when no earlier delay
// source holds one.
func TestWithReset(t *testing.T) {
	e := %[1]s.NewError(%[2]s.Status%[3]s, %[1]s.WithReset(time.Now().Add(time.Hour)))
	if d, ok := e.RetryDelay(); !ok || d < 58*time.Minute || d > time.Hour {
		t.Errorf("RetryDelay() = %%v, %%v; want about an hour", d, ok)
	}
}
`, k.name, k.pkg, k.firstErrorStatus().GoName)
	}
	if s := k.firstErrorStatus(); s != nil {
		if f := k.kitFormat(s.Code, false); f == nil || f.Content == model.ContentText || hasRole(f, model.RoleMessage) {
			fmt.Fprintf(&b, `
// TestWithMessage checks the message reaches the parsed error.
func TestWithMessage(t *testing.T) {
	e := %[1]s.NewError(%[2]s.Status%[3]s, %[1]s.WithMessage("kit message"))
	if got := e.Error(); !strings.Contains(got, "kit message") {
		t.Errorf("Error() = %%q; want the message", got)
	}
}
`, k.name, k.pkg, s.GoName)
		}
	}
	return b.String()
}

// reauthKey is the first code, else exact status, whose action is
// reauthenticate; "" if none.
func (k *kit) reauthKey() string {
	for _, c := range k.c.Codes {
		if c.Action.String() == "reauthenticate" && k.canMake(c) {
			return k.pkg + ".Code" + c.GoName
		}
	}
	for _, s := range k.c.ExactStatuses() {
		if s.Action.String() == "reauthenticate" && s.Code >= 400 {
			return k.pkg + ".Status" + s.GoName
		}
	}
	return ""
}

// examples writes the kit's runnable examples.
func (k *kit) examples() string {
	p, kp := k.pkg, k.name
	var b strings.Builder
	if s := k.firstErrorStatus(); s != nil {
		fmt.Fprintf(&b, `
// Response gives the response the vendor documents; the package's own
// parser reads it as it reads the vendor's.
func ExampleResponse() {
	resp := %[2]s.Response(%[1]s.Status%[3]s)
	defer resp.Body.Close()
	err := %[1]s.FromResponse(resp)
	fmt.Println(resp.StatusCode, apierr.KindOf(err), apierr.ActionOf(err))
	// Output: %[4]d %[5]s %[6]s
}

// NewError gives the error a client would get, for code under test that
// takes errors rather than responses: matchers, sentinels and apierr's
// helpers see it as a parsed one, also wrapped.
func ExampleNewError() {
	err := fmt.Errorf("loading: %%w", %[2]s.NewError(%[1]s.Status%[3]s, %[2]s.WithMessage("try later")))
	fmt.Println(%[1]s.Is%[3]s(err), errors.Is(err, %[1]s.Err%[3]s), apierr.IsRetryable(err) == %[1]s.Status%[3]s.Action().Retryable())
	// Output: true true true
}
`, p, kp, s.GoName, s.Code, s.Kind, s.Action)
	}
	key, retryable, bounds := k.delayKey()
	wait, _ := boundedDelayLit(2*time.Second, "", bounds)
	if key != "" && retryable && wait <= apierr.DefaultMaxServerDelay {
		withClock, doc := "", ""
		if isEpoch(k.c.Retry.Delays[0].Format) {
			withClock = ", " + kp + ".WithClock(clock)"
			doc = "\n// The delay is an epoch time: WithClock measures it from the transport's Clock."
		}
		fmt.Fprintf(&b, `
// A Script answers a retrying transport: rate limited with a delay, then
// OK. The Clock shows the delay the transport waited, without waiting it.%[5]s
func ExampleScript() {
	clock := %[2]s.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	script := %[2]s.NewScript(
		%[2]s.Reply(%[3]s, %[2]s.WithRetryAfter(2*time.Second)%[4]s),
		%[2]s.OK(`+"`{}`"+`),
	)
	client := &http.Client{Transport: apierr.NewTransport(script, %[1]s.Policy(), apierr.WithClock(clock))}
	resp, err := client.Get("https://api.example.com/v1/things")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, len(script.Requests()), clock.Waits())
	// Output: 200 2 [%[6]s]
}
`, p, kp, key, withClock, doc, wait)
	}
	b.WriteString(k.transportExamples())
	return k.withImports(kp+"_test", b.String())
}

// transportExamples writes the examples of a Script behind a transport
// that refreshes credentials, and behind an httptest server.
func (k *kit) transportExamples() string {
	p, kp := k.pkg, k.name
	var b strings.Builder
	if key := k.reauthKey(); key != "" {
		fmt.Fprintf(&b, `
// An expired credential, then OK: the transport refreshes once and
// resends the request.
func ExampleScript_reauthenticate() {
	script := %[2]s.NewScript(%[2]s.Reply(%[3]s), %[2]s.OK(`+"`{}`"+`))
	refreshes := 0
	client := &http.Client{Transport: apierr.NewTransport(script, %[1]s.Policy(),
		apierr.WithReauthenticate(func(context.Context) error { refreshes++; return nil }))}
	resp, err := client.Get("https://api.example.com/v1/things")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, len(script.Requests()), refreshes)
	// Output: 200 2 1
}
`, p, kp, key)
	}
	if s := k.firstErrorStatus(); s != nil {
		fmt.Fprintf(&b, `
// A Script is also an http.Handler, for httptest servers; it records what
// it was sent.
func ExampleScript_handler() {
	script := %[2]s.NewScript(%[2]s.Reply(%[1]s.Status%[3]s))
	srv := httptest.NewServer(script)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/things", "application/json", strings.NewReader(`+"`{\"name\":\"x\"}`"+`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	seen := script.Requests()[0]
	fmt.Println(%[1]s.Is%[3]s(%[1]s.FromResponse(resp)), seen.Method, seen.URL.Path, string(seen.Body))
	// Output: true POST /v1/things {"name":"x"}
}
`, p, kp, s.GoName)
	}
	return b.String()
}
