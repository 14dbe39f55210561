package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// LogText logs one record at level error with the handler newHandler makes
// (slog.NewJSONHandler, slog.NewTextHandler) and returns the output.
func LogText[H slog.Handler](newHandler func(io.Writer, *slog.HandlerOptions) H, msg string, attrs ...slog.Attr) string {
	var buf bytes.Buffer
	slog.New(newHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelError, msg, attrs...)
	return buf.String()
}

// LogJSON logs one record with slog's JSON handler and decodes it.
func LogJSON(t testing.TB, msg string, attrs ...slog.Attr) map[string]any {
	t.Helper()
	out := LogText(slog.NewJSONHandler, msg, attrs...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("slog JSON output %q: %v", out, err)
	}
	return m
}

// Marshal returns v as JSON, failing the test on error.
func Marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%T): %v", v, err)
	}
	return string(b)
}

// Leaks reports whether out shows secret (by its first 12 bytes), as text or
// as the byte list fmt prints for a []byte (%v: "55 71 105 ...", %#v:
// "0x37, 0x47, ...").
func Leaks(out, secret string) bool {
	tok := []byte(secret)[:min(len(secret), 12)]
	dec := strings.Trim(fmt.Sprintf("%v", tok), "[]")
	hex := strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", tok), "[]byte{"), "}")
	return strings.Contains(out, string(tok)) || strings.Contains(out, dec) || strings.Contains(out, hex)
}
