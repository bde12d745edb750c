package oscal

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Chunk marks where a run of a long array's items starts in an encoded
// document: Offset is just past the '[' or ',' before the run's first
// item, Index is that item's index in the array.
type Chunk struct {
	Offset, Index int
}

// Arrays maps the offset of a long array's '[' in an encoded document to
// the chunks its items come in, first chunk first (Offset just past the
// '[', Index 0).
type Arrays map[int][]Chunk

// splitter validates the chunks of the arrays it knows on several
// goroutines. Chunks are checked against the document as they are walked:
// each chunk's walk must end exactly where the next one starts, after as
// many items as the next one's index says; if not, the array is validated
// in one piece.
type splitter struct {
	arrays Arrays
	count  int // items in the array the last successful try validated
}

// arraysSplit counts the arrays validated in chunks (for tests).
var arraysSplit atomic.Int64

type chunkResult struct {
	probs []Problem
	end   int
	count int
	ok    bool
}

// try validates the items of the array whose '[' is at open, w being at
// its first item. It reports false, leaving w as it was, when the array is
// not known or its chunks do not match the document.
func (p *splitter) try(w *walker, items *node, open int) bool {
	chunks := p.arrays[open]
	if len(chunks) < 2 || chunks[0].Offset != open+1 || chunks[0].Index != 0 {
		return false
	}
	for k := 1; k < len(chunks); k++ {
		if chunks[k].Offset <= chunks[k-1].Offset || chunks[k].Offset > len(w.b) {
			return false
		}
	}
	results := make([]chunkResult, len(chunks))
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(chunks))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(chunks) {
					return
				}
				limit := -1
				if k+1 < len(chunks) {
					limit = chunks[k+1].Offset
				}
				results[k] = walkChunk(w, items, chunks[k], limit)
			}
		}()
	}
	wg.Wait()
	total := 0
	for k, r := range results {
		if !r.ok || chunks[k].Index != total {
			return false
		}
		total += r.count
	}
	for _, r := range results {
		w.probs = append(w.probs, r.probs...)
	}
	w.i = results[len(results)-1].end
	w.depth--
	p.count = total
	arraysSplit.Add(1)
	return true
}

// walkChunk validates the items from c.Offset up to limit (the next
// chunk's offset; -1 for the last chunk, which ends at the array's ']').
func walkChunk(parent *walker, items *node, c Chunk, limit int) chunkResult {
	w := &walker{b: parent.b, i: c.Offset, depth: parent.depth}
	w.path = append(make([]pathTok, 0, len(parent.path)+8), parent.path...)
	idx := c.Index
	for {
		w.path = append(w.path, pathTok{idx: idx})
		w.value(items)
		w.path = w.path[:len(w.path)-1]
		idx++
		if w.stopped() {
			return chunkResult{}
		}
		w.ws()
		if w.i >= len(w.b) {
			return chunkResult{}
		}
		switch w.b[w.i] {
		case ',':
			w.i++
			if limit < 0 {
				continue
			}
			if w.i == limit {
				return chunkResult{probs: w.probs, end: w.i, count: idx - c.Index, ok: true}
			}
			if w.i > limit {
				return chunkResult{}
			}
		case ']':
			if limit >= 0 {
				return chunkResult{}
			}
			w.i++
			return chunkResult{probs: w.probs, end: w.i, count: idx - c.Index, ok: true}
		default:
			return chunkResult{}
		}
	}
}
