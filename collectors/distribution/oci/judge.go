package oci

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/evidence"
)

func (im *image) name() string {
	if im.ref != "" {
		return im.ref + "@" + im.m.digest
	}
	return im.m.digest
}

// judgeImage records whether one image is signed, attested, and built on
// a pinned base.
func (w *work) judgeImage(im *image) {
	var obs []*sigObs
	for _, d := range im.digests {
		obs = append(obs, w.sigs[d]...)
	}
	sig := &distribution.Finding{Check: CheckSigned, Subject: im.name(), SHA256: strings.TrimPrefix(im.m.digest, "sha256:")}
	var verified, failed, unverified []string
	for _, o := range obs {
		if o.kind != "signature" {
			continue
		}
		line := fmt.Sprintf("%s signature on %s (%s): %s", o.format, o.digest, o.where, o.message)
		sig.Related = append(sig.Related, o.where)
		switch o.outcome {
		case distribution.Verified:
			verified = append(verified, line)
		case distribution.Failed:
			failed = append(failed, line)
		default:
			unverified = append(unverified, line)
		}
	}
	switch {
	case len(failed) > 0:
		sig.Outcome, sig.Message = distribution.Failed, fmt.Sprintf("image %s: %s", im.name(), strings.Join(failed, "; "))
	case len(verified) > 0:
		sig.Outcome, sig.Message = distribution.Verified, fmt.Sprintf("image %s: %s", im.name(), strings.Join(verified, "; "))
	case len(unverified) > 0:
		sig.Outcome, sig.Message = distribution.NotVerified, fmt.Sprintf("image %s: %s", im.name(), strings.Join(unverified, "; "))
	default:
		sig.Outcome, sig.Message = distribution.Failed, fmt.Sprintf("image %s carries no signature (no cosign .sig tag, no Sigstore bundle referrer)", im.name())
	}
	w.emit(sig, im.m.raw)

	att := &distribution.Finding{Check: CheckAttested, Subject: im.name(), SHA256: sig.SHA256}
	var sbom, prov, weak, other []string
	unread := false
	for _, o := range obs {
		unread = unread || o.unread != nil
		switch {
		case o.kind == "sbom":
			weak = append(weak, o.message)
		case o.kind != "attestation":
		case o.outcome != distribution.Verified:
			weak = append(weak, fmt.Sprintf("%s attestation (%s) not verified: %s", o.predicateType, o.where, o.message))
		case isSBOMPredicate(o.predicateType):
			sbom = append(sbom, o.predicateType)
		case strings.HasPrefix(o.predicateType, "https://slsa.dev/provenance/"):
			prov = append(prov, o.predicateType)
		default:
			other = append(other, fmt.Sprintf("%s (%s)", o.predicateType, o.message))
		}
		if o.kind != "signature" {
			att.Related = append(att.Related, o.where)
		}
	}
	var missing []string
	if len(sbom) == 0 {
		missing = append(missing, "a signed SBOM attestation")
	}
	if len(prov) == 0 {
		missing = append(missing, "a signed SLSA provenance attestation")
	}
	if len(missing) == 0 {
		att.Outcome = distribution.Verified
		att.Message = fmt.Sprintf("image %s carries verified attestations: SBOM %s; provenance %s", im.name(), strings.Join(sbom, ", "), strings.Join(prov, ", "))
	} else {
		att.Outcome = distribution.Failed
		att.Message = fmt.Sprintf("image %s lacks %s", im.name(), strings.Join(missing, " and "))
		if len(sbom)+len(prov) > 0 {
			att.Message += fmt.Sprintf(" (verified: %s)", strings.Join(append(sbom, prov...), ", "))
		}
		if len(weak) > 0 {
			att.Message += "; " + strings.Join(weak, "; ")
		}
		if unread {
			// An attestation above the size limit may be the one missing:
			// what it holds is unknown, so this cannot fail.
			att.Outcome = distribution.NotVerified
		}
	}
	if len(other) > 0 {
		att.Message += "; other verified attestations: " + strings.Join(other, "; ")
	}
	w.emit(att, im.m.raw)
	w.handoff(im, obs)
	w.basePinned(im)
}

func isSBOMPredicate(pt string) bool {
	return strings.HasPrefix(pt, "https://spdx.dev/Document") || strings.HasPrefix(pt, "https://cyclonedx.org/bom") ||
		strings.HasPrefix(pt, "https://cyclonedx.org/schema")
}

// basePinned reads the base-image annotations and labels of each platform
// image (org.opencontainers.image.base.name/.digest).
func (w *work) basePinned(im *image) {
	var ms []*manifest
	if im.m.image != nil {
		ms = append(ms, im.m)
	}
	if im.m.index != nil {
		for _, c := range im.m.index.Manifests {
			if m := w.manifests[c.Digest.String()]; m != nil && m.image != nil && !isBuildKitAttestation(c) {
				ms = append(ms, m)
			}
		}
	}
	for _, m := range ms {
		labels := map[string]string{}
		for k, v := range m.image.Annotations {
			labels[k] = v
		}
		if b, ok := w.s.blobs[m.image.Config.Digest.String()]; ok {
			if raw, err := w.s.json(b); err == nil {
				var cfg v1.ConfigFile
				if json.Unmarshal(raw, &cfg) == nil {
					for k, v := range cfg.Config.Labels {
						if _, ok := labels[k]; !ok {
							labels[k] = v
						}
					}
				}
			}
		}
		w.emit(pinFinding(im.name()+" ("+m.digest+")", labels["org.opencontainers.image.base.name"], labels["org.opencontainers.image.base.digest"], w.s.path), m.raw)
	}
}

func pinFinding(subject, base, digest, where string) *distribution.Finding {
	fd := &distribution.Finding{Check: CheckDigestPinned, Path: where, Subject: subject}
	switch {
	case base == "" && digest == "":
		fd.Outcome = distribution.NotVerified
		fd.Message = fmt.Sprintf("%s does not record its base image (no org.opencontainers.image.base.name/.digest)", subject)
	case digest != "" && strings.HasPrefix(digest, "sha256:"):
		fd.Outcome = distribution.Verified
		fd.Message = fmt.Sprintf("%s: base image %s pinned at %s", subject, base, digest)
	case strings.Contains(base, "@sha256:"):
		fd.Outcome = distribution.Verified
		fd.Message = fmt.Sprintf("%s: base image %s pinned by digest", subject, base)
	default:
		fd.Outcome = distribution.Failed
		fd.Message = fmt.Sprintf("%s: base image %s is named by tag, not pinned by digest", subject, base)
	}
	return fd
}

// dockerSave walks a docker save manifest.json: each image's config blob
// is named by its own digest and each layer's digest must equal the
// config's rootfs diff_ids.
func (w *work) dockerSave() {
	var ms []struct {
		Config   string   `json:"Config"`
		RepoTags []string `json:"RepoTags"`
		Layers   []string `json:"Layers"`
	}
	if err := json.Unmarshal(w.s.files["manifest.json"], &ms); err != nil {
		w.fail("manifest.json", fmt.Sprintf("%s: manifest.json does not parse: %s", w.s.path, distribution.OneLine(err)))
		return
	}
	lookup := func(name string) *blob {
		if d := blobDigest(name); d != "" {
			return w.s.blobs[d]
		}
		return w.s.blobs[path.Clean(name)]
	}
	for _, m := range ms {
		cb := lookup(m.Config)
		if cb == nil {
			w.fail(m.Config, fmt.Sprintf("%s: config %s is not in the archive", w.s.path, m.Config))
			continue
		}
		want := strings.TrimSuffix(path.Base(m.Config), ".json")
		if cb.sha256 != want {
			w.fail(m.Config, fmt.Sprintf("%s: config %s has digest sha256:%s: its content was altered", w.s.path, m.Config, cb.sha256))
			continue
		}
		w.verified++
		var cfg v1.ConfigFile
		if cb.data == nil || json.Unmarshal(cb.data, &cfg) != nil {
			w.fail(m.Config, fmt.Sprintf("%s: config %s does not parse", w.s.path, m.Config))
			continue
		}
		if len(cfg.RootFS.DiffIDs) != len(m.Layers) {
			w.fail(m.Config, fmt.Sprintf("%s: image %s lists %d layers, its config %d", w.s.path, strings.Join(m.RepoTags, ","), len(m.Layers), len(cfg.RootFS.DiffIDs)))
			continue
		}
		for i, l := range m.Layers {
			lb := lookup(l)
			switch {
			case lb == nil:
				w.fail(l, fmt.Sprintf("%s: layer %s is not in the archive", w.s.path, l))
			case lb.link != "":
				w.fail(l, fmt.Sprintf("%s: layer %s is a link to %s; links are never followed", w.s.path, l, lb.link))
			case "sha256:"+lb.sha256 != cfg.RootFS.DiffIDs[i].String():
				w.fail(l, fmt.Sprintf("%s: layer %s has digest sha256:%s, the config says %s", w.s.path, l, lb.sha256, cfg.RootFS.DiffIDs[i]))
			default:
				w.verified++
			}
		}
		name := strings.Join(m.RepoTags, ",")
		if name == "" {
			name = "sha256:" + want
		}
		w.emit(pinFinding(name, cfg.Config.Labels["org.opencontainers.image.base.name"], cfg.Config.Labels["org.opencontainers.image.base.digest"], w.s.path), cb.data)
		w.emit(&distribution.Finding{Check: CheckSigned, Subject: name, Outcome: distribution.NotVerified, SHA256: want,
			Message: fmt.Sprintf("image %s is a docker save archive, which cannot carry signatures: verify it in an OCI layout (cosign save) or a registry", name)}, cb.data)
	}
}

var fromLine = regexp.MustCompile(`(?i)^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?`)

// isDockerfile names the files that hold image build instructions.
func isDockerfile(p string) bool {
	b := strings.ToLower(path.Base(p))
	return b == "dockerfile" || b == "containerfile" || strings.HasPrefix(b, "dockerfile.") || strings.HasPrefix(b, "containerfile.") || strings.HasSuffix(b, ".dockerfile") || strings.HasSuffix(b, ".containerfile")
}

// dockerfiles checks every FROM of the target's Dockerfiles and
// Containerfiles for a digest pin.
func dockerfiles(t *collectors.Target, trust *distribution.Trust) []evidence.Evidence {
	var out []evidence.Evidence
	for _, f := range t.Files {
		if !isDockerfile(f.Path) || f.Size > 1<<20 {
			continue
		}
		raw, err := t.ReadFile(f.Path)
		if err != nil {
			continue
		}
		stages := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		line := 0
		for sc.Scan() {
			line++
			m := fromLine.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			img := m[1]
			fd := &distribution.Finding{Channel: distribution.ChannelOCI, Check: CheckDigestPinned, Path: f.Path, Line: line, Subject: fmt.Sprintf("line %d", line)}
			switch {
			case strings.EqualFold(img, "scratch") || stages[strings.ToLower(img)]:
				continue
			case strings.Contains(img, "@sha256:"):
				fd.Outcome, fd.Message = distribution.Verified, fmt.Sprintf("%s:%d: FROM %s is pinned by digest", f.Path, line, img)
			case strings.Contains(img, "$"):
				fd.Outcome, fd.Message = distribution.NotVerified, fmt.Sprintf("%s:%d: FROM %s is set by a build argument; its pin cannot be read", f.Path, line, img)
			default:
				fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s:%d: FROM %s is a tag, not a digest: the base image can change under the same name", f.Path, line, img)
			}
			trust.Stamp(fd)
			out = append(out, distribution.Emit(t, Name, f.Path, raw, fd))
			if m[2] != "" {
				stages[strings.ToLower(m[2])] = true
			}
		}
	}
	return out
}
