package evidence

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 3, "abc… (8 more bytes)"},
		{"ééé", 3, "é… (4 more bytes)"}, // never splits a character
		{strings.Repeat("x", 100<<20), MaxQuoted, strings.Repeat("x", MaxQuoted) + "… (104857344 more bytes)"},
	} {
		got := Clip(tt.in, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("Clip(%.20q, %d) = %.60q, want %.60q", tt.in, tt.n, got, tt.want)
		}
	}
}
