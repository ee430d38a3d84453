package sweep

import (
	"bufio"
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
)

// The journal is sorted by run index in memory bounded by sortChunk,
// whatever the number of runs: lines are gathered in chunks, each sorted
// and written to a temporary file when it fills, and the files merged,
// at most sortFanIn at a time.
var (
	sortChunk = 32 << 20 // bytes of lines held at once
	sortFanIn = 64       // files merged at once
)

// sortedLine is a journal line and its run index.
type sortedLine struct {
	index int
	line  []byte
}

// sortJournals reads the journal files paths (missing files are empty;
// a torn last line is ignored) and calls emit for every recorded run in
// index order, once per run. A run recorded twice must have the same line
// each time. Temporary files go into tmpDir, named as the sweep's
// temporary files, and are removed.
func (pl *plan) sortJournals(tmpDir string, paths []string, emit func(index int, line []byte) error) error {
	var (
		lines []sortedLine
		size  int // bytes of lines
		files []string
	)
	defer func() {
		for _, f := range files {
			os.Remove(f)
		}
	}()
	flush := func() error {
		if len(lines) == 0 {
			return nil
		}
		slices.SortStableFunc(lines, func(a, b sortedLine) int { return a.index - b.index })
		name, err := writeChunk(tmpDir, lines)
		if err != nil {
			return err
		}
		files = append(files, name)
		lines, size = lines[:0], 0
		return nil
	}
	for _, path := range paths {
		_, _, err := pl.scan(path, func(rec *record, line []byte, _ int64) error {
			lines = append(lines, sortedLine{rec.index, line}) // scan reads each line into a slice of its own
			if size += len(line); size >= sortChunk {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(files) == 0 { // one chunk: sorted in memory
		slices.SortStableFunc(lines, func(a, b sortedLine) int { return a.index - b.index })
		return emitUnique(slices.Values(lines), emit)
	}
	if err := flush(); err != nil {
		return err
	}
	for len(files) > sortFanIn { // merge the first files into one until few are left
		name, err := mergeToFile(tmpDir, files[:sortFanIn])
		if err != nil {
			return err
		}
		for _, f := range files[:sortFanIn] {
			os.Remove(f)
		}
		files = append(files[sortFanIn:], name)
	}
	return mergeFiles(files, emit)
}

// emitUnique calls emit for each line of a sorted sequence, once per run
// index, and checks that a run recorded twice has the same line.
func emitUnique(seq func(yield func(sortedLine) bool), emit func(int, []byte) error) error {
	var (
		prev    []byte
		prevIdx = -1
		err     error
	)
	seq(func(l sortedLine) bool {
		if l.index == prevIdx {
			if !bytes.Equal(l.line, prev) {
				err = fmt.Errorf("sweep: run %d is recorded twice with different results", l.index)
				return false
			}
			return true
		}
		prevIdx, prev = l.index, append(prev[:0], l.line...)
		err = emit(l.index, l.line)
		return err == nil
	})
	return err
}

// writeChunk writes sorted lines to a new temporary file in dir.
func writeChunk(dir string, lines []sortedLine) (string, error) {
	f, err := os.CreateTemp(dir, tmpPrefix+"sort-*")
	if err != nil {
		return "", fmt.Errorf("sweep: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	for _, l := range lines {
		w.Write(l.line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return f.Name(), fmt.Errorf("sweep: writing a temporary file: %w", err)
	}
	return f.Name(), f.Close()
}

// mergeToFile merges sorted files into a new temporary file in dir.
func mergeToFile(dir string, files []string) (string, error) {
	f, err := os.CreateTemp(dir, tmpPrefix+"sort-*")
	if err != nil {
		return "", fmt.Errorf("sweep: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	err = mergeFiles(files, func(_ int, line []byte) error {
		_, err := w.Write(line)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// mergeFiles merges sorted files of journal lines, calling emit once per
// run index in order.
func mergeFiles(files []string, emit func(int, []byte) error) error {
	h := &lineHeap{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		defer f.Close()
		c := &cursor{r: bufio.NewReaderSize(f, 1<<16)}
		if ok, err := c.next(); err != nil {
			return err
		} else if ok {
			h.cs = append(h.cs, c)
		}
	}
	heap.Init(h)
	var readErr error
	seq := func(yield func(sortedLine) bool) {
		for h.Len() > 0 {
			c := h.cs[0]
			if !yield(sortedLine{c.index, c.line}) {
				return
			}
			ok, err := c.next() // a new slice: the line yielded stays as it was
			if err != nil {
				readErr = err
				return
			}
			if ok {
				heap.Fix(h, 0)
			} else {
				heap.Pop(h)
			}
		}
	}
	if err := emitUnique(seq, emit); err != nil {
		return err
	}
	return readErr
}

// cursor reads the lines of one sorted file.
type cursor struct {
	r     *bufio.Reader
	index int
	line  []byte
}

// next reads the next line; false at the end of the file.
func (c *cursor) next() (bool, error) {
	line, err := c.r.ReadBytes('\n')
	if errors.Is(err, io.EOF) && len(line) == 0 {
		return false, nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("sweep: reading a temporary file: %w", err)
	}
	comma := bytes.IndexByte(line, ',')
	if comma < 0 {
		return false, errors.New("sweep: a temporary file is damaged")
	}
	if c.index, err = strconv.Atoi(string(line[:comma])); err != nil {
		return false, errors.New("sweep: a temporary file is damaged")
	}
	c.line = line
	return true, nil
}

// lineHeap orders cursors by run index (a run recorded in two files comes
// out of either first: emitUnique wants its lines equal anyway).
type lineHeap struct{ cs []*cursor }

func (h *lineHeap) Len() int           { return len(h.cs) }
func (h *lineHeap) Less(i, j int) bool { return h.cs[i].index < h.cs[j].index }
func (h *lineHeap) Swap(i, j int)      { h.cs[i], h.cs[j] = h.cs[j], h.cs[i] }
func (h *lineHeap) Push(x any)         { h.cs = append(h.cs, x.(*cursor)) }
func (h *lineHeap) Pop() any {
	c := h.cs[len(h.cs)-1]
	h.cs = h.cs[:len(h.cs)-1]
	return c
}

// memoryEstimate is the peak memory of executing and finishing the sweep
// of pl, in bytes: the program, the sort's chunk (its lines and their
// index), the design's points with their outputs, one point's replicates,
// and the bitmap of runs done. It does not grow with the runs, only with
// the points (TestSweepRSS measures it).
func memoryEstimate(pl *plan) float64 {
	const base = 32 << 20
	outputs := float64(len(pl.m.Outcomes) + len(pl.m.Metrics))
	points := float64(pl.m.Points) * (32 + 8*float64(len(pl.d.Params)) + 8*outputs)
	point := float64(pl.reps) * 8 * (float64(len(pl.m.Metrics)) + 1)
	blocks := float64(pl.m.Runs/blockSize+1) * 12
	return base + 3*float64(sortChunk) + points + point + blocks + 4*blockWords*8
}
