package errcatimpl

import "github.com/errcat/errcat/apierr"

// Version is the version of the contract between generated packages and
// this runtime ([apierr.Version]): generated code written for it compiles
// against this runtime.
const Version = apierr.Version

// MinVersion is the oldest contract version this runtime still serves.
// Generated code declares the version it was written for; code older than
// MinVersion or newer than Version fails to compile.
const MinVersion = 2

// Every generated file set holds
//
//	const (
//		_ = errcatimpl.GeneratedCodeTooOld_RegenerateWithErrcat(N - errcatimpl.MinVersion)
//		_ = errcatimpl.ErrcatRuntimeTooOld_UpgradeErrcatOrRegenerate(errcatimpl.Version - N)
//	)
//
// with N the version it was written for (protobuf's EnforceVersion pattern).
// A mismatch makes one of the constants negative, and the compiler's error
// names the type, which names the fix: "constant -1 overflows
// errcatimpl.GeneratedCodeTooOld_RegenerateWithErrcat" means the generated
// package predates what this runtime serves (run errcat generate again, with
// the errcat this module requires); "… overflows
// errcatimpl.ErrcatRuntimeTooOld_UpgradeErrcatOrRegenerate" means the
// module requires an errcat older than the generator that wrote the code
// (go get github.com/errcat/errcat@latest, or regenerate with the older
// one).
type (
	GeneratedCodeTooOld_RegenerateWithErrcat      uint
	ErrcatRuntimeTooOld_UpgradeErrcatOrRegenerate uint
)
