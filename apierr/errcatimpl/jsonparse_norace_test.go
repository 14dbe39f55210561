//go:build !race

// The race detector makes sync.Pool drop items at random.

package errcatimpl

import "testing"

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
