// Package oci judges container images exported as files: oci-layout
// folders and `docker save` / OCI tarballs. Every blob's digest and size is
// checked against what references it; signatures attached as cosign
// tag-scheme artifacts (sha256-<digest>.sig/.att/.sbom) or as OCI 1.1
// referrers (subject), including the referrer manifests `cosign save`
// leaves as blobs outside index.json, are verified with the signing
// pillar's Sigstore verifier; attached SBOM and provenance attestations are
// matched to the image digest; base images are checked for digest pins.
package oci

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
)

// Name is the collector name.
const Name = "distribution-oci"

// Check ids this collector observes for.
const (
	CheckIntegrity    = "DIST-OCI-LAYOUT-INTEGRITY"
	CheckSigned       = "DIST-OCI-SIGNED"
	CheckAttested     = "DIST-OCI-ATTESTED"
	CheckDigestPinned = "DIST-OCI-DIGEST-PINNED"
)

// maxDepth bounds index nesting (loops are cut earlier).
const maxDepth = 16

// Collector finds image layouts and archives in a target.
type Collector struct {
	Trust *distribution.Trust
	// SBOMMaxSize is the SBOM collector's size limit (sbom.max-size): an
	// SBOM or attestation attached to an image is read whole up to it (at
	// least MaxJSONBlob), and above it is named not-assessed, unread;
	// zero means sbom.DefaultMaxSize.
	SBOMMaxSize int64
	// SBOM are the SBOM parser's options for attached SBOMs.
	SBOM  sbom.Options
	batch *sigstore.Batch
}

func (c *Collector) sbomLimit() int64 {
	if c.SBOMMaxSize > 0 {
		return c.SBOMMaxSize
	}
	return sbom.DefaultMaxSize
}

// New returns the collector over loaded trust.
func New(t *distribution.Trust) *Collector { return &Collector{Trust: t, batch: sigstore.NewBatch()} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	trust := distribution.OrDefault(c.Trust)
	if c.batch == nil {
		c.batch = sigstore.NewBatch()
	}
	var out []evidence.Evidence
	layouts := t.OCILayouts()
	inLayout := func(p string) bool {
		for _, l := range layouts {
			if l == "." || strings.HasPrefix(p, l+"/") {
				return true
			}
		}
		return false
	}
	for _, l := range layouts {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		s, err := openDir(t, l)
		if err != nil {
			return out, err
		}
		w := &work{ctx: ctx, c: c, trust: trust, s: s}
		w.run()
		out = append(out, w.out...)
	}
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if inLayout(f.Path) || f.Size < 1024 {
			continue
		}
		gz, ok := isTar(t, f.Path)
		if !ok || !looksLikeImageArchive(t, f.Path, gz) {
			continue
		}
		s, err := openTar(t, f.Path, gz)
		if err != nil {
			return out, err
		}
		w := &work{ctx: ctx, c: c, trust: trust, s: s}
		w.run()
		out = append(out, w.out...)
	}
	out = append(out, dockerfiles(t, trust)...)
	return out, nil
}

type work struct {
	ctx   context.Context
	c     *Collector
	trust *distribution.Trust
	s     *store
	out   []evidence.Evidence
	// manifests parsed, by digest.
	manifests map[string]*manifest
	// failures of the integrity walk.
	bad      []*distribution.Finding
	verified int
	// sigs are the signature and attestation observations by the digest
	// they are about.
	sigs map[string][]*sigObs
	// srcs caches the digest of the documents observations cite.
	srcs map[*byte]distribution.Source
	// pending are artifact layers of an archive that its first pass did
	// not keep, read on one more pass.
	pending []*layerRef
	// refs are the images' reference names by their digests (an index's
	// and its platform manifests'), for the identities policy names.
	refs map[string]string
}

// manifest is an image manifest or index (both shapes in one).
type manifest struct {
	digest string
	raw    []byte
	index  *v1.IndexManifest
	image  *v1.Manifest
}

func (m *manifest) subject() *v1.Descriptor {
	if m.image != nil {
		return m.image.Subject
	}
	return m.index.Subject
}

func (m *manifest) artifactType() string {
	if m.image != nil {
		if m.image.ArtifactType != "" {
			return m.image.ArtifactType
		}
		return string(m.image.Config.MediaType)
	}
	return m.index.ArtifactType
}

func (w *work) emit(fd *distribution.Finding, raw []byte) {
	fd.Channel = distribution.ChannelOCI
	if fd.Path == "" {
		fd.Path = w.s.path
	}
	w.trust.Stamp(fd)
	if raw == nil {
		raw = w.s.files["index.json"]
		if raw == nil {
			raw = w.s.files["manifest.json"]
		}
	}
	source := w.s.path
	if !w.s.archive {
		source = path.Join(w.s.path, "index.json")
		if w.s.files["index.json"] == nil {
			source = path.Join(w.s.path, "manifest.json")
		}
	}
	var src distribution.Source
	if len(raw) == 0 {
		src = distribution.SourceOf(raw)
	} else if c, ok := w.srcs[&raw[0]]; ok {
		src = c
	} else {
		src = distribution.SourceOf(raw)
		w.srcs[&raw[0]] = src
	}
	w.out = append(w.out, distribution.EmitSum(w.s.t, Name, source, src, fd))
}

func (w *work) fail(subject, msg string) {
	w.bad = append(w.bad, &distribution.Finding{Check: CheckIntegrity, Subject: subject, Outcome: distribution.Failed, Message: msg})
}

func isIndex(mt types.MediaType) bool {
	return mt == types.OCIImageIndex || mt == types.DockerManifestList
}

func isManifest(mt types.MediaType) bool {
	return mt == types.OCIManifestSchema1 || mt == types.DockerManifestSchema2
}

func (w *work) run() {
	w.manifests = map[string]*manifest{}
	w.sigs = map[string][]*sigObs{}
	w.srcs = map[*byte]distribution.Source{}
	for _, p := range w.s.problems {
		w.fail("archive", fmt.Sprintf("%s: %s", w.s.path, p))
	}
	var tops []v1.Descriptor
	switch {
	case w.s.files["index.json"] != nil:
		idx, err := v1.ParseIndexManifest(bytes.NewReader(w.s.files["index.json"]))
		if err != nil {
			w.fail("index.json", fmt.Sprintf("%s: index.json does not parse: %s", w.s.path, distribution.OneLine(err)))
			break
		}
		tops = idx.Manifests
		for _, d := range idx.Manifests {
			w.visit(d, "index.json", nil)
		}
	case w.s.files["manifest.json"] != nil:
		w.dockerSave()
	default:
		w.fail("index.json", fmt.Sprintf("%s has no index.json", w.s.path))
	}
	referrers := w.referrers(tops)
	w.integrity()
	images := w.images(tops)
	w.refs = map[string]string{}
	for _, im := range images {
		for _, d := range im.digests {
			w.refs[d] = im.ref
		}
	}
	for _, r := range referrers {
		w.attached(r)
	}
	w.readPending()
	for _, im := range images {
		w.judgeImage(im)
	}
}

func (w *work) integrity() {
	for _, b := range w.bad {
		w.emit(b, nil)
	}
	if len(w.bad) == 0 {
		w.emit(&distribution.Finding{Check: CheckIntegrity, Outcome: distribution.Verified,
			Message: fmt.Sprintf("%s: %d descriptor(s) checked, every blob present with the digest and size that reference it", w.s.path, w.verified)}, nil)
	}
}

// visit checks one descriptor against its blob, and walks what a manifest
// or index references. stack holds the digests being walked (loops).
func (w *work) visit(d v1.Descriptor, from string, stack []string) {
	if w.ctx.Err() != nil {
		return
	}
	dg := d.Digest.String()
	for _, s := range stack {
		if s == dg {
			w.fail(dg, fmt.Sprintf("%s: %s references %s, which references it back: a loop", w.s.path, from, dg))
			return
		}
	}
	if len(stack) > maxDepth {
		w.fail(dg, fmt.Sprintf("%s: manifests nested more than %d deep at %s", w.s.path, maxDepth, dg))
		return
	}
	if d.Digest.Algorithm != "sha256" {
		w.fail(dg, fmt.Sprintf("%s: %s names %s, a digest algorithm pedigree does not verify", w.s.path, from, dg))
		return
	}
	b, ok := w.s.blobs[dg]
	if !ok {
		w.fail(dg, fmt.Sprintf("%s: %s references blob %s, which is not present", w.s.path, from, dg))
		return
	}
	if b.link != "" {
		w.fail(dg, fmt.Sprintf("%s: blob %s is a link to %s; blobs must be regular files and links are never followed", w.s.path, dg, b.link))
		return
	}
	if _, seen := w.manifests[dg]; !seen || !isIndex(d.MediaType) && !isManifest(d.MediaType) {
		if b.size != d.Size {
			w.fail(dg, fmt.Sprintf("%s: %s says blob %s is %d bytes; it is %d", w.s.path, from, dg, d.Size, b.size))
			return
		}
		got, err := w.s.digestOf(b)
		if err != nil {
			w.fail(dg, fmt.Sprintf("%s: %s", w.s.path, distribution.OneLine(err)))
			return
		}
		if "sha256:"+got != dg {
			w.fail(dg, fmt.Sprintf("%s: blob %s has digest sha256:%s: its content was altered", w.s.path, dg, got))
			return
		}
		w.verified++
	}
	if !isIndex(d.MediaType) && !isManifest(d.MediaType) {
		return
	}
	if _, seen := w.manifests[dg]; seen {
		return
	}
	m, err := w.parse(b, dg, d.MediaType)
	if err != nil {
		w.fail(dg, fmt.Sprintf("%s: %s", w.s.path, distribution.OneLine(err)))
		return
	}
	stack = append(stack, dg)
	if m.index != nil {
		for _, c := range m.index.Manifests {
			w.visit(c, dg, stack)
		}
		return
	}
	w.visit(m.image.Config, dg, stack)
	for _, l := range m.image.Layers {
		w.visit(l, dg, stack)
	}
}

func (w *work) parse(b *blob, dg string, mt types.MediaType) (*manifest, error) {
	raw, err := w.s.json(b)
	if err != nil {
		return nil, err
	}
	m := &manifest{digest: dg, raw: raw}
	if isIndex(mt) {
		m.index, err = v1.ParseIndexManifest(bytes.NewReader(raw))
	} else {
		m.image, err = v1.ParseManifest(bytes.NewReader(raw))
	}
	if err != nil {
		return nil, fmt.Errorf("manifest %s does not parse: %w", dg, err)
	}
	w.manifests[dg] = m
	return m, nil
}

var tagScheme = regexp.MustCompile(`(?:^|[:/])sha256-([0-9a-f]{64})\.(sig|att|sbom)$`)

// attachedTo says which image digest an artifact manifest is about: its
// subject, or the tag it was stored under (cosign's tag scheme).
func attachedTo(d v1.Descriptor, m *manifest) (string, string) {
	if s := m.subject(); s != nil {
		return s.Digest.String(), "referrer"
	}
	if isBuildKitAttestation(d) {
		return d.Annotations[annRefDigest], "buildkit"
	}
	for _, k := range []string{"org.opencontainers.image.ref.name", "io.containerd.image.name"} {
		if g := tagScheme.FindStringSubmatch(d.Annotations[k]); g != nil {
			return "sha256:" + g[1], g[2]
		}
	}
	return "", ""
}

// BuildKit stores an image's attestations (docker buildx --sbom,
// --provenance) as a manifest in the image index whose layers are unsigned
// in-toto statements, annotated with the platform manifest they are about
// (docs.docker.com/build/metadata/attestations/attestation-storage).
const (
	annRefType         = "vnd.docker.reference.type"
	annRefDigest       = "vnd.docker.reference.digest"
	refTypeAttestation = "attestation-manifest"
	mtInToto           = "application/vnd.in-toto+json"
	annInTotoPredicate = "in-toto.io/predicate-type"
)

func isBuildKitAttestation(d v1.Descriptor) bool {
	return d.Annotations[annRefType] == refTypeAttestation && strings.HasPrefix(d.Annotations[annRefDigest], "sha256:")
}

// isArtifact says whether a top-level manifest is a signature, attestation
// or SBOM rather than an image.
func isArtifact(d v1.Descriptor, m *manifest) bool {
	if m == nil {
		return false
	}
	if to, _ := attachedTo(d, m); to != "" {
		return true
	}
	switch d.Annotations["kind"] {
	case "dev.cosignproject.cosign/sigs", "dev.cosignproject.cosign/atts", "dev.cosignproject.cosign/sboms":
		return true
	}
	return false
}

// referrers lists the artifact manifests: top-level ones, and referrer
// manifests present only as blobs (what cosign save writes).
func (w *work) referrers(tops []v1.Descriptor) []*artifact {
	var out []*artifact
	seen := map[string]bool{}
	for _, d := range tops {
		m := w.manifests[d.Digest.String()]
		if isArtifact(d, m) {
			seen[m.digest] = true
			out = append(out, &artifact{desc: d, m: m})
		}
		if m == nil || m.index == nil {
			continue
		}
		for _, c := range m.index.Manifests {
			if cm := w.manifests[c.Digest.String()]; cm != nil && isBuildKitAttestation(c) && !seen[cm.digest] {
				seen[cm.digest] = true
				out = append(out, &artifact{desc: c, m: cm})
			}
		}
	}
	keys := make([]string, 0, len(w.s.blobs))
	for k := range w.s.blobs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b := w.s.blobs[k]
		if seen[k] || w.manifests[k] != nil || !strings.HasPrefix(k, "sha256:") || b.size > MaxJSONBlob || b.link != "" {
			continue
		}
		if !w.s.archive && b.data == nil {
			// Only JSON can be a manifest: sniff before reading whole.
			if head, err := distribution.Head(w.s.t, b.name); err != nil || !looksJSON(head) {
				continue
			}
		}
		raw, err := w.s.json(b)
		if err != nil || !looksJSON(raw) || !bytes.Contains(raw, []byte(`"subject"`)) {
			continue
		}
		var probe struct {
			MediaType types.MediaType `json:"mediaType"`
			Subject   *v1.Descriptor  `json:"subject"`
		}
		if json.Unmarshal(raw, &probe) != nil || probe.Subject == nil {
			continue
		}
		mt := probe.MediaType
		if mt == "" {
			mt = types.OCIManifestSchema1
		}
		d := v1.Descriptor{MediaType: mt, Size: b.size}
		d.Digest, _ = v1.NewHash(k)
		w.visit(d, "referrer blob", nil)
		if m := w.manifests[k]; m != nil {
			out = append(out, &artifact{desc: d, m: m, orphan: true})
		}
	}
	return out
}

// image is one top-level image or multi-platform index.
type image struct {
	desc v1.Descriptor
	m    *manifest
	ref  string
	// digests are the index's and its platform manifests' digests.
	digests []string
}

func (w *work) images(tops []v1.Descriptor) []*image {
	var out []*image
	for _, d := range tops {
		m := w.manifests[d.Digest.String()]
		if m == nil || isArtifact(d, m) {
			continue
		}
		im := &image{desc: d, m: m, ref: d.Annotations["org.opencontainers.image.ref.name"], digests: []string{m.digest}}
		if m.index != nil {
			for _, c := range m.index.Manifests {
				if !isBuildKitAttestation(c) {
					im.digests = append(im.digests, c.Digest.String())
				}
			}
		}
		out = append(out, im)
	}
	return out
}
