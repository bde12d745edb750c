// Package filechecks judges release files and the checksum lists shipped
// with them: does every digest match, does a checksum cover every release
// artifact, and is the algorithm strong enough to detect tampering.
package filechecks

import (
	"github.com/pedigree-dev/pedigree/collectors/files"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// All returns every files check.
func All() []controls.Check {
	return []controls.Check{NewChecksumMismatch(), NewChecksumUncovered(), NewChecksumWeak(), NewChecksumMalformed(), NewFileSkipped()}
}

// release is what the checks see of one target: its artifacts by path and
// its checksum lists.
type release struct {
	artifacts map[string]artifactEv
	lists     []listEv
}

type artifactEv struct {
	ev *evidence.Evidence
	a  *files.Artifact
}

type listEv struct {
	ev *evidence.Evidence
	cf *files.ChecksumFile
}

// byTarget groups the evidence per target, since checksum paths are
// relative to their own target.
func byTarget(ev []evidence.Evidence) map[string]*release {
	out := map[string]*release{}
	get := func(t string) *release {
		r := out[t]
		if r == nil {
			r = &release{artifacts: map[string]artifactEv{}}
			out[t] = r
		}
		return r
	}
	for i := range ev {
		e := &ev[i]
		switch p := e.Payload.(type) {
		case *files.Artifact:
			get(e.Target).artifacts[p.Path] = artifactEv{e, p}
		case *files.ChecksumFile:
			get(e.Target).lists = append(get(e.Target).lists, listEv{e, p})
		}
	}
	return out
}

func strong(alg string) bool {
	switch alg {
	case "sha256", "sha384", "sha512", "sha224", "sha512-256":
		return true
	}
	return false
}
