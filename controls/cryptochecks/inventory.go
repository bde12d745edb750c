package cryptochecks

import (
	"time"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/evidence"
)

// Inventory fills the report's crypto table: one row per asset.
func Inventory(ev []evidence.Evidence) assessment.Inventory {
	var inv assessment.Inventory
	for _, x := range materials(ev) {
		for i := range x.m.Assets {
			a := &x.m.Assets[i]
			kind := a.Kind
			if a.Role != "" {
				kind += " (" + a.Role + ")"
			}
			row := assessment.CryptoAsset{
				Kind: kind, Algorithm: a.Algorithm, Size: a.Size(), Hash: a.Hash,
				Location: a.Location(), Class: a.Class, CNSA2: a.CNSA2,
			}
			if x.e.Target != "" {
				row.Location = x.e.Target + ":" + row.Location
			}
			if !a.NotBefore.IsZero() {
				row.NotBefore = a.NotBefore.UTC().Format(time.RFC3339)
			}
			if !a.NotAfter.IsZero() {
				row.NotAfter = a.NotAfter.UTC().Format(time.RFC3339)
			}
			inv.Crypto = append(inv.Crypto, row)
		}
	}
	return inv
}
