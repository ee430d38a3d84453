package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The stream: Server-Sent Events that carry what changed since the page's
// last update. Updates are built from the session when the page is ready
// for one, so a slow page gets fewer, larger updates and the server never
// queues them.

// frame is one update. A reset update replaces everything the page holds
// (a new page, a new setup); otherwise points and log entries are added
// to those it has.
type frame struct {
	Gen     int             `json:"gen"`
	Reset   bool            `json:"reset,omitempty"`
	State   *state          `json:"state,omitempty"`
	Status  status          `json:"status"`
	From    int             `json:"from"` // the index of the first point
	Points  json.RawMessage `json:"points"`
	Log     []logEntry      `json:"log,omitempty"`
	Lattice *latticeFrame   `json:"lattice,omitempty"`
	Closed  bool            `json:"closed,omitempty"`
}

// cursor is what a stream has sent.
type cursor struct {
	started          bool
	gen, ver         int
	points, seq, lat int
	status           status
}

// frameLocked returns the update that brings a page at c up to date, and
// moves c; nil when there is nothing new. The caller holds s.mu.
func (s *session) frameLocked(c *cursor) []byte {
	l := s.live
	f := frame{Gen: s.gen, Status: s.statusLocked(), Closed: s.closed}
	if !c.started || c.gen != s.gen {
		*c = cursor{started: true, gen: s.gen}
		f.Reset = true
	}
	if c.ver != s.ver || f.Reset {
		st := s.stateLocked()
		f.State = &st
		c.ver = s.ver
	}
	newPoints := len(l.points) > c.points
	var newLog []logEntry
	for _, e := range l.log {
		if e.Seq > c.seq {
			newLog = append(newLog, e)
		}
	}
	newLattice := l.lattice != nil && l.latVer != c.lat
	if !f.Reset && f.State == nil && !newPoints && newLog == nil && !newLattice && f.Status == c.status && !f.Closed {
		return nil
	}
	f.From = c.points
	b := []byte{'['}
	for i, p := range l.points[c.points:] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPoint(b, p)
	}
	f.Points = append(b, ']')
	c.points = len(l.points)
	f.Log = newLog
	if n := len(newLog); n > 0 {
		c.seq = newLog[n-1].Seq
	}
	if newLattice {
		f.Lattice = l.lattice
		c.lat = l.latVer
	}
	c.status = f.Status
	out, err := json.Marshal(f)
	if err != nil {
		return []byte(`{"error":"internal error: cannot encode an update"}`)
	}
	return out
}

// frameEvery is the shortest time between two updates of a stream (at
// most 20 a second).
const frameEvery = 50 * time.Millisecond

// heartbeat keeps an idle stream's connection open through proxies.
const heartbeat = 15 * time.Second

// maxStreams bounds the streams open on one session at once.
const maxStreams = 4

// stream sends a session's updates as Server-Sent Events ("update"
// events with a frame as data) until the page goes away, the session ends
// or the server closes.
func (srv *Server) stream(w http.ResponseWriter, r *http.Request, s *session) error {
	fl, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("the connection cannot stream")
	}
	s.mu.Lock()
	if s.streams >= maxStreams {
		s.mu.Unlock()
		return &apiError{status: http.StatusTooManyRequests, msg: fmt.Sprintf("%d streams are open on this session already, the most allowed: close another tab", maxStreams)}
	}
	s.streams++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.streams--
		s.lastSeen = time.Now()
		s.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	fl.Flush()

	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	var c cursor
	for {
		s.mu.Lock()
		msg := s.frameLocked(&c)
		notify, closed := s.notify, s.closed
		s.mu.Unlock()
		if msg != nil {
			if _, err := fmt.Fprintf(w, "event: update\ndata: %s\n\n", msg); err != nil {
				return nil
			}
			fl.Flush()
		}
		if closed {
			return nil
		}
		wait := time.NewTimer(frameEvery)
		select {
		case <-r.Context().Done():
			wait.Stop()
			return nil
		case <-srv.done:
			wait.Stop()
			return nil
		case <-wait.C:
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-srv.done:
			return nil
		case <-notify:
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return nil
			}
			fl.Flush()
		}
	}
}
