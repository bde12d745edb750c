// Package apt judges Debian/apt repositories mirrored as files: a tree with
// dists/<suite>/InRelease (or Release and Release.gpg), the index files the
// Release lists, and optionally pool/. It does what apt does before it
// trusts a mirror: the Release signature against the trusted keyrings, its
// Date and Valid-Until, every index present against the Release hashes,
// and every .deb present against its Packages stanza.
package apt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
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
	CheckSourceHashes  = "DIST-APT-SOURCE-HASHES"
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
		if f.Size == 0 || f.Size > MaxReleaseSize || strings.HasSuffix(base, ".gpg") || compressed(base) {
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
	has map[string]bool // hasFiles, by kind
	// judged are the pool files compared with an index, one observation
	// each, recorded once every index has been read.
	judged map[string]*judgement
	order  []string
}

// judgement is one pool file's observation while the indexes are read:
// every stanza that names the file is compared with it, so a file that
// one index (binary-amd64) describes rightly and another (binary-arm64,
// or Sources beside Packages) wrongly fails.
type judgement struct {
	fd   *distribution.Finding
	sums map[string]string // algorithm -> hex, as computed
	size int64
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
			rel = stanza{fields: maps.Clone(s.fields), line: s.line}
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
	standIns := map[string]bool{}
	read := map[string]map[string]string{} // uncompressed name -> compression -> verified file
	for _, n := range names {
		if w.ctx.Err() != nil {
			return
		}
		switch path.Base(n) {
		case "Release", "InRelease", "Release.gpg":
			// apt never fetches the Release files through the list a
			// Release gives (apt-ftparchive lists stale copies).
			continue
		}
		p := path.Join(dir, n)
		via := ""
		if _, ok := w.present[p]; !ok {
			// apt fetches only what it needs, so a mirror may hold less;
			// a by-hash copy stands for an index whose plain name is gone.
			bh, ok := byHashCopy(w.present, dir, n, byName[n])
			if !ok {
				continue
			}
			via, p = p, bh
			standIns[bh] = true
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
		what := p
		if via != "" {
			what = fmt.Sprintf("%s (the by-hash copy of %s)", p, via)
		}
		sums, err := distribution.HashFile(w.t, p, alg)
		switch {
		case err != nil:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: %s", what, distribution.OneLine(err))
		case sums.Size != e.Size:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s is %d bytes, %s says %d", what, sums.Size, w.path, e.Size)
		case sums.Hex[alg] != e.Hash:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s %s is %s, %s says %s", what, alg, sums.Hex[alg], w.path, e.Hash)
		default:
			fd.Outcome, fd.Message = distribution.Verified, fmt.Sprintf("%s matches the %s and size %s records", what, alg, w.path)
		}
		if sums != nil {
			fd.SHA256 = sums.SHA256
		}
		w.Record(fd)
		if fd.Outcome == distribution.Verified {
			family, ext := splitCompression(n)
			if read[family] == nil {
				read[family] = map[string]string{}
			}
			read[family][ext] = p
		}
	}
	if checked == 0 && len(names) > 0 {
		w.Record(&distribution.Finding{Check: CheckIndexHashes, Subject: "Release", Outcome: distribution.NotVerified,
			Message: fmt.Sprintf("none of the %d index files %s lists is present", len(names), w.path)})
	}
	w.contents(read, byName)
	w.recordJudged()
	w.byHash(dir, standIns, byName)
}

// byHashCopy finds the by-hash copy of index n
// (<dir of n>/by-hash/<SHA256|SHA512|SHA1|MD5Sum>/<hex>), strongest first.
func byHashCopy(present map[string]collectors.File, dir, n string, es map[string]entry) (string, bool) {
	for _, hf := range hashFields {
		e, ok := es[hf.alg]
		if !ok || !isHex(e.Hash, hexLen[hf.alg]) {
			continue
		}
		p := path.Join(dir, path.Dir(n), "by-hash", hf.field, e.Hash)
		if _, ok := present[p]; ok {
			return p, true
		}
	}
	return "", false
}

// hexLen is the length of each algorithm's hex digest.
var hexLen = map[string]int{"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}

// byHashDirs maps apt's by-hash folder names to algorithms.
var byHashDirs = map[string]string{"MD5Sum": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}

func isHex(s string, n int) bool { return len(s) == n && distribution.IsLowerHex(s) }

// byHash judges every file in a by-hash folder under the Release's folder
// by its name: its content must hash to it. Copies already judged as the
// index they stand for are not judged twice.
func (w *work) byHash(dir string, judged map[string]bool, byName map[string]map[string]entry) {
	prefix := dir + "/"
	if dir == "." {
		prefix = ""
	}
	// Which Release entry each digest is, by folder: old copies that the
	// Release no longer lists are kept for clients mid-update.
	listed := map[string]string{}
	for n, es := range byName {
		for alg, e := range es {
			listed[path.Dir(n)+"\x00"+alg+"\x00"+e.Hash] = n
		}
	}
	var paths []string
	for p := range w.present {
		if strings.HasPrefix(p, prefix) && strings.Contains(p[len(prefix):], "by-hash/") && !judged[p] {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		if w.ctx.Err() != nil {
			return
		}
		rel := p[len(prefix):]
		i := strings.LastIndex("/"+rel, "/by-hash/")
		if i < 0 {
			continue
		}
		comp := rel[:max(i-1, 0)]
		if i == 0 {
			comp = "."
		}
		fd := &distribution.Finding{Check: CheckIndexHashes, Path: p, Subject: "by-hash", Related: []string{w.path}}
		parts := strings.Split(rel[i+len("by-hash/"):], "/")
		alg, known := "", false
		if len(parts) == 2 {
			alg, known = byHashDirs[parts[0]]
		}
		switch {
		case len(parts) != 2:
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: not a by-hash copy (by-hash/<algorithm>/<digest>)", p)
		case !known:
			fd.Outcome, fd.Message = distribution.NotVerified, fmt.Sprintf("%s: by-hash folder %q names no algorithm apt uses (MD5Sum, SHA1, SHA256, SHA512)", p, parts[0])
		case !isHex(parts[1], hexLen[alg]):
			fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: by-hash name %.80q is not a %s digest (%d lower-case hex digits)", p, parts[1], parts[0], hexLen[alg])
		default:
			fd.Subject = "by-hash " + parts[0] + " " + parts[1]
			sums, err := distribution.HashFile(w.t, p, alg)
			switch {
			case err != nil:
				fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: %s", p, distribution.OneLine(err))
			case sums.Hex[alg] != parts[1]:
				fd.Outcome, fd.Message = distribution.Failed, fmt.Sprintf("%s: content's %s is %s, not the digest it is named by", p, alg, sums.Hex[alg])
			default:
				fd.Outcome = distribution.Verified
				if n, ok := listed[comp+"\x00"+alg+"\x00"+parts[1]]; ok {
					fd.Message = fmt.Sprintf("%s: content hashes to its name; it is the copy of %s that %s lists", p, n, w.path)
				} else {
					fd.Message = fmt.Sprintf("%s: content hashes to its name; %s no longer lists it (an older index kept for clients mid-update)", p, w.path)
				}
				if alg == "md5" || alg == "sha1" {
					fd.Weak = []string{alg}
				}
			}
			if sums != nil {
				fd.SHA256 = sums.SHA256
			}
		}
		w.Record(fd)
	}
}

// contents reads, of every Packages and Sources index that matched the
// Release, one copy (the plain file, else a compressed one) and compares
// the packages and source files present with their stanzas.
func (w *work) contents(read map[string]map[string]string, byName map[string]map[string]entry) {
	families := make([]string, 0, len(read))
	for f := range read {
		families = append(families, f)
	}
	sort.Strings(families)
	for _, family := range families {
		var each func(index string, s stanza)
		check := CheckPackageHashes
		switch path.Base(family) {
		case "Packages":
			if !w.hasFiles("deb", isPackageFile) {
				continue
			}
			each = w.packageStanza
		case "Sources":
			if !w.hasFiles("source", isSourceFile) {
				continue
			}
			check, each = CheckSourceHashes, w.sourceStanza
		default:
			continue
		}
		for _, ext := range compressions {
			if p, ok := read[family][ext]; ok {
				w.readIndex(p, ext, family, check, byName[family], each)
				break
			}
		}
	}
}

// readIndex streams one index stanza by stanza to each. A compressed copy
// expands at most to the size the Release gives the uncompressed index
// (else MaxIndexExpanded), and its expansion is compared with that entry.
func (w *work) readIndex(p, ext, family, check string, plain map[string]entry, each func(index string, s stanza)) {
	fail := func(msg string) {
		w.Record(&distribution.Finding{Check: check, Path: p, Subject: family, Outcome: distribution.Failed, Message: msg})
	}
	f, err := w.t.Open(p)
	if err != nil {
		fail(fmt.Sprintf("%s: %s", p, distribution.OneLine(err)))
		return
	}
	defer f.Close()
	limit, bound := indexBudget, fmt.Sprintf("the %d-byte limit for an index", indexBudget)
	var want entry
	alg := ""
	for _, hf := range hashFields {
		if e, ok := plain[hf.alg]; ok && ext != "" {
			want, alg = e, hf.alg
			limit, bound = e.Size, fmt.Sprintf("the %d bytes %s gives %s", e.Size, w.path, path.Base(family))
			break
		}
	}
	r, closeR, err := decompress(ext, f, limit)
	if err != nil {
		fail(fmt.Sprintf("%s: %s", p, distribution.OneLine(err)))
		return
	}
	defer closeR()
	var h *distribution.Hasher
	if alg != "" {
		h = distribution.NewHasher(alg)
		r = io.TeeReader(r, h)
	}
	err = readStanzas(r, func(s stanza) error {
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		each(p, s)
		return nil
	})
	if err == nil && h != nil {
		_, err = io.Copy(io.Discard, r) // what follows the last stanza counts too
	}
	switch {
	case errors.Is(err, context.Canceled):
		return
	case errors.Is(err, ErrExpandedTooLarge):
		fail(fmt.Sprintf("%s expands past %s: a decompression bomb or not the index the Release lists; packages past that point were not compared", p, bound))
		return
	case err != nil:
		fail(fmt.Sprintf("%s: %s", p, distribution.OneLine(err)))
		return
	}
	if h == nil {
		return
	}
	sums := h.Sums()
	got, n := sums.Hex[alg], sums.Size
	fd := &distribution.Finding{Check: CheckIndexHashes, Path: p, Subject: family + " (expanded)", Related: []string{w.path}, SHA256: sums.SHA256}
	if n != want.Size || got != want.Hash {
		fd.Outcome = distribution.Failed
		fd.Message = fmt.Sprintf("%s expands to %d bytes with %s %s, but %s gives %s %d bytes with %s %s", p, n, alg, got, w.path, path.Base(family), want.Size, alg, want.Hash)
	} else {
		fd.Outcome = distribution.Verified
		fd.Message = fmt.Sprintf("%s expands to the %s and size %s gives %s", p, alg, w.path, path.Base(family))
	}
	w.Record(fd)
}

// inRepo joins a path an index gives to the repository root, refusing one
// that leaves it.
func (w *work) inRepo(parts ...string) (string, bool) {
	clean := path.Clean(path.Join(parts...))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", false
	}
	if root := w.root(); root != "." {
		// Both are clean, so joining needs no second Clean: this runs
		// once per stanza of a large index.
		return root + "/" + clean, true
	}
	return clean, true
}

// packageStanza compares the .deb a Packages stanza names, when present.
func (w *work) packageStanza(index string, s stanza) {
	fn := s.get("Filename")
	if fn == "" {
		return
	}
	deb, ok := w.inRepo(fn)
	if !ok {
		w.Record(&distribution.Finding{Check: CheckPackageHashes, Path: index, Subject: fn, Outcome: distribution.Failed,
			Message: fmt.Sprintf("%s line %d: Filename %q leaves the repository", index, s.line, fn)})
		return
	}
	if _, ok := w.present[deb]; !ok {
		return
	}
	want := map[string]string{}
	for _, f := range []struct{ field, alg string }{{"SHA512", "sha512"}, {"SHA256", "sha256"}, {"SHA1", "sha1"}, {"MD5sum", "md5"}} {
		if v := s.get(f.field); v != "" {
			want[f.alg] = strings.ToLower(v)
		}
	}
	size := int64(-1)
	if v := s.get("Size"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			n = -2 // matches no file: the stanza is wrong
		}
		size = n
	}
	w.compare(CheckPackageHashes, index, deb, s.get("Package")+" "+s.get("Version"), want, size, s.get("Size"))
}

// sourceFields are a Sources stanza's file lists, strongest first.
var sourceFields = []struct{ field, alg string }{
	{"Checksums-Sha512", "sha512"}, {"Checksums-Sha256", "sha256"}, {"Checksums-Sha1", "sha1"}, {"Files", "md5"},
}

// sourceStanza compares the source files (.dsc, .orig.tar.*,
// .debian.tar.*) a Sources stanza lists under its Directory, when present.
func (w *work) sourceStanza(index string, s stanza) {
	subject := s.get("Package") + " " + s.get("Version")
	dir := s.get("Directory")
	type file struct {
		size int64
		want map[string]string
	}
	files := map[string]*file{}
	var order []string
	for _, sf := range sourceFields {
		es, err := parseEntries(s.get(sf.field))
		if err != nil {
			w.Record(&distribution.Finding{Check: CheckSourceHashes, Path: index, Subject: subject, Outcome: distribution.Failed,
				Message: fmt.Sprintf("%s line %d: %s: %s", index, s.line, sf.field, distribution.OneLine(err))})
			return
		}
		for _, e := range es {
			f := files[e.Name]
			if f == nil {
				f = &file{size: e.Size, want: map[string]string{}}
				files[e.Name] = f
				order = append(order, e.Name)
			}
			if f.size != e.Size {
				f.size = -2 // two sizes for one file: the stanza is wrong
			}
			f.want[sf.alg] = e.Hash
		}
	}
	for _, name := range order {
		p, ok := w.inRepo(dir, name)
		if !ok || strings.Contains(name, "/") {
			w.Record(&distribution.Finding{Check: CheckSourceHashes, Path: index, Subject: subject, Outcome: distribution.Failed,
				Message: fmt.Sprintf("%s line %d: source file %q in Directory %q leaves its folder", index, s.line, name, dir)})
			continue
		}
		if _, ok := w.present[p]; !ok {
			continue
		}
		f := files[name]
		w.compare(CheckSourceHashes, index, p, subject, f.want, f.size, fmt.Sprint(f.size))
	}
}

// compare hashes one file an index describes with the strongest hash the
// index gives, and its size when the index gives one (size < 0: none).
// An index may list one file many times (a hostile one, millions of
// times): each file is hashed at most once per algorithm, and the
// observation stays one per file present, however long the index.
func (w *work) compare(check, index, file, subject string, want map[string]string, size int64, sizeText string) {
	j := w.judged[file]
	switch {
	case j == nil:
		j = &judgement{fd: &distribution.Finding{Check: check, Path: file, Subject: subject, Related: []string{index}},
			sums: map[string]string{}, size: -1}
		if w.judged == nil {
			w.judged = map[string]*judgement{}
		}
		w.judged[file] = j
		w.order = append(w.order, file)
	case j.fd.Outcome == distribution.Failed:
		return
	case !slices.Contains(j.fd.Related, index):
		j.fd.Related = append(j.fd.Related, index)
	}
	fd := j.fd
	alg := ""
	for _, hf := range hashFields {
		if want[hf.alg] != "" {
			alg = hf.alg
			break
		}
	}
	fail := func(msg string) { fd.Outcome, fd.Message = distribution.Failed, msg }
	if alg == "" {
		fail(fmt.Sprintf("%s: the %s stanza gives no hash", file, index))
		return
	}
	if _, ok := j.sums[alg]; !ok {
		sums, err := distribution.HashFile(w.t, file, alg)
		if err != nil {
			fail(fmt.Sprintf("%s: %s", file, distribution.OneLine(err)))
			return
		}
		j.sums[alg], j.size, fd.SHA256 = sums.Hex[alg], sums.Size, sums.SHA256
	}
	switch {
	case size != -1 && j.size != size:
		fail(fmt.Sprintf("%s is %d bytes, %s says %s", file, j.size, index, sizeText))
	case j.sums[alg] != want[alg]:
		fail(fmt.Sprintf("%s %s is %s, %s says %s", file, alg, j.sums[alg], index, want[alg]))
	default:
		// The weakest hash any stanza left the file to is what it rests on.
		if alg == "md5" || alg == "sha1" {
			fd.Weak = append(fd.Weak, alg)
			slices.Sort(fd.Weak)
			fd.Weak = slices.Compact(fd.Weak)
		}
		fd.Outcome = distribution.Verified
		algs := slices.Sorted(maps.Keys(j.sums))
		fd.Message = fmt.Sprintf("%s matches the %s and size in %s", file, strings.Join(algs, " and "), strings.Join(fd.Related, ", "))
	}
}

// recordJudged records the pool files' observations, in the order the
// indexes first named them.
func (w *work) recordJudged() {
	for _, f := range w.order {
		w.Record(w.judged[f].fd)
	}
}

func isPackageFile(p string) bool {
	return strings.HasSuffix(p, ".deb") || strings.HasSuffix(p, ".udeb") || strings.HasSuffix(p, ".ddeb")
}

func isSourceFile(p string) bool {
	b := path.Base(p)
	return strings.HasSuffix(b, ".dsc") || strings.Contains(b, ".orig.tar.") || strings.Contains(b, ".debian.tar.") || strings.HasSuffix(b, ".diff.gz")
}

func compressed(name string) bool {
	_, ext := splitCompression(name)
	return ext != ""
}

// hasFiles tells whether the mirror holds any file of a kind (named by
// key) under the repository root: without one, reading a large index
// stanza by stanza is wasted work.
func (w *work) hasFiles(key string, kind func(string) bool) bool {
	if v, ok := w.has[key]; ok {
		return v
	}
	found := false
	root := w.root() + "/"
	if root == "./" {
		root = ""
	}
	for p := range w.present {
		if strings.HasPrefix(p, root) && kind(p) {
			found = true
			break
		}
	}
	if w.has == nil {
		w.has = map[string]bool{}
	}
	w.has[key] = found
	return found
}
