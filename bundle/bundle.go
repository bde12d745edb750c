// Package bundle writes and verifies evidence bundles: a tar.gz holding
// every report of a run, a copy of every evidence source, and a manifest of
// each file's SHA-256. The manifest is an in-toto Statement (v1) whose
// predicate summarises the assessment, optionally signed in a DSSE envelope
// with an ECDSA, Ed25519 or ML-DSA-65 key. Verification is offline and
// names every file that differs; archives are read with hard limits.
package bundle

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"

	"github.com/pedigree-dev/pedigree/assessment"
	"github.com/pedigree-dev/pedigree/internal/outfile"
	"github.com/pedigree-dev/pedigree/reports/view"
)

// Names inside a bundle.
const (
	// ManifestName is the in-toto Statement listing every file.
	ManifestName = "manifest.json"
	// SignatureName is the DSSE envelope over the manifest's exact bytes.
	SignatureName = "manifest.dsse.json"
	// OutputsDir holds the reports of the run.
	OutputsDir = "outputs/"
	// SourcesDir holds a copy of each evidence source, by target.
	SourcesDir = "sources/"
)

// In-toto and DSSE identifiers.
const (
	StatementType = "https://in-toto.io/Statement/v1"
	PayloadType   = "application/vnd.in-toto+json"
	PredicateType = "https://github.com/pedigree-dev/pedigree/evidence-bundle/v1"
)

// Source is one evidence source to copy into the bundle.
type Source struct {
	// Target is the name of the assessed target the file lies in.
	Target string
	// Dir is the target's root folder.
	Dir string
	// Rel is the file's slash path relative to Dir.
	Rel string
	// SHA256 is the digest the evidence recorded, if any.
	SHA256 string
}

// SourcesOf lists the distinct evidence sources of a run that are files in
// its targets (online sources, URLs, are left out).
func SourcesOf(a *assessment.Assessment) []Source {
	dirs := map[string]string{}
	for _, t := range a.Targets {
		dirs[t.Name] = t.Path
	}
	seen := map[string]bool{}
	var out []Source
	for _, e := range a.Evidence {
		dir, ok := dirs[e.Target]
		if !ok || e.Source == "" || strings.Contains(e.Source, "://") {
			continue
		}
		k := e.Target + "\x00" + e.Source
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Source{Target: e.Target, Dir: dir, Rel: e.Source, SHA256: e.SHA256})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Target != out[j].Target {
			return out[i].Target < out[j].Target
		}
		return out[i].Rel < out[j].Rel
	})
	return out
}

// Statement is the manifest: an in-toto Statement v1.
type Statement struct {
	Type          string    `json:"_type"`
	Subject       []Subject `json:"subject"`
	PredicateType string    `json:"predicateType"`
	Predicate     Predicate `json:"predicate"`
}

// Subject is one file of the bundle and its digest.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// Predicate summarises the assessment the bundle carries.
type Predicate struct {
	Tool       assessment.Tool `json:"tool"`
	RunID      string          `json:"runId"`
	Title      string          `json:"title"`
	StartedAt  time.Time       `json:"startedAt"`
	FinishedAt time.Time       `json:"finishedAt"`
	Baseline   string          `json:"baseline,omitempty"`
	Profile    string          `json:"profile,omitempty"`
	Catalog    string          `json:"catalogVersion,omitempty"`
	Targets    []string        `json:"targets"`
	Verdict    string          `json:"verdict"`
	Controls   map[string]int  `json:"controls"`
	Findings   map[string]int  `json:"findings"`
	Evidence   int             `json:"evidence"`
	Outputs    []string        `json:"outputs"`
	Sources    int             `json:"sources"`
	// ChangedSources are sources whose bytes no longer match the digest the
	// evidence recorded: the bundle holds the bytes as they are now.
	ChangedSources []string `json:"changedSources,omitempty"`
	// UnavailableSources are evidence sources that could not be copied.
	UnavailableSources []string  `json:"unavailableSources,omitempty"`
	CreatedAt          time.Time `json:"createdAt"`
}

// Create writes the bundle to dst: the outputs (files written in --out) under
// outputs/, the sources under sources/<target>/, the manifest, and, when
// signer is not nil, its DSSE signature. The bundle is written to a
// temporary file and renamed into place only when complete.
func Create(ctx context.Context, dst string, outputs []string, sources []Source, a *assessment.Assessment, signer Signer) (err error) {
	tmp, err := outfile.Create(ctx, dst, 0o644, os.Stdout)
	if err != nil {
		return fmt.Errorf("bundle %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Abort()
		}
	}()
	mtime := a.FinishedAt.UTC().Truncate(time.Second)
	if mtime.IsZero() {
		mtime = time.Unix(0, 0).UTC()
	}
	gz := gzip.NewWriter(tmp)
	tw := tar.NewWriter(gz)
	st := Statement{Type: StatementType, PredicateType: PredicateType, Predicate: predicate(a)}
	names := map[string]bool{}

	add := func(name string, size int64, r io.Reader) (string, error) {
		if names[name] {
			return "", fmt.Errorf("two files would both be %s in the bundle", name)
		}
		names[name] = true
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			return "", err
		}
		h := sha256.New()
		n, err := io.Copy(tw, io.TeeReader(io.LimitReader(r, size), h))
		if err != nil {
			return "", err
		}
		if n != size {
			return "", fmt.Errorf("%s changed size while it was bundled", name)
		}
		sum := hex.EncodeToString(h.Sum(nil))
		st.Subject = append(st.Subject, Subject{Name: name, Digest: map[string]string{"sha256": sum}})
		return sum, nil
	}

	for _, p := range outputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := OutputsDir + filepath.Base(p)
		if err := addFile(p, func(size int64, r io.Reader) error { _, err := add(name, size, r); return err }); err != nil {
			return fmt.Errorf("bundle output %s: %w", p, err)
		}
		st.Predicate.Outputs = append(st.Predicate.Outputs, name)
	}
	roots := map[string]*os.Root{}
	defer func() {
		for _, r := range roots {
			if r != nil {
				r.Close()
			}
		}
	}()
	for _, s := range sources {
		if err := ctx.Err(); err != nil {
			return err
		}
		rel := path.Clean(strings.ReplaceAll(s.Rel, `\`, "/"))
		target := safeSegment(s.Target)
		name := SourcesDir + target + "/" + rel
		if checkName(name) != nil || names[name] {
			st.Predicate.UnavailableSources = append(st.Predicate.UnavailableSources, s.Target+":"+s.Rel)
			continue
		}
		root, ok := roots[s.Dir]
		if !ok {
			// A target that is gone leaves its sources unavailable.
			root, _ = os.OpenRoot(s.Dir)
			roots[s.Dir] = root
		}
		if root == nil {
			st.Predicate.UnavailableSources = append(st.Predicate.UnavailableSources, s.Target+":"+s.Rel)
			continue
		}
		var sum string
		err := openInRoot(root, rel, func(size int64, r io.Reader) error {
			var err error
			sum, err = add(name, size, r)
			return err
		})
		if errors.Is(err, errUnavailable) {
			st.Predicate.UnavailableSources = append(st.Predicate.UnavailableSources, s.Target+":"+s.Rel)
			continue
		}
		if err != nil {
			return fmt.Errorf("bundle source %s of target %s: %w", s.Rel, s.Target, err)
		}
		st.Predicate.Sources++
		if s.SHA256 != "" && !strings.EqualFold(strings.TrimPrefix(s.SHA256, "sha256:"), sum) {
			st.Predicate.ChangedSources = append(st.Predicate.ChangedSources, s.Target+":"+s.Rel)
		}
	}

	manifest, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	manifest = append(manifest, '\n')
	if err := writeMember(tw, ManifestName, manifest, mtime); err != nil {
		return err
	}
	if signer != nil {
		es, err := dsse.NewEnvelopeSigner(signer)
		if err != nil {
			return err
		}
		env, err := es.SignPayload(ctx, PayloadType, manifest)
		if err != nil {
			return fmt.Errorf("sign the manifest: %w", err)
		}
		eb, err := json.MarshalIndent(env, "", "  ")
		if err != nil {
			return err
		}
		if err := writeMember(tw, SignatureName, append(eb, '\n'), mtime); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	// Reports and bundles are for sharing: world-readable (0644).
	if err := tmp.Commit(); err != nil {
		return fmt.Errorf("bundle %w", err)
	}
	return nil
}

func writeMember(tw *tar.Writer, name string, b []byte, mtime time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

var (
	errNotRegular  = errors.New("not a regular file")
	errUnavailable = errors.New("source unavailable")
)

func addFile(p string, fn func(size int64, r io.Reader) error) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errNotRegular
	}
	return fn(fi.Size(), f)
}

// openInRoot opens rel inside root: a path or symlink that leaves the
// target, a missing file or one that is not regular is unavailable.
func openInRoot(root *os.Root, rel string, fn func(size int64, r io.Reader) error) error {
	f, err := root.Open(rel)
	if err != nil {
		return fmt.Errorf("%w: %v", errUnavailable, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %v", errUnavailable, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %v", errUnavailable, errNotRegular)
	}
	return fn(fi.Size(), f)
}

// safeSegment makes a target name one safe path element.
func safeSegment(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out == "." || out == ".." {
		out = "_" + out
	}
	return out
}

func predicate(a *assessment.Assessment) Predicate {
	s := view.Summarize(a)
	p := Predicate{
		Tool: a.Tool, RunID: a.RunID, Title: a.Title, StartedAt: a.StartedAt, FinishedAt: a.FinishedAt,
		Baseline: a.Scope.Baseline, Profile: a.Scope.ProfileTitle, Catalog: a.Scope.CatalogVersion,
		Targets: []string{}, Verdict: s.Verdict, Controls: map[string]int{}, Findings: map[string]int{},
		Evidence: len(a.Evidence), Outputs: []string{}, CreatedAt: time.Now().UTC().Truncate(time.Second),
	}
	for _, t := range a.Targets {
		p.Targets = append(p.Targets, t.Name)
	}
	for _, cs := range view.ControlStatuses {
		p.Controls[string(cs)] = s.Controls[cs]
	}
	for _, fs := range view.FindingStatuses {
		p.Findings[string(fs)] = s.Findings[fs]
	}
	return p
}
