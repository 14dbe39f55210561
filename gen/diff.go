package gen

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// maxDiffLines bounds a diff's changed lines: the first hunk of a stale
// 10,000-code errors.go shows where it went wrong, not all of it.
const maxDiffLines = 60

// Diff returns a unified diff of the file at path (one of Stale or Missing
// of a check) as it is on disk against what errcat generates now, or ""
// if the check did not find it out of date. It shows one hunk: the lines
// between the first and the last difference, with three lines of context,
// cut short after maxDiffLines changed lines.
func (r *Result) Diff(path string) string {
	want, ok := r.want[path]
	if !ok {
		return ""
	}
	old, err := os.ReadFile(path)
	if err != nil {
		old = nil
	}
	return unifiedDiff(path, old, want)
}

func unifiedDiff(path string, old, cur []byte) string {
	a, b := splitLines(old), splitLines(cur)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	if pre == len(a) && pre == len(b) {
		return ""
	}
	const ctx = 3
	start := max(pre-ctx, 0)
	endA, endB := min(len(a)-suf+ctx, len(a)), min(len(b)-suf+ctx, len(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s (on disk)\n+++ %s (generated now)\n", path, path)
	fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(start, endA), hunkRange(start, endB))
	for _, l := range a[start:pre] {
		out.WriteString(" " + l + "\n")
	}
	shown := 0
	emit := func(sign string, lines []string) {
		for _, l := range lines {
			if shown == maxDiffLines {
				return
			}
			out.WriteString(sign + l + "\n")
			shown++
		}
	}
	emit("-", a[pre:len(a)-suf])
	emit("+", b[pre:len(b)-suf])
	if changed := len(a) - suf - pre + len(b) - suf - pre; changed > shown {
		fmt.Fprintf(&out, "… %d more changed lines\n", changed-shown)
		return out.String()
	}
	for _, l := range a[len(a)-suf : endA] {
		out.WriteString(" " + l + "\n")
	}
	return out.String()
}

// hunkRange is a unified diff's "start,count" for lines [from, to).
func hunkRange(from, to int) string {
	if to == from {
		return fmt.Sprintf("%d,0", from)
	}
	return fmt.Sprintf("%d,%d", from+1, to-from)
}

func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(bytes.TrimSuffix(b, []byte("\n"))), "\n")
}
