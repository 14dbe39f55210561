package errcatimpl

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/errcat/errcat/apierr"
)

// TestPlainJSONAgreesWithEncoder: a value plainJSON calls plain is
// written by json.Marshal exactly as it is, so record may skip the
// encoder for it; every byte is tried alone and inside a token.
func TestPlainJSONAgreesWithEncoder(t *testing.T) {
	for c := range 256 {
		for _, s := range []string{string(rune(c)), string([]byte{byte(c)}), "tok" + string([]byte{byte(c)}) + "en"} {
			b, err := json.Marshal(s)
			same := err == nil && string(b) == `"`+s+`"`
			if plainJSON(s) && !same {
				t.Errorf("plainJSON(%q) is true, but json.Marshal writes %s", s, b)
			}
		}
	}
	if !plainJSON("7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA-_.~ +=/") {
		t.Error("a token of printable ASCII is not plain")
	}
}

// TestRecordAllocations: recording a secret of printable ASCII costs the
// append to the list of secrets only (it cost three more allocations when
// every value went through json.Marshal to find its escaped form), and
// redacting by key a value already redacted by path costs nothing (it was
// boxed in a new interface again).
func TestRecordAllocations(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		d := Doc{secrets: new([]string)}
		d.record("7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA")
	}); n > 2 {
		t.Errorf("recording a plain secret allocates %v times, want at most 2 (the Doc's list and its append)", n)
	}
	d := Doc{root: map[string]any{"details": map[string]any{"bearer_token": apierr.Secret("7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA")}}, secrets: new([]string)}
	if n := testing.AllocsPerRun(100, func() { d.RedactKeys("bearer_token") }); n != 0 {
		t.Errorf("RedactKeys over a value already redacted allocates %v times, want 0", n)
	}
}

// TestScrubOrderAndAllocations: secrets are replaced longest first, so a
// secret holding another goes whole, and a text without any secret costs
// no allocation however many secrets there are (Scrub sorted a copy of the
// list on every call when there were two or more).
func TestScrubOrderAndAllocations(t *testing.T) {
	d := Doc{secrets: new([]string)}
	for _, v := range []string{"abcd", "abcdefgh", "abcd", "wxyz1234", "abcdef", "x\"yz9"} {
		d.record(v)
	}
	want := []string{"abcdefgh", "wxyz1234", "abcdef", "x\\\"yz9", "x\"yz9", "abcd"}
	if got := *d.secrets; !slices.Equal(got, want) {
		t.Errorf("secrets = %q, want %q", got, want)
	}
	if got := d.Scrub("key abcdefgh, part abcd, quoted x\\\"yz9"); got != "key [REDACTED], part [REDACTED], quoted [REDACTED]" {
		t.Errorf("Scrub = %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { d.Scrub("nothing secret here") }); n != 0 {
		t.Errorf("Scrub of a text without secrets allocates %v times, want 0", n)
	}
}

// TestScrubValueAllocations: scrubbing a free-form value replaces the
// strings that hold a secret and allocates nothing for those that do not
// (each string was boxed in a new interface).
func TestScrubValueAllocations(t *testing.T) {
	d := Doc{secrets: &[]string{"s3cr3t"}}
	v := map[string]any{"a": "plain", "b": []any{"plain too", map[string]any{"c": "deep"}}, "n": json.Number("1")}
	if n := testing.AllocsPerRun(100, func() { d.ScrubValue(v) }); n != 0 {
		t.Errorf("ScrubValue without a secret in it allocates %v times, want 0", n)
	}
	w := map[string]any{"a": "was s3cr3t", "b": []any{"s3cr3t", map[string]any{"c": "x s3cr3t"}}, "d": "plain"}
	d.ScrubValue(w)
	want := map[string]any{"a": "was [REDACTED]", "b": []any{"[REDACTED]", map[string]any{"c": "x [REDACTED]"}}, "d": "plain"}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("ScrubValue = %#v, want %#v", w, want)
	}
	if got := d.ScrubValue("a s3cr3t"); got != "a [REDACTED]" {
		t.Errorf("ScrubValue of a string = %#v", got)
	}
}
