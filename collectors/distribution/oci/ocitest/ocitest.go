// Package ocitest writes small, reproducible OCI image layouts with
// go-containerregistry: images with deterministic layers, signed in
// cosign's formats (simple-signing signatures under the sha256-<d>.sig tag,
// DSSE attestations under .att, or an OCI 1.1 referrer left as a blob the
// way cosign save writes it). Keys derive from fixed seeds.
package ocitest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Key is a deterministic P-256 key for a seed.
func Key(seed string) *ecdsa.PrivateKey {
	s := sha256.Sum256([]byte("pedigree ocitest " + seed))
	d := new(big.Int).SetBytes(s[:])
	n := new(big.Int).Sub(elliptic.P256().Params().N, big.NewInt(1))
	d.Mod(d, n).Add(d, big.NewInt(1))
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d.FillBytes(make([]byte, 32)))
	if err != nil {
		panic(err)
	}
	return k
}

// PublicPEM is the key's public half as cosign.pub holds it.
func PublicPEM(k *ecdsa.PrivateKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// Options shape a layout.
type Options struct {
	Images int
	// LayerSize is each image's single layer size in bytes.
	LayerSize int
	// Sign attaches a cosign signature; Attest attaches SBOM and SLSA
	// provenance attestations; Referrer stores the SBOM attestation as an
	// OCI 1.1 referrer blob outside index.json instead of a .att tag.
	Sign, Attest, Referrer bool
	// Base is the org.opencontainers.image.base.name label; BaseDigest the
	// .digest one.
	Base, BaseDigest string
	Seed             string
	// Files, when set, are the files of image i's layer (an example image
	// holding a real program); otherwise the layer is one generated file
	// of LayerSize bytes.
	Files func(i int) []File
	// SBOM and Provenance, when set, make image i's attestation predicates
	// from the built image (an SBOM of what it holds, a provenance naming
	// its digest); otherwise they are two-field stand-ins, enough for
	// benchmarks that only count attestations.
	SBOM       func(i int, img v1.Image) (predicateType string, predicate any)
	Provenance func(i int, img v1.Image) any
}

// File is one file of a layer.
type File struct {
	Name string
	Mode int64
	Data []byte
}

// FilesLayer is an uncompressed layer of the files in the order given,
// with zero times and owners, so the same files give the same digest.
func FilesLayer(files []File) v1.Layer {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Name: f.Name, Mode: f.Mode, Size: int64(len(f.Data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX})
		tw.Write(f.Data)
	}
	tw.Close()
	return static.NewLayer(buf.Bytes(), types.OCIUncompressedLayer)
}

func layer(i, size int) v1.Layer {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	body := bytes.Repeat([]byte(fmt.Sprintf("pedigree image %d\n", i)), max(1, size/20))
	tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("app/data-%d.txt", i), Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
	tw.Write(body)
	tw.Close()
	return static.NewLayer(buf.Bytes(), types.OCIUncompressedLayer)
}

// Image builds image i of a layout.
func Image(i int, o Options) (v1.Image, error) {
	l := layer(i, o.LayerSize)
	if o.Files != nil {
		l = FilesLayer(o.Files(i))
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), l)
	if err != nil {
		return nil, err
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.Architecture, cfg.OS = "amd64", "linux"
	cfg.Config.Labels = map[string]string{"org.opencontainers.image.title": fmt.Sprintf("demo-%d", i)}
	if o.Base != "" {
		cfg.Config.Labels["org.opencontainers.image.base.name"] = o.Base
	}
	if o.BaseDigest != "" {
		cfg.Config.Labels["org.opencontainers.image.base.digest"] = o.BaseDigest
	}
	return mutate.ConfigFile(img, cfg)
}

func sign(k *ecdsa.PrivateKey, msg []byte) string {
	h := sha256.Sum256(msg)
	// A nil source makes the signature deterministic (RFC 6979), so the
	// same options write the same bytes.
	sig, err := k.Sign(nil, h[:], crypto.SHA256)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// artifact is a one-layer manifest as cosign writes signatures.
func artifact(payload []byte, mt types.MediaType, ann map[string]string, subject *v1.Descriptor) (v1.Image, error) {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err := mutate.Append(img, mutate.Addendum{Layer: static.NewLayer(payload, mt), Annotations: ann})
	if err != nil {
		return nil, err
	}
	if subject != nil {
		img = mutate.Subject(img, *subject).(v1.Image)
	}
	return img, nil
}

// SimpleSigning is cosign's signed payload for an image digest.
func SimpleSigning(ref string, digest v1.Hash) []byte {
	b, _ := json.Marshal(map[string]any{
		"critical": map[string]any{
			"identity": map[string]string{"docker-reference": ref},
			"image":    map[string]string{"docker-manifest-digest": digest.String()},
			"type":     "cosign container image signature",
		},
		"optional": nil,
	})
	return b
}

// Envelope is a DSSE envelope of an in-toto statement about digest.
func Envelope(k *ecdsa.PrivateKey, digest v1.Hash, predicateType string, predicate any) []byte {
	st, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v0.1",
		"predicateType": predicateType,
		"subject":       []any{map[string]any{"name": "image", "digest": map[string]string{"sha256": digest.Hex}}},
		"predicate":     predicate,
	})
	pt := "application/vnd.in-toto+json"
	pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len(pt), pt, len(st), st)
	env, _ := json.Marshal(map[string]any{
		"payloadType": pt,
		"payload":     base64.StdEncoding.EncodeToString(st),
		"signatures":  []any{map[string]string{"keyid": "", "sig": sign(k, []byte(pae))}},
	})
	return env
}

// CycloneDX is a schema-valid CycloneDX 1.6 SBOM of n components, about
// 200 bytes each, all dependencies of the primary component: an SBOM
// predicate of a chosen size.
func CycloneDX(n int) map[string]any {
	comps := make([]any, n)
	deps := make([]string, n)
	for i := range comps {
		ref := fmt.Sprintf("c%d", i)
		comps[i] = map[string]any{"type": "library", "bom-ref": ref, "name": fmt.Sprintf("pkg-%d", i), "version": fmt.Sprintf("1.0.%d", i),
			"purl": fmt.Sprintf("pkg:npm/pkg-%d@1.0.%d", i, i), "hashes": []any{map[string]string{"alg": "SHA-256", "content": fmt.Sprintf("%064x", i)}}}
		deps[i] = ref
	}
	return map[string]any{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
		"metadata":     map[string]any{"timestamp": "2026-01-15T00:00:00Z", "component": map[string]any{"type": "container", "name": "app", "version": "1.0", "bom-ref": "app"}},
		"components":   comps,
		"dependencies": []any{map[string]any{"ref": "app", "dependsOn": deps}}}
}

// Write writes a layout to dir.
func Write(dir string, o Options) (layout.Path, error) {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return "", err
	}
	k := Key(o.Seed)
	for i := range o.Images {
		img, err := Image(i, o)
		if err != nil {
			return "", err
		}
		ref := fmt.Sprintf("registry.example/demo/app-%d:1.0", i)
		if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": ref})); err != nil {
			return "", err
		}
		d, _ := img.Digest()
		tag := "registry.example/demo/app-" + fmt.Sprint(i) + ":sha256-" + d.Hex
		if o.Sign {
			payload := SimpleSigning(strings.Split(ref, ":")[0], d)
			s, err := artifact(payload, "application/vnd.dev.cosign.simplesigning.v1+json", map[string]string{"dev.cosignproject.cosign/signature": sign(k, payload)}, nil)
			if err != nil {
				return "", err
			}
			if err := p.AppendImage(s, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag + ".sig"})); err != nil {
				return "", err
			}
		}
		if o.Attest {
			sbomType, sbomPred := "https://spdx.dev/Document", any(map[string]any{"spdxVersion": "SPDX-2.3", "name": fmt.Sprintf("demo-%d", i)})
			if o.SBOM != nil {
				sbomType, sbomPred = o.SBOM(i, img)
			}
			provPred := any(map[string]any{"buildDefinition": map[string]any{"buildType": "https://example.invalid/demo"}})
			if o.Provenance != nil {
				provPred = o.Provenance(i, img)
			}
			sbom := Envelope(k, d, sbomType, sbomPred)
			prov := Envelope(k, d, "https://slsa.dev/provenance/v1", provPred)
			mt := types.MediaType("application/vnd.dsse.envelope.v1+json")
			if o.Referrer {
				desc, _ := partialDescriptor(img)
				a, err := artifact(sbom, mt, map[string]string{"predicateType": sbomType}, desc)
				if err != nil {
					return "", err
				}
				// cosign save leaves referrers as blobs only.
				if err := p.WriteImage(a); err != nil {
					return "", err
				}
				b, err := artifact(prov, mt, map[string]string{"predicateType": "https://slsa.dev/provenance/v1"}, desc)
				if err != nil {
					return "", err
				}
				if err := p.WriteImage(b); err != nil {
					return "", err
				}
				continue
			}
			a, err := artifact(sbom, mt, map[string]string{"predicateType": sbomType}, nil)
			if err != nil {
				return "", err
			}
			a, err = mutate.Append(a, mutate.Addendum{Layer: static.NewLayer(prov, mt), Annotations: map[string]string{"predicateType": "https://slsa.dev/provenance/v1"}})
			if err != nil {
				return "", err
			}
			if err := p.AppendImage(a, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag + ".att"})); err != nil {
				return "", err
			}
		}
	}
	return p, nil
}

func partialDescriptor(img v1.Image) (*v1.Descriptor, error) {
	d, err := img.Digest()
	if err != nil {
		return nil, err
	}
	sz, err := img.Size()
	if err != nil {
		return nil, err
	}
	mt, err := img.MediaType()
	if err != nil {
		return nil, err
	}
	return &v1.Descriptor{MediaType: mt, Digest: d, Size: sz}, nil
}

// Tar writes the layout folder's files as an OCI tarball (as skopeo copy
// oci-archive: writes), with extra entries appended (hostile cases).
func Tar(w io.Writer, files map[string][]byte, extra ...*tar.Header) error {
	tw := tar.NewWriter(w)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		tw.Write(files[n])
	}
	for _, h := range extra {
		tw.WriteHeader(h)
		if h.Typeflag == tar.TypeReg {
			tw.Write(make([]byte, h.Size))
		}
	}
	return tw.Close()
}

// Files reads the files of a layout folder by their slash paths in it.
func Files(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	return files, err
}

// WriteTar writes the layout folder dir as an OCI tarball at path,
// gzip-compressed when gz is set.
func WriteTar(path, dir string, gz bool) error {
	files, err := Files(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(f)
		w = zw
	}
	err = Tar(w, files)
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
