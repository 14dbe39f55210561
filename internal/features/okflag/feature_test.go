package okflag_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/okflag"
)

// An error reported inside a 200 body, flagged by "ok": false.
func TestErrorInsideSuccessBody(t *testing.T) {
	body := `{"ok": false, "error": "invalid_auth", "warning": "superfluous_charset"}`
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: map[string]string{"X-Request-Id": "req-1"}, Body: body})
	err := okflag.FromResponse(resp)
	if err == nil {
		t.Fatal("FromResponse = nil for ok:false")
	}
	if !okflag.IsInvalidAuth(err) || !errors.Is(err, okflag.ErrOK) || !errors.Is(err, okflag.ErrSuccess) {
		t.Errorf("sentinels do not match: %v", err)
	}
	var e *okflag.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As failed for %T", err)
	}
	if e.Code != okflag.CodeInvalidAuth || !e.HasCode || e.Warning != "superfluous_charset" || e.RequestID != "req-1" || e.Format != "envelope" {
		t.Errorf("typed fields: %+v", e)
	}
	if !apierr.NeedsReauth(err) || apierr.KindOf(err) != apierr.KindUnauthenticated {
		t.Errorf("action %v kind %v", apierr.ActionOf(err), apierr.KindOf(err))
	}
	if got := e2e.Body(t, resp); got != body {
		t.Errorf("body after FromResponse = %q", got)
	}
}

func TestOKBodiesAreSuccess(t *testing.T) {
	for _, body := range []string{`{"ok": true}`, `{"ok": "false"}`, `{}`, `not json`, ``} {
		resp := e2e.Get(t, e2e.Reply{Status: 200, Body: body})
		if err := okflag.FromResponse(resp); err != nil {
			t.Errorf("%q: FromResponse = %v, want nil", body, err)
		}
	}
}

func TestRetryAfterOnFlaggedRateLimit(t *testing.T) {
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: map[string]string{"Retry-After": "3"}, Body: `{"ok":false,"error":"ratelimited"}`})
	err := okflag.FromResponse(resp)
	if !okflag.IsRateLimited(err) || !apierr.IsRetryable(err) {
		t.Fatalf("err %v: retryable %v", err, apierr.IsRetryable(err))
	}
	if d, ok := apierr.RetryDelay(err); !ok || d != 3*time.Second {
		t.Errorf("delay %v %v", d, ok)
	}
}

func TestUnknownCodeInFlaggedBody(t *testing.T) {
	err := okflag.Parse(200, nil, []byte(`{"ok":false,"error":"brand_new_error"}`))
	var e *okflag.Error
	if !errors.As(err, &e) || e.Code.Known() || e.Code != "brand_new_error" {
		t.Fatalf("err %#v", err)
	}
	// Falling back to status 200 would call the error a success; an
	// unlisted code inside a success body is unknown and not retried.
	if e.Kind() != apierr.KindUnknown || e.Action() != apierr.ActionFixRequest || apierr.IsRetryable(err) {
		t.Errorf("unknown code in a success body: kind %v action %v", e.Kind(), e.Action())
	}
	if okflag.IsInvalidAuth(err) {
		t.Error("unknown code matched another code's sentinel")
	}
}

// An error inside a 200 is found in a gzip body the caller asked for
// itself (net/http then leaves it compressed), and the caller reads the
// body as it arrived.
func TestErrorInsideGzipSuccessBody(t *testing.T) {
	var zipped bytes.Buffer
	w := gzip.NewWriter(&zipped)
	_, _ = io.WriteString(w, `{"ok": false, "error": "invalid_auth"}`)
	_ = w.Close()
	srv := e2e.Start(t, e2e.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, Body: zipped.String()})
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := e2e.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := okflag.FromResponse(resp); !okflag.IsInvalidAuth(err) {
		t.Errorf("FromResponse = %v, want invalid_auth", err)
	}
	if got := e2e.Body(t, resp); got != zipped.String() {
		t.Errorf("caller reads %q, want the gzip bytes", got)
	}
}

// A success that streams is never held: a JSON stream type is not read at
// all, and a JSON body that stalls is classified from what arrived within
// the transport's body wait, the rest still readable.
func TestStreamingSuccessNotHeld(t *testing.T) {
	release := make(chan struct{})
	srv := e2e.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", r.URL.Query().Get("ct"))
		_, _ = io.WriteString(w, `{"ok": true, "first": 1}`+"\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, `{"ok": true, "second": 2}`+"\n")
	}))
	defer close(release)
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), okflag.Policy(), apierr.WithBodyWait(50*time.Millisecond))}
	for _, ct := range []string{"application/x-ndjson", "application/json"} {
		done := make(chan *http.Response, 1)
		go func() {
			resp, err := client.Get(srv.URL + "/?ct=" + ct)
			if err != nil {
				t.Error(err)
			}
			done <- resp
		}()
		select {
		case resp := <-done:
			if resp != nil {
				resp.Body.Close()
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: a streaming 200 held the request for 5s", ct)
		}
	}
}
