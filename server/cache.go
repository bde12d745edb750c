package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"sync"

	"github.com/pedigree-dev/pedigree/store"
)

// reportCache keeps recently served report files in memory. A succeeded
// run's reports never change, so an entry is valid until the run is
// deleted, and report() looks the run up before it asks the cache.
type reportCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // front: most recent
	items map[reportKey]*list.Element
}

type reportKey struct {
	run    int64
	format string
}

type reportEntry struct {
	key reportKey
	f   *store.ReportFile
	// gz is the file gzipped, made on the first request that accepts it.
	gzOnce sync.Once
	gz     []byte
}

// gzipped returns the entry's bytes gzipped (nil when that does not pay).
func (e *reportEntry) gzipped() []byte {
	e.gzOnce.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		zw.Write(e.f.Data)
		zw.Close()
		if b.Len() < len(e.f.Data)*9/10 {
			e.gz = b.Bytes()
		}
	})
	return e.gz
}

func newReportCache(maxBytes int64) *reportCache {
	return &reportCache{max: maxBytes, order: list.New(), items: map[reportKey]*list.Element{}}
}

func (c *reportCache) get(run int64, format string) *reportEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[reportKey{run, format}]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*reportEntry)
	}
	return nil
}

func (c *reportCache) put(run int64, format string, f *store.ReportFile) *reportEntry {
	ent := &reportEntry{key: reportKey{run, format}, f: f}
	n := int64(len(f.Data))
	if n > c.max/4 {
		return ent // one huge report must not flush the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := ent.key
	if e, ok := c.items[k]; ok {
		return e.Value.(*reportEntry)
	}
	c.items[k] = c.order.PushFront(ent)
	c.size += n
	for c.size > c.max {
		e := c.order.Back()
		ent := e.Value.(*reportEntry)
		c.order.Remove(e)
		delete(c.items, ent.key)
		c.size -= int64(len(ent.f.Data))
	}
	return c.items[k].Value.(*reportEntry)
}

// forget drops a deleted run's reports.
func (c *reportCache) forget(run int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if k.run == run {
			c.size -= int64(len(e.Value.(*reportEntry).f.Data))
			c.order.Remove(e)
			delete(c.items, k)
		}
	}
}
