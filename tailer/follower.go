package tailer

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Drain polling after a rotation starts fast, for the writes an application
// makes just after the rename, and backs off while the old file is quiet.
const (
	drainFirstPoll = 10 * time.Millisecond
	drainMaxPoll   = 250 * time.Millisecond
	// maxReported bounds the distinct problems remembered per file.
	maxReported = 16
)

// follower reads one open file in its own goroutine.
type follower struct {
	r    *run
	t    *Tailer
	file *File
	f    *os.File
	id   fileID
	path string
	wake chan struct{}

	off  int64 // next byte to read
	seen int64 // largest size seen since open or the last truncation

	resumed      bool
	resumeBeyond int64 // a resume offset past the end of the file
	orphan       bool  // rotated while the tailer was down: drain only
	reported     map[string]bool
}

func newFollower(r *run, file *File, f *os.File, id fileID) *follower {
	return &follower{
		r:    r,
		t:    r.t,
		file: file,
		f:    f,
		id:   id,
		path: file.Path,
		wake: make(chan struct{}, 1),
	}
}

// poke asks the follower to look for new data; pokes coalesce, so a burst
// of notifications costs one read-to-EOF.
func (fl *follower) poke() {
	select {
	case fl.wake <- struct{}{}:
	default:
	}
}

func (fl *follower) run(ctx context.Context) {
	t, h := fl.t, fl.t.opts.Handler
	defer fl.r.wg.Done()
	defer t.m.FilesOpen.Add(-1)
	defer fl.f.Close()

	h.Event(fl.file, Event{Kind: Opened, Offset: fl.off, Resumed: fl.resumed})
	if fl.resumeBeyond > 0 {
		t.m.Truncations.Add(1)
		t.log.Info("file shorter than its resume offset; reading from its start", "path", fl.path, "offset", fl.resumeBeyond, "size", fl.file.Info.Size())
		h.Event(fl.file, Event{Kind: Truncated, Offset: fl.resumeBeyond, Size: fl.file.Info.Size()})
	}

	var (
		idleT, drainT Timer
		idleC, drainC <-chan time.Time
		idlePending   bool
		draining      = fl.orphan
		lastData      = t.clock.Now()
		backoff       = drainFirstPoll
		finished      bool
	)
	defer func() {
		if idleT != nil {
			idleT.Stop()
		}
		if drainT != nil {
			drainT.Stop()
		}
	}()
	arm := func(tm *Timer, c *<-chan time.Time, d time.Duration) {
		if *tm == nil {
			*tm = t.clock.NewTimer(d)
			*c = (*tm).C()
			return
		}
		(*tm).Reset(d)
	}

loop:
	for {
		got := fl.readAvailable(ctx)
		if ctx.Err() != nil {
			break
		}
		now := t.clock.Now()
		if got > 0 {
			idlePending = true
			lastData = now
		}
		if !draining && fl.pathMoved() {
			// At EOF and the path names another file or none: keep
			// reading this one until it has been quiet for DrainQuiet,
			// and let Run follow whatever the path names now.
			draining = true
			lastData = now
			backoff = drainFirstPoll
			t.log.Debug("file rotated; draining", "path", fl.path, "offset", fl.off)
			select {
			case fl.r.msgs <- msg{fl: fl, release: true}:
			case <-ctx.Done():
				break loop
			}
		}
		if draining {
			quiet := now.Sub(lastData)
			if quiet >= t.opts.DrainQuiet {
				finished = true
				break
			}
			if got > 0 {
				backoff = drainFirstPoll
			} else {
				backoff = min(2*backoff, drainMaxPoll)
			}
			arm(&drainT, &drainC, min(backoff, t.opts.DrainQuiet-quiet))
		}
		if got > 0 {
			if t.opts.Idle < 0 {
				idlePending = false
				h.Event(fl.file, Event{Kind: Idle, Offset: fl.off})
			} else {
				arm(&idleT, &idleC, t.opts.Idle)
			}
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				break loop
			case <-fl.wake:
				break wait
			case <-drainC:
				break wait
			case <-idleC:
				if idlePending {
					idlePending = false
					h.Event(fl.file, Event{Kind: Idle, Offset: fl.off})
				}
			}
		}
	}

	linked := false
	if finished {
		fi, err := fl.f.Stat()
		linked = err == nil && nlinkOf(fi) > 0
		if linked {
			t.m.Rotations.Add(1)
			h.Event(fl.file, Event{Kind: Rotated, Offset: fl.off})
		} else {
			t.m.Deletions.Add(1)
			h.Event(fl.file, Event{Kind: Deleted, Offset: fl.off})
		}
	}
	h.Event(fl.file, Event{Kind: Closed, Offset: fl.off})
	if finished {
		select {
		case fl.r.msgs <- msg{fl: fl, off: fl.off, linked: linked}:
		case <-ctx.Done():
		}
	}
}

// readAvailable reads from the offset to EOF, handing each chunk on, and
// returns the bytes read. The fstat first is what detects truncation, and
// it also records how much the file held, so that bytes a truncation takes
// before they are read can be counted.
func (fl *follower) readAvailable(ctx context.Context) int64 {
	fl.t.m.ReadRounds.Add(1)
	fi, err := fl.f.Stat()
	if err != nil {
		fl.problem(err)
		return 0
	}
	if size := fi.Size(); size < fl.off {
		fl.truncated(size)
	} else if size > fl.seen {
		fl.seen = size
	}
	bp := fl.t.bufs.Get().(*[]byte)
	defer fl.t.bufs.Put(bp)
	buf := *bp
	var got int64
	for ctx.Err() == nil {
		n, err := fl.f.ReadAt(buf, fl.off)
		if n > 0 {
			fl.t.opts.Handler.Data(fl.file, fl.off, buf[:n])
			fl.off += int64(n)
			got += int64(n)
			fl.seen = max(fl.seen, fl.off)
			fl.t.m.BytesRead.Add(int64(n))
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fl.problem(err)
			break
		}
	}
	return got
}

func (fl *follower) truncated(size int64) {
	lost := max(fl.seen-fl.off, 0)
	fl.t.m.Truncations.Add(1)
	fl.t.m.LostTruncated.Add(lost)
	fl.t.log.Info("file truncated; reading from its start", "path", fl.path, "offset", fl.off, "size", size, "lost_bytes", lost)
	fl.t.opts.Handler.Event(fl.file, Event{Kind: Truncated, Offset: fl.off, Size: size, Lost: lost})
	fl.off, fl.seen = 0, size
}

// pathMoved says whether the path no longer names the open file.
func (fl *follower) pathMoved() bool {
	fi, err := os.Stat(fl.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return true
		}
		fl.problem(err)
		return false
	}
	return !os.SameFile(fi, fl.file.Info)
}

// problem reports an error with the open file once per distinct message;
// the file stays followed, since most such errors pass.
func (fl *follower) problem(err error) {
	fl.t.m.ReadErrors.Add(1)
	text := err.Error()
	if fl.reported[text] || len(fl.reported) >= maxReported {
		return
	}
	if fl.reported == nil {
		fl.reported = map[string]bool{}
	}
	fl.reported[text] = true
	fl.t.log.Warn("error following file", "path", fl.path, "err", err)
	fl.t.opts.Handler.Event(fl.file, Event{Kind: Error, Err: err})
}
