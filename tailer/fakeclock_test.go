package tailer

import (
	"sync"
	"time"
)

// fakeClock is a Clock whose time moves only by advance.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c      *fakeClock
	ch     chan time.Time
	when   time.Time
	d      time.Duration
	period time.Duration // tickers only
	armed  bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) add(d, period time.Duration) *fakeTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1), when: c.now.Add(d), d: d, period: period, armed: true}
	c.timers = append(c.timers, t)
	return t
}

func (c *fakeClock) NewTimer(d time.Duration) Timer   { return c.add(d, 0) }
func (c *fakeClock) NewTicker(d time.Duration) Ticker { return c.add(d, d) }

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

// Reset and Stop drop an undelivered tick, as Go 1.23 timers do.
func (t *fakeTimer) Reset(d time.Duration) {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.drain()
	t.armed, t.d, t.when = true, d, t.c.now.Add(d)
}

func (t *fakeTimer) Stop() {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.drain()
	t.armed = false
}

func (t *fakeTimer) drain() {
	select {
	case <-t.ch:
	default:
	}
}

// advance moves time on and fires what is due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.armed || t.when.After(c.now) {
			continue
		}
		select {
		case t.ch <- c.now:
		default:
		}
		if t.period > 0 {
			for !t.when.After(c.now) {
				t.when = t.when.Add(t.period)
			}
		} else {
			t.armed = false
		}
	}
}

// armed says whether a one-shot timer of duration d is pending.
func (c *fakeClock) armed(d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.timers {
		if t.armed && t.period == 0 && t.d == d {
			return true
		}
	}
	return false
}
