package oscal

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	json "github.com/goccy/go-json"

	oscalschema "github.com/pedigree-dev/pedigree/oscal"
)

// A large document is encoded in pieces on every core: its long arrays
// (observations, findings, risks, inventory items, resources, POA&M items)
// in chunks of items, the rest as a skeleton in which each long array
// holds one marker item. The pieces are spliced into exactly the bytes one
// encoder would write, and the chunks tell the validator where the items
// are, so that it validates them in parallel too.

// splitMin and chunkSize: arrays of at least splitMin items are encoded
// in chunks of chunkSize items (variables for tests).
var (
	splitMin  = 1024
	chunkSize = 512
)

const indent = "  "

// longArray is one long array of the document, whose place holds a
// one-item array with a marker in the skeleton.
type longArray struct {
	n int
	// encode encodes items[lo:hi] as goccy would inside the document,
	// at the given indentation: "[\n", the items, "\n" + prefix + "]".
	encode func(lo, hi int, prefix string) ([]byte, error)

	marker string
	open   int    // offset of '[' in the skeleton
	close  int    // offset of ']' in the skeleton
	prefix string // indentation of the line holding '['
	chunks [][]byte
}

// skeleton takes a document apart (see of): the long arrays, and a
// shallow copy of the document in which each is replaced by a one-item
// array holding a marker. The document itself is not modified.
type skeleton struct {
	nonce  string
	arrays []*longArray
}

// detach returns the slice to put in the skeleton in place of *p: p
// itself, or a marker item when *p is long.
func detach[T any](sk *skeleton, p *[]T, withUUID func(string) T) *[]T {
	if p == nil || len(*p) < splitMin {
		return p
	}
	items := *p
	la := &longArray{
		n:      len(items),
		marker: fmt.Sprintf("pedigree-split-%s-%d", sk.nonce, len(sk.arrays)),
		encode: func(lo, hi int, prefix string) ([]byte, error) {
			return json.MarshalIndentWithOption(items[lo:hi], prefix, indent, json.DisableHTMLEscape())
		},
	}
	sk.arrays = append(sk.arrays, la)
	return &[]T{withUUID(la.marker)}
}

func (sk *skeleton) of(doc *types.OscalCompleteSchema) *types.OscalCompleteSchema {
	cp := *doc
	obs := func(id string) types.Observation { return types.Observation{UUID: id} }
	fin := func(id string) types.Finding { return types.Finding{UUID: id} }
	risk := func(id string) types.Risk { return types.Risk{UUID: id} }
	item := func(id string) types.InventoryItem { return types.InventoryItem{UUID: id} }
	res := func(id string) types.Resource { return types.Resource{UUID: id} }
	backMatter := func(bm *types.BackMatter) *types.BackMatter {
		if bm == nil {
			return nil
		}
		c := *bm
		c.Resources = detach(sk, c.Resources, res)
		return &c
	}
	if doc.AssessmentResults != nil {
		ar := *doc.AssessmentResults
		ar.Results = append([]types.Result(nil), ar.Results...)
		for i := range ar.Results {
			r := &ar.Results[i]
			r.Observations = detach(sk, r.Observations, obs)
			r.Findings = detach(sk, r.Findings, fin)
			r.Risks = detach(sk, r.Risks, risk)
			if r.LocalDefinitions != nil {
				ld := *r.LocalDefinitions
				ld.InventoryItems = detach(sk, ld.InventoryItems, item)
				r.LocalDefinitions = &ld
			}
		}
		ar.BackMatter = backMatter(ar.BackMatter)
		cp.AssessmentResults = &ar
	}
	if doc.PlanOfActionAndMilestones != nil {
		p := *doc.PlanOfActionAndMilestones
		p.Observations = detach(sk, p.Observations, obs)
		p.Findings = detach(sk, p.Findings, fin)
		p.Risks = detach(sk, p.Risks, risk)
		p.PoamItems = *detach(sk, &p.PoamItems, func(id string) types.PoamItem { return types.PoamItem{UUID: id} })
		if p.LocalDefinitions != nil {
			ld := *p.LocalDefinitions
			ld.InventoryItems = detach(sk, ld.InventoryItems, item)
			p.LocalDefinitions = &ld
		}
		p.BackMatter = backMatter(p.BackMatter)
		cp.PlanOfActionAndMilestones = &p
	}
	return &cp
}

func encodeWhole(doc *types.OscalCompleteSchema) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encode marshals a document as indented JSON (two spaces, no HTML
// escaping, a final newline), and returns the chunks of its long arrays.
func encode(doc *types.OscalCompleteSchema) ([]byte, oscalschema.Arrays, error) {
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, nil, err
	}
	sk := &skeleton{nonce: hex.EncodeToString(nonce[:])}
	frameDoc := sk.of(doc)
	arrays := sk.arrays
	if len(arrays) == 0 {
		b, err := encodeWhole(doc)
		return b, nil, err
	}
	frame, err := encodeWhole(frameDoc)
	if err != nil {
		return nil, nil, err
	}
	for _, la := range arrays {
		if err := la.locate(frame); err != nil {
			return nil, nil, err
		}
	}
	sort.Slice(arrays, func(i, j int) bool { return arrays[i].open < arrays[j].open })
	for k := 1; k < len(arrays); k++ {
		if arrays[k].open < arrays[k-1].close {
			return nil, nil, errors.New("long arrays overlap")
		}
	}
	if err := encodeChunks(arrays); err != nil {
		return nil, nil, err
	}

	// Lay the pieces out, then copy them on every core.
	type piece struct {
		src []byte
		at  int
	}
	var pieces []piece
	hints := oscalschema.Arrays{}
	size, last := 0, 0
	add := func(b []byte) {
		pieces = append(pieces, piece{b, size})
		size += len(b)
	}
	for _, la := range arrays {
		add(frame[last : la.open+1])
		open := size - 1
		chunks := make([]oscalschema.Chunk, 0, len(la.chunks))
		for k, c := range la.chunks {
			if k > 0 {
				add([]byte{','})
			}
			chunks = append(chunks, oscalschema.Chunk{Offset: size, Index: k * chunkSize})
			add(c)
		}
		hints[open] = chunks
		last = la.close + 1
	}
	add(frame[last:])
	out := make([]byte, size)
	parallelBlocks(len(pieces), 1, func(i int) { copy(out[pieces[i].at:], pieces[i].src) })
	return out, hints, nil
}

// locate finds the marker's array in the encoded skeleton (frame): the
// marker item holds no bracket (its other fields are zero), so the array
// is the nearest '[' before the marker and the nearest ']' after it.
func (la *longArray) locate(frame []byte) error {
	at := bytes.Index(frame, []byte(`"`+la.marker+`"`))
	if at < 0 {
		return errors.New("marker of a long array not found")
	}
	la.open = bytes.LastIndexByte(frame[:at], '[')
	end := bytes.IndexByte(frame[at:], ']')
	if la.open < 0 || end < 0 {
		return errors.New("long array not found around its marker")
	}
	la.close = at + end
	line := bytes.LastIndexByte(frame[:la.open], '\n') + 1
	ind := line
	for ind < la.open && frame[ind] == ' ' {
		ind++
	}
	la.prefix = string(frame[line:ind])
	return nil
}

// encodeChunks encodes the chunks of every long array on GOMAXPROCS
// goroutines, keeping of each chunk its items with the newlines around
// them: "\n" + items, the closing "\n" + prefix + "]" on the last one.
func encodeChunks(arrays []*longArray) error {
	type job struct {
		la     *longArray
		k      int
		lo, hi int
	}
	var jobs []job
	for _, la := range arrays {
		n := (la.n + chunkSize - 1) / chunkSize
		la.chunks = make([][]byte, n)
		for k := 0; k < n; k++ {
			jobs = append(jobs, job{la, k, k * chunkSize, min((k+1)*chunkSize, la.n)})
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan job)
	)
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				b, err := j.la.encode(j.lo, j.hi, j.la.prefix)
				closing := "\n" + j.la.prefix + "]"
				if err == nil && (!bytes.HasPrefix(b, []byte("[\n")) || !bytes.HasSuffix(b, []byte(closing))) {
					err = errors.New("unexpected form of an encoded chunk")
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					continue
				}
				b = b[1:] // keep "\n" + items
				if j.hi < j.la.n {
					b = b[:len(b)-len(closing)]
				}
				j.la.chunks[j.k] = b
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	return first
}
