// Package tuf judges TUF repositories mirrored as files: a metadata folder
// (root.json, N.root.json, root_history/, timestamp.json, snapshot.json,
// targets.json, delegated roles) with the target files in a sibling
// targets/ folder, as TUF-on-CI and python-tuf lay them out. Signatures are
// verified with go-tuf's metadata package; nothing is fetched.
package tuf

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/theupdateframework/go-tuf/v2/metadata"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/collectors/distribution"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// Name is the collector name.
const Name = "distribution-tuf"

// Check ids this collector observes for.
const (
	CheckRootChain    = "DIST-TUF-ROOT-CHAIN"
	CheckSigned       = "DIST-TUF-SIGNED"
	CheckExpiry       = "DIST-TUF-EXPIRY"
	CheckThreshold    = "DIST-TUF-THRESHOLD"
	CheckConsistent   = "DIST-TUF-CONSISTENT"
	CheckTargetsMatch = "DIST-TUF-TARGETS-MATCH"
)

// MaxMetadataSize bounds one metadata file read whole.
const MaxMetadataSize = 16 << 20

// maxDelegationDepth bounds the delegation walk (cycles are also cut).
const maxDelegationDepth = 32

// Collector finds TUF repositories in a target and observes them.
type Collector struct{ Trust *distribution.Trust }

// New returns the collector over loaded trust.
func New(t *distribution.Trust) *Collector { return &Collector{Trust: t} }

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// file is one TUF metadata file found.
type file struct {
	path    string
	raw     []byte
	typ     string
	version int64
	role    string // role name from the file name (delegated targets)
	err     error  // set for a file that looks like TUF but does not decode
	src     *distribution.Source
}

func (f *file) source() distribution.Source {
	if f.src == nil {
		s := distribution.SourceOf(f.raw)
		f.src = &s
	}
	return *f.src
}

// repo is one metadata folder.
type repo struct {
	dir   string
	roots map[int64]*file
	// current are the highest version of each non-root role by role name.
	current map[string]*file
	// versioned keeps every copy of a role (consistent-snapshot names).
	versioned map[string][]*file
	// broken are metadata files that do not decode; conflicts are two
	// different files claiming the same root version.
	broken    []*file
	conflicts [][2]*file
}

var versionedName = lazyre.New(`^([0-9]+)\.(.+)\.json$`)

// sniff reports whether a JSON file may be TUF metadata; the full decode
// decides. Signatures often come first, so "_type" may lie past the head.
func sniff(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return len(h) > 0 && h[0] == '{' && (bytes.Contains(h, []byte(`"signatures"`)) || bytes.Contains(h, []byte(`"signed"`)))
}

var roleTypes = map[string]bool{"root": true, "timestamp": true, "snapshot": true, "targets": true}

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	trust := distribution.OrDefault(c.Trust)
	repos := map[string]*repo{}
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !strings.HasSuffix(f.Path, ".json") || f.Size == 0 || f.Size > MaxMetadataSize {
			continue
		}
		head, err := distribution.Head(t, f.Path)
		if err != nil || !sniff(head) {
			continue
		}
		tt := *t
		tt.MaxFileSize = MaxMetadataSize
		raw, err := tt.ReadFile(f.Path)
		if err != nil {
			continue
		}
		var probe struct {
			Signed struct {
				Type    string `json:"_type"`
				Version int64  `json:"version"`
			} `json:"signed"`
		}
		probeErr := json.Unmarshal(raw, &probe)
		if probeErr == nil && !roleTypes[probe.Signed.Type] {
			continue // another signed JSON document
		}
		if probeErr != nil && !bytes.Contains(raw, []byte(`"_type"`)) {
			continue
		}
		dir := path.Dir(f.Path)
		if path.Base(dir) == "root_history" {
			dir = path.Dir(dir)
		}
		r := repos[dir]
		if r == nil {
			r = &repo{dir: dir, roots: map[int64]*file{}, current: map[string]*file{}, versioned: map[string][]*file{}}
			repos[dir] = r
		}
		if probeErr != nil {
			r.broken = append(r.broken, &file{path: f.Path, raw: raw, typ: strings.TrimSuffix(path.Base(f.Path), ".json"), err: probeErr})
			continue
		}
		mf := &file{path: f.Path, raw: raw, typ: probe.Signed.Type, version: probe.Signed.Version}
		base := path.Base(f.Path)
		role := strings.TrimSuffix(base, ".json")
		if m := versionedName.FindStringSubmatch(base); m != nil {
			role = m[2]
		}
		mf.role = role
		if mf.typ == "root" {
			old, ok := r.roots[mf.version]
			if ok && !bytes.Equal(canonical(old.raw), canonical(mf.raw)) {
				r.conflicts = append(r.conflicts, [2]*file{old, mf})
			}
			if !ok || len(old.path) > len(mf.path) {
				r.roots[mf.version] = mf
			}
			continue
		}
		r.versioned[role] = append(r.versioned[role], mf)
		if cur, ok := r.current[role]; !ok || mf.version > cur.version || (mf.version == cur.version && !versionedName.MatchString(base)) {
			r.current[role] = mf
		}
	}
	dirs := make([]string, 0, len(repos))
	for d := range repos {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var out []evidence.Evidence
	for _, d := range dirs {
		r := repos[d]
		if len(r.roots) == 0 || len(r.roots) == 1 && len(r.current) == 0 && len(r.broken) == 0 {
			// A lone timestamp.json, or a lone root.json kept as trust
			// material, is not a repository to judge.
			continue
		}
		w := &work{t: t, trust: trust, r: r}
		w.run()
		out = append(out, w.out...)
	}
	return out, nil
}

type work struct {
	t     *collectors.Target
	trust *distribution.Trust
	r     *repo
	out   []evidence.Evidence
	root  *metadata.Metadata[metadata.RootType]
	// snap is the verified snapshot, which must list every delegated role.
	snap *role[metadata.SnapshotType]
	// present are the target's files by path, built on first use.
	present map[string]bool
}

func (w *work) emit(f *file, fd *distribution.Finding) {
	fd.Channel = distribution.ChannelTUF
	w.trust.Stamp(fd)
	if fd.Path == "" {
		fd.Path = f.path
	}
	if fd.SHA256 == "" {
		fd.SHA256 = f.source().SHA256
	}
	w.out = append(w.out, distribution.EmitSum(w.t, Name, f.path, f.source(), fd))
}

// parse runs go-tuf's strict parser, which also refuses duplicate
// signatures; a panic on hostile input is an error, not a crash.
func parse[T metadata.Roles](b []byte) (m *metadata.Metadata[T], err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("unreadable metadata: %v", r)
		}
	}()
	return (&metadata.Metadata[T]{}).FromBytes(b)
}

func (w *work) run() {
	for _, f := range w.r.broken {
		w.emit(f, &distribution.Finding{Check: CheckSigned, Subject: f.typ, Outcome: distribution.Failed,
			Message: fmt.Sprintf("%s metadata %s does not decode: %s", f.typ, f.path, distribution.OneLine(f.err))})
	}
	for _, c := range w.r.conflicts {
		w.emit(c[1], &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Failed, Related: []string{c[0].path},
			Message: fmt.Sprintf("%s and %s both claim root version %d with different contents", c[0].path, c[1].path, c[0].version)})
		return
	}
	if !w.rootChain() {
		return
	}
	w.expiry(w.r.roots[w.root.Signed.Version], "root", w.root.Signed.Expires)
	w.thresholds()
	ts, snap, targets := w.topLevel()
	w.snap = snap
	w.consistent(ts, snap, targets)
	if targets != nil {
		w.walk(targets.meta, targets.f, "targets", nil, 0, map[string]bool{})
	}
}

// rootChain verifies every root version from the trusted one up, and sets
// w.root to the newest trusted root. It reports false when no root could
// be trusted at all.
func (w *work) rootChain() bool {
	versions := make([]int64, 0, len(w.r.roots))
	for v := range w.r.roots {
		versions = append(versions, v)
	}
	sort.Slice(versions, func(i, j int) bool { return versions[i] < versions[j] })
	first := w.r.roots[versions[0]]
	newest := w.r.roots[versions[len(versions)-1]]
	var trusted *metadata.Metadata[metadata.RootType]
	var trustedFile *file
	tofu := true
	if w.trust.TUFRoot != nil {
		pinned, err := parse[metadata.RootType](w.trust.TUFRoot)
		if err != nil {
			w.emit(first, &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Failed,
				Message: fmt.Sprintf("pinned TUF root %s does not parse: %s", w.trust.TUFRootPath, distribution.OneLine(err))})
			return false
		}
		trusted, tofu = pinned, false
		trustedFile = &file{path: w.trust.TUFRootPath, raw: w.trust.TUFRoot}
		if f, ok := w.r.roots[pinned.Signed.Version]; ok {
			trustedFile = f
			if !bytes.Equal(canonical(f.raw), canonical(w.trust.TUFRoot)) {
				w.emit(f, &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Failed,
					Message: fmt.Sprintf("root version %d in the repository differs from the pinned root %s", pinned.Signed.Version, w.trust.TUFRootPath)})
				return false
			}
		}
	} else {
		m, err := parse[metadata.RootType](first.raw)
		if err != nil {
			w.emit(first, &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Failed,
				Message: fmt.Sprintf("%s does not parse: %s", first.path, distribution.OneLine(err))})
			return false
		}
		// Trust on first use still needs the root to sign itself.
		if err := delegator(m).VerifyDelegate("root", m); err != nil {
			w.emit(first, &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Failed,
				Message: fmt.Sprintf("root version %d is not signed by a threshold of its own root keys: %s", m.Signed.Version, distribution.OneLine(err))})
			return false
		}
		trusted, trustedFile = m, first
	}
	steps := 0
	for v := trusted.Signed.Version + 1; v <= newest.version; v++ {
		f, ok := w.r.roots[v]
		if !ok {
			w.emit(trustedFile, &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Failed,
				Message: fmt.Sprintf("root version %d is missing between %d and %d: the chain cannot be followed", v, trusted.Signed.Version, newest.version)})
			return false
		}
		next, err := parse[metadata.RootType](f.raw)
		if err == nil && next.Signed.Version != v {
			err = fmt.Errorf("file claims version %d", next.Signed.Version)
		}
		if err == nil {
			if e := delegator(trusted).VerifyDelegate("root", next); e != nil {
				err = fmt.Errorf("not signed by a threshold of version %d's root keys: %s", trusted.Signed.Version, distribution.OneLine(e))
			} else if e := delegator(next).VerifyDelegate("root", next); e != nil {
				err = fmt.Errorf("not signed by a threshold of its own root keys: %s", distribution.OneLine(e))
			}
		}
		if err != nil {
			w.emit(f, &distribution.Finding{Check: CheckRootChain, Subject: fmt.Sprintf("root@%d", v), Outcome: distribution.Failed,
				Message: fmt.Sprintf("root version %d (%s): %s", v, f.path, distribution.OneLine(err))})
			return false
		}
		trusted, trustedFile = next, f
		steps++
	}
	w.root = trusted
	fd := &distribution.Finding{Check: CheckRootChain, Subject: "root", Outcome: distribution.Verified,
		Threshold: trusted.Signed.Roles["root"].Threshold, Keys: len(trusted.Signed.Roles["root"].KeyIDs)}
	from := "pinned root"
	if tofu {
		from = fmt.Sprintf("root version %d, trusted on first use (no --tuf-root pinned)", first.version)
		fd.Outcome = distribution.NotVerified
	}
	fd.Message = fmt.Sprintf("root chain verified from %s through %d version(s) to version %d, each signed by a threshold of the previous and of its own root keys", from, steps, trusted.Signed.Version)
	w.emit(trustedFile, fd)
	return true
}

// canonical compacts JSON so that a pinned root matches its copy whatever
// the indentation.
func canonical(b []byte) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}

func (w *work) expiry(f *file, role string, exp time.Time) {
	w.emit(f, &distribution.Finding{Check: CheckExpiry, Subject: role, Expires: exp,
		Message: fmt.Sprintf("%s metadata version expires %s", role, exp.UTC().Format(time.RFC3339))})
}

func (w *work) thresholds() {
	f := w.r.roots[w.root.Signed.Version]
	names := make([]string, 0, len(w.root.Signed.Roles))
	for n := range w.root.Signed.Roles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := w.root.Signed.Roles[n]
		w.emit(f, &distribution.Finding{Check: CheckThreshold, Subject: n, Threshold: r.Threshold, Keys: len(r.KeyIDs),
			Message: fmt.Sprintf("role %s: threshold %d of %d key(s)", n, r.Threshold, len(r.KeyIDs))})
	}
}

type role[T metadata.Roles] struct {
	f    *file
	meta *metadata.Metadata[T]
}

// topLevel verifies timestamp, snapshot and targets against the trusted
// root and records their expiry.
func (w *work) topLevel() (*role[metadata.TimestampType], *role[metadata.SnapshotType], *role[metadata.TargetsType]) {
	ts := load[metadata.TimestampType](w, "timestamp", w.root)
	snap := load[metadata.SnapshotType](w, "snapshot", w.root)
	tg := load[metadata.TargetsType](w, "targets", w.root)
	if ts != nil {
		w.expiry(ts.f, "timestamp", ts.meta.Signed.Expires)
	}
	if snap != nil {
		w.expiry(snap.f, "snapshot", snap.meta.Signed.Expires)
	}
	if tg != nil {
		w.expiry(tg.f, "targets", tg.meta.Signed.Expires)
	}
	return ts, snap, tg
}

// load parses the current file of a top-level role and verifies its
// signatures against the root.
func load[T metadata.Roles](w *work, name string, root *metadata.Metadata[metadata.RootType]) *role[T] {
	f, ok := w.r.current[name]
	if !ok {
		return nil
	}
	m, err := parse[T](f.raw)
	if err != nil {
		w.emit(f, &distribution.Finding{Check: CheckSigned, Subject: name, Outcome: distribution.Failed,
			Message: fmt.Sprintf("%s metadata %s does not parse: %s", name, f.path, distribution.OneLine(err))})
		return nil
	}
	fd := &distribution.Finding{Check: CheckSigned, Subject: name, Outcome: distribution.Verified,
		Message: fmt.Sprintf("%s metadata version %d is signed by a threshold of its keys in root version %d", name, f.version, root.Signed.Version)}
	if err := delegator(root).VerifyDelegate(name, m); err != nil {
		fd.Outcome = distribution.Failed
		fd.Message = fmt.Sprintf("%s metadata version %d is not signed by a threshold of its keys in root version %d: %s", name, f.version, root.Signed.Version, distribution.OneLine(err))
	}
	w.emit(f, fd)
	if fd.Outcome != distribution.Verified {
		return nil
	}
	return &role[T]{f: f, meta: m}
}

// consistent compares the versions (and lengths and hashes, where given)
// that timestamp and snapshot record with the metadata present: a
// mismatch is a rollback or a mix-and-match of metadata from different
// moments.
func (w *work) consistent(ts *role[metadata.TimestampType], snap *role[metadata.SnapshotType], tg *role[metadata.TargetsType]) {
	if ts != nil && snap != nil {
		if mf, ok := ts.meta.Signed.Meta["snapshot.json"]; ok {
			w.compareMeta(ts.f, "timestamp", "snapshot", mf, snap.f)
		}
	}
	if snap == nil {
		return
	}
	names := make([]string, 0, len(snap.meta.Signed.Meta))
	for n := range snap.meta.Signed.Meta {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		roleName := strings.TrimSuffix(n, ".json")
		if roleName == "root" {
			continue // TUF 1.0 snapshots no longer list root; old ones do
		}
		f, ok := w.r.current[roleName]
		if !ok {
			if roleName == "targets" {
				w.emit(snap.f, &distribution.Finding{Check: CheckConsistent, Subject: "targets", Outcome: distribution.NotVerified,
					Message: "snapshot lists targets.json but no targets metadata is present"})
			}
			continue
		}
		w.compareMeta(snap.f, "snapshot", roleName, snap.meta.Signed.Meta[n], f)
	}
	_ = tg
}

func (w *work) compareMeta(from *file, fromRole, name string, mf *metadata.MetaFiles, f *file) {
	fd := &distribution.Finding{Check: CheckConsistent, Subject: name, Related: []string{f.path}}
	// A consistent-snapshot repository keeps the exact version under its
	// versioned name; prefer it.
	for _, v := range w.r.versioned[name] {
		if v.version == mf.Version {
			f = v
			fd.Related = []string{v.path}
		}
	}
	switch {
	case f.version < mf.Version:
		fd.Outcome = distribution.Failed
		fd.Message = fmt.Sprintf("%s records %s version %d but %s is version %d: older metadata was served (rollback)", fromRole, name, mf.Version, f.path, f.version)
	case f.version > mf.Version:
		fd.Outcome = distribution.Failed
		fd.Message = fmt.Sprintf("%s records %s version %d but %s is version %d: metadata from different moments (mix-and-match)", fromRole, name, mf.Version, f.path, f.version)
	default:
		if err := mf.VerifyLengthHashes(f.raw); err != nil && (mf.Length != 0 || len(mf.Hashes) != 0) {
			fd.Outcome = distribution.Failed
			fd.Message = fmt.Sprintf("%s records %s version %d with another length or hash than %s: %s", fromRole, name, mf.Version, f.path, distribution.OneLine(err))
		} else {
			fd.Outcome = distribution.Verified
			fd.Message = fmt.Sprintf("%s records %s version %d, the version present", fromRole, name, mf.Version)
		}
	}
	w.emit(from, fd)
}

// pathRule says whether a delegated role may list a target path, and why
// not (nil for top-level targets, which may list any).
type pathRule func(p string) (ok bool, why string)

// pathsOf is the rule of a delegation by paths or path hash prefixes.
func pathsOf(dr *metadata.DelegatedRole, from string) pathRule {
	return func(p string) (bool, string) {
		if ok, _ := dr.IsDelegatedPath(p); ok {
			return true, ""
		}
		return false, fmt.Sprintf("outside the paths %s delegated it (%s)", from, delegatedPaths(dr))
	}
}

func delegatedPaths(dr *metadata.DelegatedRole) string {
	if len(dr.PathHashPrefixes) > 0 {
		return "path hash prefixes " + strings.Join(dr.PathHashPrefixes, " ")
	}
	return strings.Join(dr.Paths, " ")
}

// walk checks one targets role's targets and follows its delegations.
// rule is what the delegating role allowed this one (nil for top-level
// targets).
func (w *work) walk(m *metadata.Metadata[metadata.TargetsType], f *file, name string, rule pathRule, depth int, seen map[string]bool) {
	if seen[name] || depth > maxDelegationDepth {
		return
	}
	seen[name] = true
	paths := make([]string, 0, len(m.Signed.Targets))
	for p := range m.Signed.Targets {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		w.target(f, name, p, m.Signed.Targets[p], rule)
	}
	d := m.Signed.Delegations
	if d == nil {
		return
	}
	for i := range d.Roles {
		dr := &d.Roles[i]
		w.emit(f, &distribution.Finding{Check: CheckThreshold, Subject: dr.Name, Threshold: dr.Threshold, Keys: len(dr.KeyIDs),
			Message: fmt.Sprintf("delegated role %s (from %s, paths %s): threshold %d of %d key(s)", dr.Name, name, delegatedPaths(dr), dr.Threshold, len(dr.KeyIDs))})
		cf, ok := w.r.current[dr.Name]
		if !ok {
			continue
		}
		if cm := w.delegated(m, name, dr.Name, cf); cm != nil {
			w.walk(cm, cf, dr.Name, pathsOf(dr, name), depth+1, seen)
		}
	}
	if sr := d.SuccinctRoles; sr != nil {
		w.bins(m, f, name, sr, depth, seen)
	}
}

// delegated verifies a delegated role's metadata against the keys and
// threshold its delegator gives it, checks that snapshot lists it, and
// records its expiry. It returns nil when the role cannot be trusted.
func (w *work) delegated(m *metadata.Metadata[metadata.TargetsType], from, name string, cf *file) *metadata.Metadata[metadata.TargetsType] {
	cm, err := parse[metadata.TargetsType](cf.raw)
	fd := &distribution.Finding{Check: CheckSigned, Subject: name, Outcome: distribution.Verified,
		Message: fmt.Sprintf("delegated role %s version %d is signed by a threshold of the keys %s delegates to it", name, cf.version, from)}
	if err == nil && cm.Signed.Type != metadata.TARGETS {
		err = fmt.Errorf("it is %s metadata, not targets", cm.Signed.Type)
	}
	if err == nil {
		err = m.VerifyDelegate(name, cm)
	}
	if err != nil {
		fd.Outcome = distribution.Failed
		fd.Message = fmt.Sprintf("delegated role %s (%s): %s", name, cf.path, distribution.OneLine(err))
	}
	w.emit(cf, fd)
	if err != nil {
		return nil
	}
	if w.snap != nil {
		if _, ok := w.snap.meta.Signed.Meta[name+".json"]; !ok {
			w.emit(w.snap.f, &distribution.Finding{Check: CheckConsistent, Subject: name, Outcome: distribution.Failed, Related: []string{cf.path},
				Message: fmt.Sprintf("snapshot version %d does not list %s.json: a client would not load the role, and nothing pins its version", w.snap.meta.Signed.Version, name)})
		}
	}
	w.expiry(cf, name, cm.Signed.Expires)
	return cm
}

// maxBitLength is TAP 15's bound: 2^32 bins at most.
const maxBitLength = 32

// bins follows a TAP 15 succinct hash-bin delegation: every bin present
// (<name_prefix>-<hex>.json) is verified against the delegation's keys
// and threshold, and each of its targets must hash to that bin.
func (w *work) bins(m *metadata.Metadata[metadata.TargetsType], f *file, name string, sr *metadata.SuccinctRoles, depth int, seen map[string]bool) {
	subject := sr.NamePrefix + "-*"
	// go-tuf's parser refuses such a bit_length today; were it to let one
	// through, the bin arithmetic below would shift by a negative count.
	if sr.BitLength < 1 || sr.BitLength > maxBitLength {
		w.emit(f, &distribution.Finding{Check: CheckSigned, Subject: subject, Outcome: distribution.Failed,
			Message: fmt.Sprintf("%s's succinct_roles has bit_length %d, outside TAP 15's 1 to 32: no bin can be trusted", name, sr.BitLength)})
		return
	}
	width, n := sr.GetSuffixLen()
	last := fmt.Sprintf("%0*x", width, n-1)
	w.emit(f, &distribution.Finding{Check: CheckThreshold, Subject: subject, Threshold: sr.Threshold, Keys: len(sr.KeyIDs),
		Message: fmt.Sprintf("hash-bin delegation %s-%0*x to %s-%s (from %s, %d bins by the first %d bits of each target path's SHA-256): threshold %d of %d key(s)",
			sr.NamePrefix, width, 0, sr.NamePrefix, last, name, n, sr.BitLength, sr.Threshold, len(sr.KeyIDs))})
	prefix := sr.NamePrefix + "-"
	var present []string
	for role := range w.r.current {
		if strings.HasPrefix(role, prefix) {
			present = append(present, role)
		}
	}
	sort.Strings(present)
	found := 0
	for _, bin := range present {
		cf := w.r.current[bin]
		if !sr.IsDelegatedRole(bin) {
			// Named like a bin, but no target can hash to it: a file a
			// client never asks for, or one planted to look delegated.
			if distribution.IsLowerHex(bin[len(prefix):]) {
				w.emit(cf, &distribution.Finding{Check: CheckSigned, Subject: bin, Outcome: distribution.Failed,
					Message: fmt.Sprintf("%s is named like a bin of %s's hash-bin delegation but is not one: its bins are %s-%0*x to %s-%s (%d hex digits)", cf.path, name, sr.NamePrefix, width, 0, sr.NamePrefix, last, width)})
			}
			continue
		}
		found++
		if cm := w.delegated(m, name, bin, cf); cm != nil {
			w.walk(cm, cf, bin, binOf(sr, bin), depth+1, seen)
		}
	}
	if found < n {
		w.emit(f, &distribution.Finding{Check: CheckSigned, Subject: subject, Outcome: distribution.NotVerified,
			Message: fmt.Sprintf("%d of the %d bins %s delegates to (%s-%0*x to %s-%s) are present; the targets of the others cannot be judged", found, n, name, sr.NamePrefix, width, 0, sr.NamePrefix, last)})
	}
}

// binOf is the rule of one hash bin: a target belongs to the bin its
// path's SHA-256 falls in, and a client looks for it there only.
func binOf(sr *metadata.SuccinctRoles, bin string) pathRule {
	return func(p string) (bool, string) {
		r := sr.GetRolesForTarget(p)
		if len(r) == 1 && r[0].Name == bin {
			return true, ""
		}
		want := ""
		if len(r) == 1 {
			want = r[0].Name
		}
		return false, fmt.Sprintf("in the wrong bin: its path hashes to %s, where a client looks for it", want)
	}
}

// targetFiles are the copies of target p the mirror holds: under its
// plain name and, in a consistent-snapshot repository, under each of its
// hash prefixes, in a targets/ folder beside the metadata folder or inside
// it. A client fetches whichever prefix its map order gives it, so every
// copy present must match.
func (w *work) targetFiles(p string, tf *metadata.TargetFiles) []string {
	bases := []string{path.Join(path.Dir(w.r.dir), "targets"), path.Join(w.r.dir, "targets")}
	if w.present == nil {
		w.present = make(map[string]bool, len(w.t.Files))
		for _, f := range w.t.Files {
			w.present[f.Path] = true
		}
	}
	var out []string
	add := func(c string) {
		if w.present[c] && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, b := range bases {
		add(path.Join(b, p))
		dir, base := path.Split(p)
		for _, h := range sortedHashes(tf.Hashes) {
			add(path.Join(b, dir, h+"."+base))
		}
	}
	return out
}

func sortedHashes(h metadata.Hashes) []string {
	var out []string
	for _, v := range h {
		out = append(out, v.String())
	}
	sort.Strings(out)
	return out
}

func (w *work) target(f *file, roleName, p string, tf *metadata.TargetFiles, rule pathRule) {
	fd := &distribution.Finding{Check: CheckTargetsMatch, Subject: p}
	if rule != nil {
		if ok, why := rule(p); !ok {
			fd.Outcome = distribution.Failed
			fd.Message = fmt.Sprintf("delegated role %s lists target %s %s", roleName, p, why)
			w.emit(f, fd)
			return
		}
	}
	copies := w.targetFiles(p, tf)
	if len(copies) == 0 {
		fd.Outcome = distribution.NotVerified
		fd.Message = fmt.Sprintf("target %s (listed by %s) is not present in the mirror", p, roleName)
		w.emit(f, fd)
		return
	}
	fd.Related = copies
	var algs []string
	for a := range tf.Hashes {
		algs = append(algs, a)
	}
	// In name order, not map order: the message must read the same in
	// every run over the same metadata.
	sort.Strings(algs)
	known := 0
	for _, rel := range copies {
		sums, err := distribution.HashFile(w.t, rel, algs...)
		if err != nil {
			fd.Outcome = distribution.Failed
			fd.Message = fmt.Sprintf("target %s: %s", rel, distribution.OneLine(err))
			w.emit(f, fd)
			return
		}
		fd.SHA256 = sums.SHA256
		var bad []string
		if sums.Size != tf.Length {
			bad = append(bad, fmt.Sprintf("length %d, %s says %d", sums.Size, roleName, tf.Length))
		}
		known = 0
		for _, a := range algs {
			got, ok := sums.Hex[a]
			if !ok {
				continue
			}
			known++
			if got != tf.Hashes[a].String() {
				bad = append(bad, fmt.Sprintf("%s %s, %s says %s", a, got, roleName, tf.Hashes[a].String()))
			}
		}
		if len(bad) > 0 {
			fd.Outcome = distribution.Failed
			fd.Message = fmt.Sprintf("target %s does not match %s: %s", rel, roleName, strings.Join(bad, "; "))
			w.emit(f, fd)
			return
		}
	}
	rel := copies[0]
	switch n := len(copies) - 1; {
	case n == 1:
		rel += " (and its other copy, " + copies[1] + ")"
	case n > 1:
		rel = fmt.Sprintf("%s (and %d other copies)", rel, n)
	}
	if known == 0 {
		fd.Outcome = distribution.NotVerified
		fd.Message = fmt.Sprintf("target %s: %s gives no hash pedigree computes (%s)", rel, roleName, strings.Join(algs, ", "))
	} else {
		fd.Outcome = distribution.Verified
		fd.Message = fmt.Sprintf("target %s matches the length and %d hash(es) %s records", rel, known, roleName)
	}
	w.emit(f, fd)
}
