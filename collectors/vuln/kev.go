package vuln

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// KEV is a CISA Known Exploited Vulnerabilities catalog (its JSON feed,
// supplied as a file).
type KEV struct {
	File           string `json:"file"`
	Title          string `json:"title,omitempty"`
	CatalogVersion string `json:"catalogVersion,omitempty"`
	DateReleased   string `json:"dateReleased,omitempty"`
	// Count is the number of CVEs the catalog lists.
	Count int `json:"count"`
	// Entries by upper-case CVE id; kept out of pedigree.json (the file's
	// SHA-256 in the evidence pins exactly which catalog was used).
	Entries map[string]KEVEntry `json:"-"`
}

// KEVEntry is one catalog entry.
type KEVEntry struct {
	CVE             string `json:"cveID"`
	VendorProject   string `json:"vendorProject,omitempty"`
	Product         string `json:"product,omitempty"`
	Name            string `json:"vulnerabilityName,omitempty"`
	DateAdded       string `json:"dateAdded,omitempty"`
	DueDate         string `json:"dueDate,omitempty"`
	RequiredAction  string `json:"requiredAction,omitempty"`
	KnownRansomware string `json:"knownRansomwareCampaignUse,omitempty"`
}

type kevFile struct {
	Title           string     `json:"title"`
	CatalogVersion  string     `json:"catalogVersion"`
	DateReleased    string     `json:"dateReleased"`
	Count           int        `json:"count"`
	Vulnerabilities []KEVEntry `json:"vulnerabilities"`
}

// ParseKEV decodes the KEV catalog JSON.
func ParseKEV(file string, b []byte) (*KEV, error) {
	var kf kevFile
	if err := json.Unmarshal(b, &kf); err != nil {
		return nil, fmt.Errorf("KEV catalog %s: %w", file, jsonError(b, err))
	}
	if kf.Vulnerabilities == nil {
		return nil, fmt.Errorf("KEV catalog %s: no \"vulnerabilities\" array", file)
	}
	k := &KEV{File: file, Title: kf.Title, CatalogVersion: kf.CatalogVersion, DateReleased: kf.DateReleased,
		Entries: make(map[string]KEVEntry, len(kf.Vulnerabilities))}
	for i, e := range kf.Vulnerabilities {
		id := strings.ToUpper(strings.TrimSpace(e.CVE))
		if !strings.HasPrefix(id, "CVE-") {
			return nil, fmt.Errorf("KEV catalog %s: /vulnerabilities/%d/cveID: %q is not a CVE id", file, i, truncate(e.CVE, 40))
		}
		e.CVE = id
		k.Entries[id] = e
	}
	k.Count = len(k.Entries)
	return k, nil
}

// Lookup returns the catalog entry of the first CVE listed, if any.
func (k *KEV) Lookup(cves []string) (KEVEntry, bool) {
	if k == nil {
		return KEVEntry{}, false
	}
	for _, c := range cves {
		if e, ok := k.Entries[strings.ToUpper(c)]; ok {
			return e, true
		}
	}
	return KEVEntry{}, false
}

// jsonError adds the line and column of a syntax error.
func jsonError(b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return err
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}
