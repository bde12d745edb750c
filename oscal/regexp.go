package oscal

import (
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The OSCAL schema checks millions of strings in a large document against a
// handful of datatype patterns. These hand-written matchers give exactly
// the answers Go's regexp gives for those patterns (a fuzz test holds them
// to it) at a fraction of the cost; every other pattern goes to regexp.
const (
	patUUID   = `^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`
	patString = `^\S(.*\S)?$`
	patToken  = `^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`
)

type matcher struct {
	pattern string
	match   func(string) bool
}

func (m matcher) MatchString(s string) bool { return m.match(s) }
func (m matcher) String() string            { return m.pattern }

func compileRegexp(s string) (jsonschema.Regexp, error) {
	switch s {
	case patUUID:
		return matcher{s, isUUID}, nil
	case patString:
		return matcher{s, isString}, nil
	case patToken:
		return matcher{s, isToken}, nil
	}
	return regexp.Compile(s)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		case 14:
			if c != '4' && c != '5' {
				return false
			}
		case 19:
			if c != '8' && c != '9' && c != 'a' && c != 'b' && c != 'A' && c != 'B' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

// Go's \S is ASCII: anything but \t \n \f \r and space; '.' is anything
// but \n.
func isSpace(c byte) bool { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ' }

func isString(s string) bool {
	if s == "" || isSpace(s[0]) || isSpace(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return false
		}
	}
	return true
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			// regexp reads an invalid byte as U+FFFD, which is no letter.
			return false
		}
		switch {
		case unicode.IsLetter(r) || r == '_':
		case i > 0 && (unicode.IsNumber(r) || r == '.' || r == '-'):
		default:
			return false
		}
	}
	return true
}
