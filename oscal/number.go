package oscal

import (
	"math/big"
	"strconv"
	"strings"
	"sync"
)

// A document's numbers are read as decimals, never expanded: big.Rat turns
// 1e999999 into a million-digit integer (tens of milliseconds each, more to
// print it), which a small hostile document can hold thousands of times.

// decimal is a number literal's value as digits × 10^exp, the digits
// without leading or trailing zeros ("" for zero): two literals are equal
// numbers exactly when their decimals are equal.
type decimal struct {
	neg    bool
	digits string
	exp    int64
}

// maxDecimalExp is big.Rat's bound on a literal's decimal exponent (the
// exponent less the digits after the point): beyond it SetString refuses
// the literal, and the callers here treat it as before, as one big.Rat
// cannot read.
const maxDecimalExp = 1e6

// decimalOf reads a JSON number literal; ok is false for a literal big.Rat
// does not accept (malformed, or a non-zero number beyond maxDecimalExp).
func decimalOf(lit []byte) (d decimal, ok bool) {
	s := string(lit)
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mant, e, hasExp := strings.Cut(strings.ToLower(s), "e")
	var exp int64
	if hasExp {
		v, err := strconv.ParseInt(e, 10, 64)
		if err != nil {
			return decimal{}, false
		}
		exp = v
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return decimal{}, false
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return decimal{}, true // zero, whatever its sign and exponent
	}
	exp5 := exp - int64(len(frac))
	if exp5 > maxDecimalExp || exp5 < -maxDecimalExp {
		return decimal{}, false
	}
	trimmed := strings.TrimRight(digits, "0")
	d.digits, d.exp = trimmed, exp5+int64(len(digits)-len(trimmed))
	return d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isInt says whether the number is an integer.
func (d decimal) isInt() bool { return d.digits == "" || d.exp >= 0 }

// magnitude is the exponent of the number's leading digit (0 for zero):
// 10^magnitude <= |d| < 10^(magnitude+1).
func (d decimal) magnitude() int64 {
	if d.digits == "" {
		return 0
	}
	return d.exp + int64(len(d.digits)) - 1
}

// canonical spells the number so that equal numbers are spelt alike.
func (d decimal) canonical() string {
	if d.digits == "" {
		return "d:0"
	}
	sign := ""
	if d.neg {
		sign = "-"
	}
	return "d:" + sign + d.digits + "e" + strconv.FormatInt(d.exp, 10)
}

// farBeyond is the magnitude past which a number compares with any
// ordinary bound (see ordinary) as ±1e100000 or ±1e-100000 does, and
// converts to float64 as they do (±Inf, ±0).
const farBeyond = 400

// ordinary says whether a schema bound is zero or of a magnitude a number
// beyond farBeyond cannot fall on the other side of.
func ordinary(r *big.Rat) bool {
	if r.Sign() == 0 {
		return true
	}
	f, _ := r.Float64()
	if f < 0 {
		f = -f
	}
	return f > 1e-300 && f < 1e300
}

// stand is the stand-in for a number far beyond farBeyond.
func (d decimal) stand() *big.Rat { return standIn(d.neg, d.magnitude() < 0) }

// standIns are ±1e100000 and ±1e-100000, made once: each costs a
// millisecond to build, which a document of many numbers would pay again
// and again. They are shared, so never changed.
var standIns = sync.OnceValue(func() (r [4]*big.Rat) {
	for i, s := range []string{"1e100000", "-1e100000", "1e-100000", "-1e-100000"} {
		r[i], _ = new(big.Rat).SetString(s)
	}
	return r
})

// standIn is ±1e100000 for a huge number, ±1e-100000 for a tiny one.
func standIn(neg, tiny bool) *big.Rat {
	i := 0
	if neg {
		i++
	}
	if tiny {
		i += 2
	}
	return standIns()[i]
}
