package apierr

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
)

// MaxIdempotencyBodyBytes bounds how much of a request body the [Transport]
// reads looking for the idempotency key a [Policy] names in the body
// (IdempotencyKeyField). A longer body counts as carrying no key: the
// request is not repeated.
const MaxIdempotencyBodyBytes = 1 << 20

// bodyHasIdempotencyKey reports whether req's body carries the Policy's
// idempotency key: a JSON body (Content-Type application/json or
// "+json") whose member at IdempotencyKeyField is a non-empty string. It
// reads a fresh copy from req.GetBody, at most [MaxIdempotencyBodyBytes],
// and never touches req.Body, which belongs to the attempt being sent.
// Whatever cannot be told — no field in the Policy, no GetBody, another
// media type, a body too long or not JSON, a GetBody that fails — counts
// as no key, so the request is not repeated.
func (t *Transport) bodyHasIdempotencyKey(req *http.Request) bool {
	path := t.policy.IdempotencyKeyField
	if len(path) == 0 || req.GetBody == nil || !isJSONMedia(req.Header.Get("Content-Type")) {
		return false
	}
	body, err := req.GetBody()
	if err != nil || body == nil {
		return false
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, MaxIdempotencyBodyBytes+1))
	if err != nil || len(data) > MaxIdempotencyBodyBytes {
		return false
	}
	return jsonStringAt(data, path)
}

// isJSONMedia reports whether a Content-Type value names JSON:
// application/json or any type with the +json suffix.
func isJSONMedia(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// jsonStringAt reports whether data is a JSON object whose member at path
// (object member names from the top level; duplicates resolve as
// encoding/json does, the last wins) is a non-empty string.
func jsonStringAt(data []byte, path []string) bool {
	cur := json.RawMessage(data)
	for _, key := range path {
		var obj map[string]json.RawMessage
		if json.Unmarshal(cur, &obj) != nil || obj == nil {
			return false
		}
		v, ok := obj[key]
		if !ok {
			return false
		}
		cur = v
	}
	var s string
	return json.Unmarshal(cur, &s) == nil && strings.TrimSpace(s) != ""
}
