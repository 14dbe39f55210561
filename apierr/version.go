package apierr

// Version is the version of the contract between generated packages and
// this runtime: the apierr API errcat's emitters write calls to. errcat
// generates code for this version (`errcat version` prints it); it goes up
// when generated code starts to need something an older apierr lacks.
//
// Version 3 added what this release's generated code calls: the decoders
// that save allocations (errcatimpl.DecodeObjectNoSecrets) and the format
// v2 runtime (delay rules and parsers, XML, Problem Details, paths with
// wildcards, code sets, warnings and batch items).
const Version = 3
