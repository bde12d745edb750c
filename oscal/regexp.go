package oscal

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The OSCAL schema checks millions of strings in a large document against a
// handful of datatype patterns. These hand-written matchers give exactly
// the answers Go's regexp gives for those patterns (a fuzz test holds them
// to it) at a fraction of the cost; every other pattern goes to regexp.
const (
	patUUID     = `^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`
	patString   = `^\S(.*\S)?$`
	patToken    = `^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`
	patURI      = `^[a-zA-Z][a-zA-Z0-9+\-.]+:.+$`
	patDateTime = `^(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))$`
	patDate     = `^(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))?$`
)

// fastMatchers are the hand-written matchers, by pattern.
var fastMatchers = map[string]func(string) bool{
	patUUID:     isUUID,
	patString:   isString,
	patToken:    isToken,
	patURI:      isURIPattern,
	patDateTime: isDateTimePattern,
	patDate:     isDatePattern,
}

// fastMatcher returns the hand-written matcher of a pattern, or nil.
func fastMatcher(pattern string) func(string) bool { return fastMatchers[pattern] }

type matcher struct {
	pattern string
	match   func(string) bool
}

func (m matcher) MatchString(s string) bool { return m.match(s) }
func (m matcher) String() string            { return m.pattern }

func compileRegexp(s string) (jsonschema.Regexp, error) {
	if m := fastMatcher(s); m != nil {
		return matcher{s, m}, nil
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

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isURIPattern: ^[a-zA-Z][a-zA-Z0-9+\-.]+:.+$ ('.' is any character but
// \n, an invalid byte included).
func isURIPattern(s string) bool {
	if len(s) < 4 || !isASCIILetter(s[0]) {
		return false
	}
	j := 1
	for j < len(s) && (isASCIILetter(s[j]) || isDigit(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.') {
		j++
	}
	if j < 2 || j >= len(s)-1 || s[j] != ':' {
		return false
	}
	for i := j + 1; i < len(s); i++ {
		if s[i] == '\n' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// datePrefix matches the date part the OSCAL date and date-time patterns
// share, and reports its length (0: no match). The patterns accept a
// Gregorian date YYYY-MM-DD in the years 1900-2999, except that February
// 29 is written only for 2000, 2400, 2800 and the leap years 20xx-29xx,
// or as "19-02-29": in the patterns' (19|2[0-9](0[48]|...)) the "19"
// stands alone. The matcher follows the patterns, not the calendar.
func datePrefix(s string) int {
	if strings.HasPrefix(s, "19-02-29") {
		return 8
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if !isDigit(s[i]) {
			return 0
		}
	}
	century := int(s[0]-'0')*10 + int(s[1]-'0')
	if century != 19 && (century < 20 || century > 29) {
		return 0
	}
	yy := int(s[2]-'0')*10 + int(s[3]-'0')
	month := int(s[5]-'0')*10 + int(s[6]-'0')
	day := int(s[8]-'0')*10 + int(s[9]-'0')
	if day < 1 {
		return 0
	}
	switch month {
	case 1, 3, 5, 7, 8, 10, 12:
		if day > 31 {
			return 0
		}
	case 4, 6, 9, 11:
		if day > 30 {
			return 0
		}
	case 2:
		if day == 29 {
			leap := century >= 20 && yy != 0 && yy%4 == 0 ||
				yy == 0 && (century == 20 || century == 24 || century == 28)
			if !leap {
				return 0
			}
		} else if day > 28 {
			return 0
		}
	default:
		return 0
	}
	return 10
}

// isTimeZone matches the patterns' zone: Z, or an offset from -12:00 to
// +14:00 among those in use.
func isTimeZone(s string) bool {
	if s == "Z" {
		return true
	}
	if len(s) != 6 || s[3] != ':' || !isDigit(s[1]) || !isDigit(s[2]) {
		return false
	}
	h := int(s[1]-'0')*10 + int(s[2]-'0')
	switch s[0] {
	case '-':
		switch s[4:] {
		case "00":
			return h <= 12
		case "30":
			return h == 3 || h == 9
		}
	case '+':
		switch s[4:] {
		case "00":
			return h <= 14
		case "30":
			return h == 3 || h == 4 || h == 5 || h == 6 || h == 9 || h == 10
		case "45":
			return h == 5 || h == 8 || h == 12
		}
	}
	return false
}

func isDatePattern(s string) bool {
	p := datePrefix(s)
	return p > 0 && (len(s) == p || isTimeZone(s[p:]))
}

func isDateTimePattern(s string) bool {
	p := datePrefix(s)
	if p == 0 || len(s) < p+10 || s[p] != 'T' || s[p+3] != ':' || s[p+6] != ':' {
		return false
	}
	for _, i := range [...]int{1, 2, 4, 5, 7, 8} {
		if !isDigit(s[p+i]) {
			return false
		}
	}
	if h := int(s[p+1]-'0')*10 + int(s[p+2]-'0'); h > 23 || s[p+4] > '5' || s[p+7] > '5' {
		return false
	}
	rest := s[p+9:]
	if rest != "" && rest[0] == '.' {
		j := 1
		for j < len(rest) && isDigit(rest[j]) {
			j++
		}
		if j == 1 {
			return false
		}
		rest = rest[j:]
	}
	return isTimeZone(rest)
}

// isValidDateTime reports a string that the date-time format certainly
// accepts: one that matches the date-time pattern with a four-digit year
// (the pattern is stricter than RFC 3339 there; its "19-02-29" is no
// date). The format itself is asked about anything else.
func isValidDateTime(s string) bool {
	return len(s) > 4 && s[4] == '-' && isDateTimePattern(s)
}

// isSimpleURIReference reports a string that url.Parse (and so the
// uri-reference format) certainly accepts: a relative reference of
// unreserved characters, '/' and '#', not starting with "//". Anything
// else is asked of the format itself.
func isSimpleURIReference(s string) bool {
	if len(s) >= 2 && s[0] == '/' && s[1] == '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isASCIILetter(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '#') {
			return false
		}
	}
	return true
}
