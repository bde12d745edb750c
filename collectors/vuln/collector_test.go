package vuln

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
)

func TestCollector(t *testing.T) {
	dir := t.TempDir()
	cp := func(src, dst string) {
		b := readTestdata(t, src)
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cp("testdata/cdx-vex.json", "app.vex.cdx.json")
	cp("testdata/csaf-vex.json", "csaf.json")
	cp("../../examples/demo/vuln/known_exploited_vulnerabilities.json", "kev.json")
	os.WriteFile(filepath.Join(dir, "broken.openvex.json"), []byte(`{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [`), 0o644)
	os.WriteFile(filepath.Join(dir, "sbom.cdx.json"), []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"x"}`), 0o644)

	c, err := New(Options{OSV: []string{"testdata/osv"}, VEX: []string{"../../examples/demo/vuln/pedigree-demo.openvex.json"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids [2][]string
	for i := range 2 {
		tg, err := collectors.OpenTarget("t"+string(rune('a'+i)), dir)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := c.Collect(context.Background(), tg)
		tg.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range ev {
			line := e.Kind + " " + filepath.Base(e.Source)
			if d, ok := e.Payload.(*VEXDocument); ok && d.Error != "" {
				line += " error"
			}
			got = append(got, line)
			if e.Kind == KindDatabase {
				ids[i] = append(ids[i], e.ID)
			}
		}
		want := "vuln.database osv|vuln.vex pedigree-demo.openvex.json|vuln.vex app.vex.cdx.json|vuln.vex broken.openvex.json error|vuln.vex csaf.json|vuln.kev kev.json"
		if strings.Join(got, "|") != want {
			t.Errorf("evidence:\n%s\nwant:\n%s", strings.Join(got, "|"), want)
		}
	}
	// The database evidence is the same in every target: the engine keeps one.
	if ids[0][0] != ids[1][0] {
		t.Error("database evidence id differs between targets")
	}
}

func TestCollectorInputErrors(t *testing.T) {
	if _, err := New(Options{OSV: []string{"testdata/missing"}}); err == nil || !strings.Contains(err.Error(), "testdata/missing") {
		t.Errorf("missing OSV path: %v", err)
	}
	c, _ := New(Options{KEV: "testdata/cdx-vex.json"})
	tg, err := collectors.OpenTarget("t", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if _, err := c.Collect(context.Background(), tg); err == nil || !strings.Contains(err.Error(), "KEV catalog") {
		t.Errorf("bad KEV: %v", err)
	}
	var _ evidence.Evidence
}

func TestContainsStream(t *testing.T) {
	big := strings.Repeat("x", 3<<20) + `"analysis"` + strings.Repeat("y", 10)
	if !containsStream(strings.NewReader(big), []byte(`"analysis"`)) {
		t.Error("needle across chunks not found")
	}
	// Straddling a chunk boundary.
	s := strings.Repeat("x", 1<<20+5) + `"analysis"`
	if !containsStream(iotestHalf{strings.NewReader(s)}, []byte(`"analysis"`)) {
		t.Error("needle straddling reads not found")
	}
	if containsStream(strings.NewReader(strings.Repeat("z", 2<<20)), []byte(`"analysis"`)) {
		t.Error("found a needle that is not there")
	}
}

// iotestHalf returns short reads.
type iotestHalf struct{ r *strings.Reader }

func (h iotestHalf) Read(p []byte) (int, error) {
	if len(p) > 7 {
		p = p[:len(p)/2+1]
	}
	return h.r.Read(p)
}
