package model_test

import (
	"slices"
	"testing"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
)

// TestSecretsAndExpected reads the examples of the integer-codes fixture:
// the secrets an example holds (at a sensitive path, under the same key
// elsewhere, a sensitive header), in a stable order, and the kind and
// action it must parse to (the code's; the class's for a status the class
// covers; the override header's action).
func TestSecretsAndExpected(t *testing.T) {
	c, err := load.File("../load/testdata/valid/01-integer-codes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex := &model.Example{Status: 401, Code: c.Codes[2], Body: `{"error": {"code": 4011, "details": {"token": "s3cr3t-1"}}, "x": {"Token": "s3cr3t-2"}, "a": {"TOKEN": "s3cr3t-0"}}`,
		Headers: []model.ExampleHeader{{Name: "X-Acme-Session", Value: "sess-123"}, {Name: "X-Should-Retry", Value: "false"}}}
	want := []string{"sess-123", "s3cr3t-0", "s3cr3t-1", "s3cr3t-2"}
	for range 20 { // maps are walked in random order
		if got := c.Secrets(ex); !slices.Equal(got, want) {
			t.Fatalf("Secrets = %q, want %q", got, want)
		}
	}
	if k, a := c.Expected(ex); k.String() != "unauthenticated" || a.String() != "fix_request" {
		t.Errorf("Expected = %v, %v; want the code's kind and the override's action", k, a)
	}
	if k, a := c.Expected(&model.Example{Status: 503}); k.String() != "internal" || a.String() != "retry_backoff" {
		t.Errorf("Expected(503) = %v, %v; want the 5XX class's", k, a)
	}
}
