package apierr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/errcat/errcat/apierr/internal/text"
)

// Defaults of a [Transport], chosen to keep a single call under about a
// minute in the worst case while riding out brief outages.
const (
	// DefaultMaxAttempts is the total number of attempts, the first included.
	DefaultMaxAttempts = 4
	// DefaultBackoffBase is the backoff ceiling before the first retry.
	DefaultBackoffBase = 100 * time.Millisecond
	// DefaultBackoffMax caps the backoff ceiling however many retries ran.
	DefaultBackoffMax = 20 * time.Second
	// DefaultMaxServerDelay is the longest server-requested delay honoured.
	DefaultMaxServerDelay = 20 * time.Second
	// DefaultServerDelayJitter is the largest fraction of a server-requested
	// delay the transport adds to it at random unless [WithServerDelayJitter]
	// says otherwise: none, so a transport waits exactly what the server
	// asked for (and test kits' scripted waits stay exact).
	DefaultServerDelayJitter = 0.0
)

// maxDrainBytes bounds how much of a discarded response is read so that its
// connection can go back to the pool; past that, closing the connection is
// cheaper than reading on.
const maxDrainBytes = 64 << 10

// Clock is the time source of a [Transport]. Tests substitute one that does
// not sleep; the default is the real clock.
//
// One clock rule: the clock that times a Transport's sleeps and deadline
// checks is also the one generated parsers measure server delays against
// (an HTTP-date in Retry-After, an epoch reset time): each attempt's request
// carries it in its context, and generated code reads it with [Now]. A
// response that did not come through a Transport is measured against
// time.Now. Waits for I/O (see [WithBodyWait]) use real time, like
// net/http's own timeouts.
type Clock interface {
	// Now returns the current time; it is compared with context deadlines.
	Now() time.Time
	// After delivers on the returned channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

// RetryEvent describes one retry a [Transport] is about to make. It carries
// no header values and no bodies, so it is safe to log: credentials travel in
// headers, and bodies may echo them back. Its texts are each one line of
// bounded length without control or invisible formatting characters: Code
// ([CodeOf]) is cut at [MaxEventCode] runes, Err at [MaxEventErr],
// Reason and URL at [MaxEventText] (then "…" follows), so a server can
// neither forge nor flood a log line.
type RetryEvent struct {
	// Vendor is the Policy's vendor id.
	Vendor string
	// Attempt is the number of the attempt that failed, counting from 1;
	// the retry is attempt Attempt+1.
	Attempt int
	// Method is the request's HTTP method.
	Method string
	// URL is the request URL without userinfo, query string or fragment,
	// which commonly hold credentials.
	URL string
	// Status is the failed attempt's HTTP status, or 0 for a transport error.
	Status int
	// Kind is the classified error's kind (KindUnknown for transport errors).
	Kind Kind
	// Action is the classified error's action (ActionNone for transport
	// errors).
	Action Action
	// Code is the vendor's error code, or "".
	Code string
	// Err is the text of the transport error, or "" for a response.
	Err string
	// Reason summarizes why the request is retried, for humans.
	Reason string
	// Delay is how long the transport waits before the retry.
	Delay time.Duration
	// ServerDelay reports whether Delay was requested by the server rather
	// than computed by backoff.
	ServerDelay bool
}

// Caps of the texts of a [RetryEvent], in runes.
const (
	MaxEventCode = 100
	MaxEventErr  = 200
	MaxEventText = 400
)

// Option configures a [Transport].
type Option func(*Transport)

// WithMaxAttempts sets the total number of attempts per request, the first
// included. Values below 1 mean 1: send once, never retry.
func WithMaxAttempts(n int) Option {
	return func(t *Transport) {
		if n < 1 {
			n = 1
		}
		t.maxAttempts = n
	}
}

// WithBackoff sets the full-jitter exponential backoff used when the server
// gives no delay: before retry k (from 1) the transport waits a uniformly
// random time in [0, min(ceiling, base*2^(k-1))]. A base of zero or less
// keeps the default; a ceiling below base is raised to base.
func WithBackoff(base, ceiling time.Duration) Option {
	return func(t *Transport) {
		if base <= 0 {
			return
		}
		if ceiling < base {
			ceiling = base
		}
		t.backoffBase, t.backoffMax = base, ceiling
	}
}

// WithMaxServerDelay caps the delay the transport is willing to wait when the
// server asks for one. A longer request ends retrying at once and returns
// that response, so that the caller, not a sleeping transport, decides what
// to do about "come back in an hour". Zero or less keeps the default.
func WithMaxServerDelay(d time.Duration) Option {
	return func(t *Transport) {
		if d > 0 {
			t.maxServerDelay = d
		}
	}
}

// WithServerDelayJitter sets the jitter added to a delay the server asked
// for: the transport waits the delay plus a uniformly random extra of up
// to frac times the delay, so that clients told the same Retry-After do
// not all come back at one instant. Jitter only ever adds time: the
// transport never retries before the server's delay has passed, and it
// never lifts a delay within the [WithMaxServerDelay] cap above the cap.
// frac is clamped to [0, 1]; 0 waits exactly the server's delay, which is
// the default ([DefaultServerDelayJitter]). Samsara's own SDK adds up to
// 20 % (0.2) to its reset header's delay.
func WithServerDelayJitter(frac float64) Option {
	return func(t *Transport) {
		if !(frac > 0) { // also NaN
			frac = 0
		}
		t.serverJitter, t.serverJitterSet = min(frac, 1), true
	}
}

// WithRetryNonIdempotent makes the transport repeat requests whose method is
// not idempotent (POST, PATCH, ...) even without an idempotency key. Only
// enable it when duplicates are harmless.
func WithRetryNonIdempotent(retry bool) Option {
	return func(t *Transport) { t.retryNonIdempotent = retry }
}

// WithReauthenticate sets the hook that obtains new credentials when a
// response's action is [ActionReauthenticate]. Concurrent requests that fail
// with the same credentials share one call; a request that failed after
// another one already refreshed does not call it again. A request safe to
// repeat (see [Transport]) is then sent once more; any other request comes
// back with its response, and the caller's own resend carries the new
// credentials. If refresh fails, the transport returns the failing
// response; the error itself is for the hook to report. The shared
// call runs with the context of the request that started it, so if that
// request is cancelled the others get the failing response too.
//
// The hook may log in through a client that uses this same Transport,
// provided it sends its requests with the context it is given: a request
// made with that context never waits on the refresh in progress nor starts
// one, so a login answered with 401 returns its response to the hook, the
// refresh fails, and the callers get their 401 responses. A request made
// with another context cannot be told apart from any other caller's and
// would wait for the refresh it is part of until its deadline.
func WithReauthenticate(refresh func(ctx context.Context) error) Option {
	return func(t *Transport) { t.refresh = refresh }
}

// WithAuthorize sets a hook applied to every attempt's copy of the request,
// typically to set an Authorization header, so that a retry after
// reauthentication carries the refreshed credentials. An error ends the
// request with that error.
//
// The hook is not applied to a request that http.Client made to follow a
// redirect to another origin (scheme, host and port) than the request the
// caller sent, such as a pre-signed storage URL or a CDN: like http.Client
// does for headers the caller sets, the Transport does not hand credentials
// to a host they were not meant for. [WithAuthorizeCrossOrigin] opts out.
func WithAuthorize(authorize func(*http.Request) error) Option {
	return func(t *Transport) { t.authorize = authorize }
}

// WithAuthorizeCrossOrigin makes the [WithAuthorize] hook apply also to
// requests that follow a redirect to another origin than the caller's
// request. Only enable it when every host the API redirects to may see the
// credentials.
func WithAuthorizeCrossOrigin(allow bool) Option {
	return func(t *Transport) { t.authorizeCrossOrigin = allow }
}

// WithBodyWait sets how long reading a response body for classification
// may wait for its bytes; zero or less keeps [DefaultBodyWait]. Past the
// wait the response is classified from the bytes that arrived, as for a
// body cut by the size limit, and the caller still reads the whole body;
// a discarded response's body is drained for at most this long too.
func WithBodyWait(d time.Duration) Option {
	return func(t *Transport) {
		if d > 0 {
			t.bodyWait = d
		}
	}
}

// WithOnRetry sets an observer called synchronously before each retry. It
// must be safe for concurrent use and should return quickly.
func WithOnRetry(fn func(RetryEvent)) Option {
	return func(t *Transport) { t.onRetry = fn }
}

// WithLogger makes the transport log one record per retry, at Info level,
// with the fields of [RetryEvent].
func WithLogger(l *slog.Logger) Option {
	return func(t *Transport) { t.logger = l }
}

// WithClock sets the transport's time source; tests use it to avoid real
// sleeps. A nil clock means real time. Generated parsers measure server
// delays against the same clock (see [Clock] and [Now]).
func WithClock(c Clock) Option {
	return func(t *Transport) { t.clock = c }
}

// Transport is an [http.RoundTripper] that repeats requests as a vendor's
// [Policy] says: it retries transient failures with the server's delay or
// full-jitter backoff, refreshes credentials when asked to, and otherwise
// returns responses untouched, with their bodies readable from the start.
//
// A request is only repeated when that is safe: its method is idempotent
// (GET, HEAD, OPTIONS, TRACE, PUT, DELETE), the caller's request carries the
// Policy's idempotency key header (a key set by the [WithAuthorize] hook
// does not count: the hook runs again for every attempt and may make a new
// key each time) or, for a vendor that takes the key in the body, a JSON
// body with the key (read through Request.GetBody only, when a retry is
// first considered; see [Policy].IdempotencyKeyField), or
// [WithRetryNonIdempotent] is set; and its body,
// if any, can be recreated through Request.GetBody. When retries run out the
// last response is returned with a nil error, as net/http does.
//
// A transport error is retried unless it is permanent, that is, unless
// sending again cannot succeed: a certificate that does not verify (unknown
// authority, wrong host name, expired, not trusted), a server that does not
// speak TLS, an unsupported protocol scheme, an invalid method, URL, header
// name or value, or too many redirects (a [WithDecide] hook sees these with
// Retry false and may overrule). The request's own context ending is never
// retried either.
//
// Reading a response to classify it never holds the request up for long:
// a success is read only where the Policy's classifier needs its body, and
// every read waits at most [DefaultBodyWait] (see [WithBodyWait]).
//
// Make one with [NewTransport]; the zero Transport sends through
// [http.DefaultTransport] with the default settings and, lacking a
// Classify, never retries a response. A Transport is safe for concurrent
// use.
type Transport struct {
	base               http.RoundTripper
	policy             Policy
	maxAttempts        int
	backoffBase        time.Duration
	backoffMax         time.Duration
	maxServerDelay     time.Duration
	serverJitter       float64
	serverJitterSet    bool
	retryNonIdempotent bool
	refresh            func(context.Context) error
	authorize          func(*http.Request) error
	onRetry            func(RetryEvent)
	logger             *slog.Logger
	clock              Clock
	bodyWait           time.Duration

	authorizeCrossOrigin bool

	infoOnce sync.Once
	infos    []attemptInfo // attemptInfo's table

	// Fleet features, each in its own file: limiter.go, budget.go,
	// decide.go.
	limiter       Limiter
	rateLimits    []RateLimit
	rateLimitsSet bool
	quotaID       func(*http.Request, Scope) string
	budget        *RetryBudget
	decide        func(Outcome, Decision) Decision

	auth authState
}

// NewTransport returns a Transport that sends requests through base (nil
// means [http.DefaultTransport]) and classifies responses with p.Classify.
// A Policy without Classify treats every response as final.
func NewTransport(base http.RoundTripper, p Policy, opts ...Option) *Transport {
	t := &Transport{base: base, policy: p, maxAttempts: DefaultMaxAttempts}
	for _, o := range opts {
		if o != nil {
			o(t)
		}
	}
	return t
}

// settings are a Transport's knobs with every default applied.
type settings struct {
	base           http.RoundTripper
	maxAttempts    int
	backoffBase    time.Duration
	backoffMax     time.Duration
	maxServerDelay time.Duration
	bodyWait       time.Duration
}

// settings resolves the Transport's knobs: it is the one place where an
// unset value becomes its default, for a Transport from [NewTransport] and
// the zero Transport alike. NewTransport starts from [DefaultMaxAttempts];
// the zero Transport, made without it, sends once.
func (t *Transport) settings() settings {
	s := settings{
		base:           t.base,
		maxAttempts:    t.maxAttempts,
		backoffBase:    t.backoffBase,
		backoffMax:     t.backoffMax,
		maxServerDelay: t.maxServerDelay,
		bodyWait:       t.bodyWait,
	}
	if s.base == nil {
		s.base = http.DefaultTransport
	}
	if s.maxAttempts < 1 {
		s.maxAttempts = 1
	}
	if s.backoffBase <= 0 {
		s.backoffBase, s.backoffMax = DefaultBackoffBase, DefaultBackoffMax
	}
	if s.maxServerDelay <= 0 {
		s.maxServerDelay = DefaultMaxServerDelay
	}
	if s.bodyWait <= 0 {
		s.bodyWait = DefaultBodyWait
	}
	return s
}

// attemptKey is the context key under which each attempt's request carries
// its *attemptInfo, so that [Attempts], [Now] and [PeekBody] need no global
// state.
type attemptKey struct{}

// attemptInfo is what an attempt's request tells code reading its response.
type attemptInfo struct {
	n        int           // the attempt's number, from 1
	clock    Clock         // the Transport's clock, or nil for real time
	bodyWait time.Duration // the Transport's body wait (see [WithBodyWait])
}

// attemptInfo returns the info of attempt n. The first attempts' come
// from a table built once, so that the success path allocates nothing for
// them.
func (t *Transport) attemptInfo(n int) *attemptInfo {
	t.infoOnce.Do(func() {
		s := t.settings()
		t.infos = make([]attemptInfo, min(s.maxAttempts, 16))
		for i := range t.infos {
			t.infos[i] = attemptInfo{n: i + 1, clock: t.clock, bodyWait: s.bodyWait}
		}
	})
	if n >= 1 && n <= len(t.infos) {
		return &t.infos[n-1]
	}
	return &attemptInfo{n: n, clock: t.clock, bodyWait: t.settings().bodyWait}
}

func attemptOf(ctx context.Context) *attemptInfo {
	a, _ := ctx.Value(attemptKey{}).(*attemptInfo)
	return a
}

// Now returns the current time by the clock of the [Transport] that made
// resp (see [WithClock]), or time.Now for any other response. Generated
// parsers measure server-requested delays against it.
func Now(resp *http.Response) time.Time {
	if resp != nil && resp.Request != nil {
		if a := attemptOf(resp.Request.Context()); a != nil && a.clock != nil {
			return a.clock.Now()
		}
	}
	return time.Now()
}

// Attempts returns how many attempts the [Transport] made to produce resp:
// 1 when the first attempt's response was final, more after retries. The
// count travels in the context of resp.Request, so it survives wrapping by
// http.Client. A response that did not come through a Transport counts as 1
// (one plain round trip); a nil response counts as 0.
func Attempts(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	if resp.Request != nil {
		if a := attemptOf(resp.Request.Context()); a != nil {
			return a.n
		}
	}
	return 1
}

// RoundTrip implements [http.RoundTripper].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Every attempt is prepared (quotas, a fresh copy of the request,
	// credentials) and sent; then one named step decides what follows:
	// afterError for a transport error, and for a response classify, then
	// reauthenticate or afterResponse. The delay comes from decideError and
	// decideResponse (decide.go); giveUp is the one place that refuses a
	// retry a decision asked for; settings the one place defaults apply.
	c := t.newCall(req)
	for attempt := 1; ; attempt++ {
		r, gen, err := c.prepare(attempt)
		if err != nil {
			return nil, err
		}
		resp, err := c.cfg.base.RoundTrip(r)
		if err != nil {
			retry, final := c.afterError(attempt, err)
			if !retry {
				return nil, final
			}
			continue
		}
		if resp.Request == nil {
			// Attempts reads the count from resp.Request; some custom
			// RoundTrippers leave it unset.
			resp.Request = r
		}
		apiErr, final := c.classify(resp)
		if final {
			return resp, nil
		}
		if c.quotas != nil {
			t.cooldown(c.ctx, c.quotas, apiErr, c.cfg.maxServerDelay)
		}
		var retry bool
		if apiErr.Action() == ActionReauthenticate {
			retry, err = c.reauthenticate(attempt, resp, apiErr, gen)
		} else {
			retry, err = c.afterResponse(attempt, resp, apiErr)
		}
		switch {
		case err != nil:
			return nil, err
		case !retry:
			return resp, nil
		}
	}
}

// call is one request's state across its attempts.
type call struct {
	t   *Transport
	req *http.Request // the caller's request, never modified
	ctx context.Context
	cfg settings

	hasBody    bool
	repeatable bool // safe to send again, body included (see [Transport])
	bodyKey    bool // repeatable is to be decided by the body's idempotency key
	quotas     []Quota
	// inRefresh marks a request the reauthentication hook makes through
	// this Transport: it neither waits on the refresh it serves nor starts
	// one.
	inRefresh bool
	authorize func(*http.Request) error // nil on a cross-origin redirect
	reauthed  bool                      // credentials were refreshed once
}

func (t *Transport) newCall(req *http.Request) call {
	ctx := req.Context()
	hasBody := req.Body != nil && req.Body != http.NoBody
	safe, bodyKey := t.safeToRepeat(req)
	c := call{
		t:          t,
		req:        req,
		ctx:        ctx,
		cfg:        t.settings(),
		hasBody:    hasBody,
		repeatable: (!hasBody || req.GetBody != nil) && safe,
		bodyKey:    bodyKey,
		quotas:     t.quotas(req),
		inRefresh:  ctx.Value(refreshKey{}) == &t.auth,
		authorize:  t.authorize,
	}
	if c.authorize != nil && !t.authorizeCrossOrigin && redirectedElsewhere(req) {
		c.authorize = nil
	}
	return c
}

// prepare readies the request of attempt: it waits for the quotas, copies
// the caller's request with the attempt's context, gives it a fresh body
// and applies the authorize hook. gen is the credential generation the
// attempt is sent with.
func (c *call) prepare(attempt int) (r *http.Request, gen uint64, err error) {
	req := c.req
	if c.quotas != nil {
		if err := c.t.waitQuotas(c.ctx, c.quotas); err != nil {
			if attempt == 1 && c.hasBody {
				_ = req.Body.Close()
			}
			return nil, 0, err
		}
	}
	actx := context.WithValue(c.ctx, attemptKey{}, c.t.attemptInfo(attempt))
	if c.authorize != nil {
		// Authorize edits headers: give it a deep copy so the caller's
		// request stays untouched, as the RoundTripper contract asks.
		r = req.Clone(actx)
	} else {
		// Nothing below edits headers or URL, so a shallow copy is enough
		// and keeps the success path cheap.
		r = req.WithContext(actx)
	}
	if attempt > 1 && c.hasBody {
		// The first attempt consumed req.Body; later ones need a fresh
		// copy so the server sees identical bytes every time.
		body, err := req.GetBody()
		if err != nil {
			return nil, 0, fmt.Errorf("apierr: rewinding request body: %w", err)
		}
		r.Body = body
	}
	// Read the credential generation before authorizing, so that a refresh
	// racing with this attempt at worst causes one needless retry, never a
	// second refresh.
	gen = c.t.auth.generation()
	if c.authorize != nil {
		if err := c.authorize(r); err != nil {
			// A RoundTripper must close the body even when it fails.
			if r.Body != nil {
				_ = r.Body.Close()
			}
			return nil, 0, fmt.Errorf("apierr: authorizing request: %w", err)
		}
	}
	return r, gen, nil
}

// classify judges a response with the Policy. final reports that it goes
// back to the caller as it is: there is no classifier, it is a success (the
// retry budget is refunded), or its error is not an [Error] the transport
// can reason about. Otherwise apiErr is the vendor's error.
func (c *call) classify(resp *http.Response) (apiErr Error, final bool) {
	if c.t.policy.Classify == nil {
		return nil, true
	}
	cerr := c.t.policy.Classify(resp)
	// The caller's parser finds this error rather than parse the body again.
	if p, ok := resp.Body.(*peekedBody); ok {
		p.classified, p.hasClassified = cerr, true
	}
	if cerr == nil {
		c.t.succeeded()
		return nil, true
	}
	apiErr, ok := As(cerr)
	return apiErr, !ok
}

// canRepeat reports whether another attempt may follow attempt at all: the
// request is safe to send again and attempts are left. The body is read
// for an idempotency key only here, the first time a repeat is considered,
// so a call that succeeds never reads it.
func (c *call) canRepeat(attempt int) bool {
	if attempt >= c.cfg.maxAttempts {
		return false
	}
	if c.bodyKey {
		c.bodyKey = false
		c.repeatable = c.t.bodyHasIdempotencyKey(c.req)
	}
	return c.repeatable
}

// giveUp reports whether the transport returns what it has instead of
// retrying as d asks: d does not ask, the request cannot be repeated, the
// server's delay is above the [WithMaxServerDelay] cap, the wait would pass
// the context's deadline, or the [RetryBudget] is empty. The budget is
// spent only when every other check passed.
func (c *call) giveUp(attempt int, d Decision) bool {
	switch {
	case !d.Retry, !c.canRepeat(attempt):
		return true
	case d.ServerDelay && d.Delay > c.cfg.maxServerDelay:
		return true
	}
	return !c.t.fitsDeadline(c.ctx, d.Delay) || !c.t.spendRetry()
}

// afterError decides what follows a transport error: retry after the
// delay, or return final (the error itself, or the context's if the wait
// was cut short).
func (c *call) afterError(attempt int, err error) (retry bool, final error) {
	// Only the request's own context counts as cancellation: a timeout
	// inside the base (a dial timeout, a per-attempt deadline) is
	// transient and worth retrying. The decision hook is not asked about a
	// request that could not be sent again anyway.
	if !c.canRepeat(attempt) || c.ctx.Err() != nil {
		return false, err
	}
	d := c.t.decideError(c.req, err, attempt, c.t.backoff(attempt))
	if c.giveUp(attempt, d) {
		return false, err
	}
	line := text.OneLine(transportErrorText(err), MaxEventErr)
	c.t.emit(c.ctx, c.req, RetryEvent{
		Attempt: attempt,
		Err:     line,
		Reason:  "transport error: " + line,
		Delay:   d.Delay,
	})
	if err := c.t.sleep(c.ctx, d.Delay); err != nil {
		return false, err
	}
	return true, nil
}

// afterResponse decides what follows an error response that does not ask
// to reauthenticate: the catalog's action, the server's delay or backoff
// and the decision hook give a [Decision]; unless giveUp refuses it, resp
// is discarded, the retry reported and the delay waited. An error means
// the wait was cut short.
func (c *call) afterResponse(attempt int, resp *http.Response, apiErr Error) (retry bool, err error) {
	d := c.t.decideResponse(c.req, resp, apiErr, attempt)
	if c.giveUp(attempt, d) {
		return false, nil
	}
	ev := responseEvent(attempt, resp, apiErr)
	ev.Delay, ev.ServerDelay = d.Delay, d.ServerDelay
	c.t.discard(resp)
	c.t.emit(c.ctx, c.req, ev)
	return true, c.t.sleep(c.ctx, d.Delay)
}

// reauthenticate handles a response whose action is
// [ActionReauthenticate]. New credentials serve whichever request comes
// next, so the transport refreshes even when it will not resend this one.
// It resends only requests safe to repeat, as for any retry: a server may
// refuse credentials after it acted (an error inside a 200, a gateway in
// front of a backend), and the caller who knows a POST's 401 left no trace
// opts in with WithRetryNonIdempotent or the idempotency key. An error
// means the request's context ended during the refresh.
func (c *call) reauthenticate(attempt int, resp *http.Response, apiErr Error, gen uint64) (retry bool, err error) {
	if c.t.refresh == nil || c.reauthed || c.inRefresh {
		return false, nil
	}
	if err := c.t.auth.refresh(c.ctx, gen, c.t.refresh); err != nil {
		if c.ctx.Err() != nil {
			c.t.discard(resp)
			return false, c.ctx.Err()
		}
		return false, nil
	}
	c.reauthed = true
	if !c.canRepeat(attempt) {
		return false, nil
	}
	ev := responseEvent(attempt, resp, apiErr)
	c.t.discard(resp)
	c.t.emit(c.ctx, c.req, ev)
	return true, nil
}

// responseEvent is the [RetryEvent] of a retry after an error response.
func responseEvent(attempt int, resp *http.Response, apiErr Error) RetryEvent {
	ev := RetryEvent{
		Attempt: attempt,
		Status:  resp.StatusCode,
		Kind:    apiErr.Kind(),
		Action:  apiErr.Action(),
		Code:    CodeOf(apiErr),
	}
	ev.Reason = responseReason(ev)
	return ev
}

// CloseIdleConnections closes the idle connections of the underlying
// transport, if it supports that, so that http.Client.CloseIdleConnections
// reaches through this Transport.
func (t *Transport) CloseIdleConnections() {
	if c, ok := t.settings().base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// safeToRepeat reports whether sending req twice cannot do harm twice, as
// far as the method, the headers and the options tell; bodyKey reports that
// only the idempotency key in the body (see [Policy].IdempotencyKeyField),
// read when a repeat is first considered, can still make it safe.
func (t *Transport) safeToRepeat(req *http.Request) (safe, bodyKey bool) {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions,
		http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true, false
	}
	if h := t.policy.IdempotencyKeyHeader; h != "" && req.Header.Get(h) != "" {
		return true, false
	}
	if t.retryNonIdempotent {
		return true, false
	}
	return false, len(t.policy.IdempotencyKeyField) > 0 && req.GetBody != nil
}

// backoff returns the full-jitter delay before retry number retry (from 1).
// Full jitter spreads clients that failed together across the whole window,
// which AWS measured to finish the work with the fewest calls.
func (t *Transport) backoff(retry int) time.Duration {
	s := t.settings()
	base, ceiling := s.backoffBase, s.backoffMax
	if shift := retry - 1; shift >= 0 && shift < 63 {
		// Only use the doubled value when it did not overflow.
		if c := base << shift; c > 0 && c>>shift == base && c < ceiling {
			ceiling = c
		}
	}
	if ceiling <= 0 {
		return 0
	}
	if ceiling == math.MaxInt64 {
		return time.Duration(rand.Int64N(int64(ceiling)))
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// fitsDeadline reports whether waiting delay still leaves time before ctx's
// deadline. Sleeping into a deadline only to fail is worse than returning
// the last response now.
func (t *Transport) fitsDeadline(ctx context.Context, delay time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	dl, ok := ctx.Deadline()
	if !ok {
		return true
	}
	return t.now().Add(delay).Before(dl)
}

func (t *Transport) now() time.Time {
	if t.clock != nil {
		return t.clock.Now()
	}
	return time.Now()
}

// sleep waits for d or until ctx is done, whichever comes first.
func (t *Transport) sleep(ctx context.Context, d time.Duration) error {
	return sleepCtx(ctx, t.clock, d)
}

// emit reports a retry to the observer and the logger.
func (t *Transport) emit(ctx context.Context, req *http.Request, ev RetryEvent) {
	if t.onRetry == nil && t.logger == nil {
		return
	}
	ev.Vendor = text.OneLine(t.policy.Vendor, MaxEventCode)
	ev.Method = text.OneLine(req.Method, MaxEventCode)
	if ev.Method == "" {
		ev.Method = http.MethodGet
	}
	ev.URL = text.OneLine(redactURL(req.URL), MaxEventText)
	ev.Reason = text.OneLine(ev.Reason, MaxEventText)
	if t.onRetry != nil {
		t.onRetry(ev)
	}
	if t.logger != nil {
		t.logger.LogAttrs(ctx, slog.LevelInfo, "apierr: retrying request",
			slog.String("vendor", ev.Vendor),
			slog.Int("attempt", ev.Attempt),
			slog.String("method", ev.Method),
			slog.String("url", ev.URL),
			slog.Int("status", ev.Status),
			slog.String("kind", ev.Kind.String()),
			slog.String("action", ev.Action.String()),
			slog.String("code", ev.Code),
			slog.String("error", ev.Err),
			slog.String("reason", ev.Reason),
			slog.Duration("delay", ev.Delay),
			slog.Bool("server_delay", ev.ServerDelay),
		)
	}
}

func responseReason(ev RetryEvent) string {
	s := strconv.Itoa(ev.Status) + " " + ev.Kind.String() + " " + ev.Action.String()
	if ev.Code != "" {
		s += " code=" + ev.Code
	}
	return s
}

// redactURL drops the parts of u that commonly carry credentials: userinfo,
// query string (API keys, signatures) and fragment.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	c.RawQuery = ""
	c.ForceQuery = false
	c.Fragment = ""
	c.RawFragment = ""
	return c.String()
}

// transportErrorText returns err's text without the URL a *url.Error
// prepends, since that URL may carry a query string with credentials.
func transportErrorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

// discard drains a response the transport will not return and closes it,
// so that its connection can be reused: at most maxDrainBytes, for at most
// the body wait, past which closing the connection is cheaper than reading
// on. A body whose inspection already gave up waiting is closed at once.
func (t *Transport) discard(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	body := resp.Body
	if p, ok := body.(*peekedBody); ok && p.stalled() {
		_ = body.Close()
		return
	}
	wait := t.settings().bodyWait
	// Closing the body ends a read that stalls.
	stop := time.AfterFunc(wait, func() { _ = body.Close() })
	_, _ = io.CopyN(io.Discard, body, maxDrainBytes)
	stop.Stop()
	_ = body.Close()
}

// redirectedElsewhere reports whether req follows a redirect (http.Client
// sets req.Response to the redirect response) to another origin than the
// request that started the chain.
func redirectedElsewhere(req *http.Request) bool {
	first := req
	for i := 0; first.Response != nil && first.Response.Request != nil && i < 1000; i++ {
		first = first.Response.Request
	}
	if first == req {
		return false
	}
	return !sameOrigin(first.URL, req.URL)
}

// sameOrigin reports whether a and b have the same scheme, host and port,
// the port defaulting by scheme.
func sameOrigin(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// permanentError reports whether a transport error cannot go away by
// sending the same request again, as go-retryablehttp's DefaultRetryPolicy
// judges: certificate and TLS failures, an unsupported scheme, an invalid
// method, URL or header, too many redirects.
func permanentError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		record           tls.RecordHeaderError
		urlErr           *url.Error
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &verification),
		errors.As(err, &record):
		return true
	}
	// net/http reports the rest as plain text.
	text := err.Error()
	if errors.As(err, &urlErr) && urlErr.Err != nil {
		text = urlErr.Err.Error()
	}
	for _, s := range permanentErrorTexts {
		if strings.Contains(text, s) {
			return true
		}
	}
	// http.Client's "stopped after 10 redirects", should a base transport
	// follow redirects itself.
	if _, n, ok := strings.Cut(text, "stopped after "); ok {
		n = strings.TrimSuffix(n, " redirects")
		if _, err := strconv.Atoi(n); err == nil {
			return true
		}
	}
	return false
}

// permanentErrorTexts are the texts of net/http's and crypto/tls's
// permanent errors that have no type of their own.
var permanentErrorTexts = []string{
	"unsupported protocol scheme",
	"certificate is not trusted",
	"certificate signed by unknown authority",
	"net/http: invalid method",
	"net/http: invalid header",
	"invalid header field",
	"net/http: no Host in request URL",
	"invalid URL",
	"server gave HTTP response to HTTPS client",
}

// authState shares credential refreshes among concurrent requests. gen counts
// successful refreshes: a request remembers the generation it was sent with,
// and only a request whose generation is still current may start a refresh.
type authState struct {
	gen  atomic.Uint64
	mu   sync.Mutex
	call *refreshCall // the refresh in flight, or nil
}

// refreshKey marks the context a refresh hook runs with; its value is the
// *authState of the Transport refreshing.
type refreshKey struct{}

type refreshCall struct {
	done chan struct{}
	err  error
}

func (s *authState) generation() uint64 { return s.gen.Load() }

// refresh makes sure credentials newer than generation seen exist: it returns
// nil at once if another request already refreshed since, waits for a
// refresh in flight, or runs fn itself. The refresh runs with the context of
// the request that started it.
func (s *authState) refresh(ctx context.Context, seen uint64, fn func(context.Context) error) error {
	s.mu.Lock()
	if s.gen.Load() != seen {
		s.mu.Unlock()
		return nil
	}
	if c := s.call; c != nil {
		s.mu.Unlock()
		select {
		case <-c.done:
			return c.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c := &refreshCall{done: make(chan struct{}), err: errors.New("apierr: credential refresh did not return")}
	s.call = c
	s.mu.Unlock()

	// The deferred release runs even if fn panics, so waiters are never
	// stranded on a refresh that will not finish.
	defer func() {
		s.mu.Lock()
		s.call = nil
		if c.err == nil {
			s.gen.Add(1)
		}
		s.mu.Unlock()
		close(c.done)
	}()
	c.err = fn(context.WithValue(ctx, refreshKey{}, s))
	return c.err
}
