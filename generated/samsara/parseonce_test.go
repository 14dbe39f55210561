package samsara_test

import (
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
