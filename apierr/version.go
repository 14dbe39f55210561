package apierr

// Version is the version of the contract between generated packages and
// this runtime: the apierr API errcat's emitters write calls to. errcat
// generates code for this version (`errcat version` prints it); it goes up
// when generated code starts to need something an older apierr lacks.
//
// Version 3 added what generated code of format v2 catalogs with warnings
// or batch sections calls (errcatimpl's Doc.Items, BatchShape and
// ScrubItem; MaxItems, DefaultMaxSuccessBodyBytes, ErrTooManyItems and
// ErrBodyTruncated here). Generated code declares the oldest version that
// serves it (model.Catalog.RuntimeVersion), so a package that uses none of
// that still declares 2 and builds against a version 2 runtime.
const Version = 3
