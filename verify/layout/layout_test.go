package layout

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	intoto "github.com/in-toto/in-toto-golang/in_toto"

	corpus "github.com/pedigree-dev/pedigree/verify/testcorpus"
)

// TestCorpusLayouts runs the in-toto-layout rows and checks expiry with a
// clock after the layout expires.
func TestCorpusLayouts(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, c := range corpus.Load(t, "in-toto-layout") {
		t.Run(c.Name, func(t *testing.T) {
			b, err := os.ReadFile(c.Path("layout-key"))
			if err != nil {
				t.Fatal(err)
			}
			k, err := LoadKey(b)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Verify(c.Path("layout"), nil, c.Path("link-dir"), now)
			if !errors.Is(err, ErrFailed) {
				t.Errorf("no key: %v", err)
			}
			_, err = Verify(c.Path("layout"), []intoto.Key{k}, c.Path("link-dir"), now)
			if got := map[bool]string{true: "pass", false: "fail"}[err == nil]; got != c.Expected {
				t.Errorf("got %s (%v), want %s", got, err, c.Expected)
			}
			if c.Expected == "pass" {
				_, err := Verify(c.Path("layout"), []intoto.Key{k}, c.Path("link-dir"), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
				if err == nil || !strings.Contains(err.Error(), "expired") {
					t.Errorf("after expiry: %v", err)
				}
			}
		})
	}
}

func TestBadLayout(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"deep.layout":      strings.Repeat("[", 10000),
		"truncated.layout": `{"signed":{"_type":"layout","steps":[`,
		"empty.layout":     `{}`,
		"link.layout":      `{"signed":{"_type":"link","name":"x"},"signatures":[]}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(p, nil, dir, time.Now()); !errors.Is(err, ErrFailed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"signed":{"_type":"layout","steps":[],"inspect":[],"keys":{},"expires":"2030-01-01T00:00:00Z"},"signatures":[]}`))
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "root.layout")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(p, []intoto.Key{{KeyID: "x"}}, dir, time.Now()); err == nil {
			t.Fatal("verified with a bogus key")
		}
	})
}
