// Package wrapped compares vendor errors with == and type assertions,
// which miss wrapped errors. This file does not import errors: the fix adds
// it.
package wrapped

import (
	"fmt"

	"github.com/errcat/errcat/generated/alloy"
)

func sentinels(err error) bool {
	if err == alloy.ErrCredentialsExpired { // want `errcat: == on alloy.ErrCredentialsExpired misses wrapped errors; use errors.Is\(err, alloy.ErrCredentialsExpired\)`
		return true
	}
	return alloy.ErrServerError != fmt.Errorf("x: %w", err) // want `errcat: != on alloy.ErrServerError misses wrapped errors; use !errors.Is\(fmt.Errorf\("x: %w", err\), alloy.ErrServerError\)`
}

func assertions(err error) string {
	if e, ok := err.(*alloy.Error); ok { // want `errcat: type assertion to \*alloy.Error misses wrapped errors; use errors.As\(err, &target\) with a target of type \*alloy.Error`
		return e.Message
	}
	switch e := err.(type) {
	case *alloy.Error: // want `errcat: type switch case \*alloy.Error misses wrapped errors`
		return e.Message
	}
	switch err {
	case alloy.ErrTooManyRequests: // want `errcat: case alloy.ErrTooManyRequests compares the error with ==, which misses wrapped errors; use errors.Is\(err, alloy.ErrTooManyRequests\) in a switch with no tag`
		return "slow down"
	}
	return ""
}
