package apierr

// Version is the version of the contract between generated packages and
// this runtime: the apierr API errcat's emitters write calls to. errcat
// generates code for this version (`errcat version` prints it); it goes up
// when generated code starts to need something an older apierr lacks.
const Version = 3
