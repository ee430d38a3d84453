// Package serve is the live workbench of `normsim serve`: a web page, served
// from the binary, where a class or a researcher picks a scenario, sets its
// parameters with sliders, switches and selects generated from sim's
// parameter registry, presses go and watches the charts and the world move,
// and checks an exercise's goals.
//
// # Design
//
// The model runs on the server. Each browser tab is a session with its own
// scenario and its own worlds: one [sim.World] per live replicate (up to
// Options.LiveReplicates of the scenario's run.replicates), replicate r
// drawing from PCG(seed, r) as in `normsim run`, with the scenario's events
// applied before their steps. What the page shows is therefore exactly what
// `normsim run` computes for the same settings, replicate by replicate.
// Changing a setting sets the worlds up again from step 0 (as Mesa does), so
// that the settings on screen, the downloaded scenario and the share link
// always reproduce the run on screen.
//
// The page receives small updates by Server-Sent Events: per recorded step,
// the median and 10-90% range over the live replicates of the charted
// metrics (a run of more than 1,000 steps is averaged into 1,000 points), the
// forum and event markers, and for a lattice world a packed snapshot of
// replicate 0 at most ten times a second. Updates are coalesced: a slow page
// gets fewer, larger updates, never a growing queue.
//
// "check" grades the scenario's [[expect]] goals and tests its claims on
// every replicate, as `normsim check` does, with the same text. The scenario
// downloads as resolved TOML (what `normsim show` prints), and the handout
// as `normsim report` writes it (when the command provides one).
//
// # Limits
//
// The server is meant for a classroom on one machine: it listens on
// 127.0.0.1 unless told otherwise and refuses requests whose Host is not an
// address or localhost (DNS rebinding). Sessions are isolated and expire
// after Options.IdleTimeout without a request or an open stream; their
// number is bounded, as are request bodies, requests per second per
// session, sessions created per second per client, the size of the live
// worlds and the work of a check. Every refusal is a 4xx (or 503 when the
// server is full or busy) with a message that says what was wrong and what
// is allowed. Pages load nothing from elsewhere: the assets are embedded and
// the Content-Security-Policy allows only the server itself.
package serve
