package serve

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Handler tests: every endpoint, with good and bad input. A bad request
// must get a 4xx with a message that says what was wrong, and nothing may
// panic.

func newTestServer(t *testing.T, opt Options) (*Server, *httptest.Server) {
	t.Helper()
	if opt.Logf == nil {
		opt.Logf = t.Logf
	}
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
		if n := srv.panics.Load(); n > 0 {
			t.Errorf("%d handlers panicked", n)
		}
	})
	return srv, hs
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// apiError decodes the message of an error response.
func (r response) apiError() string {
	var e struct {
		Error    string   `json:"error"`
		Problems []string `json:"problems"`
	}
	json.Unmarshal(r.body, &e)
	return strings.Join(append([]string{e.Error}, e.Problems...), "\n")
}

func do(t *testing.T, hs *httptest.Server, method, path, ctype, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, hs.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

func post(t *testing.T, hs *httptest.Server, path string, v any) response {
	t.Helper()
	body := ""
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		body = string(b)
	}
	return do(t, hs, "POST", path, "application/json", body)
}

// newSession creates a session from a load request and returns its id and
// state.
func newSession(t *testing.T, hs *httptest.Server, req any) (string, state) {
	t.Helper()
	r := post(t, hs, "/api/session", req)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /api/session %v: %d %s", req, r.status, r.apiError())
	}
	var out struct {
		ID    string `json:"id"`
		State state  `json:"state"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	return out.ID, out.State
}

func decodeState(t *testing.T, r response) state {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("want 200, got %d: %s", r.status, r.apiError())
	}
	var st state
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// wantError checks that r is a refusal with status and a message that
// holds every one of msgs.
func wantError(t *testing.T, what string, r response, status int, msgs ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d (%s)", what, r.status, status, r.body)
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want JSON", what, ct)
	}
	msg := r.apiError()
	if msg == "" {
		t.Errorf("%s: no message in %s", what, r.body)
	}
	for _, m := range msgs {
		if !strings.Contains(msg, m) {
			t.Errorf("%s: message %q does not say %q", what, msg, m)
		}
	}
}

func TestPageAndAssets(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	r := do(t, hs, "GET", "/", "", "")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "/static/app.js") {
		t.Fatalf("GET /: %d %s", r.status, r.header.Get("Content-Type"))
	}
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "http") {
		t.Errorf("Content-Security-Policy %q: want the server's own resources only", csp)
	}
	for file, ct := range map[string]string{"app.js": "text/javascript", "app.css": "text/css", "icon.svg": "image/svg+xml"} {
		r := do(t, hs, "GET", "/static/"+file, "", "")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), ct) {
			t.Errorf("GET /static/%s: %d %q", file, r.status, r.header.Get("Content-Type"))
		}
	}
	wantError(t, "missing asset", do(t, hs, "GET", "/static/nope.js", "", ""), 404, "no such file")
	wantError(t, "asset outside", do(t, hs, "GET", "/static/..%2f..%2fgo.mod", "", ""), 404)
	wantError(t, "unknown page", do(t, hs, "GET", "/nope", "", ""), 404, "no such page")
	wantError(t, "unknown API", do(t, hs, "GET", "/api/nope", "", ""), 404, "no such page or API endpoint")
}

// TestNoExternalResources reads the embedded page: nothing may load from
// elsewhere (no CDN, font or script), so the page works offline.
func TestNoExternalResources(t *testing.T) {
	entries, err := assets.ReadDir("assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, _ := assets.ReadFile("assets/" + e.Name())
		text := strings.ReplaceAll(string(data), `xmlns="http://www.w3.org/2000/svg"`, "")
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url("} {
			if strings.Contains(text, bad) {
				t.Errorf("%s holds %q: the page must load nothing from elsewhere", e.Name(), bad)
			}
		}
	}
}

func TestParams(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	r := do(t, hs, "GET", "/api/params", "", "")
	var got struct {
		Groups []paramGroup `json:"groups"`
		Run    []paramInfo  `json:"run"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range got.Run {
		seen[p.Key]++
	}
	var names []string
	for _, g := range got.Groups {
		names = append(names, g.Name)
		for _, s := range g.Sections {
			for _, p := range s.Params {
				seen[p.Key]++
				if !strings.HasPrefix(p.Key, s.Name+".") {
					t.Errorf("%s in section %s", p.Key, s.Name)
				}
			}
		}
	}
	for _, want := range []string{"Practice", "Attribution", "Forums", "World and run"} {
		if !slices.Contains(names, want) {
			t.Errorf("no group %q in %v", want, names)
		}
	}
	for _, p := range sim.Params() {
		if seen[p.Key] != 1 {
			t.Errorf("%s has %d controls, want 1", p.Key, seen[p.Key])
		}
	}
	for _, p := range paramInfos() {
		if p.Doc == "" || p.Kind == "" {
			t.Errorf("%s: no doc or kind", p.Key)
		}
		if p.Kind == "float" || p.Kind == "int" {
			if !(p.SoftLo < p.SoftHi) || p.Step <= 0 || p.Lo != nil && p.SoftLo < *p.Lo || p.Hi != nil && p.SoftHi > *p.Hi {
				t.Errorf("%s: slider [%g, %g] step %g outside the range [%v, %v]", p.Key, p.SoftLo, p.SoftHi, p.Step, p.Lo, p.Hi)
			}
		}
		if p.Kind == "enum" && len(p.Enum) == 0 {
			t.Errorf("%s: an enumeration with no names", p.Key)
		}
	}
}

func TestScenarioList(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	var c catalog
	if err := json.Unmarshal(do(t, hs, "GET", "/api/scenarios", "", "").body, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Scenarios) == 0 || c.Scenarios[0].Title == "" {
		t.Errorf("no shipped scenarios: %+v", c.Scenarios)
	}
	for _, e := range c.Exercises {
		if strings.HasSuffix(e.Name, ".solution") {
			t.Errorf("the picker lists the solution %s", e.Name)
		}
	}
	if len(c.Exercises) == 0 {
		t.Error("no exercises")
	}
}

func TestCreateSession(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	_, st := newSession(t, hs, nil)
	if st.Scenario.Name != "baseline" || st.Status.T != 0 || st.Values["forum.every"] == "" || st.Share != "scenario=baseline" {
		t.Errorf("new session: %+v", st)
	}
	_, st = newSession(t, hs, map[string]any{"scenario": "exercises/restraint-emerges", "set": []string{"run.seed=7"}})
	if !st.Scenario.Exercise || st.Seed != "7" || len(st.Scenario.Goals) == 0 || !slices.Equal(st.Changed, []string{"run.seed"}) {
		t.Errorf("exercise session: exercise %v seed %s goals %v changed %v", st.Scenario.Exercise, st.Seed, st.Scenario.Goals, st.Changed)
	}
	toml := "schema = 1\nname = \"mine\"\n[world]\nstates = 30\n[run]\nsteps = 40\nreplicates = 2\n"
	_, st = newSession(t, hs, map[string]any{"toml": toml, "file": "../../mine.toml"})
	if st.Scenario.Name != "mine" || st.States != 30 || st.Scenario.Source != "file mine.toml" {
		t.Errorf("uploaded session: %+v", st.Scenario)
	}
	if !strings.HasPrefix(st.Share, "toml_z=") {
		t.Errorf("share of an upload: %q", st.Share)
	}

	bad := []struct {
		name, ctype, body string
		status            int
		msgs              []string
	}{
		{"unknown scenario", "application/json", `{"scenario": "baselin"}`, 404, []string{`unknown scenario "baselin"`, `did you mean "baseline"`}},
		{"a path as scenario", "application/json", `{"scenario": "/etc/passwd"}`, 404, []string{"unknown scenario"}},
		{"invalid toml", "application/json", `{"toml": "schema = 1\nname = \"x\"\n[forum]\npull = 7\n"}`, 400, []string{"forum.pull = 7"}},
		{"toml syntax", "application/json", `{"toml": "schema = = 1"}`, 400, []string{"upload.toml"}},
		{"two sources", "application/json", `{"scenario": "baseline", "toml": "schema = 1"}`, 400, []string{"give one of"}},
		{"bad toml_z", "application/json", `{"toml_z": "!!!"}`, 400, []string{"toml_z", "base64url"}},
		{"toml_z not deflate", "application/json", `{"toml_z": "aGVsbG8"}`, 400, []string{"not a compressed scenario"}},
		{"bad set", "application/json", `{"set": ["forum.pull=7"]}`, 400, []string{"forum.pull = 7"}},
		{"unknown key", "application/json", `{"set": ["forum.pul=0.5"]}`, 400, []string{"forum.pul"}},
		{"set without =", "application/json", `{"set": ["forum.pull"]}`, 400, []string{"want key=value"}},
		{"bad JSON", "application/json", `{"scenario": `, 400, []string{"invalid JSON"}},
		{"wrong type", "application/json", `{"scenario": 7}`, 400, []string{"invalid JSON", "scenario"}},
		{"unknown field", "application/json", `{"scenarios": "baseline"}`, 400, []string{`unknown field "scenarios"`}},
		{"two values", "application/json", `{} {}`, 400, []string{"more than one value"}},
		{"not JSON", "text/plain", `scenario=baseline`, 415, []string{"want application/json"}},
		{"too large", "application/json", `{"toml": "` + strings.Repeat("#", maxBody) + `"}`, 413, []string{"larger than"}},
		{"too large toml", "application/json", `{"toml": "` + strings.Repeat("#", maxScenarioBytes+1) + `"}`, 413, []string{"more than the"}},
	}
	for _, c := range bad {
		wantError(t, c.name, do(t, hs, "POST", "/api/session", c.ctype, c.body), c.status, c.msgs...)
	}
	sets := make([]string, maxSets+1)
	for i := range sets {
		sets[i] = "forum.pull=0.5"
	}
	wantError(t, "too many sets", post(t, hs, "/api/session", map[string]any{"set": sets}), 400, "at most")
}

func TestMethodsAndSessions(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	r := do(t, hs, "GET", "/api/session", "", "")
	wantError(t, "GET /api/session", r, 405, "method not allowed", "POST")
	if r.header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
	id, _ := newSession(t, hs, nil)
	wantError(t, "DELETE state", do(t, hs, "DELETE", "/api/s/"+id+"/state", "", ""), 405, "GET")
	wantError(t, "GET go", do(t, hs, "GET", "/api/s/"+id+"/go", "", ""), 405, "POST")
	wantError(t, "unknown session", do(t, hs, "GET", "/api/s/nope/state", "", ""), 404, `no session "nope"`, "reload the page")
	wantError(t, "unknown action", post(t, hs, "/api/s/"+id+"/jump", nil), 404)
	long := strings.Repeat("x", 5000)
	wantError(t, "long id", do(t, hs, "GET", "/api/s/"+long+"/state", "", ""), 404, "...")
	if r := post(t, hs, "/api/s/"+id+"/close", nil); r.status != 200 {
		t.Errorf("close: %d %s", r.status, r.body)
	}
	wantError(t, "closed session", do(t, hs, "GET", "/api/s/"+id+"/state", "", ""), 404, "no session")
}

func TestHost(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	req, _ := http.NewRequest("GET", hs.URL+"/", nil)
	req.Host = "evil.example:8080"
	res, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("Host evil.example: %d, want 403", res.StatusCode)
	}
	for _, host := range []string{"localhost:8080", "127.0.0.1:8080", "[::1]:8080"} {
		req.Host = host
		res, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("Host %s: %d, want 200", host, res.StatusCode)
		}
	}
}

func TestSetLoadAndShare(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, nil)
	st := decodeState(t, post(t, hs, "/api/s/"+id+"/set", map[string]any{"set": []string{"forum.every=10", "decision.rule=\"logit\""}}))
	if st.Values["forum.every"] != "10" || !slices.Contains(st.Changed, "forum.every") || slices.Contains(st.Changed, "decision.rule") {
		t.Errorf("after set: forum.every %q, changed %v", st.Values["forum.every"], st.Changed)
	}
	if st.Share != "scenario=baseline&set=forum.every%3D10" {
		t.Errorf("share %q", st.Share)
	}
	// The link restores the settings in a new session.
	q, _ := url.ParseQuery(st.Share)
	_, st2 := newSession(t, hs, map[string]any{"scenario": q.Get("scenario"), "set": q["set"]})
	if st2.Values["forum.every"] != "10" || st2.Share != st.Share {
		t.Errorf("restored: forum.every %q, share %q", st2.Values["forum.every"], st2.Share)
	}

	wantError(t, "bad value", post(t, hs, "/api/s/"+id+"/set", map[string]any{"set": []string{"forum.pull=7"}}), 400, "forum.pull = 7", "0 <= x <= 1")
	wantError(t, "no sets", post(t, hs, "/api/s/"+id+"/set", map[string]any{}), 400, "give settings")
	wantError(t, "unknown field", post(t, hs, "/api/s/"+id+"/set", map[string]any{"sets": []string{}}), 400, "unknown field")
	if st := decodeState(t, do(t, hs, "GET", "/api/s/"+id+"/state", "", "")); st.Values["forum.every"] != "10" {
		t.Error("a refused set changed the session")
	}

	// Shortening the run skips the events after its end, with a notice.
	st = decodeState(t, post(t, hs, "/api/s/"+id+"/set", map[string]any{"set": []string{"run.steps=100"}}))
	if st.Steps != 100 || len(st.Scenario.Events) != 0 || !strings.Contains(st.Notice, "skipping event") {
		t.Errorf("run.steps=100: steps %d, events %v, notice %q", st.Steps, st.Scenario.Events, st.Notice)
	}

	// Load another scenario, an upload, and bad loads.
	st = decodeState(t, post(t, hs, "/api/s/"+id+"/load", map[string]any{"scenario": "exercises/nowak-may-chaos"}))
	if !st.Lattice || !st.Scenario.Exercise || len(st.Changed) != 0 {
		t.Errorf("load exercise: lattice %v exercise %v changed %v", st.Lattice, st.Scenario.Exercise, st.Changed)
	}
	wantError(t, "empty load", post(t, hs, "/api/s/"+id+"/load", map[string]any{}), 400, "give a scenario")
	wantError(t, "bad load", post(t, hs, "/api/s/"+id+"/load", map[string]any{"toml": "schema = 2\nname = \"x\""}), 400, "schema")

	toml := "schema = 1\nname = \"mine\"\n[world]\nstates = 25\n"
	st = decodeState(t, post(t, hs, "/api/s/"+id+"/load", map[string]any{"toml": toml, "file": "mine.toml", "set": []string{"world.states=26"}}))
	q, _ = url.ParseQuery(st.Share)
	_, st2 = newSession(t, hs, map[string]any{"toml_z": q.Get("toml_z"), "file": q.Get("file"), "set": q["set"]})
	if st2.Scenario.Name != "mine" || st2.States != 26 || st2.Scenario.Source != "file mine.toml" {
		t.Errorf("restored upload: %s %d %s", st2.Scenario.Name, st2.States, st2.Scenario.Source)
	}
}

func TestControls(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"scenario": "baseline", "set": []string{"run.steps=60", "run.replicates=3"}})
	path := func(a string) string { return "/api/s/" + id + "/" + a }
	st := decodeState(t, post(t, hs, path("step"), map[string]int{"steps": 5}))
	if st.Status.T != 5 || st.Live != 3 {
		t.Errorf("after 5 steps: t %d, live %d", st.Status.T, st.Live)
	}
	st = decodeState(t, post(t, hs, path("step"), nil))
	if st.Status.T != 6 {
		t.Errorf("after one more step: t %d", st.Status.T)
	}
	wantError(t, "0 steps", post(t, hs, path("step"), map[string]int{"steps": 0}), 400, "want 1 <= steps")
	wantError(t, "too many steps", post(t, hs, path("step"), map[string]int{"steps": 1e9}), 400, "want 1 <= steps")
	wantError(t, "steps as text", post(t, hs, path("step"), map[string]string{"steps": "5"}), 400, "invalid JSON")
	wantError(t, "go with steps", post(t, hs, path("go"), map[string]int{"steps": 5}), 400, "go takes no steps")
	wantError(t, "no speed", post(t, hs, path("speed"), nil), 400, "give the speed")
	wantError(t, "negative speed", post(t, hs, path("speed"), map[string]float64{"speed": -1}), 400, "speed = -1")
	wantError(t, "huge speed", post(t, hs, path("speed"), map[string]float64{"speed": 1e9}), 400, "speed = 1e+09")
	if st := decodeState(t, post(t, hs, path("speed"), map[string]float64{"speed": 0})); st.Speed != 0 {
		t.Errorf("speed 0: %g", st.Speed)
	}
	st = decodeState(t, post(t, hs, path("go"), nil))
	if !st.Status.Running {
		t.Error("go: not running")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !st.Status.Done && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		st = decodeState(t, do(t, hs, "GET", path("state"), "", ""))
	}
	if !st.Status.Done || st.Status.T != 60 || st.Status.Running || st.Status.Outcome == "" {
		t.Fatalf("the run did not end: %+v", st.Status)
	}
	wantError(t, "go when over", post(t, hs, path("go"), nil), 409, "the run is over", "setup")
	wantError(t, "step when over", post(t, hs, path("step"), nil), 409, "the run is over")
	st = decodeState(t, post(t, hs, path("setup"), nil))
	if st.Status.T != 0 || st.Status.Done {
		t.Errorf("setup: %+v", st.Status)
	}
	if st := decodeState(t, post(t, hs, path("pause"), nil)); st.Status.Running {
		t.Error("pause: running")
	}
}

// TestLiveIsTheEngine runs a session by hand and compares every point with
// what sim.Run records for the same settings: the same replicates (PCG(seed,
// r)), the events applied at their steps, the same outcomes.
func TestLiveIsTheEngine(t *testing.T) {
	srv, hs := newTestServer(t, Options{})
	id, st := newSession(t, hs, map[string]any{"scenario": "baseline", "set": []string{"run.steps=300", "run.replicates=4", "run.seed=11"}})
	if len(st.Scenario.Events) == 0 {
		t.Fatal("the test needs a scenario with an event before its last step")
	}
	decodeState(t, post(t, hs, "/api/s/"+id+"/step", map[string]int{"steps": 300}))
	srv.mu.Lock()
	s := srv.sessions[id]
	srv.mu.Unlock()
	s.mu.Lock()
	live, cfg := s.live, s.cfg
	s.mu.Unlock()
	res, err := sim.Run(context.Background(), cfg, sim.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(live.points) != 301 {
		t.Fatalf("%d points, want 301", len(live.points))
	}
	for _, p := range live.points {
		v := 0
		for _, c := range chartMetrics {
			var xs []float64
			for _, r := range res.Replicates {
				if x := r.Rows[p.t][c.m]; !math.IsNaN(x) {
					xs = append(xs, x)
				}
			}
			slices.Sort(xs)
			want := []float64{stats.Quantile(xs, 0.5)}
			if c.band {
				want = append(want, stats.Quantile(xs, 0.1), stats.Quantile(xs, 0.9))
			}
			for _, w := range want {
				got := p.vals[v]
				if !(got == w || math.IsNaN(got) && math.IsNaN(w) || math.Abs(got-w) < 1e-12) {
					t.Fatalf("step %d, %s: live %v, sim.Run %v", p.t, c.m, got, w)
				}
				v++
			}
		}
		for _, m := range markerMetrics {
			k := 0
			for _, r := range res.Replicates {
				if r.Rows[p.t][m] == 1 {
					k++
				}
			}
			if got, want := p.vals[v], float64(k)/float64(len(res.Replicates)); got != want {
				t.Fatalf("step %d, %s: live share %v, sim.Run %v", p.t, m, got, want)
			}
			v++
		}
	}
	counts := map[string]int{}
	for _, r := range res.Replicates {
		counts[r.Outcome.String()]++
	}
	for o, k := range counts {
		if !strings.Contains(live.outcome, fmt.Sprintf("%s %d", o, k)) {
			t.Errorf("live outcome %q, sim.Run %v", live.outcome, counts)
		}
	}
}

// TestLatticeFrames compares the lattice the page gets with the engine's.
func TestLatticeFrames(t *testing.T) {
	srv, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"scenario": "exercises/nowak-may-chaos", "set": []string{"run.steps=30"}})
	decodeState(t, post(t, hs, "/api/s/"+id+"/step", map[string]int{"steps": 30}))
	s := srv.sessions[id]
	s.mu.Lock()
	f, cfg := *s.live.lattice, s.cfg
	s.mu.Unlock()
	rep, _, err := sim.RunReplicate(context.Background(), cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := rep.Lattice[len(rep.Lattice)-1]
	packed, _ := base64.StdEncoding.DecodeString(f.Cells)
	if f.T != 30 || f.Width != want.Width || f.Height != want.Height {
		t.Fatalf("frame t %d %dx%d, want 30 %dx%d", f.T, f.Width, f.Height, want.Width, want.Height)
	}
	for k, c := range want.Cells {
		if got := packed[k/4] >> (2 * (k % 4)) & 3; got != c {
			t.Fatalf("site %d: %d, want %d", k, got, c)
		}
	}
}

func TestStride(t *testing.T) {
	srv, hs := newTestServer(t, Options{})
	id, st := newSession(t, hs, map[string]any{"toml": "schema = 1\nname = \"long\"\n[world]\nstates = 20\n[run]\nsteps = 2500\nreplicates = 2\n"})
	if st.Stride != 3 {
		t.Errorf("stride %d, want 3", st.Stride)
	}
	decodeState(t, post(t, hs, "/api/s/"+id+"/step", map[string]int{"steps": 2500}))
	s := srv.sessions[id]
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.live.points)
	if n != 1+2500/3+1 || s.live.points[n-1].t != 2500 || s.live.points[1].t != 3 {
		t.Errorf("%d points, the first at %d, the last at %d", n, s.live.points[1].t, s.live.points[n-1].t)
	}
}

// frames reads the update frames of an SSE stream.
type frames struct{ sc *bufio.Scanner }

func newFrames(body io.Reader) *frames {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	return &frames{sc}
}

// next returns the next frame.
func (fs *frames) next(t *testing.T) frame {
	t.Helper()
	event := ""
	for fs.sc.Scan() {
		line := fs.sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if event != "update" {
				t.Fatalf("event %q", event)
			}
			var f frame
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &f); err != nil {
				t.Fatalf("frame %s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("the stream ended: %v", fs.sc.Err())
	return frame{}
}

func TestStream(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"scenario": "exercises/nowak-may-chaos", "set": []string{"run.steps=40"}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", hs.URL+"/api/s/"+id+"/stream", nil)
	res, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	fs := newFrames(res.Body)
	first := fs.next(t)
	if !first.Reset || first.State == nil || first.From != 0 || first.Lattice == nil || first.Status.T != 0 {
		t.Fatalf("first frame: reset %v state %v from %d lattice %v", first.Reset, first.State != nil, first.From, first.Lattice != nil)
	}
	var pts [][]any
	json.Unmarshal(first.Points, &pts)
	if len(pts) != 1 || pts[0][0] != 0.0 {
		t.Fatalf("first points %v", pts)
	}
	post(t, hs, "/api/s/"+id+"/go", nil)
	have := 1
	for range 200 {
		f := fs.next(t)
		if f.Reset || f.From != have {
			t.Fatalf("frame from %d (reset %v), want from %d", f.From, f.Reset, have)
		}
		var pts [][]any
		json.Unmarshal(f.Points, &pts)
		have += len(pts)
		if f.Status.Done {
			break
		}
	}
	if have != 41 {
		t.Errorf("the stream sent %d points, want 41", have)
	}
	// A setup resets the page.
	post(t, hs, "/api/s/"+id+"/setup", nil)
	if f := fs.next(t); !f.Reset || f.Status.T != 0 {
		t.Errorf("after setup: reset %v, t %d", f.Reset, f.Status.T)
	}
}

func TestStreamLimit(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range maxStreams {
		req, _ := http.NewRequestWithContext(ctx, "GET", hs.URL+"/api/s/"+id+"/stream", nil)
		res, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		newFrames(res.Body).next(t)
	}
	wantError(t, "a stream too many", do(t, hs, "GET", "/api/s/"+id+"/stream", "", ""), 429, "streams are open")
}

func TestCheck(t *testing.T) {
	srv, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"scenario": "exercises/nowak-may-chaos", "set": []string{"run.steps=50"}})
	r := post(t, hs, "/api/s/"+id+"/check", nil)
	if r.status != 200 {
		t.Fatalf("check: %d %s", r.status, r.apiError())
	}
	var got checkResult
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	s := srv.sessions[id]
	want, err := runCheck(context.Background(), s.sc, s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got.Verdict != want.Verdict || got.Text != want.Text || len(got.Goals) != 1 || got.Replicates != 4 {
		t.Errorf("check: %+v\nwant: %+v", got, want)
	}
	if !strings.Contains(got.Text, got.Goals[0].Line) || !strings.Contains(got.Text, "goals and claims met: "+got.Verdict) {
		t.Errorf("the report does not say what the goals say:\n%s", got.Text)
	}
	// A check while one runs is refused.
	s.mu.Lock()
	s.checking = true
	s.mu.Unlock()
	wantError(t, "second check", post(t, hs, "/api/s/"+id+"/check", nil), 409, "running already")
	s.mu.Lock()
	s.checking = false
	s.mu.Unlock()

	id2, _ := newSession(t, hs, map[string]any{"toml": "schema = 1\nname = \"no-goals\"\n"})
	wantError(t, "no goals", post(t, hs, "/api/s/"+id2+"/check", nil), 400, "no [[expect]] goals")
	wantError(t, "check with a body", post(t, hs, "/api/s/"+id+"/check", map[string]int{"steps": 1}), 400, "unknown field")

	_, hs2 := newTestServer(t, Options{MaxCheckWork: 1000})
	id3, _ := newSession(t, hs2, map[string]any{"scenario": "exercises/nowak-may-chaos"})
	wantError(t, "too much work", post(t, hs2, "/api/s/"+id3+"/check", nil), 422, "state-steps", "normsim")
}

// TestCheckClaims checks a scenario with a claim: its verdict is reported
// as SUPPORTED or NOT SUPPORTED with the claim's report.
func TestCheckClaims(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	toml := `schema = 1
name = "claimed"
[world]
states = 30
[run]
steps = 30
replicates = 3
[[expect]]
claim = "Forensics change restraint"
metric = "final_restraint"
vary = { "attribution.private_sector_boost" = [0.0, 3.0] }
trend = "differs"
hint = "Look at attribution."
`
	id, _ := newSession(t, hs, map[string]any{"toml": toml})
	r := post(t, hs, "/api/s/"+id+"/check", nil)
	var got checkResult
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("check: %d %s", r.status, r.body)
	}
	if len(got.Claims) != 1 || !strings.Contains(got.Claims[0].Report, "SUPPORTED") || !strings.Contains(got.Text, got.Claims[0].Report) {
		t.Errorf("claims: %+v", got.Claims)
	}
}

func TestDownload(t *testing.T) {
	srv, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"scenario": "exercises/restraint-emerges", "set": []string{"decision.conformity=4"}})
	r := do(t, hs, "GET", "/api/s/"+id+"/scenario.toml", "", "")
	if r.status != 200 || r.header.Get("Content-Disposition") != `attachment; filename="ex1-restraint-emerges.toml"` {
		t.Fatalf("download: %d %q", r.status, r.header.Get("Content-Disposition"))
	}
	sc, err := scenarios.Parse("download.toml", r.body)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Hash() != srv.sessions[id].sc.Hash() {
		t.Error("the downloaded scenario is not the session's")
	}
	if cfg, _ := sc.Config(); cfg.Decision.Conformity != 4 {
		t.Errorf("downloaded conformity %g", cfg.Decision.Conformity)
	}
	if fileName("../x y/z", ".toml") != "x-y-z.toml" || fileName("...", ".html") != "scenario.html" {
		t.Error("fileName does not clean names")
	}
}

func TestHandout(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, nil)
	wantError(t, "no handouts", do(t, hs, "GET", "/api/s/"+id+"/handout.html", "", ""), 404, "normsim report")

	var got string
	_, hs = newTestServer(t, Options{Handout: func(ctx context.Context, s *scenarios.Scenario, w io.Writer) error {
		got = s.Name
		_, err := io.WriteString(w, "<html>"+s.Name+"</html>")
		return err
	}})
	id, _ = newSession(t, hs, map[string]any{"scenario": "exercises/nowak-may-chaos"})
	r := do(t, hs, "GET", "/api/s/"+id+"/handout.html", "", "")
	if r.status != 200 || got != "ex10-nowak-may-chaos" || !strings.Contains(r.header.Get("Content-Disposition"), "ex10-nowak-may-chaos.html") {
		t.Errorf("handout: %d %q %q", r.status, got, r.header.Get("Content-Disposition"))
	}

	_, hs = newTestServer(t, Options{Handout: func(ctx context.Context, s *scenarios.Scenario, w io.Writer) error {
		return fmt.Errorf("report: out of ink")
	}})
	id, _ = newSession(t, hs, map[string]any{"scenario": "exercises/nowak-may-chaos"})
	wantError(t, "failed handout", do(t, hs, "GET", "/api/s/"+id+"/handout.html", "", ""), 500, "out of ink")
}

func TestRateLimit(t *testing.T) {
	_, hs := newTestServer(t, Options{RequestsPerSecond: 2})
	id, _ := newSession(t, hs, nil)
	var last response
	for range 10 {
		if last = do(t, hs, "GET", "/api/s/"+id+"/state", "", ""); last.status != 200 {
			break
		}
	}
	wantError(t, "over the rate", last, 429, "too many requests", "2 a second")
	if last.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Another session is not held back.
	id2, _ := newSession(t, hs, nil)
	if r := do(t, hs, "GET", "/api/s/"+id2+"/state", "", ""); r.status != 200 {
		t.Errorf("another session: %d", r.status)
	}
}

func TestSessionLimits(t *testing.T) {
	_, hs := newTestServer(t, Options{SessionsPerSecond: 0.001, SessionBurst: 2})
	newSession(t, hs, nil)
	newSession(t, hs, nil)
	wantError(t, "a third session at once", post(t, hs, "/api/session", nil), 429, "too many new sessions")

	srv, hs := newTestServer(t, Options{MaxSessions: 2, IdleTimeout: time.Hour})
	newSession(t, hs, nil)
	id, _ := newSession(t, hs, nil)
	wantError(t, "a session too many", post(t, hs, "/api/session", nil), 503, "holds 2 sessions")
	srv.sweep(time.Now().Add(2 * time.Hour))
	if n := srv.Sessions(); n != 0 {
		t.Errorf("%d sessions after they expired", n)
	}
	wantError(t, "expired session", do(t, hs, "GET", "/api/s/"+id+"/state", "", ""), 404, "expired")
	newSession(t, hs, nil)
}

// TestSpeed runs a small world at 40 steps a second for a second and a
// half: it keeps the pace, with no burst.
func TestSpeed(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"toml": "schema = 1\nname = \"small\"\n[world]\nstates = 20\n[run]\nsteps = 100000\nreplicates = 1\nrecord_every = 1000\n"})
	post(t, hs, "/api/s/"+id+"/speed", map[string]float64{"speed": 40})
	post(t, hs, "/api/s/"+id+"/go", nil)
	time.Sleep(1500 * time.Millisecond)
	st := decodeState(t, post(t, hs, "/api/s/"+id+"/pause", nil))
	if st.Status.T < 30 || st.Status.T > 72 {
		t.Errorf("%d steps in 1.5 s at 40 steps a second", st.Status.T)
	}
}

func TestUnwatchedRunPauses(t *testing.T) {
	srv, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, map[string]any{"set": []string{"run.steps=100000", "run.replicates=1"}})
	post(t, hs, "/api/s/"+id+"/speed", map[string]float64{"speed": 1})
	if st := decodeState(t, post(t, hs, "/api/s/"+id+"/go", nil)); !st.Status.Running {
		t.Fatal("not running")
	}
	srv.sweep(time.Now().Add(unwatched + time.Second))
	if st := decodeState(t, do(t, hs, "GET", "/api/s/"+id+"/state", "", "")); st.Status.Running {
		t.Error("a run nobody watches goes on")
	}
}

func TestLiveBudget(t *testing.T) {
	_, hs := newTestServer(t, Options{MaxLiveBytes: 1 << 20})
	id, st := newSession(t, hs, nil)
	if st.Live != 16 {
		t.Errorf("live replicates %d, want 16", st.Live)
	}
	st = decodeState(t, post(t, hs, "/api/s/"+id+"/set", map[string]any{"set": []string{"world.states=1000"}}))
	if st.Live != 4 {
		t.Errorf("1000 states in 1 MiB: %d live replicates, want 4", st.Live)
	}
	wantError(t, "too large", post(t, hs, "/api/s/"+id+"/set", map[string]any{"set": []string{"world.states=20000"}}), 422, "world.states = 20000", "normsim run")
	wantError(t, "dense network", post(t, hs, "/api/s/"+id+"/set", map[string]any{"set": []string{"topology.kind=\"random\"", "topology.p=1", "world.states=5000"}}), 422, "MB")
}

// TestSessionsIsolated runs two sessions with different settings at once:
// each keeps its own.
func TestSessionsIsolated(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	a, _ := newSession(t, hs, map[string]any{"set": []string{"run.seed=1", "run.steps=80"}})
	b, _ := newSession(t, hs, map[string]any{"set": []string{"run.seed=2", "run.steps=80", "forum.every=5"}})
	for _, id := range []string{a, b} {
		post(t, hs, "/api/s/"+id+"/speed", map[string]float64{"speed": 0})
		post(t, hs, "/api/s/"+id+"/go", nil)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, id := range []string{a, b} {
		for time.Now().Before(deadline) {
			if st := decodeState(t, do(t, hs, "GET", "/api/s/"+id+"/state", "", "")); st.Status.Done {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	sa := decodeState(t, do(t, hs, "GET", "/api/s/"+a+"/state", "", ""))
	sb := decodeState(t, do(t, hs, "GET", "/api/s/"+b+"/state", "", ""))
	if sa.Seed != "1" || sb.Seed != "2" || sa.Values["forum.every"] == "5" || sb.Values["forum.every"] != "5" || !sa.Status.Done || !sb.Status.Done {
		t.Errorf("a: seed %s forum %s done %v; b: seed %s forum %s done %v", sa.Seed, sa.Values["forum.every"], sa.Status.Done, sb.Seed, sb.Values["forum.every"], sb.Status.Done)
	}
}

// TestBadInputNeverPanics sends a table of odd requests to every
// endpoint: each gets a 4xx (none a 5xx), and no handler panics.
func TestBadInputNeverPanics(t *testing.T) {
	_, hs := newTestServer(t, Options{})
	id, _ := newSession(t, hs, nil)
	bodies := []string{"", "null", "[]", "{}", `{"set": null}`, `{"set": [""]}`, `{"set": ["="]}`, `{"set": ["run.steps="]}`,
		`{"set": ["world.power={ dist = \"pareto\" }"]}`, `{"set": ["topology.kind=\"lattice\""]}`, `{"steps": -1}`, `{"speed": "fast"}`,
		`{"scenario": ""}`, `{"toml": "\u0000"}`, `{"toml_z": ""}`, `"x"`, "\xff\xfe", `{"set": ["world.states=1e300"]}`,
		`{"set": ["run.seed=-1"]}`, `{"set": ["run.seed=18446744073709551616"]}`, `{"set": ["forum.pull=nan"]}`, `{"set": ["forum.pull=inf"]}`}
	paths := []string{"/api/session", "/api/s/" + id + "/load", "/api/s/" + id + "/set", "/api/s/" + id + "/step", "/api/s/" + id + "/speed",
		"/api/s/" + id + "/go", "/api/s/" + id + "/setup", "/api/s/" + id + "/pause", "/api/s/" + id + "/check"}
	for _, p := range paths {
		for _, b := range bodies {
			r := do(t, hs, "POST", p, "application/json", b)
			if r.status >= 500 {
				t.Errorf("POST %s %q: %d %s", p, b, r.status, r.body)
			}
			if r.status >= 400 && r.apiError() == "" {
				t.Errorf("POST %s %q: %d without a message", p, b, r.status)
			}
		}
	}
	post(t, hs, "/api/s/"+id+"/pause", nil)
}

// FuzzAPI sends arbitrary bodies to the session endpoints: no 5xx, no
// panic. `go test` runs its seeds; `go test -fuzz FuzzAPI ./serve` explores.
func FuzzAPI(f *testing.F) {
	for _, s := range []string{`{"set": ["forum.every=3"]}`, `{"scenario": "baseline"}`, `{"steps": 3}`, `{"speed": 2}`, `{"toml": "schema = 1\nname = \"x\"\n[world]\nstates = 3\n[run]\nsteps = 3\nreplicates = 1"}`} {
		for _, a := range []string{"set", "load", "step", "speed", "go", "setup"} {
			f.Add(a, s)
		}
	}
	srv, err := New(Options{Logf: func(string, ...any) {}, RequestsPerSecond: 1e9, SessionsPerSecond: 1e9, SessionBurst: 1e9, MaxCheckWork: 1e6})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	var once sync.Once
	var id string
	f.Fuzz(func(t *testing.T, action, body string) {
		once.Do(func() {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("POST", "http://127.0.0.1/api/session", strings.NewReader(`{"set": ["run.steps=20", "run.replicates=2"]}`)))
			var out struct{ ID string }
			json.Unmarshal(w.Body.Bytes(), &out)
			id = out.ID
		})
		w := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "http://127.0.0.1/api/s/"+id+"/"+url.PathEscape(action), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		srv.ServeHTTP(w, req)
		if w.Code >= 500 || srv.panics.Load() > 0 {
			t.Fatalf("POST %s %q: %d %s", action, body, w.Code, w.Body)
		}
		w = httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("POST", "http://127.0.0.1/api/s/"+id+"/pause", nil))
	})
}
