// Package layout verifies in-toto classic layouts with in-toto-golang: the
// layout's signature by the trusted layout keys, its expiry, every step's
// link metadata (signatures, thresholds, certificate constraints) and the
// steps' material and product rules. It never runs a layout's inspection
// commands: pedigree never runs code from what it scans. Inspections are
// reported as not assessed, and a layout with inspections is never a pass.
package layout

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	intoto "github.com/in-toto/in-toto-golang/in_toto"

	"github.com/pedigree-dev/pedigree/internal/readlimit"
	"github.com/pedigree-dev/pedigree/verify/dsse"
)

// MaxSize bounds a layout or link file.
const MaxSize = 16 << 20

// Sentinel errors.
var (
	ErrFailed = errors.New("layout verification failed")
	// ErrNotAssessed: everything pedigree checks passed but the layout has
	// inspections, which pedigree does not run.
	ErrNotAssessed = errors.New("layout not fully assessed")
)

// Step is one step's outcome.
type Step struct {
	Name      string `json:"name"`
	Threshold int    `json:"threshold"`
	// Links is the number of links whose signature verified.
	Links int `json:"links"`
	// Sublayout is true when the step is delegated to a sublayout.
	Sublayout bool `json:"sublayout,omitempty"`
}

// Result is what was verified.
type Result struct {
	Expires string `json:"expires"`
	// Signers are the layout key ids whose signature verified.
	Signers []string `json:"signers"`
	Steps   []Step   `json:"steps"`
	// Inspections lists the inspections NOT run, with their commands.
	Inspections []Inspection `json:"inspections,omitempty"`
	// DSSE is true for an envelope layout, false for a classic metablock.
	DSSE bool `json:"dsse"`
}

// Inspection is an inspection that was not run.
type Inspection struct {
	Name string   `json:"name"`
	Run  []string `json:"run"`
}

// Complete is true when nothing was left unassessed.
func (r *Result) Complete() bool { return len(r.Inspections) == 0 }

// LoadKey reads a PEM public key as an in-toto key (RSA, ECDSA, Ed25519).
func LoadKey(pemBytes []byte) (intoto.Key, error) {
	var k intoto.Key
	if err := k.LoadKeyReaderDefaults(bytes.NewReader(pemBytes)); err != nil {
		return k, fmt.Errorf("layout key: %w", err)
	}
	return k, nil
}

// Verify verifies the layout file with the given layout keys against the
// links in linkDir, at time now.
func Verify(layoutPath string, keys []intoto.Key, linkDir string, now time.Time) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%w: malformed metadata: %v", ErrFailed, r)
		}
	}()
	md, err := loadMetadata(layoutPath)
	if err != nil {
		return nil, fmt.Errorf("%w: layout %s: %v", ErrFailed, filepath.Base(layoutPath), err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no layout key given", ErrFailed)
	}
	res, _, err = verifyMetadata(md, keys, linkDir, now, 0)
	return res, err
}

func verifyMetadata(md intoto.Metadata, keys []intoto.Key, linkDir string, now time.Time, depth int) (*Result, map[string]intoto.Metadata, error) {
	res, reduced, err := verifyLayout(md, keys, linkDir, now, depth)
	return res, reduced, err
}

func verifyLayout(md intoto.Metadata, keys []intoto.Key, linkDir string, now time.Time, depth int) (*Result, map[string]intoto.Metadata, error) {
	if depth > 8 {
		return nil, nil, fmt.Errorf("%w: sublayouts nested deeper than 8", ErrFailed)
	}
	keyMap := map[string]intoto.Key{}
	for _, k := range keys {
		keyMap[k.KeyID] = k
	}
	if err := intoto.VerifyLayoutSignatures(md, keyMap); err != nil {
		return nil, nil, fmt.Errorf("%w: layout signature: %v", ErrFailed, err)
	}
	layout, ok := md.GetPayload().(intoto.Layout)
	if !ok {
		return nil, nil, fmt.Errorf("%w: the metadata is not a layout", ErrFailed)
	}
	_, isDSSE := md.(*intoto.Envelope)
	res := &Result{Expires: layout.Expires, DSSE: isDSSE}
	for _, k := range keys {
		res.Signers = append(res.Signers, k.KeyID)
	}
	exp, err := time.Parse(intoto.ISO8601DateSchema, layout.Expires)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: layout expires %q: %v", ErrFailed, layout.Expires, err)
	}
	if now.After(exp) {
		return nil, nil, fmt.Errorf("%w: layout expired on %s", ErrFailed, exp.Format(time.RFC3339))
	}
	roots, inters, err := intoto.LoadLayoutCertificates(layout, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: layout certificates: %v", ErrFailed, err)
	}
	if err := checkLinkSizes(layout, linkDir); err != nil {
		return nil, nil, err
	}
	steps, err := intoto.LoadLinksForLayout(layout, linkDir)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFailed, err)
	}
	verified, err := intoto.VerifyLinkSignatureThesholds(layout, steps, roots, inters)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFailed, err)
	}
	// Sublayouts are verified by this function (in-toto-golang's own
	// VerifySublayouts would run their inspections).
	subs := map[string]bool{}
	for stepName, links := range verified {
		for keyID, m := range links {
			if _, ok := m.GetPayload().(intoto.Layout); !ok {
				continue
			}
			subs[stepName] = true
			dir := filepath.Join(linkDir, fmt.Sprintf(intoto.SublayoutLinkDirFormat, stepName, keyID))
			sub, subReduced, err := verifyMetadata(m, []intoto.Key{layout.Keys[keyID]}, dir, now, depth+1)
			if err != nil && !errors.Is(err, ErrNotAssessed) {
				return nil, nil, fmt.Errorf("sublayout of step %s: %w", stepName, err)
			}
			if !sub.Complete() {
				res.Inspections = append(res.Inspections, sub.Inspections...)
			}
			summary, err := intoto.GetSummaryLink(m.GetPayload().(intoto.Layout), subReduced, stepName, isDSSE)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: sublayout of step %s: %v", ErrFailed, stepName, err)
			}
			links[keyID] = summary
		}
	}
	reduced, err := intoto.ReduceStepsMetadata(layout, verified)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFailed, err)
	}
	items := make([]any, len(layout.Steps))
	for i, s := range layout.Steps {
		items[i] = s
		res.Steps = append(res.Steps, Step{Name: s.Name, Threshold: s.Threshold, Links: len(verified[s.Name]), Sublayout: subs[s.Name]})
	}
	if err := intoto.VerifyArtifacts(items, reduced); err != nil {
		return nil, nil, fmt.Errorf("%w: artifact rules: %v", ErrFailed, err)
	}
	for _, in := range layout.Inspect {
		res.Inspections = append(res.Inspections, Inspection{Name: in.Name, Run: in.Run})
	}
	sort.Slice(res.Steps, func(i, j int) bool { return res.Steps[i].Name < res.Steps[j].Name })
	if !res.Complete() {
		return res, reduced, fmt.Errorf("%w: %d inspection(s) not run (%s): pedigree never runs commands from a layout",
			ErrNotAssessed, len(res.Inspections), res.Inspections[0].Name)
	}
	return res, reduced, nil
}

// checkLinkSizes refuses huge or deeply nested link files before
// in-toto-golang decodes them.
func checkLinkSizes(layout intoto.Layout, dir string) error {
	for _, s := range layout.Steps {
		files, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf(intoto.LinkGlobFormat, s.Name)))
		for _, f := range files {
			if err := checkFile(f); err != nil {
				return fmt.Errorf("%w: link %s: %v", ErrFailed, filepath.Base(f), err)
			}
		}
	}
	return nil
}

func checkFile(p string) error {
	b, err := readlimit.File(p, MaxSize)
	if err != nil {
		return err
	}
	return dsse.CheckJSON(b, MaxSize)
}

func loadMetadata(p string) (intoto.Metadata, error) {
	if err := checkFile(p); err != nil {
		return nil, err
	}
	return intoto.LoadMetadata(p)
}
