package diff

import (
	"reflect"
	"slices"
	"testing"

	"github.com/errcat/errcat/gen/model"
)

// TestModelFieldsCompared fails when the model gains a field, so that
// whoever adds a catalog key decides how errcat diff classes a change of it
// (and adds it here once Compare handles it).
func TestModelFieldsCompared(t *testing.T) {
	// Catalog.Format is no change class of its own: moving a catalog to
	// errcat/v2 changes nothing generated; the v2 keys it then uses are
	// compared where they live.
	handled := map[reflect.Type][]string{
		reflect.TypeFor[model.Catalog]():         {"Source", "Format", "ImportPath", "TestKit", "Vendor", "Statuses", "CodeType", "Codes", "Bodies", "Headers", "Retry", "Warnings", "Batch", "CodeSets"},
		reflect.TypeFor[model.Vendor]():          {"Pos", "ID", "Name", "Package", "Docs", "Description", "DocsRevision"},
		reflect.TypeFor[model.Status]():          {"Pos", "Code", "Class", "Name", "GoName", "Description", "Note", "Kind", "Action", "KindInherited", "ActionInherited", "Messages", "Idents", "Examples", "Delay"},
		reflect.TypeFor[model.Code]():            {"Pos", "Int", "Str", "Name", "GoName", "Status", "Description", "Note", "Kind", "Action", "KindInherited", "ActionInherited", "Deprecated", "AliasOf", "Messages", "Idents", "Examples", "Delay", "Statuses", "StatusWins"},
		reflect.TypeFor[model.Body]():            {"Pos", "Name", "GoName", "Description", "Statuses", "Content", "ErrorWhen", "Fields", "Sensitive", "Example", "MediaTypes", "When", "Problem", "Kind", "Action", "HasKindAction"},
		reflect.TypeFor[model.Field]():           {"Pos", "Name", "GoName", "Paths", "Type", "Role", "Description", "Item", "Set", "Compose", "Clean", "Elem", "Join", "From"},
		reflect.TypeFor[model.CodeSet]():         {"Pos", "Name", "GoName", "Description", "Type", "Decides", "Domain", "Items", "Idents"},
		reflect.TypeFor[model.SetCode]():         {"Pos", "Set", "Int", "Str", "Domain", "Name", "GoName", "Description", "Note", "Kind", "Action", "Idents"},
		reflect.TypeFor[model.Compose]():         {"Separator", "Parts", "Tag"},
		reflect.TypeFor[model.Clean]():           {"Trim", "Fold"},
		reflect.TypeFor[model.Item]():            {"GoName", "Fields"},
		reflect.TypeFor[model.Header]():          {"Pos", "Header", "Name", "GoName", "Description", "Sensitive"},
		reflect.TypeFor[model.Retry]():           {"Pos", "Delays", "Override", "IdempotencyKeyHeader", "IdempotencyKeyField", "RateLimits", "Description"},
		reflect.TypeFor[model.RateLimit]():       {"Pos", "Scope", "Method", "Path", "Requests", "Period", "Description"},
		reflect.TypeFor[model.DelaySource]():     {"Pos", "Header", "Field", "Format", "Cost", "Rule"},
		reflect.TypeFor[model.Override]():        {"Header", "Values"},
		reflect.TypeFor[model.Condition]():       {"Path", "Equals", "NonEmpty", "Present"},
		reflect.TypeFor[model.Message]():         {"Text", "Description"},
		reflect.TypeFor[model.Example]():         {"Pos", "Status", "Code", "Headers", "Body", "Description"},
		reflect.TypeFor[model.ExampleHeader]():   {"Name", "Value"},
		reflect.TypeFor[model.CostFormula]():     {"Cost", "Available", "Rate"},
		reflect.TypeFor[model.Rule]():            {"Statuses", "When"},
		reflect.TypeFor[model.HeaderCondition](): {"Header", "Equals", "HasEquals"},
		reflect.TypeFor[model.DelayBounds]():     {"Min", "Default"},
		reflect.TypeFor[model.OverrideValue]():   {"Value", "Action", "Rule"},
		reflect.TypeFor[model.Warnings]():        {"Pos", "Description", "Statuses", "Paths", "Fields", "Sensitive", "Example"},
		reflect.TypeFor[model.Batch]():           {"Pos", "Description", "Statuses", "Paths", "Status", "Body", "ID", "Headers", "Example"},
		reflect.TypeFor[model.Problem]():         {"CodeFrom"},
	}
	for typ, want := range handled {
		for i := 0; i < typ.NumField(); i++ {
			if name := typ.Field(i).Name; !slices.Contains(want, name) {
				t.Errorf("model.%s.%s is new: make Compare report changes of it, then list it here", typ.Name(), name)
			}
		}
	}
}
