//go:build !race

package golang_test

const raceEnabled = false
