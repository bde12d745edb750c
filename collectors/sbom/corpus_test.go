package sbom

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/internal/sharedtest"
)

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TestCorpusParse compares the document-level facts with every row of the
// corpus's EXPECTED.tsv (the full inspect output is compared in
// controls/sbomchecks).
func TestCorpusParse(t *testing.T) {
	dir := sharedtest.Dir(t, "corpus", "sbom")
	f, err := os.Open(filepath.Join(dir, "EXPECTED.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var header []string
	rows := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = cols
			continue
		}
		row := map[string]string{}
		for i, h := range header {
			if i < len(cols) {
				row[h] = cols[i]
			}
		}
		rows++
		t.Run(row["file"], func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, row["file"]))
			if err != nil {
				t.Fatal(err)
			}
			d, err := Parse(row["file"], raw)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got := map[string]string{
				"format": d.Format, "spec_version": d.SpecVersion,
			}
			if row["schema_valid"] != "n/a" {
				got["schema_valid"] = yesNo(d.SchemaValid)
			}
			if row["components"] != "" {
				m := d.CountMissing()
				got["components"] = strconv.Itoa(len(d.Components))
				got["missing_supplier"] = strconv.Itoa(m.Supplier)
				got["missing_version"] = strconv.Itoa(m.Version)
				got["missing_id"] = strconv.Itoa(m.Identifier)
				got["missing_hash"] = strconv.Itoa(m.Hash)
				got["has_author"] = yesNo(d.HasAuthor())
				got["has_timestamp"] = yesNo(d.HasTimestamp())
				got["has_dependencies"] = yesNo(d.HasDependencies)
			}
			if row["ntia_minimum"] != "" {
				pass, first := d.NTIAMinimum()
				got["ntia_minimum"] = map[bool]string{true: "pass", false: "fail"}[pass]
				got["first_missing"] = first
			}
			for k, v := range got {
				if row[k] != v {
					t.Errorf("%s = %q, expected %q (error %q, schema %v)", k, v, row[k], d.Error, d.SchemaErrors)
				}
			}
		})
	}
	if rows == 0 {
		t.Fatal("EXPECTED.tsv has no rows")
	}
}
