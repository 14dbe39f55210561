package vet

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/errcat/errcat/gen"
	"github.com/errcat/errcat/gen/model"
)

// TestVendorTablesRoundTrip reads every committed generated package through
// go/types, as the analyzer does, and checks that each text its catalog
// documents — descriptions and known messages, hostile ones included
// (internal/features/nasty: newlines, quotes, backticks, comment markers) —
// maps back to the status or code it belongs to, and every code's text to
// the code.
func TestVendorTablesRoundTrip(t *testing.T) {
	runs, err := gen.LoadConfig("../errcat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, run := range runs {
		cats, err := gen.Load(run.Catalogs) // LoadConfig resolves paths against the config's folder
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cats {
			dir := filepath.Join(run.Out, c.Vendor.ID)
			pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName, Dir: dir}, ".")
			if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
				t.Fatalf("%s: %v %v", dir, err, pkgs)
			}
			v := loadVendor(pkgs[0].Types)
			if v == nil {
				t.Fatalf("%s: not recognised as a generated package", dir)
			}
			want := func(text, goName string) {
				t.Helper()
				if text != "" && !slices.Contains(v.texts[text], goName) {
					t.Errorf("%s: %q maps to %q, want it to include %s", c.Vendor.ID, text, v.texts[text], goName)
				}
			}
			for _, s := range c.Statuses {
				if !c.HasSentinel(s) {
					continue
				}
				want(s.Description, s.GoName)
				for _, m := range s.Messages {
					want(m.Text, s.GoName)
				}
				if !s.Class {
					want(s.Text(), s.GoName)
				}
			}
			for _, code := range c.Codes {
				// The matcher is Is<name>: name is the Go name, or
				// Code<Go name> for a code named like a status.
				name := strings.TrimPrefix(code.Idents.Is, "Is")
				want(code.Description, name)
				want(code.Text(), name)
				want(code.GoName, name)
				for _, m := range code.Messages {
					want(m.Text, name)
				}
				if got := v.codeTexts[code.Text()]; got != name {
					t.Errorf("%s: code %q is %q, want %s", c.Vendor.ID, code.Text(), got, name)
				}
			}
			if c.CodeType == model.CodeNone && v.code != nil {
				t.Errorf("%s: a Code type, but the catalog has no codes", c.Vendor.ID)
			}
			checked++
		}
	}
	if checked < 11 {
		t.Errorf("checked %d packages, want every vendor and feature package", checked)
	}
}
