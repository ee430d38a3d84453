package sim

import (
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/normsim/normsim/agents"
)

// nowakMay is the fast path of the game kernel: the Nowak and May (1992)
// lattice (Moore neighbourhood, best-neighbour, synchronous update, fixed or
// periodic boundary, any 2x2 game).
//
// How it is fast and still exact:
//
//   - The lattice is stored as bytes (1 = C) with a one-cell border, so no
//     site needs a bounds check: with fixed edges the border holds absent
//     sites (they count as no cooperator and are never the best scorer);
//     with a torus it holds copies of the opposite edge.
//   - A site's payoff depends only on its strategy, the number cnt of
//     cooperators in its 3x3 box (itself included) and the size of the box
//     inside the lattice (9, 6 at an edge, 4 at a corner). The accumulated
//     payoffs of all these cases are kept in a table of at most 38 values,
//     updated with the same floating-point operations as the general path
//     (so the two agree to the bit); at a learning round the values are
//     ranked and every site gets a one-byte key 2 (rank+1) + (1 if D).
//   - cnt is a separable box sum (row sums, then column sums) and the best
//     key in the box a separable box maximum (row maxima, then column
//     maxima): about a dozen byte operations per site instead of 9 loads
//     and 9 float comparisons.
//   - The largest key in a box names the best score and whether a defector
//     attains it: the site cooperates next when it is even. A defector and
//     a cooperator tie only when their payoffs are equal floats (for Nowak
//     and May's R = 1, S = P = 0 that happens only at the critical values
//     b = m/k, such as 9/5 and 2); then a second box maximum over the
//     cooperators' keys tells whether a cooperator has the best rank too,
//     and a tie keeps the current strategy.
//   - The metrics (cooperators, beliefs, next step's payoffs) come from
//     integer sums gathered in the same pass that computes cnt.
type nowakMay struct {
	w, h, p     int // width, height, padded row stride w+2
	n           int
	torus, self bool
	rnd         *rand.Rand
	game        agents.Game
	every       int
	mu          float64

	cur, nxt []uint8 // strategies, padded (h+2) x p
	code     []uint8 // c<<4 | box count of cooperators, for cur, padded
	rs       []uint8 // row sums or row maxima of the keys, padded
	rsC      []uint8 // row maxima of the cooperators' keys, padded
	krow     []uint8 // one row of keys

	classes int                 // 1 (torus) or 3 (fixed: box of 9, 6, 4)
	acc     [3][2][10]float64   // accumulated payoff by class, strategy, cnt
	key     [3][32]uint8        // key by class and c<<4 | cnt
	keyC    [3][32]uint8        // the cooperators' keys, 0 for defectors
	shared  bool                // some C and D payoffs are equal
	vals    [3 * 2 * 10]float64 // scratch for ranking

	t       int
	changed bool
	coop    int
	// Game counts of the current configuration: cooperators met by
	// cooperators, defectors met by cooperators, cooperators met by
	// defectors, defectors met by defectors.
	gCC, gCD, gDC, gDD   int
	beliefMean, beliefSD float64
}

// boxSizes are the box sizes of the classes of sites.
var boxSizes = [3]int{9, 6, 4}

func newNowakMay(cfg *Config, rnd *rand.Rand) *nowakMay {
	t := cfg.Topology
	w, h := t.Width, t.Height
	p := w + 2
	k := &nowakMay{w: w, h: h, p: p, n: w * h, torus: t.Torus, self: t.Self, rnd: rnd,
		every: cfg.Learning.Every, classes: 3}
	if k.torus {
		k.classes = 1
	}
	size := (h + 2) * p
	k.cur = make([]uint8, size)
	k.nxt = make([]uint8, size)
	k.code = make([]uint8, size)
	k.rs = make([]uint8, size)
	k.rsC = make([]uint8, size)
	k.krow = make([]uint8, p)
	k.reconfigure(cfg)

	c := make([]uint8, k.n)
	for i := range c {
		c[i] = cooperate
	}
	initialStrategies(c, cfg, rnd)
	for y := range h {
		copy(k.cur[(y+1)*p+1:(y+1)*p+1+w], c[y*w:(y+1)*w])
	}
	k.count(k.cur)
	return k
}

func (k *nowakMay) reconfigure(cfg *Config) {
	g := cfg.Game
	k.game = agents.Game{Reward: g.Reward, Sucker: g.Sucker, Temptation: g.Temptation, Punishment: g.Punishment}
	k.mu = cfg.Learning.Mutation
}

func (k *nowakMay) agentSteps() int { return k.n }

func (k *nowakMay) observe(row *Row) {
	fillGameRow(row, k.n, k.coop, k.beliefMean, k.beliefSD, 0, false)
}

// class returns the class of the site at padded row y, column x.
func (k *nowakMay) class(y, x int) int {
	if k.torus {
		return 0
	}
	b := 9
	if x == 1 || x == k.w {
		b = 6
	}
	if y == 1 || y == k.h {
		b = b / 3 * 2
	}
	switch b {
	case 9:
		return 0
	case 6:
		return 1
	}
	return 2
}

// games returns the numbers of cooperators and defectors met by a site of
// the class with strategy s and cnt cooperators in its box.
func (k *nowakMay) games(class int, s uint8, cnt int) (nC, nD int) {
	b := boxSizes[class]
	if k.self {
		return cnt, b - cnt
	}
	nC = cnt - int(s)
	return nC, b - 1 - nC
}

func (k *nowakMay) step(row *Row) {
	k.t++
	// Play: accumulate the payoff of every (class, strategy, count).
	for cl := range k.classes {
		b := boxSizes[cl]
		for cnt := 0; cnt <= b; cnt++ {
			if cnt < b {
				nC, nD := k.games(cl, defect, cnt)
				k.acc[cl][defect][cnt] += k.game.Payoff(false, nC, nD)
			}
			if cnt > 0 {
				nC, nD := k.games(cl, cooperate, cnt)
				k.acc[cl][cooperate][cnt] += k.game.Payoff(true, nC, nD)
			}
		}
	}
	g := k.game
	pm := (float64(k.gCC)*g.Reward + float64(k.gCD)*g.Sucker + float64(k.gDC)*g.Temptation +
		float64(k.gDD)*g.Punishment) / float64(k.n)
	k.changed = false
	if k.t%k.every == 0 {
		k.rank()
		k.update()
		k.mutate()
		k.count(k.nxt)
		k.cur, k.nxt = k.nxt, k.cur
		k.acc = [3][2][10]float64{}
		k.changed = true
	}
	fillGameRow(row, k.n, k.coop, k.beliefMean, k.beliefSD, pm, true)
}

// rank turns the accumulated payoffs into the keys of every (class,
// strategy, count): 2 (rank+1) for a cooperator, 2 (rank+1) + 1 for a
// defector, where equal payoffs have equal ranks; keyC has the
// cooperators' keys only.
func (k *nowakMay) rank() {
	v := k.vals[:0]
	for cl := range k.classes {
		b := boxSizes[cl]
		for cnt := 0; cnt <= b; cnt++ {
			if cnt < b {
				v = append(v, k.acc[cl][defect][cnt])
			}
			if cnt > 0 {
				v = append(v, k.acc[cl][cooperate][cnt])
			}
		}
	}
	slices.Sort(v)
	v = slices.Compact(v)
	var hasC, hasD [len(k.vals)]bool
	for cl := range k.classes {
		b := boxSizes[cl]
		for cnt := 0; cnt <= b; cnt++ {
			if cnt < b {
				r, _ := slices.BinarySearch(v, k.acc[cl][defect][cnt])
				k.key[cl][cnt] = uint8(2*(r+1) + 1)
				k.keyC[cl][cnt] = 0
				hasD[r] = true
			}
			if cnt > 0 {
				r, _ := slices.BinarySearch(v, k.acc[cl][cooperate][cnt])
				k.key[cl][1<<4|cnt] = uint8(2 * (r + 1))
				k.keyC[cl][1<<4|cnt] = uint8(2 * (r + 1))
				hasC[r] = true
			}
		}
	}
	k.shared = false
	for r := range len(v) {
		k.shared = k.shared || hasC[r] && hasD[r]
	}
}

// boxMax sets rm to the row maxima of the keys of table (the column maxima
// are taken by the decision).
func (k *nowakMay) boxMax(rm []uint8, table *[3][32]uint8) {
	w, h, p := k.w, k.h, k.p
	kr := k.krow
	for y := 1; y <= h; y++ {
		o := y * p
		cr := k.code[o+1 : o+1+w]
		mid, end := &table[0], &table[0]
		if !k.torus {
			mid, end = &table[0], &table[1]
			if y == 1 || y == h {
				mid, end = &table[1], &table[2]
			}
		}
		lookup(kr[1:1+w], cr, mid)
		kr[1] = end[cr[0]&31]
		kr[w] = end[cr[w-1]&31]
		if k.torus {
			kr[0], kr[w+1] = kr[w], kr[1]
		} else {
			kr[0], kr[w+1] = 0, 0
		}
		rowMax3(rm[o+1:o+1+w], kr)
	}
	if k.torus {
		copy(rm[0:p], rm[h*p:h*p+p])
		copy(rm[(h+1)*p:(h+2)*p], rm[p:2*p])
	} else {
		clear(rm[0:p])
		clear(rm[(h+1)*p : (h+2)*p])
	}
}

// update computes the next strategies into nxt: every site takes the
// strategy of the best key in its 3x3 box, keeping its own on a tie
// between a cooperator and a defector.
func (k *nowakMay) update() {
	w, h, p := k.w, k.h, k.p
	rm, rmC := k.rs, k.rsC
	k.boxMax(rm, &k.key)
	if k.shared {
		k.boxMax(rmC, &k.keyC)
	}
	for y := 1; y <= h; y++ {
		o := y * p
		out := k.nxt[o+1 : o+1+w]
		a, b, c := rm[o-p+1:o-p+1+w], rm[o+1:o+1+w], rm[o+p+1:o+p+1+w]
		if !k.shared {
			decide(out, a, b, c)
			continue
		}
		ac, bc, cc := rmC[o-p+1:o-p+1+w], rmC[o+1:o+1+w], rmC[o+p+1:o+p+1+w]
		decideTie(out, a, b, c, ac, bc, cc, k.cur[o+1:o+1+w])
	}
}

// mutate flips each site of nxt with probability mu.
func (k *nowakMay) mutate() {
	if k.mu <= 0 {
		return
	}
	logq := math.Log1p(-k.mu)
	for i := nextMutant(k.rnd, -1, k.n, logq); i < k.n; i = nextMutant(k.rnd, i, k.n, logq) {
		j := (i/k.w+1)*k.p + i%k.w + 1
		k.nxt[j] ^= 1
	}
}

// count fills the box counts of s (which becomes the current lattice) and
// the metrics of that configuration. With a torus it first fills the
// border of s with copies of the opposite edges.
func (k *nowakMay) count(s []uint8) {
	w, h, p := k.w, k.h, k.p
	if k.torus {
		for y := 1; y <= h; y++ {
			s[y*p], s[y*p+w+1] = s[y*p+w], s[y*p+1]
		}
		copy(s[0:p], s[h*p:h*p+p])
		copy(s[(h+1)*p:(h+2)*p], s[p:2*p])
	}
	rs := k.rs
	// Row sums, rows 0..h+1 (the border rows are zero with fixed edges).
	for y := 0; y <= h+1; y++ {
		o := y * p
		rowSum3(rs[o+1:o+1+w], s[o:o+w+2])
	}
	// Column sums and the sums the metrics need.
	var sc, sn, sn2, scn int
	for y := 1; y <= h; y++ {
		o := y * p
		a, b, c := rs[o-p+1:o-p+1+w], rs[o+1:o+1+w], rs[o+p+1:o+p+1+w]
		c1, n1, n2, cn := colSum3(k.code[o+1:o+1+w], a, b, c, s[o+1:o+1+w])
		sc += c1
		sn += n1
		sn2 += n2
		scn += cn
	}
	// Per class sums: the border ring separately, the rest is interior.
	var cs [3][5]int // count, sc, sn, sn2, scn
	cs[0] = [5]int{k.n, sc, sn, sn2, scn}
	if !k.torus {
		add := func(y, x int) {
			cl := k.class(y, x)
			i := y*p + x
			ci, ni := int(s[i]), int(k.code[i]&15)
			d := [5]int{1, ci, ni, ni * ni, ci * ni}
			for j := range d {
				cs[cl][j] += d[j]
				cs[0][j] -= d[j]
			}
		}
		for x := 1; x <= w; x++ {
			add(1, x)
			add(h, x)
		}
		for y := 2; y < h; y++ {
			add(y, 1)
			add(y, w)
		}
	}
	k.coop = sc
	k.gCC, k.gCD, k.gDC, k.gDD = 0, 0, 0, 0
	var s1, s2 float64
	for cl := range k.classes {
		m, nc, n1, n2, cn := cs[cl][0], cs[cl][1], cs[cl][2], cs[cl][3], cs[cl][4]
		b := boxSizes[cl]
		// Neighbours seen (self excluded): k = cnt - c.
		d := float64(b - 1)
		sk := n1 - nc
		sk2 := n2 - 2*cn + nc
		s1 += float64(sk) / d
		s2 += float64(sk2) / (d * d)
		// Games: a cooperator meets cnt - 1 cooperators (cnt with
		// self-play), a defector cnt; each plays g games.
		g := b - 1
		ccMet := cn - nc
		if k.self {
			g = b
			ccMet = cn
		}
		dcMet := n1 - cn
		k.gCC += ccMet
		k.gCD += nc*g - ccMet
		k.gDC += dcMet
		k.gDD += (m-nc)*g - dcMet
	}
	k.beliefMean, k.beliefSD = meanSD(s1, s2, k.n)
}

func (k *nowakMay) snapshot(step int) LatticeSnapshot {
	s := LatticeSnapshot{Step: step, Width: k.w, Height: k.h, Cells: make([]uint8, k.n)}
	for y := range k.h {
		for x := range k.w {
			i := (y+1)*k.p + x + 1
			c, prev := k.cur[i], k.cur[i]
			if k.changed {
				prev = k.nxt[i]
			}
			s.Cells[y*k.w+x] = snapshotCode(prev, c)
		}
	}
	return s
}

// Byte-parallel (SWAR) kernels: eight sites per 64-bit word, with scalar
// tails. Keys are below 128 and counts below 16, so no byte carries into
// the next.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

func load(b []uint8, i int) uint64     { return binary.LittleEndian.Uint64(b[i:]) }
func store(b []uint8, i int, v uint64) { binary.LittleEndian.PutUint64(b[i:], v) }

// max8 is the bytewise maximum of a and b, bytes below 128.
func max8(a, b uint64) uint64 {
	ge := (((a | msb) - b) & msb) >> 7 * 0xff // 0xff where a >= b
	return a&ge | b&^ge
}

// byteSum is the sum of the bytes of v when it is below 256.
func byteSum(v uint64) int { return int((v * lsb) >> 56) }

// rowSum3 sets out[x] = in[x] + in[x+1] + in[x+2]; len(in) = len(out) + 2.
func rowSum3(out, in []uint8) {
	x := 0
	for ; x+10 <= len(in); x += 8 {
		store(out, x, load(in, x)+load(in, x+1)+load(in, x+2))
	}
	for ; x < len(out); x++ {
		out[x] = in[x] + in[x+1] + in[x+2]
	}
}

// rowMax3 sets out[x] = max(in[x], in[x+1], in[x+2]); len(in) = len(out) + 2.
func rowMax3(out, in []uint8) {
	x := 0
	for ; x+10 <= len(in); x += 8 {
		store(out, x, max8(max8(load(in, x), load(in, x+1)), load(in, x+2)))
	}
	for ; x < len(out); x++ {
		out[x] = max(in[x], in[x+1], in[x+2])
	}
}

// decide sets out[x] to 1 (cooperate) when the box maximum
// max(a[x], b[x], c[x]) is even (a cooperator's key) and to 0 otherwise.
func decide(out, a, b, c []uint8) {
	x := 0
	for ; x+8 <= len(out); x += 8 {
		store(out, x, ^max8(max8(load(a, x), load(b, x)), load(c, x))&lsb)
	}
	for ; x < len(out); x++ {
		out[x] = ^max(a[x], b[x], c[x]) & 1
	}
}

// colSum3 sets out[x] = s[x]<<4 | (a[x] + b[x] + c[x]), the strategy and
// box count, and returns the sums over the row of s (the strategies), of
// the counts, of their squares and of the counts of cooperators.
func colSum3(out, a, b, c, s []uint8) (sc, sn, sn2, scn int) {
	x := 0
	for ; x+8 <= len(out); x += 8 {
		n := load(a, x) + load(b, x) + load(c, x)
		cw := load(s, x)
		store(out, x, cw<<4|n)
		sc += bits.OnesCount64(cw)
		sn += byteSum(n)
		scn += byteSum(n & (cw * 0xff))
		// n^2 = sum over the bits k of n of 2^k n.
		sn2 += byteSum(n&((n&lsb)*0xff)) + 2*byteSum(n&((n>>1&lsb)*0xff)) +
			4*byteSum(n&((n>>2&lsb)*0xff)) + 8*byteSum(n&((n>>3&lsb)*0xff))
	}
	for ; x < len(out); x++ {
		n := a[x] + b[x] + c[x]
		out[x] = s[x]<<4 | n
		ci, ni := int(s[x]), int(n)
		sc += ci
		sn += ni
		sn2 += ni * ni
		scn += ci * ni
	}
	return sc, sn, sn2, scn
}

// lookup sets out[x] = t[in[x]&31], eight at a time.
func lookup(out, in []uint8, t *[32]uint8) {
	x := 0
	for ; x+8 <= len(out); x += 8 {
		v := load(in, x)
		store(out, x, uint64(t[v&31])|uint64(t[v>>8&31])<<8|uint64(t[v>>16&31])<<16|
			uint64(t[v>>24&31])<<24|uint64(t[v>>32&31])<<32|uint64(t[v>>40&31])<<40|
			uint64(t[v>>48&31])<<48|uint64(t[v>>56&31])<<56)
	}
	for ; x < len(out); x++ {
		out[x] = t[in[x]&31]
	}
}

// strategies returns the strategies, by site (1 = cooperate).
func (k *nowakMay) strategies() []uint8 {
	c := make([]uint8, k.n)
	for y := range k.h {
		copy(c[y*k.w:(y+1)*k.w], k.cur[(y+1)*k.p+1:])
	}
	return c
}

// decideTie is decide when cooperators and defectors can tie: with K the
// box maximum of all keys (a, b, c) and KC that of the cooperators' keys
// (ac, bc, cc), out[x] is 1 when KC has K's rank (K even, or K odd and a
// cooperator ties with the best defector) and the site cooperates or K is
// even; 0 otherwise.
func decideTie(out, a, b, c, ac, bc, cc, cur []uint8) {
	const low7 = 0x7f7f7f7f7f7f7f7f
	x := 0
	for ; x+8 <= len(out); x += 8 {
		k := max8(max8(load(a, x), load(b, x)), load(c, x))
		kc := max8(max8(load(ac, x), load(bc, x)), load(cc, x))
		z := kc ^ (k &^ lsb)
		eq := (^(((z & low7) + low7) | z) & msb) >> 7
		store(out, x, eq&(^k&lsb|load(cur, x)))
	}
	for ; x < len(out); x++ {
		k := max(a[x], b[x], c[x])
		kc := max(ac[x], bc[x], cc[x])
		var v uint8
		if kc == k&^1 && (k&1 == 0 || cur[x] == cooperate) {
			v = cooperate
		}
		out[x] = v
	}
}
