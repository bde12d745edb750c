// Package tuftest writes small, reproducible TUF repositories with go-tuf's
// own metadata API, for tests, benchmarks and the demo: a metadata/ folder
// with root_history/ and a sibling targets/ folder, as TUF-on-CI lays them
// out. Keys derive from fixed seeds, so the same options give the same bytes.
package tuftest

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// Options shape the repository.
type Options struct {
	// Roots is the number of root versions (each rotates one root key).
	Roots int
	// Targets is the number of target files.
	Targets int
	// Threshold of root and targets (timestamp and snapshot use 1).
	Threshold int
	// Created is when version 1 was signed; roles expire Expires after it.
	Created time.Time
	Expires time.Duration
	// Delegate puts the targets under "delegated/" in a delegated role.
	Delegate bool
	// BinBits, when set, puts the targets in TAP 15 succinct hash bins
	// (bins-<hex>.json, 2^BinBits of them, every one written and listed
	// in snapshot) delegated from targets.
	BinBits int
	// ConsistentSnapshot writes targets, snapshot and bin metadata under
	// their versioned names (1.targets.json) and target files as
	// <sha256>.<name>, as a consistent-snapshot repository publishes them.
	ConsistentSnapshot bool
	// Seed varies the keys.
	Seed string
}

// Key returns the deterministic Ed25519 key number n.
func Key(seed string, n int) ed25519.PrivateKey {
	s := sha256.Sum256([]byte(fmt.Sprintf("pedigree tuftest %s key %d", seed, n)))
	return ed25519.NewKeyFromSeed(s[:])
}

type signer struct {
	priv ed25519.PrivateKey
	key  *metadata.Key
	s    signature.Signer
}

func newSigner(seed string, n int) signer {
	priv := Key(seed, n)
	k, err := metadata.KeyFromPublicKey(priv.Public())
	if err != nil {
		panic(err)
	}
	s, err := signature.LoadSigner(priv, crypto.Hash(0))
	if err != nil {
		panic(err)
	}
	return signer{priv: priv, key: k, s: s}
}

// Repo is a written repository.
type Repo struct {
	Dir string
	// RootKeys are the keys of the newest root.
	Root *metadata.Metadata[metadata.RootType]
}

// Write builds the repository under dir (created).
func Write(dir string, o Options) (*Repo, error) {
	if o.Roots < 1 {
		o.Roots = 1
	}
	if o.Threshold < 1 {
		o.Threshold = 1
	}
	if o.Expires == 0 {
		o.Expires = 365 * 24 * time.Hour
	}
	if o.Created.IsZero() {
		o.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	md := filepath.Join(dir, "metadata")
	td := filepath.Join(dir, "targets")
	for _, d := range []string{filepath.Join(md, "root_history"), td} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	exp := o.Created.Add(o.Expires)
	n := o.Threshold + 1 // keys per threshold role
	rootKeys := func(v int) []signer {
		var out []signer
		for i := range n {
			out = append(out, newSigner(o.Seed, 100+v-1+i)) // one key rotates per version
		}
		return out
	}
	online := newSigner(o.Seed, 1)
	targetKeys := []signer{}
	for i := range n {
		targetKeys = append(targetKeys, newSigner(o.Seed, 10+i))
	}
	delegateKey := newSigner(o.Seed, 50)
	var prev []signer
	var root *metadata.Metadata[metadata.RootType]
	for v := 1; v <= o.Roots; v++ {
		root = metadata.Root(exp)
		root.Signed.Version = int64(v)
		root.Signed.ConsistentSnapshot = o.ConsistentSnapshot
		ks := rootKeys(v)
		for _, k := range ks {
			if err := root.Signed.AddKey(k.key, metadata.ROOT); err != nil {
				return nil, err
			}
		}
		for _, k := range targetKeys {
			root.Signed.AddKey(k.key, metadata.TARGETS)
		}
		root.Signed.AddKey(online.key, metadata.TIMESTAMP)
		root.Signed.AddKey(online.key, metadata.SNAPSHOT)
		root.Signed.Roles[metadata.ROOT].Threshold = o.Threshold
		root.Signed.Roles[metadata.TARGETS].Threshold = o.Threshold
		// Signed by its own keys and, across a rotation, by the previous
		// root's keys too (threshold of each).
		signed := map[string]bool{}
		for _, k := range append(append([]signer{}, prev...), ks...) {
			if signed[keyID(k.key)] {
				continue
			}
			signed[keyID(k.key)] = true
			if _, err := root.Sign(k.s); err != nil {
				return nil, err
			}
		}
		if err := root.ToFile(filepath.Join(md, "root_history", fmt.Sprintf("%d.root.json", v)), true); err != nil {
			return nil, err
		}
		prev = ks
	}
	if err := root.ToFile(filepath.Join(md, "root.json"), true); err != nil {
		return nil, err
	}
	// name is where a role's metadata is written.
	name := func(role string) string {
		if o.ConsistentSnapshot && role != metadata.TIMESTAMP {
			return filepath.Join(md, "1."+role+".json")
		}
		return filepath.Join(md, role+".json")
	}
	targets := metadata.Targets(exp)
	var holder = func(string) *metadata.Metadata[metadata.TargetsType] { return targets }
	var delegated []*metadata.Metadata[metadata.TargetsType]
	var delegatedNames []string
	var delegatedSigner signer
	prefix := ""
	switch {
	case o.BinBits > 0:
		delegatedSigner = newSigner(o.Seed, 60)
		sr := &metadata.SuccinctRoles{KeyIDs: []string{keyID(delegatedSigner.key)}, Threshold: 1, BitLength: o.BinBits, NamePrefix: "bins"}
		targets.Signed.Delegations = &metadata.Delegations{Keys: map[string]*metadata.Key{keyID(delegatedSigner.key): delegatedSigner.key}, SuccinctRoles: sr}
		bins := map[string]*metadata.Metadata[metadata.TargetsType]{}
		for _, b := range sr.GetRoles() {
			bins[b] = metadata.Targets(exp)
			delegated = append(delegated, bins[b])
			delegatedNames = append(delegatedNames, b)
		}
		holder = func(p string) *metadata.Metadata[metadata.TargetsType] { return bins[sr.GetRolesForTarget(p)[0].Name] }
	case o.Delegate:
		prefix = "delegated/"
		delegatedSigner = delegateKey
		d := metadata.Targets(exp)
		targets.Signed.Delegations = &metadata.Delegations{Keys: map[string]*metadata.Key{}, Roles: []metadata.DelegatedRole{{
			Name: "delegated", KeyIDs: []string{keyID(delegateKey.key)}, Threshold: 1, Paths: []string{"delegated/*"}}}}
		targets.Signed.Delegations.Keys[keyID(delegateKey.key)] = delegateKey.key
		delegated, delegatedNames = append(delegated, d), append(delegatedNames, "delegated")
		holder = func(string) *metadata.Metadata[metadata.TargetsType] { return d }
	}
	for i := range o.Targets {
		tname := fmt.Sprintf("%sfile-%04d.txt", prefix, i)
		data := []byte(fmt.Sprintf("target %d\n", i))
		tf, err := metadata.TargetFile().FromBytes(tname, data, "sha256", "sha512")
		if err != nil {
			return nil, err
		}
		p := filepath.Join(td, filepath.FromSlash(tname))
		ps := []string{p}
		if o.ConsistentSnapshot {
			// One copy under each of its hashes: a client picks any.
			d, b := filepath.Split(p)
			ps = []string{filepath.Join(d, tf.Hashes["sha256"].String()+"."+b), filepath.Join(d, tf.Hashes["sha512"].String()+"."+b)}
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		for _, p := range ps {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				return nil, err
			}
		}
		holder(tname).Signed.Targets[tname] = tf
	}
	for _, k := range targetKeys[:o.Threshold] {
		if _, err := targets.Sign(k.s); err != nil {
			return nil, err
		}
	}
	if err := targets.ToFile(name(metadata.TARGETS), true); err != nil {
		return nil, err
	}
	snap := metadata.Snapshot(exp)
	snap.Signed.Meta["targets.json"] = metadata.MetaFile(1)
	for i, d := range delegated {
		if _, err := d.Sign(delegatedSigner.s); err != nil {
			return nil, err
		}
		if err := d.ToFile(name(delegatedNames[i]), true); err != nil {
			return nil, err
		}
		snap.Signed.Meta[delegatedNames[i]+".json"] = metadata.MetaFile(1)
	}
	snap.Sign(online.s)
	if err := snap.ToFile(name(metadata.SNAPSHOT), true); err != nil {
		return nil, err
	}
	ts := metadata.Timestamp(exp)
	ts.Signed.Meta["snapshot.json"] = metadata.MetaFile(1)
	ts.Sign(online.s)
	if err := ts.ToFile(name(metadata.TIMESTAMP), true); err != nil {
		return nil, err
	}
	return &Repo{Dir: dir, Root: root}, nil
}

// Resign replaces the signatures of a metadata file with those of the
// online key (timestamp/snapshot), after edit changed its signed part:
// tests make validly signed rollbacks and mix-and-match this way.
func Resign[T metadata.Roles](file, seed string, edit func(m *metadata.Metadata[T])) error {
	return ResignWith(file, seed, 1, edit)
}

// Key numbers of the signers Write uses, for ResignWith.
const (
	OnlineKey = 1  // timestamp and snapshot
	BinsKey   = 60 // every hash bin
)

// ResignWith is Resign with key number n (OnlineKey, BinsKey).
func ResignWith[T metadata.Roles](file, seed string, n int, edit func(m *metadata.Metadata[T])) error {
	m, err := (&metadata.Metadata[T]{}).FromFile(file)
	if err != nil {
		return err
	}
	edit(m)
	m.ClearSignatures()
	if _, err := m.Sign(newSigner(seed, n).s); err != nil {
		return err
	}
	return m.ToFile(file, true)
}

func keyID(k *metadata.Key) string {
	id, err := k.ID()
	if err != nil {
		panic(err)
	}
	return id
}
