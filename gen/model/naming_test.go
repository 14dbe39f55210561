package model

import "testing"

func TestGoName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"credentials expired", "CredentialsExpired"},
		{"CredentialsExpired", "CredentialsExpired"},
		{"request_id", "RequestID"},
		{"requestId", "RequestID"},
		{"HTTPServer error", "HTTPServerError"},
		{"api key invalid", "APIKeyInvalid"},
		{"json body", "JSONBody"},
		{"4xx", "X4xx"},
		{"5XX server error", "X5xxServerError"},
		{"constraint_violation", "ConstraintViolation"},
		{"QUERY_COMPLEXITY_REACHED", "QueryComplexityReached"},
		{"I'm a teapot", "IMATeapot"},
		{"utf8 decoding", "UTF8Decoding"},
		{"  spaced  out ", "SpacedOut"},
	}
	for _, c := range cases {
		got, err := GoName(c.in)
		if err != nil || got != c.want {
			t.Errorf("GoName(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestGoNameRejects(t *testing.T) {
	for _, in := range []string{"", "---", "Bаd request" /* Cyrillic а */, "naïve"} {
		if got, err := GoName(in); err == nil {
			t.Errorf("GoName(%q) = %q, want an error", in, got)
		}
	}
}

func TestIsReservedWord(t *testing.T) {
	for _, s := range []string{"nil", "String", "func", "TYPE", "error"} {
		if !IsReservedWord(s) {
			t.Errorf("IsReservedWord(%q) = false", s)
		}
	}
	if IsReservedWord("teapot") {
		t.Error("teapot is not reserved")
	}
}
