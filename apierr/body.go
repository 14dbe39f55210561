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
	buf, err := readAtMost(resp.Body, limit+1, resp.ContentLength)
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

// maxPrealloc bounds the buffer PeekBody allocates before reading on the
// word of a Content-Length header, which a server may inflate: beyond it
// the buffer grows as bytes actually arrive.
const maxPrealloc = 1 << 20

// readAtMost reads up to n bytes of r, until EOF. A known length (size,
// from Content-Length; -1 if unknown) sizes the buffer once, so that a
// body of that length costs one allocation of its size rather than
// io.ReadAll's growth (twice to three times the body at 64 KiB); an
// unknown one starts small and doubles, never past n. A body longer than
// announced is still read, to n.
func readAtMost(r io.Reader, n, size int64) ([]byte, error) {
	c := int64(512)
	if size > 0 { // 0 is also what a hand-made http.Response says
		c = size
	}
	buf := make([]byte, 0, min(c, n, maxPrealloc))
	for {
		have := int64(len(buf))
		if have >= n {
			return buf, nil
		}
		if have == int64(cap(buf)) {
			if have == size || have == n-1 {
				// All that was announced, or all but the byte that tells
				// a longer body, is in: probe for one more byte rather
				// than grow for it, which would double the buffer.
				var probe [1]byte
				m, err := io.ReadFull(r, probe[:])
				if m == 0 {
					if err == io.EOF {
						err = nil
					}
					return buf, err
				}
				buf = append(buf, probe[0]) // the body is longer: grows once
				continue
			}
			grown := make([]byte, len(buf), min(max(int64(cap(buf))*2, 512), n))
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):min(int64(cap(buf)), n)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
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
