package diff

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/errcat/errcat/gen/model"
)

// Report is the comparison of one or more catalog pairs.
type Report struct {
	Catalogs []*CatalogDiff
	// Ignored are the changes an ignore file accepted, with its reasons.
	Ignored []Ignored
}

// CatalogDiff is the comparison of one catalog's two revisions.
type CatalogDiff struct {
	// Old and New name the two sides: a file, or REF:path for a side read
	// from git; "" for a side that does not exist.
	Old, New string
	Vendor   string
	Changes  []Change
	// API is the Go API impact; nil when it could not be computed, and
	// APIError then says why.
	API      *API
	APIError string
}

// Ignored is a change an ignore file accepted.
type Ignored struct {
	Change  Change
	Catalog string // the CatalogDiff's New (or Old when it was removed)
	Reason  string
}

// NewCatalogDiff compares old and new (either may be nil) and, when ck is
// not nil, their generated Go APIs.
func NewCatalogDiff(oldName string, old *model.Catalog, newName string, new *model.Catalog, ck *Checker) *CatalogDiff {
	cd := &CatalogDiff{Old: oldName, New: newName, Changes: Compare(old, new)}
	if new != nil {
		cd.Vendor = new.Vendor.ID
	} else if old != nil {
		cd.Vendor = old.Vendor.ID
	}
	if ck != nil {
		api, err := ck.GoAPI(old, new)
		if err != nil {
			cd.APIError = err.Error()
		} else {
			cd.API = api
		}
	}
	return cd
}

// File is the catalog a change's position refers to: the new side, or the
// old one for a removed catalog.
func (cd *CatalogDiff) File() string {
	if cd.New != "" {
		return cd.New
	}
	return cd.Old
}

// Counts returns the number of changes of each severity.
func (cd *CatalogDiff) Counts() [3]int {
	var n [3]int
	for _, c := range cd.Changes {
		n[c.Severity]++
	}
	return n
}

// Counts returns the number of changes of each severity in all catalogs.
func (r *Report) Counts() [3]int {
	var n [3]int
	for _, cd := range r.Catalogs {
		c := cd.Counts()
		for i := range n {
			n[i] += c[i]
		}
	}
	return n
}

// Fails reports whether a change at or above threshold remains.
func (r *Report) Fails(threshold Severity) bool {
	n := r.Counts()
	for s := threshold; s <= Breaking; s++ {
		if n[s] > 0 {
			return true
		}
	}
	return false
}

// Ignore moves the changes whose fingerprints accept lists into Ignored.
func (r *Report) Ignore(accept map[string]string) {
	for _, cd := range r.Catalogs {
		kept := cd.Changes[:0]
		for _, c := range cd.Changes {
			if reason, ok := accept[c.Fingerprint]; ok {
				r.Ignored = append(r.Ignored, Ignored{Change: c, Catalog: cd.File(), Reason: reason})
				continue
			}
			kept = append(kept, c)
		}
		cd.Changes = kept
	}
}

var fingerprintPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// ReadIgnoreFile reads an ignore file: one accepted change per line, its
// fingerprint then the reason it was accepted; blank lines and lines
// starting with # are skipped.
//
//	# accepted in review of #123: vendor dropped the code
//	3f2a9c1d2e4b5a6c  code 4012 retired by Alloy on 2025-06-01
func ReadIgnoreFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseIgnore(path, data)
}

// ParseIgnore parses the contents of an ignore file named name.
func ParseIgnore(name string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fp, reason := text, ""
		if i := strings.IndexAny(text, " \t"); i >= 0 {
			fp, reason = text[:i], text[i+1:]
		}
		reason = strings.TrimSpace(reason)
		switch {
		case !fingerprintPattern.MatchString(fp):
			return nil, fmt.Errorf("%s:%d:1: %q is not a change fingerprint (fix: copy the 16 hex digits errcat diff prints for the change)", name, line, clipName(fp))
		case reason == "":
			return nil, fmt.Errorf("%s:%d:%d: fingerprint %s has no reason (fix: say after it why the change is accepted)", name, line, len(fp)+1, fp)
		}
		out[fp] = reason
	}
	return out, sc.Err()
}

// clipName makes a name from the command line, a file or git safe to print
// on one line: control characters become '?'.
func clipName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:197]) + "..."
	}
	return s
}
