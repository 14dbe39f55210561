package model

import "testing"

func TestPathHelpers(t *testing.T) {
	f := &Filter{Path: Path{{Key: "@type"}}, Equals: `"x"`}
	for _, c := range []struct {
		p       Path
		key     string
		hasKey  bool
		multi   bool
		atArray bool
		text    string
	}{
		{Path{{Key: "a"}, {Index: 0, IsIndex: true}}, "a", true, false, false, "a[0]"},
		{Path{{Key: "errors"}, {Wildcard: true}, {Key: "token"}}, "token", true, true, false, "errors[*].token"},
		{Path{{Wildcard: true}, {Filter: f}}, "", false, true, true, `[*][?@['@type'] == "x"]`},
		{Path{{Index: 2, IsIndex: true}, {Key: ".tag"}}, ".tag", true, false, true, "[2]['.tag']"},
		{Path{{Key: "a b"}, {Key: "it's"}}, "it's", true, false, false, `['a b']['it\'s']`},
	} {
		k, ok := c.p.LastKey()
		if k != c.key || ok != c.hasKey || c.p.Multi() != c.multi || c.p.AtArray() != c.atArray || c.p.String() != c.text {
			t.Errorf("%q: LastKey %q %v, Multi %v, AtArray %v", c.p.String(), k, ok, c.p.Multi(), c.p.AtArray())
		}
	}
}

func TestReadsArrays(t *testing.T) {
	c := &Catalog{Bodies: []*Body{{Content: ContentJSON, Fields: []*Field{{Paths: []Path{{{Key: "a"}}}}}}}}
	if c.ReadsArrays() {
		t.Error("an object path reads arrays")
	}
	c.Bodies[0].Fields[0].Paths = append(c.Bodies[0].Fields[0].Paths, Path{{Wildcard: true}, {Key: "m"}})
	if !c.ReadsArrays() {
		t.Error("[*].m does not read arrays")
	}
}
