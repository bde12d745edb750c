package catalogs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

var idPattern = lazyre.New(`^([A-Za-z]{2})-0*([0-9]{1,3})(?:(?:\(0*([0-9]{1,3})\))|(?:\.0*([0-9]{1,3})))?$`)

// NormalizeID turns any common spelling of an SP 800-53 control id
// ("SR-4(3)", "sr-4.3", "SR-04(03)", "sr-4 (3)") into the OSCAL form "sr-4.3".
func NormalizeID(s string) (string, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	m := idPattern.FindStringSubmatch(t)
	if m == nil {
		return "", fmt.Errorf("%q is not an SP 800-53 control id (want forms like SR-4(3) or sr-4.3)", s)
	}
	id := strings.ToLower(m[1]) + "-" + m[2]
	if enh := m[3] + m[4]; enh != "" {
		id += "." + enh
	}
	return id, nil
}

// Label is the publication form of an OSCAL control id: sr-4.3 → SR-4(3).
func Label(id string) string {
	fam, rest, ok := strings.Cut(id, "-")
	if !ok {
		return strings.ToUpper(id)
	}
	base, enh, hasEnh := strings.Cut(rest, ".")
	l := strings.ToUpper(fam) + "-" + base
	if hasEnh {
		l += "(" + enh + ")"
	}
	return l
}

// SortKey orders control ids as the catalog does: by family, then number,
// then enhancement number.
func SortKey(id string) string {
	fam, rest, _ := strings.Cut(id, "-")
	base, enh, _ := strings.Cut(rest, ".")
	b, _ := strconv.Atoi(base)
	e, _ := strconv.Atoi(enh)
	return fmt.Sprintf("%s-%03d.%03d", fam, b, e)
}
