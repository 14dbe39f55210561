package apierr

import (
	"fmt"
	"log/slog"
)

// Redacted is what a [Secret] prints instead of its value.
const Redacted = "[REDACTED]"

// Secret holds a value a vendor echoed back that must never be printed, such
// as Alloy's details.bearer_token. Every way of printing it (fmt verbs, slog,
// JSON) shows [Redacted]; call Reveal to read the value on purpose.
type Secret string

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String returns [Redacted].
func (s Secret) String() string { return Redacted }

// GoString returns [Redacted] quoted, for %#v.
func (s Secret) GoString() string { return `"` + Redacted + `"` }

// Format prints [Redacted] for every verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", Redacted)
		return
	}
	_, _ = f.Write([]byte(Redacted))
}

// LogValue returns [Redacted] for slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalJSON encodes [Redacted].
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText encodes [Redacted].
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }
