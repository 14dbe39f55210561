package model

import (
	"net/http"

	"github.com/errcat/errcat/apierr"
)

// Example is one example response a catalog gives for a status or a code,
// quoted from the vendor's docs: generated tests parse it and check that it
// yields what the catalog says, and test kits answer with it.
type Example struct {
	Pos Pos
	// Status is the exact HTTP status of the response.
	Status int
	// Code is the code the body must yield; nil for an example of a status,
	// whose body must yield no code.
	Code        *Code
	Headers     []ExampleHeader // catalog order
	Body        string
	Description string
}

// ExampleHeader is one response header of an example.
type ExampleHeader struct {
	Name  string // canonical form, such as "Retry-After"
	Value string
}

// Header returns the example's headers as an http.Header.
func (e *Example) Header() http.Header {
	h := http.Header{}
	for _, x := range e.Headers {
		h.Add(x.Name, x.Value)
	}
	return h
}

// Examples returns every example of the catalog: the statuses' in catalog
// order, then the codes'.
func (c *Catalog) Examples() []*Example {
	var out []*Example
	for _, s := range c.Statuses {
		out = append(out, s.Examples...)
	}
	for _, code := range c.Codes {
		out = append(out, code.Examples...)
	}
	return out
}

// Expected returns the kind and action a parsed example must have: its
// code's when it has one, else its status's (the exact entry's, else the
// class's, else apierr's defaults), unless a retry override header of the
// example replaces the action.
func (c *Catalog) Expected(e *Example) (apierr.Kind, apierr.Action) {
	kind, action := apierr.DefaultKind(e.Status), apierr.DefaultAction(e.Status)
	switch {
	case e.Code != nil:
		kind, action = e.Code.Kind, e.Code.Action
	case c.StatusByCode(e.Status) != nil:
		s := c.StatusByCode(e.Status)
		kind, action = s.Kind, s.Action
	case c.ClassOf(e.Status) != nil:
		s := c.ClassOf(e.Status)
		kind, action = s.Kind, s.Action
	}
	if o := c.Retry.Override; o != nil {
		v := e.Header().Get(o.Header)
		for _, ov := range o.Values {
			if ov.Value == v {
				action = ov.Action
				break
			}
		}
	}
	return kind, action
}
