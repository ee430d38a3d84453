package serve

import (
	"sync"
	"time"
)

// bucket is a token bucket: rate tokens a second, at most burst saved.
type bucket struct {
	tokens float64
	last   time.Time
}

// take takes one token at now and reports whether there was one; when not,
// it returns how long until there is.
func (b *bucket) take(now time.Time, rate, burst float64) (bool, time.Duration) {
	if b.last.IsZero() {
		b.tokens = burst
	} else {
		b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// buckets are token buckets by key (a client's address), forgotten once
// full again.
type buckets struct {
	mu sync.Mutex
	m  map[string]*bucket
}

func (bs *buckets) take(key string, now time.Time, rate, burst float64) (bool, time.Duration) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.m == nil {
		bs.m = map[string]*bucket{}
	}
	b := bs.m[key]
	if b == nil {
		b = &bucket{}
		bs.m[key] = b
	}
	return b.take(now, rate, burst)
}

// prune forgets the buckets that have refilled by now.
func (bs *buckets) prune(now time.Time, rate, burst float64) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for k, b := range bs.m {
		if b.tokens+now.Sub(b.last).Seconds()*rate >= burst {
			delete(bs.m, k)
		}
	}
}
