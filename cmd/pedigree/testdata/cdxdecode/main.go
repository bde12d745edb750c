// Command cdxdecode decodes a CycloneDX JSON file into cyclonedx-go's types
// and nothing else: the baseline `sbom inspect` is measured against.
package main

import (
	"fmt"
	"os"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(f, cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	n := 0
	if bom.Components != nil {
		n = len(*bom.Components)
	}
	fmt.Println(n)
}
