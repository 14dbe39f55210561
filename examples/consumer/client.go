// Package consumer shows errcat used from another module: it keeps its own
// catalog in catalog/, generates the acme package with go generate, and
// handles Acme's errors through it instead of magic numbers and string
// matching.
package consumer

//go:generate go tool errcat generate -out . catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"example.com/consumer/acme"
	"github.com/errcat/errcat/apierr"
)

// Client fetches widgets from Acme, retrying as Acme's catalog says.
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// NewClient returns a Client whose transport retries per acme.Policy and
// calls refresh once when Acme asks for new credentials.
func NewClient(baseURL string, refresh func(context.Context) error, opts ...apierr.Option) *Client {
	opts = append([]apierr.Option{apierr.WithReauthenticate(refresh)}, opts...)
	return &Client{
		BaseURL: baseURL,
		HTTP:    &http.Client{Transport: apierr.NewTransport(http.DefaultTransport, acme.Policy(), opts...)},
	}
}

// ErrNoSuchWidget is what callers of Widget see for an unknown id.
var ErrNoSuchWidget = errors.New("no such widget")

// Widget returns the widget's JSON.
func (c *Client) Widget(ctx context.Context, id string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/widgets/"+id, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if err := acme.FromResponse(resp); err != nil {
		if acme.IsWidgetNotFound(err) {
			return "", fmt.Errorf("widget %s: %w", id, errors.Join(ErrNoSuchWidget, err))
		}
		return "", fmt.Errorf("widget %s: %w", id, err)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return string(b), err
}
