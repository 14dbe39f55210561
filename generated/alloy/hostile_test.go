package alloy_test

// Hostile servers against the Alloy package (issue 16): a body cut by the
// connection, a gzip body the caller asked for, unparsed bodies that spell
// the bearer token's key in every shape, and delays measured on the
// transport's clock.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/internal/e2e"
)

// cutServer answers one request with head, then part of body, and then
// drops the connection although Content-Length promised all of it.
func cutServer(t *testing.T, head string, body string, keep int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = http.ReadRequest(bufio.NewReader(c))
				fmt.Fprintf(c, "%sContent-Length: %d\r\n\r\n%s", head, len(body), body[:keep])
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// A 401 whose body the connection cuts after the code still reports the
// code and Truncated, as the same bytes cut by the size limit do.
func TestBodyCutByConnectionKeepsCode(t *testing.T) {
	keep := strings.Index(e2eDocBody, `"type"`)
	url := cutServer(t, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n", e2eDocBody, keep)
	resp, err := e2e.Client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	err = alloy.FromResponse(resp)
	var e *alloy.Error
	if !errors.As(err, &e) || !alloy.IsCredentialsExpired(err) || !e.Truncated {
		t.Fatalf("FromResponse = %v (%+v), want 4012, truncated", err, e)
	}
	if !apierr.NeedsReauth(err) {
		t.Errorf("a cut 4012 does not ask for re-authentication")
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Errorf("the caller does not see the read error")
	}
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	return b.String()
}

// A caller that asks for gzip itself gets the body as it arrived, and the
// classification still sees the code inside.
func TestGzipBodyInspected(t *testing.T) {
	zipped := gzipped(e2eDocBody)
	srv := e2e.Start(t, e2e.Reply{Status: 401, Header: map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, Body: zipped})
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip") // net/http then leaves the body alone
	resp, err := e2e.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	err = alloy.FromResponse(resp)
	if !alloy.IsCredentialsExpired(err) || !apierr.NeedsReauth(err) {
		t.Errorf("FromResponse = %v, want 4012", err)
	}
	if e2e.Leaks(fmt.Sprintf("%v %+v", err, err), e2eToken) {
		t.Errorf("decoded body printed the token")
	}
	if got := e2e.Body(t, resp); got != zipped {
		t.Errorf("caller reads %d bytes, want the %d gzip bytes as they arrived", len(got), len(zipped))
	}
	if err := alloy.Parse(401, http.Header{"Content-Encoding": {"gzip"}}, []byte(zipped)); !alloy.IsCredentialsExpired(err) {
		t.Errorf("Parse of gzip bytes = %v, want 4012", err)
	}
}

// An unparsed body that spells the token's key in any shape never prints
// the token, in any printed form of the error.
func TestUnparsedBodiesNeverPrintToken(t *testing.T) {
	tok := e2eToken
	for _, body := range []string{
		`<error><bearer_token>` + tok + `</bearer_token></error>`,
		`{'bearer_token': '` + tok + `'}`,
		`bearer_token = ` + tok,
		`<table><tr><td>bearer_token</td><td>` + tok + `</td></tr></table>`,
		`upstream said {"bearer\u005ftoken": "` + tok + `"}`,
		"bearer_token\t: " + tok,
		`Bearer-Token ` + tok,
		`bearer&#95;token=` + tok,
	} {
		for _, ct := range []string{"text/html", "application/json"} {
			resp := e2e.Serve(t, e2e.Reply{Status: 502, Header: map[string]string{"Content-Type": ct}, Body: body}, "/")
			err := alloy.FromResponse(resp)
			var e *alloy.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v", err)
			}
			printed := fmt.Sprintf("%s|%v|%+v|%#v|%v|%+v|%#v|%s", err.Error(), err, err, err, *e, *e, *e, e.Message) +
				e2e.LogText(slog.NewJSONHandler, "failed", slog.Any("err", err)) +
				e2e.LogText(slog.NewTextHandler, "failed", slog.Any("err", err))
			if e2e.Leaks(printed, tok) {
				t.Errorf("%q printed the token: %s", body, printed)
			}
		}
	}
}

// stepClock is a Clock far from real time whose sleeps pass at once.
type stepClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// One clock: a Retry-After date is measured on the transport's clock, not
// on time.Now.
func TestRetryAfterDateOnTransportClock(t *testing.T) {
	clock := &stepClock{now: time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)}
	seq := &e2e.Sequence{Replies: []e2e.Reply{
		{Status: 429, Header: map[string]string{"Retry-After": clock.now.Add(7 * time.Second).Format(http.TimeFormat)}},
		{Status: 200, Body: "ok"},
	}}
	srv := e2e.Start(t, seq)
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), alloy.Policy(), apierr.WithClock(clock))}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got := e2e.Body(t, resp); resp.StatusCode != 200 || got != "ok" {
		t.Fatalf("got %d %q, want the retried 200", resp.StatusCode, got)
	}
	if len(clock.sleeps) != 1 || clock.sleeps[0] != 7*time.Second {
		t.Errorf("slept %v, want the 7s the date asks on the transport's clock", clock.sleeps)
	}
}
