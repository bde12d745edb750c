// Package apt judges Debian/apt repositories mirrored as files: a tree with
// dists/<suite>/InRelease (or Release and Release.gpg), the index files the
// Release lists, and optionally pool/. It does what apt does before it
// trusts a mirror: the Release signature against the trusted keyrings, its
// Date and Valid-Until, every index present against the Release hashes,
// and every .deb present against its Packages stanza.
package apt

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/verify/pgp"
)

// Name is the collector name.
const Name = "distribution-apt"

// Check ids this collector observes for.
const (
	CheckSigned        = "DIST-APT-SIGNED"
	CheckValidUntil    = "DIST-APT-VALID-UNTIL"
	CheckIndexHashes   = "DIST-APT-INDEX-HASHES"
	CheckWeakHash      = "DIST-APT-WEAK-HASH"
	CheckPackageHashes = "DIST-APT-PACKAGE-HASHES"
)

// MaxReleaseSize bounds a Release/InRelease file read whole.
const MaxReleaseSize = 32 << 20

// hashFields are the Release sections, strongest first.
var hashFields = []struct{ field, alg string }{
	{"SHA512", "sha512"}, {"SHA256", "sha256"}, {"SHA1", "sha1"}, {"MD5Sum", "md5"},
}

// Collector finds apt repositories in a target.
type Collector struct{ Trust *distribution.Trust }

// New returns the collector over loaded trust.
func New(t *distribution.Trust) *Collector { return &Collector{Trust: t} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// looksLikeRelease sniffs a Release or InRelease file by content.
func looksLikeRelease(head []byte) bool {
	h := head
	if bytes.HasPrefix(h, []byte("-----BEGIN PGP SIGNED MESSAGE-----")) {
		if i := bytes.Index(h, []byte("\n\n")); i >= 0 {
			h = h[i+2:]
		}
	}
	hasSuite := false
	for _, f := range []string{"Suite:", "Codename:", "Origin:", "Label:", "Architectures:"} {
		if bytes.HasPrefix(h, []byte(f)) || bytes.Contains(h, []byte("\n"+f)) {
			hasSuite = true
		}
	}
	hashes := bytes.Contains(head, []byte("\nSHA256:")) || bytes.Contains(head, []byte("\nMD5Sum:")) || bytes.Contains(head, []byte("\nSHA512:")) || bytes.Contains(head, []byte("\nSHA1:"))
	// A Packages stanza has Package:, a .dsc has Format:/Source: first.
	return hasSuite && (hashes || bytes.Contains(head, []byte("\nDate:"))) && !bytes.HasPrefix(h, []byte("Package:")) && !bytes.Contains(h[:min(len(h), 200)], []byte("Format:"))
}

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	trust := distribution.OrDefault(c.Trust)
	present := make(map[string]collectors.File, len(t.Files))
	for _, f := range t.Files {
		present[f.Path] = f
	}
	var out []evidence.Evidence
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		base := path.Base(f.Path)
		if f.Size == 0 || f.Size > MaxReleaseSize || strings.HasSuffix(base, ".gpg") || strings.HasSuffix(base, ".gz") || strings.HasSuffix(base, ".xz") {
			continue
		}
		if base == "Release" {
			// apt reads InRelease when the mirror has one and never
			// looks at Release and Release.gpg then.
			if _, ok := present[path.Join(path.Dir(f.Path), "InRelease")]; ok {
				continue
			}
		}
		head, err := distribution.Head(t, f.Path)
		if err != nil || !looksLikeRelease(head) {
			continue
		}
		tt := *t
		tt.MaxFileSize = MaxReleaseSize
		raw, err := tt.ReadFile(f.Path)
		if err != nil {
			continue
		}
		w := &work{ctx: ctx, t: t, trust: trust, present: present, path: f.Path, raw: raw,
			Recorder: &distribution.Recorder{T: t, Trust: trust, Collector: Name, Channel: distribution.ChannelApt, Path: f.Path, Raw: raw}}
		w.run()
		out = append(out, w.Out...)
	}
	return out, nil
}

type work struct {
	ctx     context.Context
	t       *collectors.Target
	trust   *distribution.Trust
	present map[string]collectors.File
	path    string
	raw     []byte
	*distribution.Recorder
	debs *bool
}

// root is the folder Filename: fields are relative to: the folder above
// dists/, or the Release's own folder for a flat repository.
func (w *work) root() string {
	if i := strings.LastIndex("/"+w.path, "/dists/"); i >= 0 {
		if i == 0 {
			return "."
		}
		return w.path[:i-1]
	}
	return path.Dir(w.path)
}

func (w *work) run() {
	content := w.raw
	signed := bytes.HasPrefix(bytes.TrimLeft(w.raw, " \r\n"), []byte("-----BEGIN PGP SIGNED MESSAGE-----"))
	sig := &distribution.Finding{Check: CheckSigned, Subject: "Release"}
	opts := pgp.Options{Keyring: w.trust.Keyring, Validity: pgp.AtNow, Now: w.trust.At}
	var res *pgp.Result
	var err error
	switch {
	case signed:
		var plain []byte
		res, plain, err = pgp.VerifyCleartext(w.raw, opts)
		if plain != nil {
			content = plain
		} else if i := bytes.Index(w.raw, []byte("\n\n")); i >= 0 {
			// Judge the content even when the signature fails.
			content = w.raw[i+2:]
			if j := bytes.Index(content, []byte("\n-----BEGIN PGP SIGNATURE-----")); j >= 0 {
				content = content[:j+1]
			}
		}
	default:
		gpgPath := w.path + ".gpg"
		if _, ok := w.present[gpgPath]; !ok {
			sig.Outcome = distribution.Failed
			sig.Message = fmt.Sprintf("%s has no signature: no InRelease and no %s", w.path, path.Base(gpgPath))
			w.Record(sig)
			break
		}
		sig.Related = []string{gpgPath}
		sb, e := w.t.ReadFile(gpgPath)
		if e != nil {
			err = e
			break
		}
		res, err = pgp.VerifyDetached(bytes.NewReader(w.raw), sb, opts)
	}
	if sig.Outcome == "" {
		switch {
		case len(w.trust.Keyring) == 0:
			sig.Outcome = distribution.NotVerified
			sig.Message = fmt.Sprintf("%s is signed but no keyring was given to verify it (--keyring or distribution.keyrings)", w.path)
		case err != nil:
			sig.Outcome = distribution.Failed
			sig.Message = fmt.Sprintf("%s signature does not verify: %s", w.path, distribution.OneLine(err))
		default:
			sig.Outcome = distribution.Verified
			sig.Message = fmt.Sprintf("%s: %s", w.path, res.String())
			sig.Weak = res.Weak
		}
		w.Record(sig)
	}
	var rel stanza
	perr := readStanzas(bytes.NewReader(content), func(s stanza) error {
		if rel.fields == nil {
			rel = s
		}
		return nil
	})
	if perr != nil || rel.fields == nil {
		if perr == nil {
			perr = errors.New("no fields")
		}
		w.Record(&distribution.Finding{Check: CheckIndexHashes, Subject: "Release", Outcome: distribution.Failed,
			Message: fmt.Sprintf("%s does not parse: %s", w.path, distribution.OneLine(perr))})
		return
	}
	w.validity(rel)
	w.indexes(rel)
}

var dateLayouts = []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 Z"}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func (w *work) validity(rel stanza) {
	fd := &distribution.Finding{Check: CheckValidUntil, Subject: "Release"}
	var msgs []string
	if d := rel.get("Date"); d != "" {
		if t, ok := parseDate(d); ok {
			fd.Issued = t
		} else {
			msgs = append(msgs, fmt.Sprintf("Date %q does not parse", d))
		}
	}
	if v := rel.get("Valid-Until"); v != "" {
		if t, ok := parseDate(v); ok {
			fd.Expires = t
		} else {
			fd.Outcome = distribution.Failed
			msgs = append(msgs, fmt.Sprintf("Valid-Until %q does not parse", v))
		}
	}
	fd.Message = strings.Join(msgs, "; ")
	w.Record(fd)
}

// indexes compares every index file present with the Release hashes, using
// the strongest algorithm the Release gives (as apt does), and then checks
// the packages of every Packages index that matched.
func (w *work) indexes(rel stanza) {
	dir := path.Dir(w.path)
	byName := map[string]map[string]entry{} // name -> alg -> entry
	var names []string
	algsUsed := map[string]bool{}
	for _, hf := range hashFields {
		v := rel.get(hf.field)
		if v == "" {
			continue
		}
		es, err := parseEntries(v)
		if err != nil {
			w.Record(&distribution.Finding{Check: CheckIndexHashes, Subject: hf.field, Outcome: distribution.Failed,
				Message: fmt.Sprintf("%s %s section: %s", w.path, hf.field, distribution.OneLine(err))})
		}
		algsUsed[hf.alg] = true
		for _, e := range es {
			if byName[e.Name] == nil {
				byName[e.Name] = map[string]entry{}
				names = append(names, e.Name)
			}
			byName[e.Name][hf.alg] = e
		}
	}
	sort.Strings(names)
	// Weak hashes: an entry whose only hashes are MD5 or SHA-1.
	weak := &distribution.Finding{Check: CheckWeakHash, Subject: "Release"}
	weakOnly := 0
	for _, n := range names {
		if _, ok := byName[n]["sha256"]; ok {
			continue
		}
		if _, ok := byName[n]["sha512"]; ok {
			continue
		}
		weakOnly++
	}
	for _, a := range []string{"md5", "sha1"} {
		if algsUsed[a] {
			weak.Weak = append(weak.Weak, a)
		}
	}
	weak.Keys = weakOnly // entries protected by a weak hash only
	switch {
	case len(names) == 0:
		weak.Outcome = distribution.NotVerified
		weak.Message = fmt.Sprintf("%s lists no index files", w.path)
	case weakOnly > 0:
		weak.Outcome = distribution.Failed
		weak.Message = fmt.Sprintf("%s: %d of %d index entries are protected only by MD5 or SHA-1, which collide", w.path, weakOnly, len(names))
	default:
		weak.Outcome = distribution.Verified
		weak.Message = fmt.Sprintf("%s: every one of %d index entries has a SHA-256 or SHA-512 hash", w.path, len(names))
		if len(weak.Weak) > 0 {
			weak.Message += " (MD5/SHA-1 also listed, unused)"
		}
	}
	w.Record(weak)
	checked := 0
	for _, n := range names {
		if w.ctx.Err() != nil {
			return
		}
		p := path.Join(dir, n)
		switch path.Base(n) {
		case "Release", "InRelease", "Release.gpg":
			// apt never fetches the Release files through the list a
			// Release gives (apt-ftparchive lists stale copies).
			continue
		}
		if _, ok := w.present[p]; !ok {
			continue // apt fetches only what it needs; a mirror may hold less
		}
		var e entry
		var alg string
		for _, hf := range hashFields {
			if x, ok := byName[n][hf.alg]; ok {
				e, alg = x, hf.alg
				break
			}
		}
		checked++
		fd := &distribution.Finding{Check: CheckIndexHashes, Path: p, Subject: n, Related: []string{w.path}}
		sums, err := distribution.HashFile(w.t, p, alg)
		switch {
		case err != nil:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: %s", p, distribution.OneLine(err))
		case sums.Size != e.Size:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s is %d bytes, %s says %d", p, sums.Size, w.path, e.Size)
		case sums.Hex[alg] != e.Hash:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s %s is %s, %s says %s", p, alg, sums.Hex[alg], w.path, e.Hash)
		default:
			fd.Outcome, fd.Message = distribution.Verified, fmt.Sprintf("%s matches the %s and size %s records", p, alg, w.path)
		}
		if sums != nil {
			fd.SHA256 = sums.SHA256
		}
		w.Record(fd)
		if fd.Outcome == distribution.Verified && isPackages(n) && w.hasDebs() {
			w.packages(p)
		}
	}
	if checked == 0 && len(names) > 0 {
		w.Record(&distribution.Finding{Check: CheckIndexHashes, Subject: "Release", Outcome: distribution.NotVerified,
			Message: fmt.Sprintf("none of the %d index files %s lists is present", len(names), w.path)})
	}
}

func isPackages(n string) bool {
	b := path.Base(n)
	return b == "Packages" || b == "Packages.gz"
}

// packages compares every .deb present with its stanza in one Packages
// index, streaming the index one stanza at a time.
func (w *work) packages(p string) {
	f, err := w.t.Open(p)
	if err != nil {
		return
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(p, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			w.Record(&distribution.Finding{Check: CheckPackageHashes, Path: p, Outcome: distribution.Failed, Message: fmt.Sprintf("%s: %s", p, distribution.OneLine(err))})
			return
		}
		defer gz.Close()
		// A decompression bomb stops at the limit like any other index.
		r = io.LimitReader(gz, 4<<30)
	}
	root := w.root()
	err = readStanzas(r, func(s stanza) error {
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		fn := s.get("Filename")
		if fn == "" {
			return nil
		}
		clean := path.Clean(fn)
		if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			w.Record(&distribution.Finding{Check: CheckPackageHashes, Path: p, Subject: fn, Outcome: distribution.Failed,
				Message: fmt.Sprintf("%s line %d: Filename %q leaves the repository", p, s.line, fn)})
			return nil
		}
		deb := path.Join(root, clean)
		if _, ok := w.present[deb]; !ok {
			return nil
		}
		w.deb(p, deb, s)
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		w.Record(&distribution.Finding{Check: CheckPackageHashes, Path: p, Outcome: distribution.Failed,
			Message: fmt.Sprintf("%s: %s", p, distribution.OneLine(err))})
	}
}

func (w *work) deb(index, deb string, s stanza) {
	fd := &distribution.Finding{Check: CheckPackageHashes, Path: deb, Subject: s.get("Package") + " " + s.get("Version"), Related: []string{index}}
	want := map[string]string{}
	for _, f := range []struct{ field, alg string }{{"SHA512", "sha512"}, {"SHA256", "sha256"}, {"SHA1", "sha1"}, {"MD5sum", "md5"}} {
		if v := s.get(f.field); v != "" {
			want[f.alg] = strings.ToLower(v)
		}
	}
	alg := ""
	for _, a := range []string{"sha512", "sha256", "sha1", "md5"} {
		if want[a] != "" {
			alg = a
			break
		}
	}
	if alg == "" {
		fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: the %s stanza gives no hash", deb, index)
		w.Record(fd)
		return
	}
	sums, err := distribution.HashFile(w.t, deb, alg)
	switch {
	case err != nil:
		fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: %s", deb, distribution.OneLine(err))
	case s.get("Size") != "" && fmt.Sprint(sums.Size) != s.get("Size"):
		fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s is %d bytes, %s says %s", deb, sums.Size, index, s.get("Size"))
	case sums.Hex[alg] != want[alg]:
		fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s %s is %s, %s says %s", deb, alg, sums.Hex[alg], index, want[alg])
	default:
		fd.Outcome, fd.Message = distribution.Verified, fmt.Sprintf("%s matches the %s and size in %s", deb, alg, index)
		if alg == "md5" || alg == "sha1" {
			fd.Weak = []string{alg}
		}
	}
	if sums != nil {
		fd.SHA256 = sums.SHA256
	}
	w.Record(fd)
}

// hasDebs tells whether the mirror holds any package to compare: without
// one, reading a large Packages index stanza by stanza is wasted work.
func (w *work) hasDebs() bool {
	if w.debs == nil {
		found := false
		root := w.root() + "/"
		if root == "./" {
			root = ""
		}
		for p := range w.present {
			if strings.HasPrefix(p, root) && (strings.HasSuffix(p, ".deb") || strings.HasSuffix(p, ".udeb")) {
				found = true
				break
			}
		}
		w.debs = &found
	}
	return *w.debs
}
