package samsara_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/internal/e2e"
)

// TestFinalResponseParsedOnce: the error the transport's policy made of the
// final response is the one FromResponse returns to the caller (the same
// pointer, every call), so the body is parsed once; a response that did not
// come through the transport is parsed on each call.
func TestFinalResponseParsedOnce(t *testing.T) {
	t.Parallel()
	reply := e2e.Reply{Status: 404, Header: e2e.JSON, Body: `{"message":"Not Found","requestId":"r-1"}`}
	srv := e2e.Start(t, &e2e.Sequence{Replies: []e2e.Reply{reply}})
	client := &http.Client{Transport: apierr.NewTransport(nil, samsara.Policy(), apierr.WithBackoff(time.Millisecond, time.Millisecond))}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first, second := samsara.FromResponse(resp), samsara.FromResponse(resp)
	if first == nil || first != second {
		t.Errorf("through the transport: FromResponse = %p then %p; want the transport's error both times", first, second)
	}
	if !samsara.IsNotFound(first) {
		t.Errorf("FromResponse = %v", first)
	}

	plain, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Body.Close()
	if a, b := samsara.FromResponse(plain), samsara.FromResponse(plain); a == nil || a == b {
		t.Errorf("without the transport: FromResponse = %p then %p; want two parses", a, b)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestFinalResponseParsedOnceInMemory: a body already in memory (what a
// test double or a cache returns) is also parsed once through the
// transport, although outside one it is read without a wrapper.
func TestFinalResponseParsedOnceInMemory(t *testing.T) {
	t.Parallel()
	body := []byte(`{"message":"Not Found","requestId":"r-1"}`)
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
	})
	client := &http.Client{Transport: apierr.NewTransport(base, samsara.Policy(), apierr.WithBackoff(time.Millisecond, time.Millisecond))}
	resp, err := client.Get("http://api.invalid/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first, second := samsara.FromResponse(resp), samsara.FromResponse(resp)
	if first == nil || first != second || !samsara.IsNotFound(first) {
		t.Errorf("through the transport: FromResponse = %v (%p) then %p; want the transport's error both times", first, first, second)
	}
	if all, err := io.ReadAll(resp.Body); err != nil || !bytes.Equal(all, body) {
		t.Errorf("the caller reads %q, %v", all, err)
	}
}
