package oscal

import (
	"math/big"
	"testing"
	"time"
)

// TestDecimalAgreesWithRat: a literal reads as a decimal exactly when
// big.Rat reads it, two read alike exactly when big.Rat finds them equal,
// and one is an integer exactly when big.Rat says so.
func TestDecimalAgreesWithRat(t *testing.T) {
	lits := []string{
		"0", "-0", "0.0", "0e5", "0e99999999999999999999", "1", "-1", "10", "1e1", "100e-1", "1.0e1", "0.1e2",
		"1.5", "15e-1", "0.15e1", "150e-2", "-1.5", "1e300", "10e299", "1e-300", "0.1e-299",
		"123456789012345678901234567890", "1234567890123456789012345678.90e2", "5e-1", "0.5", "2.50", "25e-1",
		"1E+3", "1000", "1e+3", "-1e-3", "-0.001", "9.999e2",
	}
	rats := map[string]*big.Rat{}
	for _, l := range lits {
		d, ok := decimalOf([]byte(l))
		r, rok := new(big.Rat).SetString(l)
		if ok != rok {
			t.Errorf("%s: read %v, big.Rat %v", l, ok, rok)
			continue
		}
		if !ok {
			continue
		}
		rats[l] = r
		if d.isInt() != r.IsInt() {
			t.Errorf("%s: integer %v, big.Rat %v", l, d.isInt(), r.IsInt())
		}
	}
	for a, ra := range rats {
		for b, rb := range rats {
			if same := canonicalNumber([]byte(a)) == canonicalNumber([]byte(b)); same != (ra.Cmp(rb) == 0) {
				t.Errorf("%s, %s: spelt alike %v, big.Rat equal %v", a, b, same, ra.Cmp(rb) == 0)
			}
		}
	}
	// At big.Rat's bound, without comparing million-digit numbers.
	for l, want := range map[string]bool{
		"1e1000000": true, "1e1000001": false, "1.0e1000001": true, "1e-1000000": true, "1e-1000001": false,
		"0.1e-999999": true, "0.1e-1000000": false, "0e99999999999999999999": false, "1e99999999999999999999": false,
	} {
		if _, ok := decimalOf([]byte(l)); ok != want {
			t.Errorf("%s: read %v, want %v", l, ok, want)
		}
	}
	for _, p := range [][2]string{{"1e999999", "10e999998"}, {"-0.5e-999999", "-5e-1000000"}} {
		if canonicalNumber([]byte(p[0])) != canonicalNumber([]byte(p[1])) {
			t.Errorf("%s and %s are spelt apart", p[0], p[1])
		}
	}
	if canonicalNumber([]byte("1e999999")) == canonicalNumber([]byte("1e999998")) {
		t.Error("1e999999 and 1e999998 are spelt alike")
	}
}

// TestHugeExponentsAreCheap: a small document of numbers with exponents
// near big.Rat's bound, in an array whose items must be unique, in integer
// fields and under a minimum, is judged in milliseconds, not the seconds
// expanding each number would take.
func TestHugeExponentsAreCheap(t *testing.T) {
	nums := []string{"1e999999", "-1e999999", "1e-999999", "1.5e999990", "1e99999999", "-1e-99999999"}
	for _, lit := range nums {
		start := time.Now()
		for range 200 {
			canonicalNumber([]byte(lit))
			isIntegerLiteral([]byte(lit), false)
			w := &walker{}
			w.checkMinimum(&node{minimum: big.NewRat(1, 1)}, []byte(lit), false)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: 200 readings took %v", lit, d)
		}
	}
}
