// Package distribution holds what the distribution-channel collectors share:
// the options of a scan (the assessment instant, the pinned trust), the
// trust they load once, and the evidence vocabulary the channel packages
// (oci, tuf, apt, release) emit and controls/distchecks judges.
//
// Every channel reads only files a user exported or mirrored; nothing is
// fetched, nothing found is run, and no path leaves the target.
package distribution

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/config"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/minisign"
	"github.com/pedigree-dev/pedigree/verify/pgp"
	"github.com/pedigree-dev/pedigree/verify/sigstore"
	"github.com/pedigree-dev/pedigree/verify/sshsign"
)

// Channels, the `kind` of a distribution finding.
const (
	ChannelOCI     = "oci"
	ChannelTUF     = "tuf"
	ChannelApt     = "apt"
	ChannelRelease = "release"
)

// Observation outcomes a collector records where it verified something
// cryptographically (the checks map them to pass, fail, not-assessed).
const (
	Verified    = "verified"
	Failed      = "failed"
	NotVerified = "not-verified"
)

// Options are the user's choices for a scan: `dist scan` flags or the
// distribution: section.
type Options struct {
	// At is the assessment instant; zero means now.
	At time.Time
	// TUFRoot is the path of a trusted root.json.
	TUFRoot string
	// Keyrings are OpenPGP keyrings (apt Release files, checksum lists).
	Keyrings []string
	// Keys are PEM public keys (cosign, Sigstore key-signed bundles) and
	// minisign/signify public key files.
	Keys []string
	// WithoutTlogUnsafe accepts a key-signed signature with no
	// transparency-log entry.
	WithoutTlogUnsafe bool
	// KeysWithoutTlog are PEM public keys trusted like Keys whose
	// signatures are accepted with no transparency-log entry, when
	// WithoutTlogUnsafe is not given for all (policy.sigstore.keys with
	// without-tlog-unsafe).
	KeysWithoutTlog []string
	// TrustedRoots are Sigstore trusted_root.json files.
	TrustedRoots []string
	// SLSA are the provenance expectations (policy.sigstore.slsa) an
	// image's attached SLSA provenance is verified against; artifacts
	// patterns match the image's reference name or digest.
	SLSA []config.SLSAExpectation
	// Identities are the expected certificate identities
	// (policy.sigstore.identities); those whose artifacts patterns match an
	// image's reference name or digest pin who may sign it keylessly.
	Identities []config.SigstoreIdentity
}

// Trust is the loaded trust: every file of the options read once.
type Trust struct {
	// At is the instant every window is judged at (never zero).
	At time.Time
	// AtGiven is true when the user chose At (reports record it).
	AtGiven bool
	// TUFRoot is the pinned root's bytes and its path; nil: none pinned.
	TUFRoot     []byte
	TUFRootPath string
	// Keyring holds the trusted OpenPGP keys.
	Keyring openpgp.EntityList
	// Keys are the trusted public keys that parsed as PEM/DER.
	Keys []crypto.PublicKey
	// RawKeys are the key files' bytes (minisign and signify keys are not
	// PEM) by base name.
	RawKeys map[string][]byte
	// SSH are the OpenSSH keys among them (a .pub or authorized_keys
	// file, or an allowed_signers file), for SSH-signed checksum lists.
	SSH []sshsign.AllowedSigner
	// Minisign are the minisign and signify keys among them.
	Minisign []*minisign.PublicKey
	// Roots are the Sigstore trusted roots.
	Roots             root.TrustedMaterialCollection
	WithoutTlogUnsafe bool
	// KeysWithoutTlog are the keys whose signatures need no
	// transparency-log entry (also among Keys).
	KeysWithoutTlog []crypto.PublicKey
	// SLSA are the provenance expectations, as given.
	SLSA []config.SLSAExpectation
	// Identities are the expected certificate identities, as given.
	Identities []config.SigstoreIdentity
	// Problems are trust files that did not load; a scan reports them and
	// judges without them (never as a pass).
	Problems []string
}

// Load reads the files the options name. A file that does not load is an
// error naming it: a user who pins trust wants to know it was not used.
func Load(o Options) (*Trust, error) {
	t := &Trust{At: o.At, AtGiven: !o.At.IsZero(), WithoutTlogUnsafe: o.WithoutTlogUnsafe, SLSA: o.SLSA, Identities: o.Identities, RawKeys: map[string][]byte{}}
	if t.At.IsZero() {
		t.At = time.Now().UTC()
	}
	if o.TUFRoot != "" {
		b, err := readlimit.File(o.TUFRoot, readlimit.Trust)
		if err != nil {
			return nil, fmt.Errorf("tuf root: %w", err)
		}
		t.TUFRoot, t.TUFRootPath = b, o.TUFRoot
	}
	if len(o.Keyrings) > 0 {
		kr, err := pgp.LoadKeyring(o.Keyrings...)
		if err != nil {
			return nil, err
		}
		t.Keyring = kr.Entities
	}
	for _, p := range o.Keys {
		b, err := readlimit.File(p, readlimit.Trust)
		if err != nil {
			return nil, fmt.Errorf("key: %w", err)
		}
		t.RawKeys[filepath.Base(p)] = b
		if k, err := sigstore.ParsePublicKey(b); err == nil {
			t.Keys = append(t.Keys, k)
		} else if ss, ok := sshSigners(b); ok {
			t.SSH = append(t.SSH, ss...)
		} else if !minisign.LooksLikeKey(b) {
			return nil, fmt.Errorf("key %s: not a PEM public key, a minisign or a signify public key, OpenSSH public keys or an allowed_signers file", p)
		}
	}
	for _, p := range o.KeysWithoutTlog {
		b, err := readlimit.File(p, readlimit.Trust)
		if err != nil {
			return nil, fmt.Errorf("key: %w", err)
		}
		k, err := sigstore.ParsePublicKey(b)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", p, err)
		}
		t.Keys = append(t.Keys, k)
		t.KeysWithoutTlog = append(t.KeysWithoutTlog, k)
	}
	for _, b := range t.RawKeys {
		if k, err := minisign.ParsePublicKey(b); err == nil {
			t.Minisign = append(t.Minisign, k)
		}
	}
	for _, p := range o.TrustedRoots {
		tr, err := sigstore.LoadTrustedRoot(p)
		if err != nil {
			return nil, fmt.Errorf("trusted root %s: %w", p, err)
		}
		t.Roots = append(t.Roots, tr)
	}
	return t, nil
}

// SigstorePolicy is the policy Sigstore bundles and cosign signatures are
// verified against: the trusted roots and keys, identities unconstrained
// (a distribution scan asks who signed, the signing pillar's identities
// pin it further).
func (t *Trust) SigstorePolicy() sigstore.Policy {
	p := sigstore.Policy{Keys: t.Keys, WithoutTransparencyLogUnsafe: t.WithoutTlogUnsafe}
	if len(t.Roots) > 0 {
		p.Trusted = t.Roots
		p.Identities = []sigstore.Identity{{SANRegex: ".*", IssuerRegex: ".*"}}
	}
	return p
}

// sshSigners reads OpenSSH public keys, or an allowed_signers file.
func sshSigners(b []byte) ([]sshsign.AllowedSigner, bool) {
	if ss, err := sshsign.ParsePublicKeys(b); err == nil {
		return ss, true
	}
	if ss, err := sshsign.ParseAllowedSigners(b); err == nil && len(ss) > 0 {
		return ss, true
	}
	return nil, false
}

// TlogOptional tells whether some key-signed signature may verify with
// no transparency-log entry: every one (WithoutTlogUnsafe) or those of
// KeysWithoutTlog.
func (t *Trust) TlogOptional() bool { return t.WithoutTlogUnsafe || len(t.KeysWithoutTlog) > 0 }

// UntloggedPolicy is the policy a signature with no transparency-log
// entry is verified against: SigstorePolicy under WithoutTlogUnsafe, else
// only the keys of KeysWithoutTlog.
func (t *Trust) UntloggedPolicy() sigstore.Policy {
	if t.WithoutTlogUnsafe {
		return t.SigstorePolicy()
	}
	return sigstore.Policy{Keys: t.KeysWithoutTlog, WithoutTransparencyLogUnsafe: true}
}

// PolicyFor is the policy bundle b is verified against: p, or, for a
// key-signed bundle with no transparency-log entry where some key may
// skip it, UntloggedPolicy.
func (t *Trust) PolicyFor(p sigstore.Policy, b *bundle.Bundle) sigstore.Policy {
	if vm := b.GetVerificationMaterial(); len(vm.GetTlogEntries()) == 0 && vm.GetPublicKey() != nil && t.TlogOptional() {
		return t.UntloggedPolicy()
	}
	return p
}

// Finding is one observation a channel collector made: the payload of
// every distribution evidence. Check names the check that judges it; the
// checks read only their own.
type Finding struct {
	Channel string `json:"channel"`
	Check   string `json:"check"`
	// Path is the file or directory observed, relative to the target.
	Path string `json:"path"`
	// Line is the line of Path the observation is about, when it has one.
	Line int `json:"line,omitempty"`
	// Subject is what the observation is about (an image digest, a TUF
	// role, an index file); empty means Path.
	Subject string `json:"subject,omitempty"`
	// Outcome is Verified, Failed or NotVerified for cryptographic and
	// integrity observations; the checks judge facts (expiry, thresholds)
	// from the fields below.
	Outcome string `json:"outcome,omitempty"`
	Message string `json:"message"`
	// At is the instant the observation was judged at; AtGiven says the
	// user chose it.
	At      time.Time `json:"at"`
	AtGiven bool      `json:"atGiven,omitempty"`
	// Issued is when the metadata says it was made (apt Date).
	Issued time.Time `json:"issued,omitzero"`
	// Expires is an expiry observed (TUF role, apt Valid-Until).
	Expires time.Time `json:"expires,omitzero"`
	// Threshold and Keys are a role's signature threshold and key count.
	Threshold int `json:"threshold,omitempty"`
	Keys      int `json:"keys,omitempty"`
	// Weak lists weak hash algorithms relied on.
	Weak []string `json:"weak,omitempty"`
	// Related names other files the observation relied on (signatures,
	// keyrings, referenced blobs).
	Related []string `json:"related,omitempty"`
	// SHA256 is the digest of what the observation is about, when it has one.
	SHA256 string `json:"sha256,omitempty"`
}

// Kind is the evidence kind of the observations one check judges.
func Kind(check string) string { return "distribution." + check }

// Emit builds the evidence of one observation about the bytes raw read
// from source (the file that decided it).
func Emit(t *collectors.Target, collector, source string, raw []byte, f *Finding) evidence.Evidence {
	return EmitSum(t, collector, source, Source{SHA256: evidence.SHA256Hex(raw), Size: int64(len(raw))}, f)
}

// Source is the digest and size of the file that decided observations,
// computed once however many observations it decides.
type Source struct {
	SHA256 string
	Size   int64
}

// SourceOf digests raw.
func SourceOf(raw []byte) Source {
	return Source{SHA256: evidence.SHA256Hex(raw), Size: int64(len(raw))}
}

// EmitSum is Emit with the source's digest already known.
func EmitSum(t *collectors.Target, collector, source string, src Source, f *Finding) evidence.Evidence {
	subj := evidence.Subject{Type: "distribution", Ref: f.Path}
	if f.Subject != "" {
		subj.Ref = f.Path + "#" + f.Subject
	}
	if f.SHA256 != "" {
		subj.Digest = "sha256:" + f.SHA256
	}
	kind := Kind(f.Check)
	return evidence.Evidence{
		// One source file decides many observations (a targets.json,
		// every target it lists): the subject keeps their ids apart.
		ID:          evidence.NewID(collector, kind, t.Name, source+"#"+subj.Ref, src.SHA256),
		Collector:   collector,
		Kind:        kind,
		Subject:     subj,
		Target:      t.Name,
		Source:      source,
		SHA256:      src.SHA256,
		Size:        src.Size,
		CollectedAt: t.Now,
		Payload:     f,
	}
}

// Stamp sets the instant on a finding.
func (t *Trust) Stamp(f *Finding) *Finding {
	f.At, f.AtGiven = t.At, t.AtGiven
	return f
}

// Head reads the first 4 KiB of a target file, to sniff its content.
func Head(t *collectors.Target, rel string) ([]byte, error) {
	f, err := t.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 4096)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:n], nil
}

// Recorder collects the observations one source file decides, stamping
// each with the channel, the instant and (by default) the file's path,
// and digesting the file once.
type Recorder struct {
	T         *collectors.Target
	Trust     *Trust
	Collector string
	Channel   string
	// Path and Raw are the deciding file and its bytes.
	Path string
	Raw  []byte
	Out  []evidence.Evidence
	src  *Source
}

// Record adds one observation.
func (r *Recorder) Record(fd *Finding) {
	fd.Channel = r.Channel
	if fd.Path == "" {
		fd.Path = r.Path
	}
	r.Trust.Stamp(fd)
	if r.src == nil {
		s := SourceOf(r.Raw)
		r.src = &s
	}
	r.Out = append(r.Out, EmitSum(r.T, r.Collector, r.Path, *r.src, fd))
}

// OrDefault is t, or the trust of no options (judged now, nothing
// trusted) when t is nil.
func OrDefault(t *Trust) *Trust {
	if t != nil {
		return t
	}
	d, _ := Load(Options{})
	return d
}

// IsLowerHex tells a non-empty string of lower-case hex digits: how
// repositories write digests in names (by-hash files, hash-bin roles).
func IsLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// OneLine flattens an error message onto one line.
func OneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
