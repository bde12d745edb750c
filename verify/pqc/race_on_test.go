//go:build race

package pqc

// raceEnabled: SLH-DSA is ~20x slower under the race detector.
const raceEnabled = true
