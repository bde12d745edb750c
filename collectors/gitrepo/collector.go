// Package gitrepo reads source repositories found in a target, offline and
// read-only, with a pure-Go git: commit and tag signatures over a window of
// the default branch, and what the HEAD tree holds that matters to supply
// chain hygiene (CODEOWNERS, security policy, dependency updates,
// lockfiles, committed binaries).
package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/pedigree-dev/pedigree/collectors"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/internal/lazyre"
)

// Name is the collector's name in evidence.
const Name = "gitrepo"

// DefaultWindow is how many commits back signatures are checked.
const DefaultWindow = 1000

// Collector reads every git repository in a target.
type Collector struct {
	Trust  *Trust
	Window int
}

// New returns a collector that verifies signatures against trust.
func New(trust *Trust, window int) *Collector {
	if trust == nil {
		trust = &Trust{}
	}
	if window <= 0 {
		window = DefaultWindow
	}
	return &Collector{Trust: trust, Window: window}
}

// Name implements collectors.Collector.
func (c *Collector) Name() string { return Name }

// Collect implements collectors.Collector.
func (c *Collector) Collect(ctx context.Context, t *collectors.Target) ([]evidence.Evidence, error) {
	var out []evidence.Evidence
	for _, root := range findRepos(t) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, c.collectRepo(ctx, t, root)...)
	}
	// A cancelled read is not a finding about the repository.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// repoRoot is a repository found in the target: a .git directory, a bare
// repository (a "*.git" folder holding HEAD, config and objects), or a .git
// file (a worktree or submodule pointer), which is never followed.
type repoRoot struct {
	root    string
	gitFile bool
	bare    bool
}

func findRepos(t *collectors.Target) []repoRoot {
	seen := map[string]bool{}
	present := make(map[string]bool, len(t.Files))
	for _, f := range t.Files {
		present[f.Path] = true
	}
	var out []repoRoot
	for _, f := range t.Files {
		dir, base := path.Split(f.Path)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case base == "HEAD" && path.Base(dir) == ".git":
			root := path.Dir(dir)
			if !seen[root] {
				seen[root] = true
				out = append(out, repoRoot{root: root})
			}
		case base == "HEAD" && strings.HasSuffix(dir, ".git") && path.Base(dir) != ".git" && present[path.Join(dir, "config")]:
			if !seen[dir] {
				seen[dir] = true
				out = append(out, repoRoot{root: dir, bare: true})
			}
		case base == ".git":
			root := dir
			if root == "" {
				root = "."
			}
			if !seen[root] {
				seen[root] = true
				out = append(out, repoRoot{root: root, gitFile: true})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].root < out[j].root })
	return out
}

func (c *Collector) collectRepo(ctx context.Context, t *collectors.Target, r repoRoot) []evidence.Evidence {
	subject := evidence.Subject{Type: "repository", Ref: r.root}
	problem := func(reason string) []evidence.Evidence {
		p := &Problem{Root: r.root, Reason: reason}
		return []evidence.Evidence{t.Evidence(Name, KindProblem, path.Join(r.root, ".git"), []byte(reason), subject, p)}
	}
	if r.gitFile {
		raw, _ := t.ReadFile(path.Join(r.root, ".git"))
		return problem(fmt.Sprintf(".git is a file (%q), pointing at a repository elsewhere; pedigree does not follow it out of the target", strings.TrimSpace(clip(string(raw), 120))))
	}
	gitDir := filepath.Join(t.Dir, filepath.FromSlash(r.root), ".git")
	if r.bare {
		gitDir = filepath.Join(t.Dir, filepath.FromSlash(r.root))
	}
	if reason := oversizedMetadata(t, gitDirRel(r)); reason != "" {
		return problem(reason)
	}
	// BoundOS keeps every read, symlinks included, inside the .git folder;
	// alternates resolve against the same bound filesystem, so an
	// objects/info/alternates file cannot reach outside either.
	fs := osfs.New(gitDir, osfs.WithBoundOS())
	st := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRUDefault(), filesystem.Options{AlternatesFS: fs, LargeObjectThreshold: lazyObject})
	repo, err := git.Open(cappedStorer{Storer: st, limit: metadataLimit(t)}, nil)
	if err != nil {
		return problem("cannot open the repository: " + err.Error())
	}
	hist, headRaw, err := c.history(ctx, repo, r.root)
	if err != nil {
		return problem(err.Error())
	}
	tree, err := scanTree(ctx, repo, r.root, t.MaxFileSize)
	if err != nil {
		return problem(err.Error())
	}
	tree.Binaries = setAside(t, r.root, tree.Binaries, &tree.ExcludedBinaries,
		func(b *Binary) *string { return &b.Path }, func(b *Binary) *string { return &b.ExcludedBy })
	tree.Manifests = setAside(t, r.root, tree.Manifests, &tree.ExcludedManifests,
		func(m *Manifest) *string { return &m.Path }, func(m *Manifest) *string { return &m.ExcludedBy })
	src := path.Join(r.root, ".git", "HEAD")
	if r.bare {
		src = path.Join(r.root, "HEAD")
	}
	subject.Digest = "sha1:" + hist.Head
	return []evidence.Evidence{
		t.Evidence(Name, KindHistory, src, headRaw, subject, hist),
		t.Evidence(Name, KindTree, src, headRaw, subject, tree),
	}
}

// maxMetadata bounds the files go-git reads whole before anything else
// (config, HEAD, packed-refs, refs, index): a 300 MB config would otherwise
// take a gigabyte to parse. Objects and packs are read as needed, commits,
// trees and tags within the same limit (cappedStorer).
const maxMetadata = 64 << 20

func gitDirRel(r repoRoot) string {
	if r.bare {
		return r.root
	}
	return path.Join(r.root, ".git")
}

// oversizedMetadata names the first repository metadata file above the
// limit (the smaller of maxMetadata and the target's file size limit).
func oversizedMetadata(t *collectors.Target, gitDir string) string {
	limit := metadataLimit(t)
	prefix := gitDir + "/"
	if gitDir == "." {
		prefix = ""
	}
	for _, f := range t.Files {
		rel, ok := strings.CutPrefix(f.Path, prefix)
		if !ok || strings.HasPrefix(rel, "objects/") || f.Size <= limit {
			continue
		}
		return fmt.Sprintf("%s: %d bytes, above the %d-byte limit for repository metadata; the repository is not read", f.Path, f.Size, limit)
	}
	return ""
}

// metadataLimit is the smaller of maxMetadata and the target's file size
// limit: it bounds metadata files and commit, tree and tag objects alike.
func metadataLimit(t *collectors.Target) int64 {
	if t.MaxFileSize > 0 && t.MaxFileSize < maxMetadata {
		return t.MaxFileSize
	}
	return maxMetadata
}

var versionTag = lazyre.New(`^v?\d+(\.\d+)+([-+.][0-9A-Za-z.-]+)?$`)

func (c *Collector) history(ctx context.Context, repo *git.Repository, root string) (*History, []byte, error) {
	head, err := repo.Head()
	if err != nil {
		return nil, nil, fmt.Errorf("HEAD: %w", err)
	}
	h := &History{Root: root, Branch: head.Name().Short(), Head: head.Hash().String(), Trust: c.Trust.kinds()}
	iter, err := repo.Log(&git.LogOptions{From: head.Hash()})
	if err != nil {
		return nil, nil, fmt.Errorf("log: %w", err)
	}
	defer iter.Close()
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		cm, err := iter.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("commit history is corrupt after %d commits: %w", len(h.Commits), err)
		}
		if len(h.Commits) == c.Window {
			h.Truncated = true
			break
		}
		h.Commits = append(h.Commits, c.commitSignature(cm))
	}
	h.Window = len(h.Commits)
	h.Counts = CountSignatures(h.Commits)
	tags, err := repo.Tags()
	if err != nil {
		return nil, nil, fmt.Errorf("tags: %w", err)
	}
	err = tags.ForEach(func(ref *plumbing.Reference) error {
		h.Tags = append(h.Tags, c.tagSignature(repo, ref))
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("tags: %w", err)
	}
	sort.Slice(h.Tags, func(i, j int) bool { return h.Tags[i].Ref < h.Tags[j].Ref })
	return h, []byte(head.Name().String() + " " + head.Hash().String() + "\n"), nil
}

func (c *Collector) commitSignature(cm *object.Commit) Signature {
	var s Signature
	if cm.PGPSignature == "" {
		s = Signature{Kind: SigNone, Reason: "not signed"}
	} else {
		obj := &plumbing.MemoryObject{}
		if err := cm.EncodeWithoutSignature(obj); err != nil {
			s = Signature{Kind: signatureKind(cm.PGPSignature), Reason: "cannot encode the commit: " + err.Error()}
		} else {
			s = c.Trust.verify(cm.PGPSignature, readAll(obj), cm.Committer.When)
		}
	}
	s.Ref = cm.Hash.String()
	s.Author = cm.Author.Email
	s.When = cm.Committer.When.UTC().Format("2006-01-02T15:04:05Z")
	return s
}

func (c *Collector) tagSignature(repo *git.Repository, ref *plumbing.Reference) Signature {
	name := ref.Name().Short()
	s := Signature{Ref: name, Release: versionTag.MatchString(name)}
	tag, err := repo.TagObject(ref.Hash())
	if err != nil {
		s.Kind, s.Reason, s.Commit = SigNone, "lightweight tag: it cannot carry a signature", ref.Hash().String()
		return s
	}
	s.Annotated, s.Commit = true, tag.Target.String()
	s.Author = tag.Tagger.Email
	s.When = tag.Tagger.When.UTC().Format("2006-01-02T15:04:05Z")
	if tag.PGPSignature == "" {
		s.Kind, s.Reason = SigNone, "annotated tag without a signature"
		return s
	}
	obj := &plumbing.MemoryObject{}
	if err := tag.EncodeWithoutSignature(obj); err != nil {
		s.Kind, s.Reason = signatureKind(tag.PGPSignature), "cannot encode the tag: "+err.Error()
		return s
	}
	v := c.Trust.verify(tag.PGPSignature, readAll(obj), tag.Tagger.When)
	s.Kind, s.Verified, s.Signer, s.Reason = v.Kind, v.Verified, v.Signer, v.Reason
	s.KeyID, s.UnknownKey, s.Forge = v.KeyID, v.UnknownKey, v.Forge
	return s
}

func readAll(obj *plumbing.MemoryObject) []byte {
	r, err := obj.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	return b
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// setAside moves the items the target's exclude rules cover (a test
// fixture's .wasm, a fixture project's manifest) out of judgement, keeping
// them on record with the rule; an empty list stays nil.
func setAside[T any](t *collectors.Target, root string, items []T, excluded *[]T, rel func(*T) *string, rule func(*T) *string) []T {
	kept := items[:0]
	for _, it := range items {
		if r := t.ExcludedBy(path.Join(root, *rel(&it))); r != "" {
			*rule(&it) = r
			*excluded = append(*excluded, it)
			continue
		}
		kept = append(kept, it)
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}
