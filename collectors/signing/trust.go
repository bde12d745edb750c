package signing

import (
	"crypto"
	"fmt"
	"path"
	"path/filepath"

	intoto "github.com/in-toto/in-toto-golang/in_toto"
	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/dsse"
	"github.com/pedigree-dev/pedigree/verify/layout"
	"github.com/pedigree-dev/pedigree/verify/provenance"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

// Trust is the loaded trust policy: the config's files read once.
type Trust struct {
	cfg     config.SigstorePolicy
	roots   root.TrustedMaterialCollection
	keys    []loadedKey
	npm     []provenance.NPMKey
	gcb     map[string]crypto.PublicKey
	vsaKeys [][]dsse.Key
	layouts []loadedLayout
	// Problems are trust files that could not be loaded.
	Problems []string
}

type loadedKey struct {
	cfg config.SigstoreKey
	pub crypto.PublicKey
}

type loadedLayout struct {
	cfg  config.InTotoLayout
	keys []intoto.Key
}

// LoadTrust reads every file the policy names. Files that fail to load are
// recorded as problems (and reported as evidence), not fatal.
func LoadTrust(p config.SigstorePolicy) *Trust {
	t := &Trust{cfg: p}
	for _, f := range p.TrustedRoots {
		tr, err := sigstore.LoadTrustedRoot(f)
		if err != nil {
			t.Problems = append(t.Problems, fmt.Sprintf("trusted root %s: %v", filepath.Base(f), err))
			continue
		}
		t.roots = append(t.roots, tr)
	}
	for _, k := range p.Keys {
		pub, err := readKey(k.Path)
		if err != nil {
			t.Problems = append(t.Problems, err.Error())
			continue
		}
		t.keys = append(t.keys, loadedKey{cfg: k, pub: pub})
	}
	if p.NPMKeys != "" {
		b, err := readlimit.File(p.NPMKeys, readlimit.Trust)
		if err == nil {
			t.npm, err = provenance.ParseNPMKeys(b)
		}
		if err != nil {
			t.Problems = append(t.Problems, fmt.Sprintf("npm keys: %v", err))
		}
	}
	if p.GCBKeys != "" {
		g, err := provenance.LoadGCBKeys(p.GCBKeys)
		if err != nil {
			t.Problems = append(t.Problems, err.Error())
		}
		t.gcb = g
	}
	for _, v := range p.VSA {
		var ks []dsse.Key
		for _, k := range v.Keys {
			pub, err := readKey(k.Path)
			if err != nil {
				t.Problems = append(t.Problems, err.Error())
				continue
			}
			ks = append(ks, dsse.Key{Public: pub, KeyID: k.KeyID, Scheme: k.Scheme})
		}
		t.vsaKeys = append(t.vsaKeys, ks)
	}
	for _, l := range p.Layouts {
		ll := loadedLayout{cfg: l}
		for _, kp := range l.Keys {
			b, err := readlimit.File(kp, readlimit.Trust)
			if err == nil {
				var k intoto.Key
				k, err = layout.LoadKey(b)
				ll.keys = append(ll.keys, k)
			}
			if err != nil {
				t.Problems = append(t.Problems, fmt.Sprintf("layout key %s: %v", filepath.Base(kp), err))
			}
		}
		t.layouts = append(t.layouts, ll)
	}
	return t
}

func readKey(p string) (crypto.PublicKey, error) {
	b, err := readlimit.File(p, readlimit.Trust)
	if err != nil {
		return nil, fmt.Errorf("key %s: %v", filepath.Base(p), err)
	}
	k, err := sigstore.ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("key %s: %v", filepath.Base(p), err)
	}
	return k, nil
}

// matches reports whether an artifact path falls under the patterns (no
// pattern: everything).
func matches(patterns []string, p string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, pat := range patterns {
		if ok, _ := path.Match(pat, p); ok {
			return true
		}
		if ok, _ := path.Match(pat, path.Base(p)); ok {
			return true
		}
	}
	return false
}

// sigstorePolicy is the bundle policy for one artifact path ("" = any).
// A key-signed bundle with no transparency-log entry is verified against
// untloggedPolicy instead.
func (t *Trust) sigstorePolicy(artifact string) sigstore.Policy {
	var p sigstore.Policy
	if len(t.roots) > 0 {
		p.Trusted = t.roots
	}
	for _, id := range t.cfg.Identities {
		if artifact == "" || matches(id.Artifacts, artifact) {
			p.Identities = append(p.Identities, sigstore.Identity{SAN: id.SAN, SANRegex: id.SANRegex, Issuer: id.Issuer, IssuerRegex: id.IssuerRegex})
		}
	}
	for _, k := range t.keys {
		if artifact == "" || matches(k.cfg.Artifacts, artifact) {
			p.Keys = append(p.Keys, k.pub)
		}
	}
	return p
}

// untloggedPolicy is the policy for a key-signed bundle with no
// transparency-log entry: only the keys marked without-tlog-unsafe that
// apply to the artifact. The mark is the key's: another key's signature
// on the same artifact still needs its log entry. ok is false when no
// such key applies.
func (t *Trust) untloggedPolicy(artifact string) (p sigstore.Policy, ok bool) {
	p.WithoutTransparencyLogUnsafe = true
	for _, k := range t.keys {
		if k.cfg.WithoutTlogUnsafe && (artifact == "" || matches(k.cfg.Artifacts, artifact)) {
			p.Keys = append(p.Keys, k.pub)
		}
	}
	return p, len(p.Keys) > 0
}

func (t *Trust) dsseKeys(artifact string) []dsse.Key {
	var out []dsse.Key
	for _, k := range t.keys {
		if artifact == "" || matches(k.cfg.Artifacts, artifact) {
			out = append(out, dsse.Key{Public: k.pub, KeyID: k.cfg.KeyID, Scheme: k.cfg.Scheme})
		}
	}
	return out
}

// slsa returns the expectation for an artifact, or nil.
func (t *Trust) slsa(artifact string) *config.SLSAExpectation {
	for i, s := range t.cfg.SLSA {
		if matches(s.Artifacts, artifact) {
			return &t.cfg.SLSA[i]
		}
	}
	return nil
}

func (t *Trust) provenanceTrust(artifact string) provenance.Trust {
	pt := provenance.Trust{NPMKeys: t.npm, GCBKeys: t.gcb}
	if len(t.roots) > 0 {
		pt.Sigstore = t.roots
	}
	for _, k := range t.keys {
		if matches(k.cfg.Artifacts, artifact) {
			pt.Keys = append(pt.Keys, k.pub)
		}
	}
	return pt
}

func (t *Trust) policyPayload() *Policy {
	return &Policy{
		TrustedRoots: len(t.roots), Identities: len(t.cfg.Identities), Keys: len(t.keys),
		SLSA: len(t.cfg.SLSA), Layouts: len(t.layouts), NPMKeys: len(t.npm) > 0, GCBKeys: len(t.gcb) > 0,
		Problems: t.Problems,
	}
}

func expectOf(s *config.SLSAExpectation) provenance.Expect {
	if s == nil {
		return provenance.Expect{}
	}
	return provenance.Expect{SourceURI: s.SourceURI, BuilderID: s.BuilderID, SourceBranch: s.SourceBranch,
		SourceTag: s.SourceTag, SourceVersionedTag: s.SourceVersionedTag, PackageName: s.PackageName,
		PackageVersion: s.PackageVersion, BuildType: s.BuildType, ExternalParameters: s.ExternalParameters}
}
