package sweep

// Blocks of the done sets: 65,536 positions, a bitmap of 1024 words.
const (
	blockBits  = 16
	blockSize  = 1 << blockBits
	blockWords = blockSize / 64
)

// fullBlock stands for a block whose every position is done. It is shared
// and never written.
var fullBlock = new([blockWords]uint64)

// doneSet is the set of the runs of a shard that a journal records, by
// position in the shard (run Index + p*Count, or p for the whole sweep).
// It is a bitmap in blocks of 65,536 positions where a block with no run
// done is nil and a block with all done is fullBlock: its memory grows with
// the partly done blocks (the few at the frontier of a sweep that runs in
// order), not with the runs; one bit per run at the most.
type doneSet struct {
	sh     Shard
	size   int // positions in the shard
	blocks []*[blockWords]uint64
	counts []int32 // positions done, per block
	n      int     // positions done
}

func newDoneSet(sh Shard, runs int) *doneSet {
	sh = sh.norm()
	size := sh.Size(runs)
	nb := (size + blockSize - 1) / blockSize
	return &doneSet{sh: sh, size: size, blocks: make([]*[blockWords]uint64, nb), counts: make([]int32, nb)}
}

// pos returns the position of run i in the shard, and whether it is in it.
func (s *doneSet) pos(i int) (int, bool) {
	if s.sh.Whole() {
		return i, i >= 0 && i < s.size
	}
	if i < 0 || i%s.sh.Count != s.sh.Index {
		return 0, false
	}
	p := i / s.sh.Count
	return p, p < s.size
}

// run returns the run at position p.
func (s *doneSet) run(p int) int {
	if s.sh.Whole() {
		return p
	}
	return p*s.sh.Count + s.sh.Index
}

func (s *doneSet) hasPos(p int) bool {
	b := s.blocks[p>>blockBits]
	return b == fullBlock || b != nil && b[p&(blockSize-1)>>6]&(1<<(p&63)) != 0
}

// has reports whether run i is done.
func (s *doneSet) has(i int) bool {
	p, ok := s.pos(i)
	return ok && s.hasPos(p)
}

// add records run i, which must be in the shard; it returns false when i
// was recorded already.
func (s *doneSet) add(i int) bool {
	p, ok := s.pos(i)
	if !ok || s.hasPos(p) {
		return false
	}
	k := p >> blockBits
	if s.blocks[k] == nil {
		s.blocks[k] = new([blockWords]uint64)
	}
	s.blocks[k][p&(blockSize-1)>>6] |= 1 << (p & 63)
	s.counts[k]++
	s.n++
	if int(s.counts[k]) == s.blockLen(k) {
		s.blocks[k] = fullBlock // the bitmap is garbage now
	}
	return true
}

// blockLen is the number of positions of block k (the last may be short).
func (s *doneSet) blockLen(k int) int { return min(blockSize, s.size-k*blockSize) }

// eachMissing calls f with every run not done, in order, until f returns
// false.
func (s *doneSet) eachMissing(f func(i int) bool) {
	s.missingRanges(func(p0, p1 int) bool {
		for p := p0; p <= p1; p++ {
			if !f(s.run(p)) {
				return false
			}
		}
		return true
	})
}

// missingRanges calls f with every range of consecutive positions not
// done, in order, until f returns false: a block with none done is one
// range, a full block none, so that the cost follows the gaps.
func (s *doneSet) missingRanges(f func(p0, p1 int) bool) {
	start := -1 // of the range being gathered
	flush := func(end int) bool {
		if start < 0 {
			return true
		}
		ok := f(start, end)
		start = -1
		return ok
	}
	for k, b := range s.blocks {
		base, n := k*blockSize, s.blockLen(k)
		switch b {
		case fullBlock:
			if !flush(base - 1) {
				return
			}
			continue
		case nil:
			if start < 0 {
				start = base
			}
			continue
		}
		for o := range n {
			if b[o>>6]&(1<<(o&63)) != 0 {
				if !flush(base + o - 1) {
					return
				}
			} else if start < 0 {
				start = base + o
			}
		}
	}
	flush(s.size - 1)
}

// missing returns the runs not done as spans (runs of a shard are Count
// apart), at most limit of them (limit <= 0: all).
func (s *doneSet) missing(limit int) []Span {
	step := max(1, s.sh.Count)
	var ss []Span
	s.missingRanges(func(p0, p1 int) bool {
		ss = addRange(ss, s.run(p0), s.run(p1), step)
		return limit <= 0 || len(ss) <= limit
	})
	if limit > 0 && len(ss) > limit {
		ss = ss[:limit]
	}
	return ss
}

// addRange adds the runs first, first+step, ..., last (after any added
// before) to ss, continuing its last span when it can.
func addRange(ss []Span, first, last, step int) []Span {
	if first == last {
		return addSpan(ss, first)
	}
	if n := len(ss); n > 0 {
		l := &ss[n-1]
		if (l.Step == step || l.First == l.Last) && first-l.Last == step {
			l.Step, l.Last = step, last
			return ss
		}
		if l.Len() == 2 && first-l.Last == step && step < l.Step {
			// 13, 15, then 16-55: "13,15-55" (see addSpan).
			pair := l.Last
			*l = Span{First: l.First, Last: l.First, Step: 1}
			return append(ss, Span{First: pair, Last: last, Step: step})
		}
	}
	return append(ss, Span{First: first, Last: last, Step: step})
}

// allDone reports whether every run of the shard from run a to run b
// (inclusive, both in the shard or b beyond a) is done; full blocks are
// checked at once.
func (s *doneSet) allDone(a, b int) bool {
	p0, ok := s.pos(a)
	if !ok {
		return false
	}
	p1 := p0
	if b > a {
		p1 = p0 + (b-a)/max(1, s.sh.Count)
	}
	p1 = min(p1, s.size-1)
	for p := p0; p <= p1; {
		k := p >> blockBits
		switch s.blocks[k] {
		case fullBlock:
			p = (k + 1) << blockBits
			continue
		case nil:
			return false
		}
		if !s.hasPos(p) {
			return false
		}
		p++
	}
	return true
}
