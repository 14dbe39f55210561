package load

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader, seeded with every catalog
// (the feature catalogs too, which reach the format v2 keys) and fixture we
// have: it must return a catalog or an ErrorList, never
// panic, and a catalog it returns must hold what the emitters rely on.
//
//	go test -run x -fuzz FuzzLoad -fuzztime 60s ./gen/load/
func FuzzLoad(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"../../catalog/*.yaml", "testdata/valid/*.yaml", "testdata/invalid/*.yaml", "../../internal/features/catalog/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, files...)
	}
	for _, file := range seeds {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := Bytes("fuzz.yaml", data)
		if err != nil {
			if cat != nil {
				t.Fatal("returned a catalog along with an error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is %T, not a non-empty ErrorList: %v", err, err)
			}
			for _, e := range list {
				if e.File != "fuzz.yaml" || e.Line < 1 || e.Col < 1 || e.Msg == "" {
					t.Fatalf("malformed error %#v", e)
				}
			}
			_ = list.Error()
			return
		}
		if cat == nil {
			t.Fatal("no catalog and no error")
		}
		checkInvariants(t, cat)
	})
}
