package vuln

import (
	"archive/zip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
)

// synthetic builds n advisories over n/4 packages spread across ecosystems,
// each with one range (SEMVER or ECOSYSTEM by ecosystem), like a real
// multi-ecosystem OSV export; and m components whose purls name those
// packages at random versions.
var benchEcos = []struct{ eco, purl string }{
	{"npm", "npm"}, {"Go", "golang"}, {"PyPI", "pypi"}, {"Maven", "maven"}, {"crates.io", "cargo"},
	{"NuGet", "nuget"}, {"RubyGems", "gem"}, {"Debian:12", "deb"},
}

func benchPackage(i int) (eco, name, purl string) {
	e := benchEcos[i%len(benchEcos)]
	name = fmt.Sprintf("pkg%d", i)
	switch e.purl {
	case "maven":
		return e.eco, "org.example:" + name, "pkg:maven/org.example/" + name
	case "golang":
		return e.eco, "example.com/" + name, "pkg:golang/example.com/" + name
	case "deb":
		return e.eco, name, "pkg:deb/debian/" + name
	}
	return e.eco, name, "pkg:" + e.purl + "/" + name
}

func synthetic(nAdv, nComp int) ([]Advisory, []Affected, *sbom.Document) {
	r := rand.New(rand.NewPCG(1, 2))
	pkgs := nAdv / 4
	advs := make([]Advisory, nAdv)
	affs := make([]Affected, nAdv)
	for i := range nAdv {
		p := i % pkgs
		eco, name, _ := benchPackage(p)
		major := i / pkgs
		typ := RangeEcosystem
		if eco == "npm" || eco == "Go" || eco == "crates.io" {
			typ = RangeSemver
		}
		fixed := fmt.Sprintf("%d.%d.%d", major+1, r.IntN(10), r.IntN(10))
		if eco == "Debian:12" {
			fixed += "-1"
		}
		advs[i] = Advisory{ID: fmt.Sprintf("SYN-%07d", i), Aliases: []string{fmt.Sprintf("CVE-2099-%07d", i)},
			Scores: []Score{ScoreSeverity("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")}}
		affs[i] = Affected{Advisory: int32(i), Ecosystem: eco, Name: name,
			Ranges: []Range{{Type: typ, Events: []Event{{Introduced, fmt.Sprintf("%d.0.0", major)}, {Fixed, fixed}}}}}
	}
	doc := &sbom.Document{File: "bench.cdx.json", Components: make([]sbom.Component, nComp)}
	for i := range nComp {
		p := r.IntN(pkgs * 2) // half the components name a package with advisories
		_, name, purl := benchPackage(p)
		v := fmt.Sprintf("%d.%d.%d", r.IntN(5), r.IntN(10), r.IntN(10))
		if p%len(benchEcos) == 7 {
			v += "-1"
			purl += "@" + v + "?distro=debian-12"
		} else {
			purl += "@" + v
		}
		doc.Components[i] = sbom.Component{Name: name, Version: v, PURL: purl}
	}
	return advs, affs, doc
}

// BenchmarkMatch matches 100,000 components against 200,000 advisories on
// a freshly built index each time (lazy range parsing included), as one run
// after loading the index cache does.
func BenchmarkMatch(b *testing.B) {
	advs, affs, doc := synthetic(200_000, 100_000)
	b.ResetTimer()
	matches := 0
	for b.Loop() {
		b.StopTimer()
		ix := NewIndex(advs, affs)
		b.StartTimer()
		rs := MatchDocument(ix, nil, nil, doc)
		matches = 0
		for _, r := range rs {
			matches += len(r.Matches)
		}
	}
	b.ReportMetric(float64(matches), "matches")
}

// BenchmarkMatchWarm is the same on an index whose ranges are parsed.
func BenchmarkMatchWarm(b *testing.B) {
	advs, affs, doc := synthetic(200_000, 100_000)
	ix := NewIndex(advs, affs)
	MatchDocument(ix, nil, nil, doc)
	b.ResetTimer()
	for b.Loop() {
		MatchDocument(ix, nil, nil, doc)
	}
}

// BenchmarkIndex builds the in-memory index from decoded records.
func BenchmarkIndex(b *testing.B) {
	advs, affs, _ := synthetic(200_000, 0)
	b.ResetTimer()
	for b.Loop() {
		NewIndex(advs, affs)
	}
}

// benchZip writes 200,000 OSV JSON records into one all.zip.
func benchZip(b *testing.B) string {
	b.Helper()
	advs, affs, _ := synthetic(200_000, 0)
	dir := b.TempDir()
	file := filepath.Join(dir, "all.zip")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i, a := range advs {
		af := affs[i]
		typ := "ECOSYSTEM"
		if af.Ranges[0].Type == RangeSemver {
			typ = "SEMVER"
		}
		w, _ := zw.Create(a.ID + ".json")
		fmt.Fprintf(w, `{"schema_version":"1.6.0","id":%q,"modified":"2025-01-01T00:00:00Z","aliases":[%q],"summary":"synthetic advisory",`+
			`"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],`+
			`"affected":[{"package":{"ecosystem":%q,"name":%q},"ranges":[{"type":%q,"events":[{"introduced":%q},{"fixed":%q}]}]}]}`,
			a.ID, a.Aliases[0], af.Ecosystem, af.Name, typ, af.Ranges[0].Events[0].Version, af.Ranges[0].Events[1].Version)
	}
	zw.Close()
	f.Close()
	return file
}

// BenchmarkLoadZip is the one-time build: 200,000 records decoded from an
// all.zip with protojson, scored and indexed, with no cache.
func BenchmarkLoadZip(b *testing.B) {
	file := benchZip(b)
	b.ResetTimer()
	for b.Loop() {
		db, err := LoadDatabase(context.Background(), []string{file}, LoadOptions{})
		if err != nil || db.Advisories != 200_000 {
			b.Fatal(err, db.Advisories)
		}
	}
}

// BenchmarkLoadCached is every later run: hash the inputs, read the cache.
func BenchmarkLoadCached(b *testing.B) {
	file := benchZip(b)
	cache := b.TempDir()
	if _, err := LoadDatabase(context.Background(), []string{file}, LoadOptions{CacheDir: cache}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		db, err := LoadDatabase(context.Background(), []string{file}, LoadOptions{CacheDir: cache})
		if err != nil || db.Cache != "hit" {
			b.Fatal(err, db.Cache)
		}
	}
}
