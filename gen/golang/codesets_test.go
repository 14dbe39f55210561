package golang_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
)

// Secondary code sets are declared in their own file, only when the
// catalog has some; their identifiers are the model's.
func TestCodeSetsFile(t *testing.T) {
	for file, want := range map[string]bool{"c2_cardpay.yaml": true, "percode.yaml": false} {
		c, err := load.File("../../internal/features/catalog/" + file)
		if err != nil {
			t.Fatal(err)
		}
		files, err := golang.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range files {
			if f.Name == "codesets.go" {
				found = true
				for _, s := range c.CodeSets {
					for _, it := range s.Items {
						if !strings.Contains(string(f.Content), it.Idents.Const+" "+s.Idents.Type+" = ") {
							t.Errorf("%s: no constant %s of type %s", file, it.Idents.Const, s.Idents.Type)
						}
					}
				}
			}
		}
		if found != want {
			t.Errorf("%s: codesets.go generated %v, want %v", file, found, want)
		}
	}
}

// Every name ErrcatTexts lists for errcat vet has its matcher Is<name>,
// secondary code values included: vet points text matches at it.
func TestVetTextsNameSetMatchers(t *testing.T) {
	c, err := load.File("../../internal/features/catalog/c2_cardpay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := golang.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	var errorsGo, sentinels string
	for _, f := range files {
		switch f.Name {
		case "errors.go":
			errorsGo = string(f.Content)
		case "sentinels.go":
			sentinels = string(f.Content)
		}
	}
	for _, s := range c.CodeSets {
		for _, it := range s.Items {
			line := `"` + it.Idents.Const + `\t`
			if !strings.Contains(errorsGo, line) {
				t.Errorf("ErrcatTexts lacks %s", line)
			}
			if !strings.Contains(sentinels, "func "+it.Idents.Is+"(err error) bool") {
				t.Errorf("no matcher %s for the ErrcatTexts name %s", it.Idents.Is, it.Idents.Const)
			}
		}
	}
}
