// Package apierrtest is the vendor-neutral half of errcat's test kits: the
// scripted server, the fake clock and the response builder that every
// generated <vendor>test package shares. Tests use it through a kit
// (alloytest.NewScript, alloytest.Reply(alloy.CodeRateLimited), …), whose
// Step, Script, Request, Clock and Option are this package's types, or
// directly, for answers no catalog describes.
//
// A [Script] answers requests with its steps, in order, and records them; it
// is an [http.RoundTripper] (the base of apierr.NewTransport, or a client's
// Transport) and an [http.Handler] (for httptest.NewServer). A [Clock]
// is an apierr.Clock whose waits return at once, so a test sees the delays
// a retrying transport waited without waiting them.
//
// A generated kit describes its catalog's body formats, documented examples
// and delay sources in a [Catalog] and asks it for responses; [Option]
// values ([WithStatus], [WithMessage], [WithRetryAfter], …) change them. A
// kit exposes only the options its catalog can honour.
//
// The package imports only the standard library.
package apierrtest
