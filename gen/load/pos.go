package load

import (
	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// at is the model position of a node; the zero Pos for a missing node.
func at(n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{}
	}
	return model.Pos{Line: n.Line, Col: n.Column}
}
