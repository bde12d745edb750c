package evidence

import (
	"fmt"
	"unicode/utf8"
)

// Bounds on untrusted text copied into findings: a component name, a path,
// a key comment can be as long as its file. The full value stays in the
// evidence, which the finding names with its SHA-256.
const (
	// MaxQuoted bounds one quoted value.
	MaxQuoted = 256
	// MaxMessage bounds a finding's message; MaxRef a subject's reference.
	MaxMessage = 2048
	MaxRef     = 1024
)

// Clip returns s cut to at most n bytes on a character boundary, saying
// how much was left out, so that one hostile value cannot make every
// message that quotes it as large as the input.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:cut], len(s)-cut)
}
