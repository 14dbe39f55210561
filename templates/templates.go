// Package templates holds errcat's documentation templates, embedded so the
// generator needs no files at run time. Users override any of them with
// errcat generate -templates DIR: a file of the same name in DIR wins.
package templates

import "embed"

// FS holds vendor.md.tmpl (one vendor's reference page) and index.md.tmpl
// (the index of all vendors with a cross-vendor matrix).
//
//go:embed *.md.tmpl
var FS embed.FS

// Names are the templates errcat renders, in the order it loads them.
var Names = []string{"vendor.md.tmpl", "index.md.tmpl"}
