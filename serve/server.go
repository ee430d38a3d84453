package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Options configure a Server. The zero value of each field means the
// default given in its comment.
type Options struct {
	// Scenario is the scenario a new page starts with: a shipped name, an
	// exercise ("exercises/NAME") or a file (default "baseline").
	Scenario string
	// Handout, when not nil, writes the handout of a scenario (what
	// `normsim report` writes); the page offers it for download.
	Handout func(ctx context.Context, s *scenarios.Scenario, w io.Writer) error
	// Version is the program version the page shows (default the
	// engine's, sim.Version; the command passes its own, with the build).
	Version string
	// AllowHost says whether a request's Host (without its port) may be
	// served. The default allows IP addresses and localhost only, which
	// defeats DNS rebinding against a server on a loopback address.
	AllowHost func(host string) bool
	// MaxSessions bounds the sessions kept at once (default 64).
	MaxSessions int
	// IdleTimeout ends a session after this long without a request or an
	// open stream (default 30 minutes).
	IdleTimeout time.Duration
	// RequestsPerSecond bounds each session's requests, with bursts of
	// twice as many (default 20).
	RequestsPerSecond float64
	// SessionsPerSecond bounds the sessions one client address creates,
	// with bursts of SessionBurst (defaults 1 and 60).
	SessionsPerSecond float64
	SessionBurst      float64
	// LiveReplicates bounds the replicates a page runs live (default 16);
	// MaxLiveBytes bounds their estimated memory (default 256 MiB): fewer
	// replicates run live when they would not fit, and a world that does
	// not fit alone is refused.
	LiveReplicates int
	MaxLiveBytes   float64
	// MaxCheckWork bounds a check or handout, in state-steps: states x
	// steps x replicates x variants of the claims (default 2e9, about a
	// minute on one core). CheckTimeout bounds its time (default 5
	// minutes), Checks how many run at once (default 1: each uses every
	// core), and CheckWait how long one waits for its turn (default 30 s).
	MaxCheckWork float64
	CheckTimeout time.Duration
	Checks       int
	CheckWait    time.Duration
	// Logf logs what the server does not tell the page (panics, failed
	// writes); default log.Printf.
	Logf func(format string, args ...any)
}

func (o *Options) defaults() {
	if o.Scenario == "" {
		o.Scenario = "baseline"
	}
	if o.AllowHost == nil {
		o.AllowHost = localHost
	}
	setDefault(&o.MaxSessions, 64)
	setDefault(&o.IdleTimeout, 30*time.Minute)
	setDefault(&o.RequestsPerSecond, 20)
	setDefault(&o.SessionsPerSecond, 1)
	setDefault(&o.SessionBurst, 60)
	setDefault(&o.LiveReplicates, 16)
	setDefault(&o.MaxLiveBytes, 256<<20)
	setDefault(&o.MaxCheckWork, 2e9)
	setDefault(&o.CheckTimeout, 5*time.Minute)
	setDefault(&o.Checks, 1)
	setDefault(&o.CheckWait, 30*time.Second)
	if o.Logf == nil {
		o.Logf = log.Printf
	}
}

func setDefault[T int | float64 | time.Duration](x *T, def T) {
	if *x <= 0 {
		*x = def
	}
}

// localHost allows IP addresses and localhost.
func localHost(host string) bool {
	return host == "localhost" || net.ParseIP(host) != nil
}

// Server is the workbench: an http.Handler. Close stops its sessions.
type Server struct {
	opt    Options
	mux    *http.ServeMux
	cat    *catalog
	def    origin
	params []byte // the JSON of /api/params

	mu       sync.Mutex
	sessions map[string]*session
	creates  buckets
	heavy    chan struct{}
	done     chan struct{}
	once     sync.Once
	panics   atomic.Int64
}

// New returns a workbench server. It fails when the starting scenario
// does not load.
func New(opt Options) (*Server, error) {
	opt.defaults()
	_, def, err := openArg(opt.Scenario)
	if err != nil {
		return nil, err
	}
	params, err := json.Marshal(paramGroups(opt.Handout != nil, opt.Version))
	if err != nil {
		return nil, err
	}
	srv := &Server{
		opt: opt, cat: newCatalog(), def: def, params: params,
		sessions: map[string]*session{},
		heavy:    make(chan struct{}, opt.Checks),
		done:     make(chan struct{}),
	}
	srv.routes()
	go srv.janitor()
	return srv, nil
}

// Close ends every session and stops the server's goroutines. The
// handler answers 503 afterwards.
func (srv *Server) Close() {
	srv.once.Do(func() {
		close(srv.done)
		srv.mu.Lock()
		defer srv.mu.Unlock()
		for id, s := range srv.sessions {
			s.mu.Lock()
			s.closeLocked()
			s.mu.Unlock()
			delete(srv.sessions, id)
		}
	})
}

// Sessions returns the number of sessions.
func (srv *Server) Sessions() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.sessions)
}

// janitor ends idle sessions, pauses runs nobody watches and forgets
// refilled rate buckets.
func (srv *Server) janitor() {
	every := min(srv.opt.IdleTimeout/4, time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-srv.done:
			return
		case now := <-t.C:
			srv.sweep(now)
		}
	}
}

// unwatched is how long a run goes on with no page watching it.
const unwatched = 2 * time.Minute

func (srv *Server) sweep(now time.Time) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for id, s := range srv.sessions {
		s.mu.Lock()
		idle := now.Sub(s.lastSeen)
		switch {
		case s.streams == 0 && !s.checking && idle > srv.opt.IdleTimeout:
			s.closeLocked()
			delete(srv.sessions, id)
		case s.streams == 0 && s.running && idle > unwatched:
			s.pauseLocked()
			s.touchLocked()
		}
		s.mu.Unlock()
	}
	srv.creates.prune(now, srv.opt.SessionsPerSecond, srv.opt.SessionBurst)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error: cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// maxBody bounds a request body (a scenario upload is the largest).
const maxBody = maxScenarioBytes + 16<<10

// decode reads a JSON request body into v; an empty body leaves v as it
// is. It refuses other content types, bodies over maxBody, unknown fields,
// trailing data and syntax errors, with a message that says which.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return &apiError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("request body larger than %d bytes", mb.Limit)}
		}
		return badRequest("reading the request: %v", err)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return &apiError{status: http.StatusUnsupportedMediaType, msg: fmt.Sprintf("Content-Type %q: want application/json", ct)}
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return badRequest("invalid JSON at byte %d: %v", se.Offset, err)
		case errors.As(err, &te):
			return badRequest("invalid JSON: %s is a %s, want a %s", te.Field, te.Value, te.Type)
		}
		return badRequest("invalid JSON: %v", err)
	}
	if dec.More() {
		return badRequest("invalid JSON: more than one value")
	}
	return nil
}

// ServeHTTP serves the workbench: it checks the Host, sets the security
// headers, answers unknown paths and methods with JSON errors for the API,
// and turns a panic into a 500 (and a log line) instead of a dropped
// connection.
func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			srv.panics.Add(1)
			srv.opt.Logf("normsim serve: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			srv.writeError(w, &apiError{status: http.StatusInternalServerError, msg: "internal error"})
		}
	}()
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	host := r.Host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		host = hh
	}
	host = strings.Trim(host, "[]")
	if !srv.opt.AllowHost(host) {
		srv.writeError(w, &apiError{status: http.StatusForbidden, msg: fmt.Sprintf("Host %q is not served: open the address normsim serve printed", r.Host)})
		return
	}
	select {
	case <-srv.done:
		srv.writeError(w, &apiError{status: http.StatusServiceUnavailable, msg: "the workbench is shutting down"})
		return
	default:
	}
	if _, pattern := srv.mux.Handler(r); pattern == "" {
		c := &capture{h: http.Header{}}
		srv.mux.ServeHTTP(c, r)
		if allow := c.h.Get("Allow"); allow != "" {
			h.Set("Allow", allow)
		}
		switch c.code {
		case http.StatusMethodNotAllowed:
			srv.writeError(w, &apiError{status: c.code, msg: fmt.Sprintf("%s %s: method not allowed (allowed: %s)", r.Method, r.URL.Path, c.h.Get("Allow"))})
		case http.StatusNotFound, 0:
			srv.writeError(w, &apiError{status: http.StatusNotFound, msg: fmt.Sprintf("%s: no such page or API endpoint", r.URL.Path)})
		default: // a redirect, for example of an unclean path
			for k, v := range c.h {
				h[k] = v
			}
			w.WriteHeader(c.code)
		}
		return
	}
	srv.mux.ServeHTTP(w, r)
}

// capture records what the mux's own not-found and method-not-allowed
// handlers would write.
type capture struct {
	h    http.Header
	code int
}

func (c *capture) Header() http.Header { return c.h }
func (c *capture) Write(b []byte) (int, error) {
	if c.code == 0 {
		c.code = http.StatusOK
	}
	return len(b), nil
}
func (c *capture) WriteHeader(code int) {
	if c.code == 0 {
		c.code = code
	}
}

// handler is an API handler: it writes its answer, or returns the error
// to answer with.
type handler func(w http.ResponseWriter, r *http.Request) error

func (srv *Server) api(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			srv.writeError(w, err)
		}
	}
}

// sessionHandler is an API handler of one session.
type sessionHandler func(w http.ResponseWriter, r *http.Request, s *session) error

// inSession finds the session named by the path, counts the request
// against its rate and calls h.
func (srv *Server) inSession(h sessionHandler) http.HandlerFunc {
	return srv.api(func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		srv.mu.Lock()
		s := srv.sessions[id]
		srv.mu.Unlock()
		if s == nil {
			return &apiError{status: http.StatusNotFound, msg: fmt.Sprintf("no session %q: it ended, or expired after %s without use; reload the page for a new one", clip(id, 40), srv.opt.IdleTimeout)}
		}
		if err := s.allow(time.Now()); err != nil {
			return err
		}
		return h(w, r, s)
	})
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func (srv *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", srv.index)
	m.HandleFunc("GET /static/{file}", srv.static)
	m.HandleFunc("GET /api/params", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(srv.params)
	})
	m.HandleFunc("GET /api/scenarios", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, srv.cat)
	})
	m.HandleFunc("POST /api/session", srv.api(srv.create))
	m.HandleFunc("GET /api/s/{id}/state", srv.inSession(srv.getState))
	m.HandleFunc("POST /api/s/{id}/load", srv.inSession(srv.load))
	m.HandleFunc("POST /api/s/{id}/set", srv.inSession(srv.set))
	m.HandleFunc("POST /api/s/{id}/setup", srv.inSession(srv.control))
	m.HandleFunc("POST /api/s/{id}/go", srv.inSession(srv.control))
	m.HandleFunc("POST /api/s/{id}/pause", srv.inSession(srv.control))
	m.HandleFunc("POST /api/s/{id}/step", srv.inSession(srv.control))
	m.HandleFunc("POST /api/s/{id}/speed", srv.inSession(srv.control))
	m.HandleFunc("GET /api/s/{id}/stream", srv.inSession(srv.stream))
	m.HandleFunc("POST /api/s/{id}/check", srv.inSession(srv.check))
	m.HandleFunc("GET /api/s/{id}/scenario.toml", srv.inSession(srv.download))
	m.HandleFunc("GET /api/s/{id}/handout.html", srv.inSession(srv.handout))
	m.HandleFunc("POST /api/s/{id}/close", srv.inSession(srv.closeSession))
	srv.mux = m
}

// liveReplicates is how many of cfg's replicates a page runs live.
func (srv *Server) liveReplicates(cfg *sim.Config) (int, error) {
	per := worldBytes(cfg)
	n := min(cfg.Run.Replicates, srv.opt.LiveReplicates)
	if fit := srv.opt.MaxLiveBytes / per; fit < float64(n) {
		n = int(fit)
	}
	if n < 1 {
		return 0, &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf(
			"world.states = %d (topology %s): one world needs about %.0f MB, more than the workbench runs (%.0f MB); make it smaller, or run it with normsim run",
			cfg.World.States, cfg.Topology.Kind, per/(1<<20), srv.opt.MaxLiveBytes/(1<<20))}
	}
	return n, nil
}

// create starts a session from a load request (none: the starting
// scenario).
func (srv *Server) create(w http.ResponseWriter, r *http.Request) error {
	now := time.Now()
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	if ok, wait := srv.creates.take(addr, now, srv.opt.SessionsPerSecond, srv.opt.SessionBurst); !ok {
		return &apiError{status: http.StatusTooManyRequests, retry: wait,
			msg: fmt.Sprintf("too many new sessions from %s: at most %g a second", addr, srv.opt.SessionsPerSecond)}
	}
	var req loadRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	base, sc, o, notes, err := srv.cat.load(req, srv.def)
	if err != nil {
		return err
	}
	s := &session{id: newID(), srv: srv, lastSeen: now, speed: defaultSpeed, notify: make(chan struct{})}
	s.mu.Lock()
	err = s.use(o, base, sc, notes)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	srv.mu.Lock()
	if len(srv.sessions) >= srv.opt.MaxSessions {
		srv.mu.Unlock()
		srv.sweep(now)
		srv.mu.Lock()
	}
	if len(srv.sessions) >= srv.opt.MaxSessions {
		srv.mu.Unlock()
		return &apiError{status: http.StatusServiceUnavailable, retry: time.Minute,
			msg: fmt.Sprintf("the workbench holds %d sessions, as many as it keeps: try again when one has ended (after %s without use)", srv.opt.MaxSessions, srv.opt.IdleTimeout)}
	}
	srv.sessions[s.id] = s
	srv.mu.Unlock()
	s.mu.Lock()
	st := s.stateLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, struct {
		ID    string `json:"id"`
		State state  `json:"state"`
	}{s.id, st})
	return nil
}

func (srv *Server) getState(w http.ResponseWriter, r *http.Request, s *session) error {
	s.mu.Lock()
	st := s.stateLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
	return nil
}

// load replaces the session's scenario.
func (srv *Server) load(w http.ResponseWriter, r *http.Request, s *session) error {
	var req loadRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Scenario == "" && req.TOML == "" && req.TOMLZ == "" {
		return badRequest("give a scenario: {\"scenario\": NAME}, {\"toml\": TEXT, \"file\": NAME} or {\"toml_z\": LINK}")
	}
	base, sc, o, notes, err := srv.cat.load(req, srv.def)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.use(o, base, sc, notes); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.stateLocked())
	return nil
}

// set changes settings: {"set": ["key=value", ...]}, all checked together;
// the worlds are set up again.
func (srv *Server) set(w http.ResponseWriter, r *http.Request, s *session) error {
	var req struct {
		Set []string `json:"set"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if len(req.Set) == 0 {
		return badRequest("give settings to change: {\"set\": [\"key=value\", ...]}")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.sc.Clone()
	notes, err := applySets(sc, "set", req.Set)
	if err != nil {
		return err
	}
	if err := s.use(s.origin, s.base, sc, notes); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.stateLocked())
	return nil
}

// control is setup, go, pause, step ({"steps": n}) and speed ({"speed":
// steps a second, 0 = as fast as it goes}).
func (srv *Server) control(w http.ResponseWriter, r *http.Request, s *session) error {
	var req struct {
		Steps *int     `json:"steps"`
		Speed *float64 `json:"speed"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	action := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if req.Steps != nil && action != "step" || req.Speed != nil && action != "speed" {
		return badRequest("%s takes no steps or speed", action)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	over := func() error {
		if s.live.err != "" {
			return &apiError{status: http.StatusConflict, msg: "the run stopped (" + s.live.err + "): press setup to start again"}
		}
		return &apiError{status: http.StatusConflict, msg: fmt.Sprintf("the run is over (step %d of %d): press setup to start again", s.live.t, s.cfg.Run.Steps)}
	}
	switch action {
	case "setup":
		if err := s.setupLocked(); err != nil {
			return err
		}
	case "go":
		if s.live.done || s.live.err != "" {
			return over()
		}
		s.goLocked()
		s.kickLocked()
	case "pause":
		s.pauseLocked()
		s.kickLocked()
	case "step":
		n := 1
		if req.Steps != nil {
			n = *req.Steps
		}
		if n < 1 || n > maxStepsAtOnce {
			return badRequest("steps = %d: want 1 <= steps <= %d", n, maxStepsAtOnce)
		}
		if s.live.done || s.live.err != "" {
			return over()
		}
		if work := float64(n) * float64(s.reps) * float64(s.cfg.World.States); work > maxStepWork {
			return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf("steps = %d: %d steps of %d live worlds of %d states is more than one request may run; press go instead", n, n, s.reps, s.cfg.World.States)}
		}
		s.pauseLocked()
		s.stepLocked(n)
	case "speed":
		if req.Speed == nil {
			return badRequest("give the speed: {\"speed\": steps a second, 0 = as fast as it goes}")
		}
		if v := *req.Speed; !(v >= 0 && v <= maxSpeed) {
			return badRequest("speed = %g: want 0 (as fast as it goes) or up to %d steps a second", v, maxSpeed)
		}
		s.speed = *req.Speed
		s.touchLocked()
	}
	writeJSON(w, http.StatusOK, s.stateLocked())
	return nil
}

// maxStepsAtOnce and maxStepWork bound one step request.
const (
	maxStepsAtOnce = 100_000
	maxStepWork    = 5e7
)

func (srv *Server) closeSession(w http.ResponseWriter, r *http.Request, s *session) error {
	srv.mu.Lock()
	delete(srv.sessions, s.id)
	srv.mu.Unlock()
	s.mu.Lock()
	s.closeLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Closed bool `json:"closed"`
	}{true})
	return nil
}

// heavyWork refuses a run of sc larger than Options.MaxCheckWork.
func (srv *Server) heavyWork(sc *scenarios.Scenario, cfg *sim.Config, what string, claims bool) error {
	variants := 1
	if claims {
		for _, e := range sc.Expect {
			if e.IsClaim() {
				variants += len(e.Values)
			}
		}
	}
	work := float64(cfg.World.States) * float64(cfg.Run.Steps) * float64(cfg.Run.Replicates) * float64(variants)
	if work > srv.opt.MaxCheckWork {
		return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf(
			"this %s would take %.3g state-steps (%d states x %d steps x %d replicates x %d variants), more than the workbench runs (%.3g): lower run.replicates or run.steps, or run it with normsim in a terminal",
			what, work, cfg.World.States, cfg.Run.Steps, cfg.Run.Replicates, variants, srv.opt.MaxCheckWork)}
	}
	return nil
}

// acquire refuses a check or handout of sc (whose configuration is cfg)
// larger than Options.MaxCheckWork, else waits for a turn to run it. It
// returns the context to run it in, bounded by Options.CheckTimeout, and
// done, to call when it has run.
func (srv *Server) acquire(ctx context.Context, sc *scenarios.Scenario, cfg *sim.Config, what string, claims bool) (context.Context, func(), error) {
	if err := srv.heavyWork(sc, cfg, what, claims); err != nil {
		return nil, nil, err
	}
	t := time.NewTimer(srv.opt.CheckWait)
	defer t.Stop()
	select {
	case srv.heavy <- struct{}{}:
		ctx, cancel := context.WithTimeout(ctx, srv.opt.CheckTimeout)
		return ctx, func() { cancel(); <-srv.heavy }, nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	case <-srv.done:
		return nil, nil, &apiError{status: http.StatusServiceUnavailable, msg: "the workbench is shutting down"}
	case <-t.C:
		return nil, nil, &apiError{status: http.StatusServiceUnavailable, retry: 10 * time.Second,
			msg: fmt.Sprintf("the workbench is busy with other checks (%d at a time): try again in a moment", cap(srv.heavy))}
	}
}

// workers is the replicates a check runs at once.
func workers() int { return runtime.GOMAXPROCS(0) }
