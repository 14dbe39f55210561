// Package otel reports an [apierr.Transport]'s attempts and retries to
// OpenTelemetry: a client span per attempt, following the HTTP semantic
// conventions (http.request.resend_count, http.response.status_code,
// error.type) plus the vendor's classification (errcat.vendor,
// errcat.code — on spans only, one bounded line (apierr.CodeOf) —,
// errcat.kind, errcat.action, errcat.server_delay), and
// metrics for attempts, retries by reason and the time waited before
// retries.
//
// No attribute carries a secret, a header value, a query string or a body:
// URLs are reduced to scheme, host and path, transport errors to a type.
//
//	tel, err := otel.New(samsara.Policy(), tracerProvider, meterProvider)
//	client := &http.Client{Transport: apierr.NewTransport(tel.Wrap(http.DefaultTransport),
//		samsara.Policy(), apierr.WithOnRetry(tel.OnRetry))}
package otel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/errcat/errcat/apierr"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/errcat/errcat/integrations/otel"

// Attribute keys beyond the HTTP semantic conventions.
const (
	AttrVendor      = attribute.Key("errcat.vendor")
	AttrCode        = attribute.Key("errcat.code")
	AttrKind        = attribute.Key("errcat.kind")
	AttrAction      = attribute.Key("errcat.action")
	AttrServerDelay = attribute.Key("errcat.server_delay")
	AttrRetryReason = attribute.Key("errcat.retry.reason")
)

// Telemetry instruments the transports of one vendor.
type Telemetry struct {
	policy   apierr.Policy
	tracer   trace.Tracer
	attempts metric.Int64Counter
	retries  metric.Int64Counter
	waited   metric.Float64Histogram
}

// New returns the instrumentation for the vendor of p, whose Classify names
// each failed attempt's code, kind and action.
func New(p apierr.Policy, tp trace.TracerProvider, mp metric.MeterProvider) (*Telemetry, error) {
	m := mp.Meter(ScopeName)
	t := &Telemetry{policy: p, tracer: tp.Tracer(ScopeName)}
	var err, e error
	t.attempts, e = m.Int64Counter("errcat.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("HTTP attempts sent to the vendor, first attempts and retries."))
	err = errors.Join(err, e)
	t.retries, e = m.Int64Counter("errcat.client.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Retries the transport made, by reason (the failed attempt's kind, or transport_error)."))
	err = errors.Join(err, e)
	t.waited, e = m.Float64Histogram("errcat.client.retry.wait", metric.WithUnit("s"),
		metric.WithDescription("Time waited before each retry."))
	err = errors.Join(err, e)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Wrap returns a RoundTripper that sends through base (nil:
// http.DefaultTransport) and makes one span per call. Put it below the
// transport — apierr.NewTransport(tel.Wrap(base), …) — so that every
// attempt is a call.
func (t *Telemetry) Wrap(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &roundTripper{t: t, base: base}
}

// OnRetry records a retry; pass it to apierr.WithOnRetry.
func (t *Telemetry) OnRetry(ev apierr.RetryEvent) {
	reason := "transport_error"
	if ev.Status != 0 {
		reason = ev.Kind.String()
	}
	attrs := metric.WithAttributes(AttrVendor.String(t.policy.Vendor), AttrRetryReason.String(reason),
		AttrAction.String(ev.Action.String()), AttrServerDelay.Bool(ev.ServerDelay))
	ctx := context.Background()
	t.retries.Add(ctx, 1, attrs)
	t.waited.Record(ctx, ev.Delay.Seconds(), attrs)
}

type roundTripper struct {
	t    *Telemetry
	base http.RoundTripper
}

func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	t := rt.t
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	attrs := []attribute.KeyValue{
		attribute.String("http.request.method", method),
		AttrVendor.String(t.policy.Vendor),
	}
	if u := req.URL; u != nil {
		attrs = append(attrs, attribute.String("url.full", redactURL(u)))
		host, port := u.Hostname(), u.Port()
		if host != "" {
			attrs = append(attrs, attribute.String("server.address", host))
		}
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		if p, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, attribute.Int("server.port", p))
		}
	}
	if n := apierr.AttemptFromContext(req.Context()); n > 1 {
		attrs = append(attrs, attribute.Int("http.request.resend_count", n-1))
	}
	ctx, span := t.tracer.Start(req.Context(), method, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	defer span.End()

	resp, err := rt.base.RoundTrip(req.WithContext(ctx))
	var more []attribute.KeyValue
	var code string
	if err != nil {
		typ := errorType(err)
		more = append(more, attribute.String("error.type", typ))
		span.SetStatus(codes.Error, typ)
	} else {
		more = append(more, attribute.Int("http.response.status_code", resp.StatusCode))
		var apiErr apierr.Error
		if t.policy.Classify != nil {
			apiErr, _ = apierr.As(t.policy.Classify(resp))
		}
		switch {
		case resp.StatusCode >= 400:
			more = append(more, attribute.String("error.type", strconv.Itoa(resp.StatusCode)))
			span.SetStatus(codes.Error, "")
		case apiErr != nil: // an error inside a success status
			more = append(more, attribute.String("error.type", "errcat."+apiErr.Kind().String()))
			span.SetStatus(codes.Error, "")
		}
		if apiErr != nil {
			_, fromServer := apierr.RetryDelay(apiErr) // capped, and only where the action gives a delay meaning
			more = append(more, AttrKind.String(apiErr.Kind().String()), AttrAction.String(apiErr.Action().String()),
				AttrServerDelay.Bool(fromServer))
			code = apierr.CodeOf(apiErr)
		}
	}
	// The code joins the span, never the metric: a string code comes from
	// the body, so as a metric dimension a server could mint time series.
	metricAttrs := append(attrs[:2:2], more...)
	if code != "" {
		more = append(more, AttrCode.String(code))
	}
	span.SetAttributes(more...)
	t.attempts.Add(context.Background(), 1, metric.WithAttributes(metricAttrs...))
	return resp, err
}

// errorType names a transport error by kind, never by its text (which may
// quote the URL).
func errorType(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	return fmt.Sprintf("%T", err)
}

// redactURL keeps scheme, host and path: userinfo, query string and
// fragment commonly carry credentials.
func redactURL(u *url.URL) string {
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return c.String()
}
