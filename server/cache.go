package server

import (
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
}

func newReportCache(maxBytes int64) *reportCache {
	return &reportCache{max: maxBytes, order: list.New(), items: map[reportKey]*list.Element{}}
}

func (c *reportCache) get(run int64, format string) *store.ReportFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[reportKey{run, format}]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*reportEntry).f
	}
	return nil
}

func (c *reportCache) put(run int64, format string, f *store.ReportFile) {
	n := int64(len(f.Data))
	if n > c.max/4 {
		return // one huge report must not flush the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := reportKey{run, format}
	if _, ok := c.items[k]; ok {
		return
	}
	c.items[k] = c.order.PushFront(&reportEntry{key: k, f: f})
	c.size += n
	for c.size > c.max {
		e := c.order.Back()
		ent := e.Value.(*reportEntry)
		c.order.Remove(e)
		delete(c.items, ent.key)
		c.size -= int64(len(ent.f.Data))
	}
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
