package serve

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// session is one page's workbench: its scenario, its live worlds and the
// state of its controls. mu guards every field below it.
type session struct {
	id  string
	srv *Server

	mu       sync.Mutex
	lastSeen time.Time
	limit    bucket
	streams  int
	checking bool
	closed   bool

	origin origin
	base   *scenarios.Scenario // as loaded, before any change
	sc     *scenarios.Scenario // as set now
	cfg    sim.Config
	live   *liveRun
	reps   int // live replicates
	desc   described
	gen    int // setups so far
	ver    int // changes of what the state says
	notice string

	speed   float64 // steps a second; 0 = as fast as it goes
	running bool
	stop    chan struct{} // closed to stop the runner
	notify  chan struct{} // closed and replaced at every change
}

// newID returns 128 random bits in hex.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// defaultSpeed is the steps a second of a new session.
const defaultSpeed = 50

// maxSpeed is the fastest speed a page may ask for besides 0 (as fast as
// it goes).
const maxSpeed = 10_000

// use loads scenario sc from o into the session and sets it up; on error
// the session is unchanged. The caller holds s.mu.
func (s *session) use(o origin, base, sc *scenarios.Scenario, notes []string) error {
	cfg, err := sc.Config()
	if err != nil {
		return scenarioError(err)
	}
	reps, err := s.srv.liveReplicates(&cfg)
	if err != nil {
		return err
	}
	live, err := newLiveRun(cfg, reps)
	if err != nil {
		return badRequest("%v", err)
	}
	s.pauseLocked()
	s.origin, s.base, s.sc, s.cfg, s.live, s.reps = o, base, sc, cfg, live, reps
	s.desc = describe(o, base, sc, &cfg)
	s.gen++
	s.notice = joinNotes(notes)
	s.touchLocked()
	return nil
}

func joinNotes(notes []string) string { return strings.Join(notes, "; ") }

// setup sets the worlds up again from step 0. The caller holds s.mu.
func (s *session) setupLocked() error {
	live, err := newLiveRun(s.cfg, s.reps)
	if err != nil {
		return badRequest("%v", err)
	}
	s.pauseLocked()
	s.live = live
	s.gen++
	s.touchLocked()
	return nil
}

// touchLocked tells the streams that the state changed.
func (s *session) touchLocked() {
	s.ver++
	s.kickLocked()
}

// kickLocked tells the streams that the run moved.
func (s *session) kickLocked() {
	close(s.notify)
	s.notify = make(chan struct{})
}

// pauseLocked stops the runner.
func (s *session) pauseLocked() {
	if s.stop != nil {
		close(s.stop)
		s.stop = nil
	}
	s.running = false
}

// goLocked starts the runner, unless the run is over.
func (s *session) goLocked() {
	if s.running || s.live.done || s.live.err != "" {
		return
	}
	s.running = true
	s.stop = make(chan struct{})
	go s.run(s.stop, s.live)
}

// tick is how often the runner steps.
const tick = 20 * time.Millisecond

// budget is the longest a runner holds the session's lock in one tick.
const budget = 15 * time.Millisecond

// run steps live at the session's speed until stop is closed or the run
// ends.
func (s *session) run(stop chan struct{}, live *liveRun) {
	t := time.NewTicker(tick)
	defer t.Stop()
	last := time.Now()
	carry := 0.0
	for {
		select {
		case <-stop:
			return
		case <-s.srv.done:
			return
		case <-t.C:
			s.mu.Lock()
			now := time.Now()
			if s.stop != stop || s.live != live {
				s.mu.Unlock()
				return
			}
			// Steps are due at the session's speed; those a tick cannot
			// take wait for the next, up to a quarter of a second's worth,
			// so that a slow world runs as fast as it can and a fast one
			// never bursts.
			due := math.MaxInt
			if s.speed > 0 {
				carry = min(carry+now.Sub(last).Seconds()*s.speed, max(1, s.speed/4))
				due = int(carry)
			}
			last = now
			deadline := now.Add(budget)
			n := 0
			for n < due && !live.done && live.err == "" {
				live.step()
				n++
				if time.Now().After(deadline) {
					break
				}
			}
			if s.speed > 0 {
				carry -= float64(n)
			}
			live.snapshot(time.Now(), false)
			ended := live.done || live.err != ""
			if ended {
				s.pauseLocked()
			}
			if n > 0 || ended {
				s.kickLocked()
			}
			s.mu.Unlock()
			if ended {
				return
			}
		}
	}
}

// stepLocked takes n steps at once (the step button).
func (s *session) stepLocked(n int) {
	for range n {
		s.live.step()
	}
	s.live.snapshot(time.Now(), true)
	s.kickLocked()
}

// state is what a page needs to draw its controls: the scenario, every
// key's value, and where the run is.
type state struct {
	Version    int               `json:"version"`
	Gen        int               `json:"gen"`
	Scenario   scenarioInfo      `json:"scenario"`
	Values     map[string]string `json:"values"`
	Changed    []string          `json:"changed"`
	Share      string            `json:"share"`
	ShareNote  string            `json:"share_note,omitempty"`
	Kernel     string            `json:"kernel"`
	States     int               `json:"states"`
	Steps      int               `json:"steps"`
	Replicates int               `json:"replicates"`
	Live       int               `json:"live_replicates"`
	Stride     int               `json:"stride"`
	Lattice    bool              `json:"lattice"`
	Seed       string            `json:"seed"`
	Speed      float64           `json:"speed"`
	Epsilon    float64           `json:"epsilon"`
	High       float64           `json:"high"`
	Low        float64           `json:"low"`
	Notice     string            `json:"notice,omitempty"`
	Checking   bool              `json:"checking"`
	Status     status            `json:"status"`
}

// status is where the run is.
type status struct {
	T       int    `json:"t"`
	Running bool   `json:"running"`
	Done    bool   `json:"done"`
	Error   string `json:"error,omitempty"`
	Outcome string `json:"outcome,omitempty"`
}

type scenarioInfo struct {
	Name     string      `json:"name"`
	Title    string      `json:"title"`
	Source   string      `json:"source"`
	Exercise bool        `json:"exercise"`
	What     string      `json:"what"`
	How      string      `json:"how"`
	Notice   []string    `json:"notice"`
	Try      []string    `json:"try"`
	Refs     []string    `json:"references"`
	Goals    []goalInfo  `json:"goals"`
	Events   []eventInfo `json:"events"`
}

type goalInfo struct {
	Kind string `json:"kind"` // goal | claim
	Text string `json:"text"`
	Hint string `json:"hint,omitempty"`
}

type eventInfo struct {
	Step  int    `json:"step"`
	Label string `json:"label"`
	Set   string `json:"set"`
}

// described is what the state says of a scenario: it changes only when
// the scenario or its settings do, so it is worked out then, not at every
// request.
type described struct {
	scenario  scenarioInfo
	values    map[string]string
	changed   []string
	share     string
	shareNote string
}

// describe describes scenario sc, loaded from o as base, whose
// configuration is cfg.
func describe(o origin, base, sc *scenarios.Scenario, cfg *sim.Config) described {
	_, values := resolvedValues(sc)
	sets := changed(base, sc)
	d := described{
		scenario: scenarioInfo{
			Name: sc.Name, Title: sc.Title, Source: o.source(),
			Exercise: strings.HasPrefix(o.name, "exercises/"),
			What:     sc.Info.What, How: sc.Info.How,
			Notice: nonNil(sc.Info.Notice), Try: nonNil(sc.Info.Try), Refs: nonNil(sc.Info.References),
			Goals: []goalInfo{}, Events: []eventInfo{},
		},
		values: values, changed: []string{},
	}
	d.share, d.shareNote = shareQuery(o, sets)
	for _, a := range sets {
		k, _, _ := strings.Cut(a, "=")
		d.changed = append(d.changed, k)
	}
	for _, e := range sc.Expect {
		if e.IsClaim() {
			d.scenario.Goals = append(d.scenario.Goals, goalInfo{Kind: "claim", Text: fmt.Sprintf("%s (%s of %s as %s varies over %v)", e.Claim, e.Trend, e.Metric, e.Vary, e.Values), Hint: e.Hint})
			continue
		}
		d.scenario.Goals = append(d.scenario.Goals, goalInfo{Kind: "goal", Text: goals.Describe(e), Hint: e.Hint})
	}
	for _, ev := range cfg.Events {
		d.scenario.Events = append(d.scenario.Events, eventInfo{Step: ev.Step, Label: ev.Label, Set: describeEvent(ev)})
	}
	return d
}

// stateLocked describes the session. The caller holds s.mu.
func (s *session) stateLocked() state {
	cfg, d := &s.cfg, &s.desc
	return state{
		Version: s.ver, Gen: s.gen,
		Scenario: d.scenario, Values: d.values, Changed: d.changed, Share: d.share, ShareNote: d.shareNote,
		Kernel: sim.Kernel(cfg), States: cfg.World.States, Steps: cfg.Run.Steps,
		Replicates: cfg.Run.Replicates, Live: s.reps, Stride: s.live.stride,
		Lattice: cfg.Topology.Kind == sim.TopoLattice,
		Seed:    strconv.FormatUint(cfg.Run.Seed, 10), Speed: s.speed,
		Epsilon: cfg.Convergence.Epsilon, High: cfg.Convergence.High, Low: cfg.Convergence.Low,
		Notice: s.notice, Checking: s.checking,
		Status: s.statusLocked(),
	}
}

func (s *session) statusLocked() status {
	l := s.live
	return status{T: l.t, Running: s.running, Done: l.done, Error: l.err, Outcome: l.outcome}
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// allow takes a request token; it returns an error when the session is
// over its rate.
func (s *session) allow(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastSeen = now
	ok, wait := s.limit.take(now, s.srv.opt.RequestsPerSecond, 2*s.srv.opt.RequestsPerSecond)
	if !ok {
		return &apiError{status: http.StatusTooManyRequests, retry: wait,
			msg: fmt.Sprintf("too many requests: a session may make %g a second", s.srv.opt.RequestsPerSecond)}
	}
	return nil
}

// closeLocked ends the session: its runner stops and its streams end.
func (s *session) closeLocked() {
	s.pauseLocked()
	s.closed = true
	s.touchLocked()
}
