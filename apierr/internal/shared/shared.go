// Package shared links the transport (apierr) and the support runtime of
// generated code (errcatimpl) where one must read what the other holds
// unexported, without a cycle and without exporting it to programs.
package shared

import "net/http"

// Classified returns the error a Transport's policy made of resp and
// whether it made one; apierr sets it at init.
var Classified func(resp *http.Response) (error, bool)
