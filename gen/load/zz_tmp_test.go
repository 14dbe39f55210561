package load

import (
	"fmt"
	"testing"
)

func TestPrintPatterns(t *testing.T) {
	fmt.Println(reservedWordPattern())
	fmt.Println(identPattern(errorMembers))
	fmt.Println(identPattern(reservedIdents))
}
