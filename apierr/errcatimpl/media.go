package errcatimpl

import (
	"net/http"
	"strings"
)

// MediaType is the essence of a response's Content-Type (type/subtype),
// lower-cased, its parameters (charset, …) and surrounding white space
// dropped; "" when there is none.
func MediaType(h http.Header) string {
	ct := h.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// MediaTypeIn reports whether a response's media type ([MediaType]) is one
// of types: an essence such as "application/problem+json", or a
// structured-syntax suffix such as "+xml", which matches every media type
// whose subtype ends with it (application/xml itself is not a +xml type:
// list it as well). Catalog entries are lower-case.
func MediaTypeIn(h http.Header, types ...string) bool {
	mt := MediaType(h)
	slash := strings.IndexByte(mt, '/')
	if slash <= 0 || slash == len(mt)-1 {
		return false
	}
	for _, t := range types {
		if t == mt || (strings.HasPrefix(t, "+") && strings.HasSuffix(mt[slash+1:], t) && len(mt[slash+1:]) > len(t)) {
			return true
		}
	}
	return false
}

// URIPart is which part of a Problem Details type URI is the code.
type URIPart int

// The parts of a type URI a catalog may take as the code.
const (
	URIWhole       URIPart = iota // the whole URI, as sent
	URIFragment                   // what follows '#'
	URILastSegment                // the last path segment (for a URN: what follows its last ':')
)

// ProblemType returns the code a Problem Details (RFC 9457) type member
// carries, as the catalog says to read it (part). It reports false for a
// type that is empty or about:blank, which per RFC 9457 means the problem
// has no meaning beyond its HTTP status. When the part asked for is
// missing (no fragment, no path segment), the whole URI is the code: an
// unknown code then keeps what the vendor sent.
func ProblemType(uri string, part URIPart) (string, bool) {
	uri = strings.TrimSpace(uri)
	if uri == "" || strings.EqualFold(uri, "about:blank") {
		return "", false
	}
	switch part {
	case URIFragment:
		if i := strings.IndexByte(uri, '#'); i >= 0 && i < len(uri)-1 {
			return uri[i+1:], true
		}
	case URILastSegment:
		p := uri
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if i := strings.Index(p, "://"); i >= 0 { // skip the authority
			rest := p[i+3:]
			p = ""
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				p = rest[j:]
			}
		}
		p = strings.TrimRight(p, "/")
		sep := strings.LastIndexByte(p, '/')
		if sep < 0 {
			sep = strings.LastIndexByte(p, ':') // a URN
		}
		if sep >= 0 && sep < len(p)-1 {
			return p[sep+1:], true
		}
	}
	return uri, true
}
