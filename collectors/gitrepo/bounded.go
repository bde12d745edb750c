package gitrepo

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// Bounds on what a repository can make pedigree read. A git object's
// header says how large it inflates to; a commit, tree or tag above
// maxObject is refused before it is inflated (blobs are only ever read
// through a size check and a limited reader). A tree is a DAG: a few
// kilobytes of trees that name the same subtree ten times at ten levels
// hold 10^10 paths, so the walk is bounded in entries and distinct trees.
const (
	// lazyObject is the size above which go-git streams an object from
	// disk instead of inflating it into memory.
	lazyObject = 1 << 20

	// MaxTreeEntries bounds the paths listed in the HEAD tree.
	MaxTreeEntries = 1_000_000
	// MaxSubtrees bounds the distinct trees read under HEAD.
	MaxSubtrees = 200_000
)

// errBudget marks a repository larger than the walk allows; it is reported
// as not-assessed with the reason.
var errBudget = errors.New("walk budget exceeded")

// cappedStorer refuses commit, tree and tag objects whose header claims
// more than limit bytes, before go-git inflates and decodes them.
type cappedStorer struct {
	storage.Storer
	limit int64
}

func (s cappedStorer) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	o, err := s.Storer.EncodedObject(t, h)
	if err != nil {
		return nil, err
	}
	if o.Type() != plumbing.BlobObject && o.Size() > s.limit {
		return nil, fmt.Errorf("%s object %s inflates to %d bytes, above the %d-byte limit", o.Type(), h, o.Size(), s.limit)
	}
	return o, nil
}

// treeFile is one non-tree entry of the HEAD tree.
type treeFile struct {
	name string
	hash plumbing.Hash
	mode filemode.FileMode
}

// walkTree lists every file under root in git's order (depth first, entries
// sorted), reading each distinct subtree once and stopping with errBudget
// past maxEntries paths or maxTrees distinct trees.
func walkTree(ctx context.Context, s storage.Storer, root *object.Tree, maxEntries, maxTrees int) ([]treeFile, error) {
	trees := map[plumbing.Hash][]object.TreeEntry{root.Hash: root.Entries}
	var out []treeFile
	entries := 0
	var walk func(prefix string, h plumbing.Hash, depth int) error
	walk = func(prefix string, h plumbing.Hash, depth int) error {
		es, ok := trees[h]
		if !ok {
			if len(trees) >= maxTrees {
				return fmt.Errorf("%w: more than %d distinct trees under HEAD", errBudget, maxTrees)
			}
			t, err := object.GetTree(s, h)
			if err != nil {
				return fmt.Errorf("tree %s (%s): %w", h, prefix, err)
			}
			es = t.Entries
			trees[h] = es
		}
		if depth > 1000 {
			return fmt.Errorf("%w: trees nested more than 1000 deep at %s", errBudget, prefix)
		}
		for _, e := range es {
			if err := ctx.Err(); err != nil {
				return err
			}
			if entries++; entries > maxEntries {
				return fmt.Errorf("%w: more than %d paths in the HEAD tree", errBudget, maxEntries)
			}
			name := e.Name // tree entry names hold no slash: no Join needed
			if prefix != "" {
				name = prefix + "/" + e.Name
			}
			if e.Mode == filemode.Dir {
				if err := walk(name, e.Hash, depth+1); err != nil {
					return err
				}
				continue
			}
			out = append(out, treeFile{name: name, hash: e.Hash, mode: e.Mode})
		}
		return nil
	}
	if err := walk("", root.Hash, 0); err != nil {
		return nil, err
	}
	return out, nil
}
