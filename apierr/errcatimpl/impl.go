// Package errcatimpl is the support runtime of errcat-generated packages:
// it is imported only by the code errcat generates, never by programs.
//
// It holds what every generated package needs but its users do not: the
// table-driven bodies of the generated Status, Code and Error methods
// ([Table]), bounded body inspection ([InspectBody], [DecodeContent]),
// JSON field access ([Doc], [Path]), the redaction and scrubbing of secrets
// ([Doc.Redact], [ScrubbedText], [Scrub]) and the delay formats of bodies
// and reset headers. Programs use package apierr, the user API (kinds,
// actions, the apierr.Error interface, the retrying Transport).
//
// Its API follows the contract [Version], not semantic versioning: it may
// change in any errcat release that raises the version, and generated code
// checks at compile time that it was written for a version this runtime
// serves (see [MinVersion]), so that a mismatch is an error message naming
// the fix rather than a missing symbol. protobuf's runtime/protoimpl is the
// model.
package errcatimpl
