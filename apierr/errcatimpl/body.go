package errcatimpl

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"math"
	"net/http"
	"strings"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/internal/shared"
)

// InspectBody reads the start of resp's body for a parser to classify, as
// [PeekBody] does, and treats a body it could not read in full like one cut
// by the size limit: truncated is true when the body holds more than limit
// bytes, when a read failed or when the wait ran out, and the parser then
// decodes the bytes as far as they go. A gzip or deflate Content-Encoding
// (which net/http leaves alone when the caller asked for it) is decoded for
// the inspection only, see [DecodeContent]; resp.Body still serves the body
// as it arrived.
func InspectBody(resp *http.Response, limit int64) (body []byte, truncated bool) {
	body, truncated, err := apierr.PeekBody(resp, limit)
	if err != nil {
		truncated = true
	}
	if resp == nil {
		return body, truncated
	}
	body, cut := DecodeContent(resp.Header, body, limit)
	return body, truncated || cut
}

// DecodeContent returns body decoded as its Content-Encoding header says,
// for gzip (x-gzip) and deflate (zlib or raw), and body itself for any other
// encoding, for none, and for bytes that are not in the encoding named. At
// most limit decoded bytes are produced ([DefaultMaxBodyBytes] if limit is
// not positive), however small the input, so a decompression bomb costs no
// more than a large body; cut reports that the decoded body went on past
// limit or that the encoded bytes ended early (a truncated body), and the
// bytes decoded so far are returned.
func DecodeContent(h http.Header, body []byte, limit int64) (decoded []byte, cut bool) {
	enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	if enc == "" || enc == "identity" || len(body) == 0 {
		return body, false
	}
	if limit <= 0 {
		limit = apierr.DefaultMaxBodyBytes
	}
	if limit > math.MaxInt-1 {
		limit = math.MaxInt - 1
	}
	var r io.Reader
	switch enc {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return body, false
		}
		r = zr
	case "deflate":
		// RFC 9110 says zlib; some servers send raw deflate.
		if zr, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(body))
		}
	default:
		return body, false
	}
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	if len(out) == 0 && err != nil {
		// Not in the encoding named after all: inspect the bytes as sent.
		return body, false
	}
	if int64(len(out)) > limit {
		return out[:limit:limit], true
	}
	return out, err != nil
}

// MayHoldJSON reports whether a response's Content-Type allows a JSON body
// that ends: application/json, text/json, application/x-json, a +json type
// (application/problem+json), text/plain (what servers that do not set one
// send, since net/http sniffs JSON as text/plain), or none. Streams of JSON
// values (application/x-ndjson, application/json-seq, application/jsonl,
// application/stream+json, text/event-stream) are not. Generated parsers
// read success responses only where a catalog says errors may hide in them,
// and then only if they may be JSON, so a download or a stream is never
// held up; any other read waits at most the [DefaultBodyWait].
func MayHoldJSON(h http.Header) bool {
	ct := h.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	switch ct {
	case "", "application/json", "text/json", "application/x-json", "text/plain":
		return true
	case "application/stream+json", "application/x-stream+json":
		return false
	}
	return strings.HasSuffix(ct, "+json")
}

// Classified returns the error the policy of the apierr.Transport that made
// resp already made of it, when that error is an E (the calling package's
// own *Error): the transport's final error response is then parsed once,
// and the caller's FromResponse returns the same error. A response that
// did not come through a Transport, or was classified by another vendor's
// package, reports false.
func Classified[E error](resp *http.Response) (E, bool) {
	var zero E
	err, ok := shared.Classified(resp)
	if !ok {
		return zero, false
	}
	e, ok := err.(E)
	return e, ok
}
