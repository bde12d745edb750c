//go:build !race

package pqc

const raceEnabled = false
