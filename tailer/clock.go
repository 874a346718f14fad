package tailer

import "time"

// Clock is the tailer's only source of time: the rescan and poll tickers,
// the per-file idle timer and the drain timer after a rotation all come from
// it, so a test can drive them.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
	NewTicker(d time.Duration) Ticker
}

// Timer is the part of *time.Timer the tailer uses.
type Timer interface {
	C() <-chan time.Time
	// Reset rearms the timer. With Go 1.23 timer semantics no stale value
	// is delivered after a Reset or Stop.
	Reset(d time.Duration)
	Stop()
}

// Ticker is the part of *time.Ticker the tailer uses.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

func (realClock) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time   { return r.t.C }
func (r realTimer) Reset(d time.Duration) { r.t.Reset(d) }
func (r realTimer) Stop()                 { r.t.Stop() }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time { return r.t.C }
func (r realTicker) Stop()               { r.t.Stop() }
