package apierr

// Version is the version of the contract between generated packages and
// this runtime: the apierr API errcat's emitters write calls to. errcat
// generates code for this version (`errcat version` prints it); it goes up
// when generated code starts to need something an older apierr lacks.
//
// Version 3 added the format v2 delay runtime (errcatimpl.ParseRateLimit,
// CostDelay and BoundDelay). A generated package declares the oldest
// version it needs (model.Catalog.RuntimeVersion), so packages that use
// none of it still declare 2 and build against runtimes 2 and 3 alike.
const Version = 3
