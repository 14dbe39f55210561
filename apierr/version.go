package apierr

// Version is the version of the contract between generated packages and
// this runtime: the apierr API errcat's emitters write calls to. errcat
// generates code for this version (`errcat version` prints it); it goes up
// when generated code starts to need something an older apierr lacks.
// Generated code states the oldest version it needs: 3 added
// errcatimpl.Compose (codes composed from several fields or cleaned, format
// v2), so a package that uses no such code still states 2.
const Version = 3
