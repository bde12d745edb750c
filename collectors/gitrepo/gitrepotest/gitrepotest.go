// Package gitrepotest builds real git repositories for tests, benchmarks
// and the demo: commits and tags signed with OpenPGP or SSH keys, or not at
// all, written with the same pure-Go git the collector reads with.
package gitrepotest

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// Signer signs a commit or tag payload and returns the armored signature.
type Signer func(payload []byte) (string, error)

// Builder writes commits onto a branch of a repository on disk.
type Builder struct {
	Repo   *git.Repository
	Branch string
	head   plumbing.Hash
	when   time.Time
	files  map[string][]byte
}

// New initialises a repository in dir with branch main.
func New(dir string) (*Builder, error) { return initRepo(dir, false) }

// NewBare initialises a bare repository (no work tree) in dir: the form a
// repository can be shipped in as plain files, as the demo does.
func NewBare(dir string) (*Builder, error) { return initRepo(dir, true) }

func initRepo(dir string, bare bool) (*Builder, error) {
	r, err := git.PlainInit(dir, bare)
	if err != nil {
		return nil, err
	}
	if err := r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName("main"))); err != nil {
		return nil, err
	}
	return &Builder{Repo: r, Branch: "main", when: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), files: map[string][]byte{}}, nil
}

// Commit records the given files (added or replaced) in a new commit on
// the branch, signed by sign when it is not nil.
func (b *Builder) Commit(msg string, files map[string]string, sign Signer) (plumbing.Hash, error) {
	for p, data := range files {
		b.files[p] = []byte(data)
	}
	tree, err := b.writeTree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b.when = b.when.Add(time.Minute)
	who := object.Signature{Name: "Dev", Email: "dev@example.org", When: b.when}
	c := &object.Commit{Author: who, Committer: who, Message: msg, TreeHash: tree}
	if !b.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{b.head}
	}
	if sign != nil {
		payload := &plumbing.MemoryObject{}
		if err := c.EncodeWithoutSignature(payload); err != nil {
			return plumbing.ZeroHash, err
		}
		sig, err := sign(read(payload))
		if err != nil {
			return plumbing.ZeroHash, err
		}
		c.PGPSignature = sig
	}
	obj := b.Repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := b.Repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b.head = h
	return h, b.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(b.Branch), h))
}

// Tag creates an annotated tag at HEAD (signed when sign is not nil), or a
// lightweight one when annotated is false.
func (b *Builder) Tag(name string, annotated bool, sign Signer) error {
	if !annotated {
		return b.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name), b.head))
	}
	t := &object.Tag{Name: name, Tagger: object.Signature{Name: "Dev", Email: "dev@example.org", When: b.when},
		Message: "release " + name + "\n", TargetType: plumbing.CommitObject, Target: b.head}
	if sign != nil {
		payload := &plumbing.MemoryObject{}
		if err := t.EncodeWithoutSignature(payload); err != nil {
			return err
		}
		sig, err := sign(read(payload))
		if err != nil {
			return err
		}
		t.PGPSignature = sig
	}
	obj := b.Repo.Storer.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return err
	}
	h, err := b.Repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return err
	}
	return b.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name), h))
}

// writeTree stores the current file set as nested trees.
func (b *Builder) writeTree() (plumbing.Hash, error) {
	return b.writeDir("")
}

func (b *Builder) writeDir(prefix string) (plumbing.Hash, error) {
	entries := map[string]object.TreeEntry{}
	for p, data := range b.files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		name, _, isDir := strings.Cut(rest, "/")
		if _, done := entries[name]; done {
			continue
		}
		if isDir {
			h, err := b.writeDir(prefix + name + "/")
			if err != nil {
				return plumbing.ZeroHash, err
			}
			entries[name] = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h}
			continue
		}
		obj := b.Repo.Storer.NewEncodedObject()
		obj.SetType(plumbing.BlobObject)
		w, _ := obj.Writer()
		w.Write(data)
		w.Close()
		h, err := b.Repo.Storer.SetEncodedObject(obj)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries[name] = object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h}
	}
	t := &object.Tree{}
	for _, e := range entries {
		t.Entries = append(t.Entries, e)
	}
	sortEntries(t.Entries)
	obj := b.Repo.Storer.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return b.Repo.Storer.SetEncodedObject(obj)
}

// sortEntries orders entries as git does: by name, folders as if they
// ended in a slash.
func sortEntries(es []object.TreeEntry) {
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && key(es[j]) < key(es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func read(o *plumbing.MemoryObject) []byte {
	r, _ := o.Reader()
	b, _ := io.ReadAll(r)
	return b
}

// OpenPGPKey makes a deterministic-enough test key and returns a signer and
// the armored public keyring.
func OpenPGPKey(name string) (Signer, []byte, error) {
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@example.org", cfg)
	if err != nil {
		return nil, nil, err
	}
	var pub bytes.Buffer
	w, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := e.Serialize(w); err != nil {
		return nil, nil, err
	}
	w.Close()
	sign := func(payload []byte) (string, error) {
		var sig bytes.Buffer
		if err := openpgp.ArmoredDetachSign(&sig, e, bytes.NewReader(payload), cfg); err != nil {
			return "", err
		}
		return sig.String() + "\n", nil
	}
	return sign, pub.Bytes(), nil
}

// SSHKey makes an Ed25519 SSH signing key from a seed and returns a signer
// and an allowed_signers line for principal.
func SSHKey(seed byte, principal string) (Signer, string, error) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, "", err
	}
	line := fmt.Sprintf("%s namespaces=\"git\" %s", principal, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.PublicKey()))))
	sign := func(payload []byte) (string, error) {
		sig, err := sshsig.Sign(bytes.NewReader(payload), s, sshsig.HashSHA512, "git")
		if err != nil {
			return "", err
		}
		return string(sshsig.Armor(sig)), nil
	}
	return sign, line + "\n", nil
}
