// Package serve is the live workbench of `normsim serve`: a web page,
// served from the binary, where one picks a scenario or an exercise, sets
// its parameters with controls generated from sim's parameter registry,
// presses go, watches the charts and the world move, and checks the goals.
//
// [New] returns a [Server], an http.Handler configured by [Options] (the
// starting scenario, the handout writer, and every limit: sessions,
// requests, live replicates and their memory, the work of a check). The
// model runs on the server, one [sim.World] per live replicate of each
// session, replicate r drawing from PCG(seed, r), so the page shows what
// `normsim run` computes; updates reach the page by Server-Sent Events.
// The page's assets are embedded, and the page loads nothing from
// elsewhere. docs/workbench.md says how it works and what it refuses.
package serve
