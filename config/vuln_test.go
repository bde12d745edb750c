package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/evidence"
)

func TestVulnSection(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pedigree.yaml")
	os.WriteFile(file, []byte("vuln:\n  osv: db/osv\n  kev: kev.json\n  vex: [a.openvex.json, /abs/b.json]\n  cache-dir: cache\n  severity-threshold: Critical\n  max-age: 7d\n"), 0o644)
	c, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	v := c.Vuln
	if len(v.OSV) != 1 || v.OSV[0] != filepath.Join(dir, "db/osv") || v.KEV != filepath.Join(dir, "kev.json") ||
		v.VEX[0] != filepath.Join(dir, "a.openvex.json") || v.VEX[1] != "/abs/b.json" || v.CacheDir != filepath.Join(dir, "cache") {
		t.Errorf("paths = %+v", v)
	}
	if th, err := v.Threshold(); err != nil || th != evidence.Critical {
		t.Errorf("threshold = %v %v", th, err)
	}
	if d, err := v.MaxAgeDuration(); err != nil || d != 7*24*time.Hour {
		t.Errorf("max-age = %v %v", d, err)
	}
}

func TestVulnSectionErrors(t *testing.T) {
	for _, v := range []Vuln{{SeverityThreshold: "urgent"}, {SeverityThreshold: "info"}} {
		if _, err := v.Threshold(); !errors.Is(err, ErrInput) {
			t.Errorf("%q: err = %v", v.SeverityThreshold, err)
		}
	}
	for _, s := range []string{"soon", "-1h", "0d", "7days"} {
		v := Vuln{MaxAge: s}
		if _, err := v.MaxAgeDuration(); !errors.Is(err, ErrInput) {
			t.Errorf("max-age %q: err = %v", s, err)
		}
	}
	if th, _ := (&Vuln{}).Threshold(); th != evidence.High {
		t.Errorf("default threshold = %v", th)
	}
	if _, err := Parse("x.yaml", []byte("vuln:\n  osvv: x\n")); err == nil {
		t.Error("unknown key accepted")
	}
}
