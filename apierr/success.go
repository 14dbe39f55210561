package apierr

import "errors"

// DefaultMaxSuccessBodyBytes bounds how much of a success body the
// generated Warnings and BatchErrors read (format v2 catalogs with
// warnings or batch sections): a batch response lists many sub-responses,
// so the bound is larger than [DefaultMaxBodyBytes] for error bodies. The
// body stays readable from the start for the caller.
const DefaultMaxSuccessBodyBytes = 4 << 20

// MaxItems bounds how many items of a list in a success body (warnings,
// the sub-responses of a batch) the generated Warnings and BatchErrors
// read: a hostile body of a million tiny items costs no more than this
// many. Past it they return the items read with [ErrTooManyItems].
const MaxItems = 10000

// ErrTooManyItems is returned, with the items read, by the generated
// Warnings and BatchErrors when the body lists more than [MaxItems] items.
var ErrTooManyItems = errors.New("apierr: the body lists more items than are inspected (apierr.MaxItems)")

// ErrBodyTruncated is returned, with the items read, by the generated
// Warnings and BatchErrors when the body was cut short before its end (by
// the read limit, a failed read or the body wait): items past the cut are
// not reported.
var ErrBodyTruncated = errors.New("apierr: the body was cut short; items past the cut are not reported")
