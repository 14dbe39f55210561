//go:build !race

// The race detector makes sync.Pool drop items at random.

package errcatimpl

import (
	"reflect"
	"testing"
)

// TestParseObjectReusesDecoders: a small body's parse allocates its values,
// not a json.Decoder and its buffer (14 allocations and 1,328 B before, 9
// and 432 B after), nor the interface Decode fills (8 and 416 B): the map
// (its header and its one group of slots), two keys, two strings and their
// interface boxes.
func TestParseObjectReusesDecoders(t *testing.T) {
	body := []byte(`{"message":"Not Found","requestId":"3f1c9a2e"}` + "\n")
	if n := testing.AllocsPerRun(100, func() { parseObject(body) }); n > 8 {
		t.Errorf("parseObject allocates %v times, want at most 8", n)
	}
}

// TestDecodeObjectNoSecrets: the document of a catalog without secrets is
// DecodeObject's, without the list of secret values (one allocation less).
func TestDecodeObjectNoSecrets(t *testing.T) {
	for _, c := range append([]string{"\ufeff{\"a\":1}"}, parseObjectCases...) {
		got, ok := DecodeObjectNoSecrets([]byte(c))
		want, wantOK := DecodeObject([]byte(c))
		if ok != wantOK || !reflect.DeepEqual(got.root, want.root) || got.secrets != nil {
			t.Errorf("DecodeObjectNoSecrets(%q) = %#v, %v; want %#v, %v and no list", c, got, ok, want, wantOK)
		}
	}
	body := []byte(`{"message":"Not Found","requestId":"3f1c9a2e"}`)
	with := testing.AllocsPerRun(100, func() { DecodeObject(body) })
	without := testing.AllocsPerRun(100, func() { DecodeObjectNoSecrets(body) })
	if without != with-1 {
		t.Errorf("DecodeObjectNoSecrets allocates %v times, DecodeObject %v; want one less", without, with)
	}
}
