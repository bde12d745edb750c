package config

import (
	"testing"
	"time"
)

func TestSBOMSizes(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "1048576": 1 << 20, "512MiB": 512 << 20, "2GB": 2e9, "64K": 64 << 10} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"lots", "-1", "1.5GB", "9999999999GiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
	s := SBOM{SchemaMaxSize: "unlimited"}
	if n, err := s.SchemaMaxSizeBytes(); n != -1 || err != nil {
		t.Errorf("unlimited = %d, %v", n, err)
	}
}

func TestSBOMAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "90d": 90 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour} {
		got, err := ParseAge(in)
		if err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "-3d", "1y"} {
		if _, err := ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) accepted", bad)
		}
	}
}

func TestSBOMSectionStrict(t *testing.T) {
	c, err := Parse("p.yaml", []byte("sbom:\n  max-size: 64MiB\n  max-age: 30d\n  schema-max-size: unlimited\n  skip-schema: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.SBOM.MaxSize != "64MiB" || c.SBOM.MaxAge != "30d" || !c.SBOM.SkipSchema {
		t.Errorf("sbom = %+v", c.SBOM)
	}
	if _, err := Parse("p.yaml", []byte("sbom:\n  max_age: 30d\n")); err == nil {
		t.Error("unknown key accepted")
	}
}
