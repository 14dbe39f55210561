package model

import (
	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
)

// Showcase is the error a catalog's generated examples parse and its
// documentation's usage snippet matches: chosen once (Catalog.Showcase), so
// the README and the examples show the same code.
type Showcase struct {
	Status *Status // the exact error status
	Code   *Code   // the code, or nil when no body format can carry one
	Body   string  // the body the examples parse
	// Message is the message Body carries, if any.
	Message string
}

// Showcase picks the showcased error: the first code some JSON body format
// can carry for the code's status (codes whose action differs from their
// status's first: that is what codes are for), else the first exact error
// status with a body of a format that applies to it. It is nil when the
// catalog lists no exact error status.
func (c *Catalog) Showcase() *Showcase {
	codes := make([]*Code, 0, len(c.Codes))
	// A code with no exact status cannot be shown parsed at its status.
	for _, code := range c.Codes {
		if code.Status != nil && code.Action != code.Status.Action {
			codes = append(codes, code)
		}
	}
	for _, code := range c.Codes {
		if code.Status != nil && code.Action == code.Status.Action {
			codes = append(codes, code)
		}
	}
	// Whether a format can carry a code depends on the format and the
	// code's status, never on the code's value (SampleBody), so each
	// status is tried against the formats once: linear in codes, not
	// codes × formats.
	tried := map[int]bool{}
	for _, code := range codes {
		if tried[code.Status.Code] {
			continue
		}
		tried[code.Status.Code] = true
		for _, b := range c.Bodies {
			// The examples parse the sample without headers: a format
			// that needs a media type would not read it.
			if b.Content != ContentJSON || !b.AppliesTo(code.Status.Code) || len(b.MediaTypes) > 0 {
				continue
			}
			if body, msg, ok := SampleBody(b, code); ok {
				return &Showcase{Status: code.Status, Code: code, Body: body, Message: msg}
			}
		}
	}
	for _, s := range c.ExactStatuses() {
		if s.Code < 400 {
			continue
		}
		return c.statusShowcase(s)
	}
	return nil
}

func (c *Catalog) statusShowcase(s *Status) *Showcase {
	for _, b := range c.Bodies {
		if !b.AppliesTo(s.Code) || len(b.MediaTypes) > 0 {
			continue
		}
		if b.Content == ContentText {
			break
		}
		if body, msg, ok := SampleBody(b, nil); ok {
			return &Showcase{Status: s, Body: body, Message: msg}
		}
	}
	return &Showcase{Status: s, Body: SampleMessage, Message: SampleMessage}
}

// Matcher is the Go name of the showcased error's most specific matcher.
func (s *Showcase) Matcher() string {
	if s.Code != nil {
		return s.Code.Idents.Is
	}
	return s.Status.Idents.Is
}

// Action is the showcased error's action: its code's, else its status's.
func (s *Showcase) Action() (apierr.Kind, apierr.Action) {
	if s.Code != nil {
		return s.Code.Kind, s.Code.Action
	}
	return s.Status.Kind, s.Status.Action
}

// ErrorText is the Error() line of the showcased error, built by the
// runtime function the generated Error method calls (errcatimpl.ErrorLine).
func (s *Showcase) ErrorText(vendorID string) string {
	codeText, codeName := "", ""
	if s.Code != nil {
		codeText, codeName = s.Code.Text(), s.Code.GoName
	}
	return errcatimpl.ErrorLine(vendorID, s.Status.Code, s.Status.GoName, codeText, codeName, s.Code != nil, s.Message)
}
