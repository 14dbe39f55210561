package apierr

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/errcat/errcat/apierr/internal/shared"
)

// DefaultMaxBodyBytes bounds how much of an error body generated parsers read:
// error bodies are small, and a hostile or broken server must not make a
// client buffer an endless stream.
const DefaultMaxBodyBytes = 64 << 10

// DefaultBodyWait bounds how long reading a body for inspection waits for
// its bytes, from the first read to the last. Error bodies arrive with their
// headers in practice; a body that has not arrived within a second is a
// stream or a stall, and the request must not wait on it. Past the wait the
// inspection decodes what arrived, as for a body cut by the size limit; the
// caller still reads the whole body. Change it for a [Transport] with
// [WithBodyWait].
const DefaultBodyWait = time.Second

// ErrBodyWait is the error [PeekBody] returns when the body did not arrive
// within the wait (see [DefaultBodyWait]).
var ErrBodyWait = errors.New("apierr: response body did not arrive within the inspection wait")

// PeekBody reads at most limit bytes of resp.Body and puts them back in front
// of the unread rest, so the caller can still read the whole body from the
// start. truncated reports that the body holds more than limit bytes. A
// limit of zero or less means [DefaultMaxBodyBytes]. A nil response or body
// yields no bytes.
//
// PeekBody never waits long: it stops reading when the wait runs out (the
// [WithBodyWait] of the Transport that made resp, else [DefaultBodyWait])
// or the request's context ends, and then returns the bytes read so far with
// [ErrBodyWait] or the context's error; a body whose inspection already
// gave up and is still stalled is not waited for again. Any read error is
// returned the same way, with the bytes before it. In every case resp.Body still serves the
// whole body as it arrived: the bytes read, any that a read still pending
// delivers, then the rest, or the read error. A body whose bytes are all in
// memory already (io.NopCloser of a *bytes.Reader, *strings.Reader or
// *bytes.Buffer) cannot stall and is read without a goroutine (outside a
// Transport's attempt its bytes are copied with ReadAt and resp.Body is
// left as it is); any other is read by one that PeekBody can give up on.
func PeekBody(resp *http.Response, limit int64) (prefix []byte, truncated bool, err error) {
	if resp == nil || resp.Body == nil || resp.Body == http.NoBody {
		return nil, false, nil
	}
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if limit > math.MaxInt-1 {
		limit = math.MaxInt - 1 // limit+1 below must not overflow
	}
	wait, ctxDone, ctxErr := DefaultBodyWait, (<-chan struct{})(nil), func() error { return nil }
	var attempt *attemptInfo
	if resp.Request != nil {
		ctx := resp.Request.Context()
		ctxDone, ctxErr = ctx.Done(), ctx.Err
		if attempt = attemptOf(ctx); attempt != nil && attempt.bodyWait > 0 {
			wait = attempt.bodyWait
		}
	}
	if attempt == nil {
		// Outside a Transport's attempt no classified error is kept with
		// the body, so a body in memory need not be wrapped: its bytes
		// are copied, and resp.Body is left as it is.
		if buf, truncated, ok := copyInMemory(resp.Body, limit); ok {
			return buf, truncated, nil
		}
	}
	if p, ok := resp.Body.(*peekedBody); ok && p.off == 0 && !p.stalled() && (p.err != nil || int64(len(p.buf)) > limit) {
		// An earlier inspection (the Transport's, before the caller's
		// FromResponse) holds every byte this one needs: no read at all.
		buf, err := p.buf, p.err
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if int64(len(buf)) > limit {
			return buf[:limit:limit], true, nil
		}
		return buf[:len(buf):len(buf)], false, err
	}
	if p, ok := resp.Body.(*peekedBody); ok && p.off == 0 && p.stalled() {
		// An inspection already gave up waiting for this body and its read
		// is still pending: do not wait again.
		p.mu.Lock()
		buf := p.buf
		p.mu.Unlock()
		if int64(len(buf)) > limit {
			return buf[:limit:limit], true, ErrBodyWait
		}
		return buf[:len(buf):len(buf)], false, ErrBodyWait
	}
	// Reads run in a goroutine (unless the bytes are in memory) so that a
	// stalled body costs the wait, not the request: net/http's response
	// bodies cannot be given a deadline.
	p := &peekedBody{body: resp.Body, max: int(limit) + 1, size: resp.ContentLength}
	resp.Body = p
	err = p.read(wait, ctxDone, ctxErr)
	if !p.stalled() {
		// fill is over (perhaps just as the wait ran out): buf and err are
		// final.
		buf, err := p.buf, p.err
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if int64(len(buf)) > limit {
			return buf[:limit:limit], true, err
		}
		return buf, false, err
	}
	// fill may still be reading: take what it has published and tell it to
	// stop after its current read, whose bytes the caller will get.
	p.mu.Lock()
	p.stop = true
	buf := p.buf
	p.mu.Unlock()
	if int64(len(buf)) > limit {
		return buf[:limit:limit], true, err
	}
	return buf[:len(buf):len(buf)], false, err
}

// closedDone is the done channel of a body filled without a goroutine.
var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// timers are the stopped timers PeekBody waits with, reused: a timer per
// error response was a third of an inspection's allocations.
var timers = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}}

// nopClosers are the types io.NopCloser returns (with and without WriteTo).
var nopClosers = [2]reflect.Type{reflect.TypeOf(io.NopCloser(bytes.NewReader(nil))), reflect.TypeOf(io.NopCloser(struct{ io.Reader }{}))}

// inMemory reports whether body serves bytes already in memory, and how
// many are left: io.NopCloser of a *bytes.Reader, *strings.Reader or
// *bytes.Buffer, as tests, caches and middleware make. Nothing else is,
// whatever it claims: a network body must be read by a goroutine that can
// be given up on.
func inMemory(body io.ReadCloser) (int, bool) {
	if !isNopCloser(body) {
		return 0, false
	}
	switch r := reflect.ValueOf(body).Field(0).Interface().(type) {
	case *bytes.Reader:
		if r != nil {
			return r.Len(), true
		}
	case *strings.Reader:
		if r != nil {
			return r.Len(), true
		}
	case *bytes.Buffer:
		if r != nil {
			return r.Len(), true
		}
	}
	return 0, false
}

// copyInMemory copies at most limit of the bytes left in an in-memory body
// (see inMemory) without reading them: ReadAt (or Bytes) leaves the
// reader where it was, so the body needs no wrapper to serve them again.
// truncated reports that more than limit bytes are left.
func copyInMemory(body io.ReadCloser, limit int64) (buf []byte, truncated, ok bool) {
	if !isNopCloser(body) {
		return nil, false, false
	}
	switch r := reflect.ValueOf(body).Field(0).Interface().(type) {
	case *bytes.Reader:
		if r != nil {
			left := int64(r.Len())
			buf = make([]byte, min(left, limit))
			n, _ := r.ReadAt(buf, r.Size()-left)
			return buf[:n:n], left > limit, true
		}
	case *strings.Reader:
		if r != nil {
			left := int64(r.Len())
			buf = make([]byte, min(left, limit))
			n, _ := r.ReadAt(buf, r.Size()-left)
			return buf[:n:n], left > limit, true
		}
	case *bytes.Buffer:
		if r != nil {
			left := r.Bytes()
			buf = make([]byte, min(int64(len(left)), limit))
			copy(buf, left)
			return buf, int64(len(left)) > limit, true
		}
	}
	return nil, false, false
}

// isNopCloser reports whether body is one of the types io.NopCloser
// returns.
func isNopCloser(body io.ReadCloser) bool {
	t := reflect.TypeOf(body)
	return t == nopClosers[0] || t == nopClosers[1]
}

// peekedBody is a response body being read ahead by fill, at most max
// bytes. Read serves the bytes fill read, then the rest of the body.
type peekedBody struct {
	body io.ReadCloser
	max  int
	size int64         // Content-Length: the body's announced length, -1 if unknown
	done chan struct{} // closed when fill returns; buf and err are final then

	mu   sync.Mutex
	buf  []byte // the bytes fill read so far; grows only past what it published
	err  error  // the error that ended fill's reads (io.EOF at the end)
	stop bool   // PeekBody gave up waiting: fill returns after its current read

	off int // Read's position in buf

	// classified is the error the Transport's Classify made of the
	// response this body belongs to, kept so that the caller's parser
	// need not parse the body again (see errcatimpl.Classified).
	classified    error
	hasClassified bool
}

func init() { shared.Classified = classifiedOf }

// classifiedOf returns the error a Transport's Classify made of resp, if
// the transport peeked its body and classified it.
func classifiedOf(resp *http.Response) (error, bool) {
	if resp == nil {
		return nil, false
	}
	p, ok := resp.Body.(*peekedBody)
	if !ok || !p.hasClassified {
		return nil, false
	}
	return p.classified, true
}

// maxPrealloc bounds the buffer fill allocates before reading on the word
// of a Content-Length header, which a server may inflate: beyond it the
// buffer grows as bytes actually arrive.
const maxPrealloc = 1 << 20

// fill reads ahead. A known length (size, from Content-Length) sizes the
// buffer once, so that a body of that length costs one allocation of its
// size rather than doublings (io.ReadAll took twice to three times the body
// at 64 KiB); an unknown one starts small and doubles, never past max. When
// all that was announced, or all but the byte that tells a body longer
// than the limit, is in, fill probes for one more byte rather than grow for
// it, which would double the buffer.
func (p *peekedBody) fill() {
	c := 512
	if p.size > 0 { // 0 is also what a hand-made http.Response says
		c = int(min(p.size, maxPrealloc))
	}
	buf := make([]byte, 0, min(c, p.max))
	for len(buf) < p.max {
		if len(buf) == cap(buf) {
			if int64(len(buf)) == p.size || len(buf) == p.max-1 {
				var probe [1]byte
				n, err := p.body.Read(probe[:])
				if n > 0 {
					buf = append(buf, probe[0]) // a new array: readers keep the old
				}
				if !p.publish(buf, err) {
					return
				}
				continue
			}
			// The new array is fill's until published; readers keep the old.
			grown := make([]byte, len(buf), min(2*cap(buf), p.max))
			copy(grown, buf)
			buf = grown
		}
		n, err := p.body.Read(buf[len(buf):min(cap(buf), p.max)])
		buf = buf[:len(buf)+n]
		if !p.publish(buf, err) {
			return
		}
	}
}

// read fills p, at most for wait or until ctxDone: synchronously when its
// bytes are all in memory, else in a goroutine it can give up on.
func (p *peekedBody) read(wait time.Duration, ctxDone <-chan struct{}, ctxErr func() error) error {
	if n, ok := inMemory(p.body); ok {
		// Every byte is in memory already (a body a test, a cache or a
		// middleware made): reading cannot stall, so no goroutine waits.
		// One byte past the length takes the end-of-file read, so the
		// buffer is allocated once and no probe is needed.
		p.size, p.done = int64(n)+1, closedDone
		p.fill()
		return nil
	}
	p.done = make(chan struct{})
	go p.run()
	timer := timers.Get().(*time.Timer)
	timer.Reset(wait)
	var err error
	select {
	case <-p.done:
	case <-timer.C:
		err = ErrBodyWait
	case <-ctxDone:
		err = ctxErr()
	}
	// Since Go 1.23 a stopped timer's channel delivers nothing stale, so
	// the timer can serve the next inspection.
	timer.Stop()
	timers.Put(timer)
	return err
}

// run fills in a goroutine and then closes done.
func (p *peekedBody) run() {
	p.fill()
	close(p.done)
}

// publish makes buf and err what readers see, and reports whether fill
// goes on reading.
func (p *peekedBody) publish(buf []byte, err error) bool {
	p.mu.Lock()
	p.buf = buf
	p.err = err
	stop := p.stop
	p.mu.Unlock()
	return err == nil && !stop
}

func (p *peekedBody) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		p.mu.Lock()
		buf := p.buf
		p.mu.Unlock()
		if p.off < len(buf) {
			n := copy(b, buf[p.off:])
			p.off += n
			return n, nil
		}
		if p.stalled() {
			// fill stops after its current read (PeekBody told it to):
			// wait for that read's bytes.
			<-p.done
			continue
		}
		// fill is over: buf and err are final.
		if p.err != nil {
			return 0, p.err
		}
		return p.body.Read(b)
	}
}

// stalled reports whether fill is still reading after PeekBody gave up.
func (p *peekedBody) stalled() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Close closes the original body, which also ends a read fill has pending.
func (p *peekedBody) Close() error { return p.body.Close() }
