package errcatimpl

import (
	"math"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr"
)

// Bounds on the structured rate-limit fields ParseRateLimit reads: a
// field beyond them is refused whole, so a hostile header costs at most
// a pass over maxRateLimitField bytes.
const (
	maxRateLimitField   = 4096
	maxRateLimitMembers = 64
	maxRateLimitParams  = 16
	maxSFIntegerDigits  = 15 // RFC 8941, section 3.3.1
)

// ParseRateLimit reads the IETF RateLimit fields
// (draft-ietf-httpapi-ratelimit-headers) into the delay until quota is
// available again. rateLimit holds the lines of the RateLimit field,
// policy those of RateLimit-Policy (nil when absent); several lines of a
// field are one list, as RFC 8941 says.
//
// The RateLimit field is a structured-field list of quota policies, each
// a string or token naming the policy with the parameters r (remaining
// quota units) and t (seconds until the quota resets):
// `"default";r=0;t=30`. Only exhausted policies (r=0) ask for a wait: the
// delay is the longest t among them. A policy without t waits the window
// w its RateLimit-Policy entry of the same name states
// (`"default";q=100;w=60`). The older dictionary form of the drafts,
// `limit=100, remaining=0, reset=30`, is read the same way (remaining as
// r, reset as t).
//
// Parsing is strict and bounded: a field that breaks the structured-field
// grammar, is longer than 4096 bytes, has more than 64 members or 16
// parameters on one, or whose r, t or w is not a non-negative integer of
// at most 15 digits is ignored whole (ok=false), as RFC 8941 says a
// parser must. No exhausted policy, or one with no t and no window, also
// reports ok=false. A delay longer than [apierr.MaxDelay] (the safety cap)
// is capped to it.
func ParseRateLimit(rateLimit, policy []string) (time.Duration, bool) {
	members, ok := parseSFMembers(rateLimit)
	if !ok || len(members) == 0 {
		return 0, false
	}
	var windows []sfMember
	if len(policy) > 0 {
		windows, _ = parseSFMembers(policy)
	}
	if members[0].key != "" {
		return rateLimitDict(members)
	}
	best, found := int64(-1), false
	for _, m := range members {
		if m.key != "" {
			return 0, false // a list and a dictionary mixed
		}
		r, hasR := m.param("r")
		if !hasR || r != 0 {
			continue
		}
		t, hasT := m.param("t")
		if !hasT {
			t, hasT = policyWindow(windows, m.name)
		}
		if hasT && t > best {
			best, found = t, true
		}
	}
	if !found {
		return 0, false
	}
	return secondsDelay(best), true
}

// rateLimitDict reads the older dictionary form: limit, remaining, reset.
func rateLimitDict(members []sfMember) (time.Duration, bool) {
	remaining, reset := int64(-1), int64(-1)
	for _, m := range members {
		if m.key == "" || !m.isInt {
			return 0, false
		}
		switch m.key {
		case "remaining":
			remaining = m.value
		case "reset":
			reset = m.value
		}
	}
	if remaining != 0 || reset < 0 {
		return 0, false
	}
	return secondsDelay(reset), true
}

// policyWindow returns the window w of the RateLimit-Policy entry named
// name.
func policyWindow(windows []sfMember, name string) (int64, bool) {
	for _, w := range windows {
		if w.key == "" && w.name == name {
			return w.param("w")
		}
	}
	return 0, false
}

// secondsDelay is s seconds, capped to apierr.MaxDelay.
func secondsDelay(s int64) time.Duration {
	if s >= int64(apierr.MaxDelay/time.Second) {
		return apierr.MaxDelay
	}
	return time.Duration(s) * time.Second
}

// sfMember is one member of a structured-field list (name, the string or
// token item) or dictionary (key = value, an integer when isInt), with
// its integer parameters; parameters of other types are checked and
// dropped.
type sfMember struct {
	key    string
	name   string
	value  int64
	isInt  bool
	params []sfParam
}

type sfParam struct {
	key   string
	value int64
	isInt bool
}

func (m sfMember) param(key string) (int64, bool) {
	for _, p := range m.params {
		if p.key == key {
			if !p.isInt || p.value < 0 {
				return 0, false
			}
			return p.value, true
		}
	}
	return 0, false
}

// parseSFMembers parses the lines of a field as one list or dictionary
// (RFC 8941 sections 4.2.1 and 4.2.2, without inner lists or byte
// sequences, which no rate-limit field uses).
func parseSFMembers(lines []string) ([]sfMember, bool) {
	s := strings.Join(lines, ",")
	if len(s) > maxRateLimitField {
		return nil, false
	}
	p := &sfParser{s: strings.Trim(s, " \t")}
	var out []sfMember
	for p.i < len(p.s) {
		if len(out) == maxRateLimitMembers {
			return nil, false
		}
		m, ok := p.member()
		if !ok {
			return nil, false
		}
		out = append(out, m)
		p.ows()
		if p.i == len(p.s) {
			break
		}
		if p.s[p.i] != ',' {
			return nil, false
		}
		p.i++
		p.ows()
		if p.i == len(p.s) {
			return nil, false // a trailing comma
		}
	}
	return out, true
}

type sfParser struct {
	s string
	i int
}

func (p *sfParser) ows() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// member reads a list item (a string or token with parameters) or a
// dictionary member (key=integer with parameters).
func (p *sfParser) member() (sfMember, bool) {
	var m sfMember
	if p.i < len(p.s) && p.s[p.i] == '"' {
		name, ok := p.str()
		if !ok {
			return m, false
		}
		m.name = name
	} else {
		tok, ok := p.token()
		if !ok {
			return m, false
		}
		if p.i < len(p.s) && p.s[p.i] == '=' {
			if !isSFKey(tok) {
				return m, false
			}
			p.i++
			m.key = tok
			if m.value, m.isInt, ok = p.bareValue(); !ok {
				return m, false
			}
		} else {
			m.name = tok
		}
	}
	params, ok := p.params()
	m.params = params
	return m, ok
}

// params reads ;key[=value] parameters.
func (p *sfParser) params() ([]sfParam, bool) {
	var out []sfParam
	for p.i < len(p.s) && p.s[p.i] == ';' {
		p.i++
		for p.i < len(p.s) && p.s[p.i] == ' ' {
			p.i++
		}
		if len(out) == maxRateLimitParams {
			return nil, false
		}
		start := p.i
		for p.i < len(p.s) && isSFKeyChar(p.s[p.i], p.i == start) {
			p.i++
		}
		if p.i == start {
			return nil, false
		}
		prm := sfParam{key: p.s[start:p.i]}
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			var ok bool
			if prm.value, prm.isInt, ok = p.bareValue(); !ok {
				return nil, false
			}
		}
		out = append(out, prm)
	}
	return out, true
}

// bareValue reads a bare item, reporting the value of an integer; other
// types are read and checked only.
func (p *sfParser) bareValue() (int64, bool, bool) {
	if p.i >= len(p.s) {
		return 0, false, false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		_, ok := p.str()
		return 0, false, ok
	case c == '?':
		if p.i+1 < len(p.s) && (p.s[p.i+1] == '0' || p.s[p.i+1] == '1') {
			p.i += 2
			return 0, false, true
		}
		return 0, false, false
	case c == '-' || isDigit(c):
		return p.number()
	}
	_, ok := p.token()
	return 0, false, ok
}

// number reads an sf-integer (reported) or sf-decimal (checked only).
func (p *sfParser) number() (int64, bool, bool) {
	neg := p.s[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	digits := p.i - start
	if digits == 0 || digits > maxSFIntegerDigits {
		return 0, false, false
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		frac := p.i
		for p.i < len(p.s) && isDigit(p.s[p.i]) {
			p.i++
		}
		if n := p.i - frac; digits > 12 || n == 0 || n > 3 {
			return 0, false, false
		}
		return 0, false, true
	}
	var v int64
	for _, c := range p.s[start:p.i] {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true, true
}

// str reads an sf-string: printable ASCII, with \" and \\ escapes. A
// string without escapes is returned as a slice of the field.
func (p *sfParser) str() (string, bool) {
	p.i++ // the opening quote
	start := p.i
	var b *strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '"':
			if b == nil {
				return p.s[start : p.i-1], true
			}
			return b.String(), true
		case c == '\\':
			if p.i == len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", false
			}
			if b == nil {
				b = &strings.Builder{}
				b.WriteString(p.s[start : p.i-1])
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c < 0x20 || c > 0x7e:
			return "", false
		case b != nil:
			b.WriteByte(c)
		}
	}
	return "", false
}

// token reads an sf-token: ALPHA or "*", then tchar, ":" or "/".
func (p *sfParser) token() (string, bool) {
	start := p.i
	if p.i >= len(p.s) || !(isAlpha(p.s[p.i]) || p.s[p.i] == '*') {
		return "", false
	}
	p.i++
	for p.i < len(p.s) && (isTchar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '/') {
		p.i++
	}
	return p.s[start:p.i], true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isTchar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isSFKeyChar reports whether c may stand in a key: lcalpha or "*" first,
// then also digits, "_", "-" and ".".
func isSFKeyChar(c byte, first bool) bool {
	if 'a' <= c && c <= 'z' || c == '*' {
		return true
	}
	return !first && (isDigit(c) || c == '_' || c == '-' || c == '.')
}

func isSFKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSFKeyChar(s[i], i == 0) {
			return false
		}
	}
	return s != ""
}

// CostDelay is the wait a vendor's documented cost formula gives: the
// request costs cost units, available are left, and rate units come back
// per second (Shopify GraphQL's requestedQueryCost, currentlyAvailable and
// restoreRate), so capacity is back after (cost - available) / rate
// seconds; 0 when it already is. A non-positive rate, NaN, infinities and
// negative cost or available report ok=false; a delay longer than
// [apierr.MaxDelay] (the safety cap) is capped to it.
func CostDelay(cost, available, rate float64) (time.Duration, bool) {
	for _, v := range []float64{cost, available, rate} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return 0, false
		}
	}
	if rate == 0 {
		return 0, false
	}
	if cost <= available {
		return 0, true
	}
	q := (cost - available) / rate
	if math.IsInf(q, 1) {
		return apierr.MaxDelay, true
	}
	return ParseDelayNumber(q, time.Second)
}

// BoundDelay applies a catalog's default and minimum delay for a status or
// code to the delay the server gave (d, ok): with no server delay the
// default, when there is one (> 0), is used; then a delay below the
// minimum (> 0), or none at all, becomes the minimum.
func BoundDelay(d time.Duration, ok bool, minDelay, defaultDelay time.Duration) (time.Duration, bool) {
	if !ok && defaultDelay > 0 {
		d, ok = defaultDelay, true
	}
	if minDelay > 0 && (!ok || d < minDelay) {
		d, ok = minDelay, true
	}
	return d, ok
}
