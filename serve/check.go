package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// checkResult is what `normsim check` says about the session's scenario:
// each goal's verdict and line, each claim's test, and the whole text.
type checkResult struct {
	Verdict    string        `json:"verdict"` // PASS | FAIL
	Met        int           `json:"met"`
	Total      int           `json:"total"`
	Goals      []goalResult  `json:"goals"`
	Claims     []claimResult `json:"claims"`
	Text       string        `json:"text"`
	Replicates int           `json:"replicates"`
	Steps      int           `json:"steps"`
	Seed       string        `json:"seed"`
	Kernel     string        `json:"kernel"`
	Seconds    float64       `json:"seconds"`
}

type goalResult struct {
	Verdict string `json:"verdict"`
	Line    string `json:"line"`
	Close   bool   `json:"close"`
	Note    string `json:"note,omitempty"`
	Hint    string `json:"hint,omitempty"`
}

type claimResult struct {
	Verdict string `json:"verdict"`
	Claim   string `json:"claim"`
	Report  string `json:"report"`
	Hint    string `json:"hint,omitempty"`
}

// check grades the session's goals and tests its claims on every
// replicate of its current settings, as `normsim check` does.
func (srv *Server) check(w http.ResponseWriter, r *http.Request, s *session) error {
	if err := decode(w, r, &struct{}{}); err != nil {
		return err
	}
	s.mu.Lock()
	sc, cfg, busy := s.sc.Clone(), s.cfg, s.checking
	if !busy {
		s.checking = true
		s.touchLocked()
	}
	s.mu.Unlock()
	if busy {
		return &apiError{status: http.StatusConflict, msg: "a check of this session is running already: wait for its result"}
	}
	defer func() {
		s.mu.Lock()
		s.checking = false
		s.lastSeen = time.Now()
		s.touchLocked()
		s.mu.Unlock()
	}()
	if len(sc.Expect) == 0 {
		return badRequest("%s has no [[expect]] goals or claims to check: load an exercise, or a scenario with goals", sc.Name)
	}
	ctx, done, err := srv.acquire(r.Context(), sc, &cfg, "check", true)
	if err != nil {
		return err
	}
	defer done()
	res, err := runCheck(ctx, sc, cfg)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &apiError{status: http.StatusServiceUnavailable, msg: fmt.Sprintf("the check took longer than %s and was stopped: lower run.replicates or run.steps, or run normsim check in a terminal", srv.opt.CheckTimeout)}
		}
		if r.Context().Err() != nil {
			return nil // the page went away
		}
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// runCheck runs the check of sc (whose configuration is cfg).
func runCheck(ctx context.Context, sc *scenarios.Scenario, cfg sim.Config) (*checkResult, error) {
	start := time.Now()
	run, err := sim.Run(ctx, cfg, sim.RunOptions{Workers: workers()})
	if err != nil {
		return nil, err
	}
	out := &checkResult{Replicates: len(run.Replicates), Steps: cfg.Run.Steps, Seed: fmt.Sprint(cfg.Run.Seed), Kernel: sim.Kernel(&cfg),
		Goals: []goalResult{}, Claims: []claimResult{}}
	var text strings.Builder
	fmt.Fprintf(&text, "%d replicates of %d steps, seed %d (kernel %s)\n\n", len(run.Replicates), cfg.Run.Steps, cfg.Run.Seed, out.Kernel)
	for _, g := range goals.Grade(sc.Expect, run.Replicates) {
		gr := goalResult{Verdict: g.Verdict(), Line: g.Line(), Close: g.Close, Note: g.Note}
		fmt.Fprintln(&text, g.Line())
		if g.Note != "" {
			fmt.Fprintf(&text, "      note: %s\n", g.Note)
		}
		if !g.Pass {
			gr.Hint = g.Goal.Hint
			if g.Goal.Hint != "" {
				fmt.Fprintf(&text, "      hint: %s\n", g.Goal.Hint)
			}
		} else {
			out.Met++
		}
		out.Goals = append(out.Goals, gr)
	}
	for _, e := range sc.Expect {
		if !e.IsClaim() {
			continue
		}
		c, err := goals.Run(ctx, sc, e, sim.RunOptions{Workers: workers()})
		if err != nil {
			return nil, err
		}
		var rep bytes.Buffer
		c.Report(&rep)
		cr := claimResult{Verdict: c.Verdict(), Claim: e.Claim, Report: rep.String()}
		fmt.Fprintf(&text, "\n%s", rep.String())
		if c.Supported {
			out.Met++
		} else if e.Hint != "" {
			cr.Hint = e.Hint
			fmt.Fprintf(&text, "       hint: %s\n", e.Hint)
		}
		out.Claims = append(out.Claims, cr)
	}
	out.Total = len(out.Goals) + len(out.Claims)
	out.Verdict = "PASS"
	if out.Met < out.Total {
		out.Verdict = "FAIL"
	}
	fmt.Fprintf(&text, "\n%s: %d of %d goals and claims met: %s\n", sc.Name, out.Met, out.Total, out.Verdict)
	out.Text = text.String()
	out.Seconds = time.Since(start).Seconds()
	return out, nil
}

// unsafeName matches what a download's file name may not hold.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileName(name, ext string) string {
	n := strings.Trim(unsafeName.ReplaceAllString(name, "-"), ".-")
	if n == "" {
		n = "scenario"
	}
	return n + ext
}

// download sends the session's scenario as resolved TOML: what `normsim
// show` prints, which `normsim run` and `normsim check` read back.
func (srv *Server) download(w http.ResponseWriter, r *http.Request, s *session) error {
	s.mu.Lock()
	name, data := s.sc.Name, s.sc.Resolved()
	s.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/toml; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileName(name, ".toml")))
	h.Set("Cache-Control", "no-store")
	w.Write(data)
	return nil
}

// handout sends the handout of the session's scenario, as `normsim
// report` writes it.
func (srv *Server) handout(w http.ResponseWriter, r *http.Request, s *session) error {
	if srv.opt.Handout == nil {
		return &apiError{status: http.StatusNotFound, msg: "this workbench makes no handouts: run normsim report"}
	}
	s.mu.Lock()
	sc, cfg := s.sc.Clone(), s.cfg
	s.mu.Unlock()
	ctx, done, err := srv.acquire(r.Context(), sc, &cfg, "handout", false)
	if err != nil {
		return err
	}
	defer done()
	var buf bytes.Buffer
	if err := srv.opt.Handout(ctx, sc, &buf); err != nil {
		if r.Context().Err() != nil {
			return nil
		}
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileName(sc.Name, ".html")))
	h.Set("Cache-Control", "no-store")
	// The handout is a document of its own: inline styles, inline SVG.
	h.Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	w.Write(buf.Bytes())
	return nil
}
