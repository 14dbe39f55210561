// Package catalog holds the vendor catalogs errcat ships and the JSON Schema
// of the catalog format, which `errcat schema` prints so that a repository
// using errcat can point its editor at a local copy.
package catalog

import _ "embed"

// Schema is errcat.schema.json, the JSON Schema of the catalog format
// (errcat/v2, which also validates errcat/v1 catalogs).
//
//go:embed errcat.schema.json
var Schema []byte

// SchemaID is the schema's $id: the stable address editors may fetch it
// from, as in `# yaml-language-server: $schema=<SchemaID>`.
const SchemaID = "https://raw.githubusercontent.com/errcat/errcat/main/catalog/errcat.schema.json"
