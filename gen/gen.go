// Package gen runs errcat's pipeline: load each catalog into the model,
// render every output file in memory with the emitters, then either write
// the files that changed (removing stale generated ones) or, in check mode,
// report how the tree differs without touching it.
package gen

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
	"github.com/errcat/errcat/gen/model"
)

// Options configure one run.
type Options struct {
	// Catalogs are the catalog files to generate from.
	Catalogs []string
	// Out is the output root: each vendor's package goes to Out/<vendor id>.
	Out string
	// Check renders in memory and reports differences; it writes nothing.
	Check bool
	// Index also writes Out/README.md, the index of every vendor generated.
	Index bool
	// Templates, when set, is a directory whose vendor.md.tmpl and
	// index.md.tmpl replace the embedded documentation templates.
	Templates string
	// NoTestKit leaves out the <package>test kit beside each package
	// (errcat.yaml: test_kit: false); a kit generated before is removed.
	NoTestKit bool
}

// Result says what a run did (or, in check mode, would do).
type Result struct {
	Written   []string // files created or changed
	Removed   []string // stale generated files removed
	Unchanged int      // files whose bytes were already right
	// Stale, Missing and Extra are filled in check mode: files whose bytes
	// differ, files not generated yet, and generated files no catalog makes.
	Stale, Missing, Extra []string
	// Warnings are things the run did that the user may not expect, such
	// as output outside any Go module (no examples, no import path).
	Warnings []string

	want map[string][]byte // in check mode: the bytes of Stale and Missing files, for Diff
}

// Drift reports whether a check found any difference.
func (r *Result) Drift() bool { return len(r.Stale)+len(r.Missing)+len(r.Extra) > 0 }

// Load loads and validates every catalog, returning all problems of all
// files together.
func Load(paths []string) ([]*model.Catalog, error) {
	var cats []*model.Catalog
	var all load.ErrorList
	var other []error
	for _, p := range paths {
		c, err := load.File(p)
		if c != nil {
			c.Source = moduleSourceName(p)
		}
		var list load.ErrorList
		switch {
		case errors.As(err, &list):
			all = append(all, list...)
		case err != nil:
			other = append(other, err)
		default:
			cats = append(cats, c)
		}
	}
	if len(other) > 0 {
		return nil, errors.Join(append(other, nilIfEmpty(all))...)
	}
	if len(all) > 0 {
		return nil, all
	}
	// Two catalogs must not write the same package directory.
	seen := map[string]string{}
	for _, c := range cats {
		if prev, dup := seen[c.Vendor.ID]; dup {
			return nil, fmt.Errorf("%s and %s both declare vendor id %q: they would write the same package", prev, c.Source, c.Vendor.ID)
		}
		seen[c.Vendor.ID] = c.Source
	}
	return cats, nil
}

func nilIfEmpty(l load.ErrorList) error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Render produces every output file of the catalogs, keyed by its path
// under the output root (slash-separated), without touching the disk:
// nothing is written unless every file rendered.
//
// Every catalog's Go files and page render concurrently: the emitters only
// read the model, and the work is mostly gofmt, which uses one core per
// file.
func Render(cats []*model.Catalog, docs *markdown.Templates, index bool) (map[string][]byte, error) {
	type rendered struct {
		files        []golang.File
		page         []byte
		goErr, mdErr error
	}
	results := make([]rendered, len(cats))
	var wg sync.WaitGroup
	for i, c := range cats {
		r := &results[i]
		wg.Add(2)
		go func() {
			defer wg.Done()
			r.files, r.goErr = golang.Generate(c)
		}()
		go func() {
			defer wg.Done()
			r.page, r.mdErr = docs.Vendor(c)
		}()
	}
	wg.Wait()
	out := map[string][]byte{}
	for i, c := range cats {
		r := results[i]
		if r.goErr != nil {
			return nil, r.goErr
		}
		if r.mdErr != nil {
			return nil, fmt.Errorf("%s: %w", c.Source, r.mdErr)
		}
		for _, f := range r.files {
			out[c.Vendor.ID+"/"+f.Name] = f.Content
		}
		out[c.Vendor.ID+"/README.md"] = r.page
	}
	if index {
		var sources []string
		for _, c := range cats {
			sources = append(sources, c.Source)
		}
		page, err := docs.Index(cats, strings.Join(sources, ", "))
		if err != nil {
			return nil, err
		}
		out["README.md"] = page
	}
	return out, nil
}

// Run executes the pipeline.
func Run(opts Options) (*Result, error) {
	if len(opts.Catalogs) == 0 {
		return nil, errors.New("no catalogs given: name one or more catalog files, such as catalog/*.yaml")
	}
	if opts.Out == "" {
		opts.Out = "."
	}
	cats, docs, err := loadRun(opts)
	if err != nil {
		return nil, err
	}
	files, err := Render(cats, docs, opts.Index)
	if err != nil {
		return nil, err
	}
	dirs := map[string]bool{}
	sources := map[string]bool{}
	for _, c := range cats {
		dirs[c.Vendor.ID] = true
		sources[c.Source] = true
	}
	stale, err := staleGenerated(opts.Out, files, dirs, sources)
	if err != nil {
		return nil, err
	}
	res, pending, err := compare(opts, files)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.ImportPath == "" {
			dir := filepath.Join(opts.Out, c.Vendor.ID)
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s is in no Go module (no go.mod above it), so the package has no import path: example_test.go is not generated and README.md names no import path; run `go mod init` above it, or generate into a module", dir))
		}
	}
	if err := writeAll(opts.Out, pending, files); err != nil {
		return nil, err
	}
	for _, name := range pending {
		res.Written = append(res.Written, filepath.Join(opts.Out, filepath.FromSlash(name)))
	}
	for _, path := range stale {
		if opts.Check {
			res.Extra = append(res.Extra, path)
			continue
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
		res.Removed = append(res.Removed, path)
	}
	removeEmptyKitFolders(opts.Out, res.Removed)
	return res, nil
}

// loadRun loads the run's catalogs, sets the source name and import path
// of each, and loads the documentation templates (with the run's override
// folder, if any).
func loadRun(opts Options) ([]*model.Catalog, *markdown.Templates, error) {
	cats, err := Load(opts.Catalogs)
	if err != nil {
		return nil, nil, err
	}
	var override fs.FS
	if opts.Templates != "" {
		if fi, err := os.Stat(opts.Templates); err != nil || !fi.IsDir() {
			return nil, nil, fmt.Errorf("templates directory %q: not a directory", opts.Templates)
		}
		override = os.DirFS(opts.Templates)
	}
	docs, err := markdown.Load(override)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range cats {
		c.Source = SourceName(opts.Catalogs[i], opts.Out)
		if r, ok := model.UnsafeSourceName(c.Source); !ok {
			return nil, nil, fmt.Errorf("%s: the catalog's path holds %U, which the generated files' headers cannot show as it is: rename the file or folder", opts.Catalogs[i], r)
		}
		c.ImportPath = importPath(filepath.Join(opts.Out, c.Vendor.ID))
		c.TestKit = !opts.NoTestKit
	}
	return cats, docs, nil
}

// compare sets each rendered file against the one on disk: unchanged ones
// are counted, and the others are the pending files to write or, in check
// mode, reported stale or missing. A file on disk errcat did not generate,
// or a symbolic link on the way to one, is an error.
func compare(opts Options, files map[string][]byte) (res *Result, pending []string, err error) {
	res = &Result{}
	for _, name := range sortedKeys(files) {
		path := filepath.Join(opts.Out, filepath.FromSlash(name))
		if err := refuseLinks(opts.Out, name); err != nil {
			return nil, nil, err
		}
		old, err := os.ReadFile(path)
		switch {
		case err == nil && bytes.Equal(old, files[name]):
			res.Unchanged++
			continue
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return nil, nil, err
		case err == nil && !isGenerated(old):
			return nil, nil, fmt.Errorf("%s exists and was not generated by errcat: move it away or choose another -out", path)
		}
		if opts.Check {
			if err == nil {
				res.Stale = append(res.Stale, path)
			} else {
				res.Missing = append(res.Missing, path)
			}
			if res.want == nil {
				res.want = map[string][]byte{}
			}
			res.want[path] = files[name]
			continue
		}
		pending = append(pending, name)
	}
	return res, pending, nil
}

// refuseLinks fails when the file name under out, or a folder on its way
// (the vendor's package folder), is a symbolic link: a link planted in the
// output (out/<id> → ../elsewhere) would make errcat write outside it.
func refuseLinks(out, name string) error {
	parts := strings.Split(name, "/")
	for i := range parts {
		p := filepath.Join(append([]string{out}, parts[:i+1]...)...)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link: errcat does not write through links, which could lead outside the output folder; remove the link or choose another -out", p)
		}
	}
	return nil
}

// writeAll writes the named files in two phases so that a run that fails
// writes nothing: first every file's bytes go to a temporary file beside it
// (creating folders as needed); only when all of them are on disk is each
// renamed over its target. A failure in the first phase removes the
// temporary files and the folders it created.
func writeAll(out string, names []string, files map[string][]byte) (err error) {
	var temps []string
	var created []string // folders made by this run, parents first
	defer func() {
		if err == nil {
			return
		}
		for _, tmp := range temps {
			os.Remove(tmp)
		}
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i]) // only if empty: never another file
		}
	}()
	for _, name := range names {
		path := filepath.Join(out, filepath.FromSlash(name))
		made, err := mkdirs(filepath.Dir(path))
		created = append(created, made...)
		if err != nil {
			return err
		}
		tmp, err := writeTemp(path, files[name])
		if err != nil {
			return err
		}
		temps = append(temps, tmp)
	}
	for i, name := range names {
		if err := os.Rename(temps[i], filepath.Join(out, filepath.FromSlash(name))); err != nil {
			temps = temps[i:]
			return err
		}
	}
	return nil
}

// mkdirs is os.MkdirAll reporting the folders it created, parents first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		switch err := os.Mkdir(missing[i], 0o755); {
		case err == nil:
			made = append(made, missing[i])
		case !errors.Is(err, fs.ErrExist):
			return made, err
		}
	}
	return made, nil
}

// writeTemp writes data to a new temporary file beside path, which a
// rename then moves into place atomically, so an interrupted run never
// leaves a half-written file that later fails to compile.
func writeTemp(path string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".errcat-*")
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// headerPattern matches the first line errcat writes in every file, Go or
// Markdown, and captures the source catalog.
var headerPattern = regexp.MustCompile(`^(?://|<!--) Code generated by errcat from (.+)\. DO NOT EDIT\.(?: -->)?$`)

func isGenerated(content []byte) bool {
	_, ok := generatedSource(content)
	return ok
}

func generatedSource(content []byte) (string, bool) {
	line, _, _ := bytes.Cut(content, []byte("\n"))
	m := headerPattern.FindSubmatch(bytes.TrimRight(line, "\r"))
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// staleGenerated lists files under out (one directory level deep) that
// errcat generated but this run does not make: in a directory this run
// owns, any such file; elsewhere, files made from one of this run's
// catalogs (its vendor id changed) or from a catalog that no longer exists,
// so that another run's output in the same root is left alone.
// Hand-written files are never listed.
func staleGenerated(out string, files map[string][]byte, dirs, sources map[string]bool) ([]string, error) {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, d := range entries {
		if strings.HasPrefix(d.Name(), ".") {
			continue
		}
		if !d.IsDir() {
			// A file in out itself is the index (README.md) of an
			// earlier run: stale when this run writes none and the index
			// was made from one of this run's catalogs.
			if _, made := files[d.Name()]; made {
				continue
			}
			path := filepath.Join(out, d.Name())
			src, ok, err := generatedFrom(d, path)
			if err != nil {
				return nil, err
			}
			if ok && slices.ContainsFunc(strings.Split(src, ", "), func(one string) bool { return sources[one] }) {
				stale = append(stale, path)
			}
			continue
		}
		inner, err := os.ReadDir(filepath.Join(out, d.Name()))
		if err != nil {
			return nil, err
		}
		inner, err = withKitFolders(out, d.Name(), inner)
		if err != nil {
			return nil, err
		}
		for _, f := range inner {
			if f.IsDir() {
				continue
			}
			if _, made := files[d.Name()+"/"+f.Name()]; made {
				continue
			}
			path := filepath.Join(out, d.Name(), filepath.FromSlash(f.Name()))
			src, ok, err := generatedFrom(f, path)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if dirs[d.Name()] || sources[src] {
				stale = append(stale, path)
				continue
			}
			// Another run's output: stale only once its catalog is gone.
			if p, ok := ResolveSource(out, src); ok {
				if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
					stale = append(stale, path)
				}
			}
		}
	}
	sort.Strings(stale)
	return stale, nil
}

// removeEmptyKitFolders removes the folders (a test kit's) below a
// package folder that removing stale files left empty; a folder with any
// other file stays.
func removeEmptyKitFolders(out string, removed []string) {
	for _, path := range removed {
		dir := filepath.Dir(path)
		if rel, err := filepath.Rel(out, dir); err == nil && strings.Count(filepath.ToSlash(rel), "/") == 1 {
			os.Remove(dir) // fails, harmlessly, unless empty
		}
	}
}

// withKitFolders adds to a package folder's entries the files of its
// folders (a test kit's, such as alloy/alloytest), named "alloytest/kit.go",
// so that a kit is stale like the package's own files.
func withKitFolders(out, dir string, entries []fs.DirEntry) ([]fs.DirEntry, error) {
	all := entries
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sub, err := os.ReadDir(filepath.Join(out, dir, e.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range sub {
			if !f.IsDir() {
				all = append(all, subEntry{f, e.Name() + "/" + f.Name()})
			}
		}
	}
	return all, nil
}

// subEntry is a file of a package's folder named by its path inside it.
type subEntry struct {
	fs.DirEntry
	name string
}

func (s subEntry) Name() string { return s.name }

// generatedFrom reports the catalog that errcat generated the file at path
// (entry d) from; ok is false for a hand-written file and for anything but a
// regular file (a socket or FIFO would block readHead; errcat writes
// neither).
func generatedFrom(d fs.DirEntry, path string) (src string, ok bool, err error) {
	if !d.Type().IsRegular() {
		return "", false, nil
	}
	head, err := readHead(path)
	if err != nil {
		return "", false, err
	}
	src, ok = generatedSource(head)
	return src, ok, nil
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := f.Read(buf)
	if n == 0 && err != nil {
		return nil, nil
	}
	return buf[:n], nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
