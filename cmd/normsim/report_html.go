package main

import (
	"io"

	hp "github.com/normsim/normsim/handout"
)

// handout is a run's handout; package handout builds and writes it.
type handout = hp.Run

// renderHandout writes the handout as one self-contained HTML document.
func renderHandout(w io.Writer, h *handout) error { return h.Render(w) }
