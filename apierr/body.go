package apierr

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
)

// DefaultMaxBodyBytes bounds how much of an error body generated parsers read:
// error bodies are small, and a hostile or broken server must not make a
// client buffer an endless stream.
const DefaultMaxBodyBytes = 64 << 10

// PeekBody reads at most limit bytes of resp.Body and puts them back in front
// of the unread rest, so the caller can still read the whole body from the
// start. truncated reports that the body holds more than limit bytes. A
// limit of zero or less means [DefaultMaxBodyBytes]. A nil response or body
// yields no bytes.
func PeekBody(resp *http.Response, limit int64) (prefix []byte, truncated bool, err error) {
	if resp == nil || resp.Body == nil || resp.Body == http.NoBody {
		return nil, false, nil
	}
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if limit > math.MaxInt64-1 {
		limit = math.MaxInt64 - 1 // limit+1 below must not overflow
	}
	// Read one byte past the limit to learn whether the body goes on.
	buf, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil && !errors.Is(err, io.EOF) {
		// Keep what was read readable, then surface the read error too.
		resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(buf), errReader{err}), closer: resp.Body}
		if int64(len(buf)) > limit {
			return buf[:limit:limit], true, err
		}
		return buf, false, err
	}
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(buf), resp.Body), closer: resp.Body}
	if int64(len(buf)) > limit {
		return buf[:limit:limit], true, nil
	}
	return buf, false, nil
}

// replayBody serves the bytes PeekBody read and then the rest of the original
// body, and closes the original.
type replayBody struct {
	io.Reader
	closer io.Closer
}

func (b *replayBody) Close() error { return b.closer.Close() }

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// MayHoldJSON reports whether a response's Content-Type allows a JSON body:
// it names JSON, is text/plain (what servers that do not set one send,
// since net/http sniffs JSON as text/plain), or is absent. Generated
// parsers read success responses only where a catalog says errors may hide
// in them, and then only if they may be JSON, so a download is never held
// up.
func MayHoldJSON(h http.Header) bool {
	ct := strings.ToLower(strings.TrimSpace(h.Get("Content-Type")))
	return ct == "" || strings.Contains(ct, "json") || strings.HasPrefix(ct, "text/plain")
}
