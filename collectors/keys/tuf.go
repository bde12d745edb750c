package keys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"sort"
	"strings"
)

// AssetTUFKey is a key of a TUF repository's root or delegations.
const AssetTUFKey = "tuf-key"

// tufMeta is the part of TUF root and targets metadata that carries keys.
type tufMeta struct {
	Signed struct {
		Type  string                `json:"_type"`
		Keys  map[string]tufKey     `json:"keys"`
		Roles map[string]tufRoleRef `json:"roles"`
		Deleg *struct {
			Keys  map[string]tufKey `json:"keys"`
			Roles []struct {
				Name   string   `json:"name"`
				KeyIDs []string `json:"keyids"`
			} `json:"roles"`
			// Succinct are TAP 15 hash-bin delegations: one key set for
			// every bin.
			Succinct *struct {
				NamePrefix string   `json:"name_prefix"`
				KeyIDs     []string `json:"keyids"`
			} `json:"succinct_roles"`
		} `json:"delegations"`
	} `json:"signed"`
}

type tufKey struct {
	KeyType string `json:"keytype"`
	Scheme  string `json:"scheme"`
	Value   struct {
		Public   string `json:"public"`
		Identity string `json:"identity"`
		Issuer   string `json:"issuer"`
	} `json:"keyval"`
}

type tufRoleRef struct {
	KeyIDs []string `json:"keyids"`
}

// isTUF tells TUF root or targets metadata (the roles that hold keys).
func isTUF(b []byte) bool {
	head := b[:min(len(b), 1<<16)]
	return bytes.Contains(head, []byte(`"_type"`)) && bytes.Contains(b, []byte(`"keyval"`)) &&
		(bytes.Contains(b, []byte(`"root"`)) || bytes.Contains(b, []byte(`"delegations"`)))
}

// ParseTUF lists the keys of TUF root or targets metadata, each with the
// roles it signs for, located by a JSON pointer.
func ParseTUF(name string, b []byte) ([]Asset, error) {
	if len(b) > MaxJSONFileSize {
		return nil, fmt.Errorf("TUF metadata is %d bytes, above the %d-byte limit", len(b), MaxJSONFileSize)
	}
	var m tufMeta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("TUF metadata: %w", jsonError(b, err))
	}
	roles := map[string][]string{}
	for r, ref := range m.Signed.Roles {
		for _, id := range ref.KeyIDs {
			roles[id] = append(roles[id], r)
		}
	}
	var out []Asset
	add := func(keys map[string]tufKey, ptr string) {
		ids := make([]string, 0, len(keys))
		for id := range keys {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			rs := roles[id]
			sort.Strings(rs)
			a := tufAsset(name, keys[id], strings.Join(rs, ","))
			a.Pointer = ptr + "/" + id
			a.Fingerprint = "tuf-keyid:" + id
			classify(&a)
			out = append(out, a)
		}
	}
	add(m.Signed.Keys, "/signed/keys")
	if d := m.Signed.Deleg; d != nil {
		for _, r := range d.Roles {
			for _, id := range r.KeyIDs {
				roles[id] = append(roles[id], "delegated:"+r.Name)
			}
		}
		if sr := d.Succinct; sr != nil {
			for _, id := range sr.KeyIDs {
				roles[id] = append(roles[id], "delegated:"+sr.NamePrefix+"-*")
			}
		}
		add(d.Keys, "/signed/delegations/keys")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("TUF %s metadata lists no keys", m.Signed.Type)
	}
	return out, nil
}

// tufAsset reads one TUF key: PEM (TUF 1.0 ecdsa/rsa), hex (ed25519, and
// go-tuf v0's hex ECDSA points), or a Sigstore OIDC identity (TUF-on-CI).
func tufAsset(name string, k tufKey, role string) Asset {
	a := Asset{Kind: AssetTUFKey, Role: role, Path: name}
	v := strings.TrimSpace(k.Value.Public)
	switch {
	case k.KeyType == "sigstore-oidc":
		// A keyless signer: each signature uses a fresh Fulcio
		// certificate's key, ECDSA P-256 in the public-good instance.
		a.Algorithm = "Sigstore OIDC identity (ephemeral ECDSA)"
		a.Identity = k.Value.Identity + " (" + k.Value.Issuer + ")"
	case strings.HasPrefix(v, "-----BEGIN"):
		blk, _ := pem.Decode([]byte(v))
		if blk == nil {
			a.Algorithm, a.Error = k.KeyType, "public key PEM does not decode"
			return a
		}
		s := spkiAsset(name, blk.Bytes, AssetTUFKey, role)
		s.Path = name
		return s
	case k.KeyType == "ed25519":
		raw, err := hex.DecodeString(v)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			a.Algorithm, a.Error = "Ed25519", "public key is not 32 hex-encoded bytes"
			return a
		}
		a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(ed25519.PublicKey(raw))
	case strings.HasPrefix(k.KeyType, "ecdsa"):
		raw, err := hex.DecodeString(v)
		if err == nil {
			if pub, err2 := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw); err2 == nil {
				a.Algorithm, a.Bits, a.Curve, a.Weak = describePublic(pub)
				return a
			}
		}
		a.Algorithm, a.Error = "ECDSA", "public key is neither PEM nor a hex P-256 point"
	default:
		a.Algorithm, a.Error = k.KeyType, "key type "+k.KeyType+" is not one pedigree reads"
	}
	return a
}
