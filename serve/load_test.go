package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

var (
	loadDuration = flag.Duration("load-duration", 5*time.Second, "how long TestLoad's sessions run (CI: 1m)")
	loadSessions = flag.Int("load-sessions", 30, "how many sessions TestLoad runs at once")
)

// TestLoad runs many sessions against one server at once, each a page: a
// stream of updates, a run at 30 steps a second, a request every quarter
// second, and one change of setting halfway. Every session must keep its
// own settings and worlds (its points are those of its settings run
// alone), its stream must keep coming, and requests must stay quick.
func TestLoad(t *testing.T) {
	if testing.Short() && *loadDuration > 10*time.Second {
		t.Skip("a long load test is not short")
	}
	srv, hs := newTestServer(t, Options{})
	n := *loadSessions
	// A browser keeps a connection or two open to the page's server; so do
	// these pages, instead of net/http's two for all of them.
	hs.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 2 * n
	type client struct {
		id        string
		seed      int
		every     string
		latencies []time.Duration
		frames    int
		maxT      int // the furthest step a frame reported
		didSet    bool
		maxGap    time.Duration
		err       error
	}
	clients := make([]*client, n)
	for i := range clients {
		c := &client{seed: i + 1, every: fmt.Sprint(5 + i%20)}
		req := map[string]any{"scenario": "baseline", "set": []string{"run.seed=" + fmt.Sprint(c.seed), "run.steps=1000000", "run.replicates=4", "run.record_every=1000000"}}
		if i%3 == 2 {
			req = map[string]any{"scenario": "exercises/nowak-may-chaos", "set": []string{"run.seed=" + fmt.Sprint(c.seed), "run.steps=1000000", "run.record_every=1000000"}}
			c.every = ""
		}
		c.id, _ = newSession(t, hs, req)
		clients[i] = c
	}
	if got := srv.Sessions(); got != n {
		t.Fatalf("%d sessions, want %d", got, n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *loadDuration)
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			path := func(a string) string { return hs.URL + "/api/s/" + c.id + "/" + a }
			// The stream, read as a page reads it.
			sctx, scancel := context.WithCancel(context.Background())
			defer scancel()
			req, _ := http.NewRequestWithContext(sctx, "GET", path("stream"), nil)
			res, err := hs.Client().Do(req)
			if err != nil {
				c.err = err
				return
			}
			defer res.Body.Close()
			streamDone := make(chan struct{})
			var mu sync.Mutex
			go func() {
				defer close(streamDone)
				fs := newFrames(res.Body)
				have, gen, last := 0, -1, time.Now()
				for fs.sc.Scan() {
					line := fs.sc.Text()
					if len(line) < 6 || line[:6] != "data: " {
						continue
					}
					var f frame
					if err := json.Unmarshal([]byte(line[6:]), &f); err != nil {
						if sctx.Err() == nil { // not a line cut short by the end of the test
							mu.Lock()
							c.err = fmt.Errorf("a frame that is not JSON: %v", err)
							mu.Unlock()
						}
						return
					}
					var pts []json.RawMessage
					json.Unmarshal(f.Points, &pts)
					mu.Lock()
					if f.Reset || f.Gen != gen {
						have, gen = 0, f.Gen
					}
					if f.From != have && c.err == nil {
						c.err = fmt.Errorf("a frame from point %d, after %d points", f.From, have)
					}
					have += len(pts)
					c.frames++
					c.maxT = max(c.maxT, f.Status.T)
					if now := time.Now(); f.Status.Running && now.Sub(last) > c.maxGap {
						c.maxGap = now.Sub(last)
					}
					last = time.Now()
					mu.Unlock()
				}
			}()
			call := func(method, p string, body any) (state, error) {
				start := time.Now()
				var r *http.Response
				var err error
				if method == "GET" {
					r, err = hs.Client().Get(p)
				} else {
					b, _ := json.Marshal(body)
					r, err = hs.Client().Post(p, "application/json", bytes.NewReader(b))
				}
				if err != nil {
					return state{}, err
				}
				defer r.Body.Close()
				var st state
				if r.StatusCode != 200 {
					return st, fmt.Errorf("%s %s: %d", method, p, r.StatusCode)
				}
				err = json.NewDecoder(r.Body).Decode(&st)
				mu.Lock()
				c.latencies = append(c.latencies, time.Since(start))
				mu.Unlock()
				return st, err
			}
			fail := func(err error) {
				mu.Lock()
				if c.err == nil {
					c.err = err
				}
				mu.Unlock()
			}
			if _, err := call("POST", path("speed"), map[string]float64{"speed": 30}); err != nil {
				fail(err)
				return
			}
			if _, err := call("POST", path("go"), nil); err != nil {
				fail(err)
				return
			}
			half := time.After(*loadDuration / 2)
			tick := time.NewTicker(250 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					if _, err := call("POST", path("pause"), nil); err != nil {
						fail(err)
					}
					scancel()
					<-streamDone
					return
				case <-half:
					if c.every != "" {
						if _, err := call("POST", path("set"), map[string]any{"set": []string{"forum.every=" + c.every}}); err != nil {
							fail(err)
						}
						mu.Lock()
						c.didSet = true
						mu.Unlock()
						if _, err := call("POST", path("go"), nil); err != nil {
							fail(err)
						}
					}
				case <-tick.C:
					st, err := call("GET", path("state"), nil)
					if err != nil {
						fail(err)
						continue
					}
					if st.Seed != fmt.Sprint(c.seed) {
						fail(fmt.Errorf("seed %s, want %d", st.Seed, c.seed))
					}
				}
			}
		})
	}
	wg.Wait()

	var all []time.Duration
	for _, c := range clients {
		if c.err != nil {
			t.Errorf("session %d: %v", c.seed, c.err)
			continue
		}
		all = append(all, c.latencies...)
		s := srv.sessions[c.id]
		s.mu.Lock()
		cfg, live := s.cfg, s.live
		if c.didSet {
			if v := s.stateLocked().Values["forum.every"]; v != c.every {
				t.Errorf("session %d: forum.every %s, want %s", c.seed, v, c.every)
			}
		}
		steps := live.t
		s.mu.Unlock()
		if c.maxT < 5 || c.frames < 5 {
			t.Errorf("session %d: at most step %d, %d updates in %s", c.seed, c.maxT, c.frames, *loadDuration)
			continue
		}
		if c.maxGap > 3*time.Second {
			t.Errorf("session %d: %s between two updates of a running session", c.seed, c.maxGap)
		}
		// Its points are its own settings', run alone.
		alone, err := newLiveRun(cfg, live.reps())
		if err != nil {
			t.Fatal(err)
		}
		for range steps {
			alone.step()
		}
		if !slices.EqualFunc(alone.points, live.points, func(a, b point) bool { return a.t == b.t && slices.EqualFunc(a.vals, b.vals, sameFloat) }) {
			t.Errorf("session %d: its points differ from its settings run alone", c.seed)
		}
	}
	slices.Sort(all)
	if len(all) == 0 {
		t.Fatal("no requests")
	}
	p50, p99, worst := all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	t.Logf("%d sessions for %s: %d requests, latency median %s, 99%% %s, worst %s", n, *loadDuration, len(all), p50, p99, worst)
	if p99 > 1500*time.Millisecond || worst > 5*time.Second {
		t.Errorf("requests were slow: 99%% within %s, the worst %s", p99, worst)
	}
}

func sameFloat(a, b float64) bool { return a == b || a != a && b != b }
