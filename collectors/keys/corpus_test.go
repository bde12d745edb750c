package keys

import (
	"context"
	"github.com/pedigree-dev/pedigree/internal/sharedtest"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
)

func sharedDir(t testing.TB) string { return sharedtest.Dir(t, "corpus", "signing") }

// TestInventoryCorpus inventories the real signing corpus: every trusted
// root role is found, every asset is classified, nothing panics.
func TestInventoryCorpus(t *testing.T) {
	dir := sharedDir(t)
	tg, err := collectors.OpenTarget("corpus", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ev, err := New(Options{Now: func() time.Time { return now }}).Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]int{}
	kinds := map[string]int{}
	classes := map[string]int{}
	problems := 0
	checks := map[string]int{}
	for _, e := range ev {
		switch p := e.Payload.(type) {
		case *Material:
			if p.Problem != "" {
				problems++
				t.Logf("%s: %s", p.Path, p.Problem)
			}
			for _, a := range p.Assets {
				kinds[a.Kind]++
				roles[a.Role]++
				classes[a.Class]++
				if a.Class == ClassUnknown {
					t.Logf("unknown: %s %s %s", a.Location(), a.Algorithm, a.Error)
				}
				if a.Class == "" || a.CNSA2 == "" {
					t.Errorf("%s: unclassified asset %+v", a.Location(), a)
				}
			}
		case *SignatureCheck:
			checks[p.Status]++
			if p.Status == StatusVerified {
				t.Errorf("%s verified without trust material", p.Signature)
			}
		}
	}
	t.Logf("kinds %v", kinds)
	t.Logf("roles %v", roles)
	t.Logf("classes %v", classes)
	t.Logf("signature checks %v, files with problems %d", checks, problems)
	for _, r := range []string{"fulcio-ca", "rekor-log", "ct-log", "tsa", "bundle-certificate"} {
		if roles[r] == 0 {
			t.Errorf("no %s found in the corpus", r)
		}
	}
	for _, k := range []string{AssetOpenPGPKey, AssetOpenPGPSignature, AssetKey, AssetSignature} {
		if kinds[k] == 0 {
			t.Errorf("no %s found in the corpus", k)
		}
	}
}
