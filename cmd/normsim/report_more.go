package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	hp "github.com/normsim/normsim/handout"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
)

// studyName is the argument of report that makes the claims study's
// handout.
const studyName = "claims"

// studyFindings is where the claims study's findings are looked for when
// report is given the name claims: the repository's, from its root.
var studyFindings = filepath.Join("docs", "claims")

// reportOther writes the handouts that are not a run's: a sweep's (arg is
// a sweep directory) and the claims study's (arg is "claims", or a
// directory that 'normsim claims -o' wrote). done is false for any other
// argument, which is a scenario or a run directory.
func reportOther(e *env, o *reportOptions, arg string) (done bool, err error) {
	if hp.IsSweep(arg) {
		return true, reportSweep(e, o, arg)
	}
	_, err = os.Stat(filepath.Join(arg, hp.FindingsFile))
	isStudy := err == nil && !isRunDir(arg)
	if arg == studyName && !isRunDir(arg) || isStudy {
		return true, reportStudy(e, o, arg, isStudy)
	}
	return false, nil
}

func reportSweep(e *env, o *reportOptions, dir string) error {
	out, err := o.resultsOut(dir, "a sweep's results", "run the sweep again with 'normsim sweep'")
	if err != nil {
		return err
	}
	h, err := hp.ReadSweep(dir)
	if err != nil {
		return failuref("report", "%v", err)
	}
	h.Program = programVersion
	return writeDoc(e, out, h)
}

// reportStudy tests every claim of the claims study and writes its
// handout, with the robustness results of dir (when fromDir) or of the
// repository's docs/claims (when it is there).
func reportStudy(e *env, o *reportOptions, dir string, fromDir bool) error {
	out := o.out
	if out == "" {
		out = studyName + ".html"
	}
	if err := checkFileOut("report", out, o.force); err != nil {
		return err // before the claims are tested, which takes a while
	}
	from := dir
	if !fromDir {
		from = ""
		if _, err := os.Stat(filepath.Join(studyFindings, hp.FindingsFile)); err == nil {
			from = studyFindings
		}
	}
	in := hp.StudyInput{Workers: o.workers, From: from, Program: programVersion}
	if from != "" {
		var err error
		if in.Findings, in.Robustness, err = hp.ReadFindings(from); err != nil {
			if fromDir {
				return failuref("report", "%v", err)
			}
			// The repository's findings are a bonus: without them, the
			// study shows each claim in its own set-up.
			fmt.Fprintf(e.stderr, "normsim report: warning: %v: the handout shows no robustness\n", err)
			in.From, in.Findings, in.Robustness = "", nil, nil
		}
	}
	for _, entry := range scenarios.Claims() {
		s, _, err := o.load(e, "report", entry.Name)
		if err != nil {
			return err
		}
		in.Scenarios = append(in.Scenarios, s)
	}
	args := quoteArgs(studyName, o)
	if fromDir {
		args[0] = dir
	}
	in.Source = fmt.Sprintf("Ran by normsim report %s.", strings.Join(args, " "))
	if e.terminal {
		in.Progress = func(done, total int) {
			fmt.Fprintf(e.stderr, "\rtesting claim %d of %d", done, total)
			if done == total {
				fmt.Fprintln(e.stderr)
			}
		}
	}
	st, err := hp.NewStudy(e.ctx, in)
	if err != nil {
		if e.ctx.Err() != nil {
			return failuref("report", "%s while testing the claims: no handout", e.interrupted())
		}
		return failuref("report", "%v", err)
	}
	return writeDoc(e, out, st)
}

// writeDoc writes a handout to out.
func writeDoc(e *env, out string, doc interface{ Render(io.Writer) error }) error {
	if err := results.WriteFile(out, doc.Render); err != nil {
		return failuref("report", "%v", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", out)
	return nil
}
