package forge

import (
	"context"
	"time"
)

// WithSleep replaces the rate-limit wait, so tests record it instead of
// spending it.
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Collector) { c.sleep = f }
}
