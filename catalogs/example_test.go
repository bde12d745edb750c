package catalogs_test

import (
	"fmt"

	"github.com/pedigree-dev/pedigree/catalogs"
)

func ExampleIndex_Lookup() {
	idx, err := catalogs.Default()
	if err != nil {
		panic(err)
	}
	c, err := idx.Lookup("SR-04(03)")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.ID, c.Label, c.Title)
	fmt.Println("baselines:", c.Baselines, "SSDF:", idx.SSDFFor(c.ID))
	// Output:
	// sr-4.3 SR-4(3) Validate as Genuine and Not Altered
	// baselines: [] SSDF: [PW.4.4]
}
