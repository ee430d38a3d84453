package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
)

// Adjacency is a frozen undirected graph in compressed sparse row form:
// the neighbours of state i are Nbrs[Off[i]:Off[i+1]], sorted ascending.
// A complete topology has Complete set and no slices: its neighbours are
// every other state, which the kernels sample without building the graph.
type Adjacency struct {
	N        int
	Complete bool
	Off      []int32
	Nbrs     []int32
}

// Degree returns the number of neighbours of i.
func (a *Adjacency) Degree(i int) int {
	if a.Complete {
		return a.N - 1
	}
	return int(a.Off[i+1] - a.Off[i])
}

// Neighbours returns the neighbours of i; it must not be called on a
// complete topology.
func (a *Adjacency) Neighbours(i int) []int32 {
	return a.Nbrs[a.Off[i]:a.Off[i+1]]
}

// Random returns a neighbour of i drawn uniformly, or -1 if i has none.
func (a *Adjacency) Random(i int, rnd *rand.Rand) int {
	if a.Complete {
		if a.N < 2 {
			return -1
		}
		j := rnd.IntN(a.N - 1)
		if j >= i {
			j++
		}
		return j
	}
	d := a.Off[i+1] - a.Off[i]
	if d == 0 {
		return -1
	}
	return int(a.Nbrs[a.Off[i]+rnd.Int32N(d)])
}

// BuildTopology builds the adjacency that cfg's topology describes. Random
// graphs draw from rnd, by generators of our own that cost O(N + edges):
// Erdos-Renyi and blocs by geometric skips over the pairs (Batagelj and
// Brandes 2005), Watts-Strogatz (1998) by rewiring a ring lattice,
// Barabasi-Albert (1999) by the repeated-nodes method. gonum's generators
// do not fit: PreferentialAttachment costs O(N^2), and Gnp and
// SmallWorldsBB add nodes of their own (and SmallWorldsBB with p = 0 gives
// no ring). The result is frozen into sorted slices so that nothing later
// depends on map order. A lattice is indexed row-major, site (x, y) =
// y*Width + x.
func BuildTopology(cfg *Config, bloc []int32, rnd *rand.Rand) (*Adjacency, error) {
	return buildTopology(cfg, bloc, rnd, nil)
}

// buildTopology is BuildTopology that gives up, with errStopped, when stop
// is set (see stopped): a dense graph of a large world takes seconds.
func buildTopology(cfg *Config, bloc []int32, rnd *rand.Rand, stop *atomic.Bool) (*Adjacency, error) {
	adj, err := build(cfg, bloc, rnd, stop)
	if err == nil && stopped(stop) {
		return nil, errStopped
	}
	return adj, err
}

func build(cfg *Config, bloc []int32, rnd *rand.Rand, stop *atomic.Bool) (*Adjacency, error) {
	n := cfg.World.States
	t := cfg.Topology
	switch t.Kind {
	case TopoComplete:
		return &Adjacency{N: n, Complete: true}, nil
	case TopoLattice:
		return latticeAdjacency(t), nil
	case TopoEdges:
		lists := make([][]int32, n)
		for _, e := range t.Edges {
			if e[0] == e[1] {
				continue
			}
			lists[e[0]] = append(lists[e[0]], int32(e[1]))
			lists[e[1]] = append(lists[e[1]], int32(e[0]))
		}
		return freeze(lists), nil
	case TopoBlocs:
		return blocGraph(n, bloc, t.PIn, t.POut, rnd, stop), nil
	case TopoRandom:
		return blocGraph(n, make([]int32, n), t.P, 0, rnd, stop), nil
	case TopoSmallWorld:
		return wattsStrogatz(n, t.K, t.Rewire, rnd, stop), nil
	case TopoScaleFree:
		return barabasiAlbert(n, t.M, rnd, stop), nil
	}
	return nil, fmt.Errorf("sim: unknown topology %q", t.Kind)
}

// freeze sorts and deduplicates each list and packs them into CSR form.
func freeze(lists [][]int32) *Adjacency {
	a := &Adjacency{N: len(lists), Off: make([]int32, len(lists)+1)}
	total := 0
	for i, l := range lists {
		slices.Sort(l)
		lists[i] = slices.Compact(l)
		total += len(lists[i])
	}
	a.Nbrs = make([]int32, 0, total)
	for i, l := range lists {
		a.Nbrs = append(a.Nbrs, l...)
		a.Off[i+1] = int32(len(a.Nbrs))
	}
	return a
}

// latticeAdjacency builds a width x height lattice with the Moore (8) or
// von Neumann (4) neighbourhood, fixed or periodic boundary, and the site
// itself as a neighbour when Self is set (Nowak and May 1992).
func latticeAdjacency(t TopologyConfig) *Adjacency {
	w, h := t.Width, t.Height
	lists := make([][]int32, w*h)
	for y := range h {
		for x := range w {
			i := y*w + x
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if dx == 0 && dy == 0 {
						if t.Self {
							lists[i] = append(lists[i], int32(i))
						}
						continue
					}
					if t.Neighbourhood == VonNeumann && dx != 0 && dy != 0 {
						continue
					}
					nx, ny := x+dx, y+dy
					if t.Torus {
						nx, ny = (nx+w)%w, (ny+h)%h
					} else if nx < 0 || nx >= w || ny < 0 || ny >= h {
						continue
					}
					lists[i] = append(lists[i], int32(ny*w+nx))
				}
			}
		}
	}
	return freeze(lists)
}

// barabasiAlbert grows a Barabasi-Albert (1999) network: m initial states
// with no edges, then each new state links to m distinct existing states
// drawn with probability proportional to their degree (the "repeated
// nodes" method of NetworkX's barabasi_albert_graph), in O(N m).
func barabasiAlbert(n, m int, rnd *rand.Rand, stop *atomic.Bool) *Adjacency {
	lists := make([][]int32, n)
	repeated := make([]int32, 0, 2*n*m)
	targets := make([]int32, m)
	for i := range targets {
		targets[i] = int32(i)
	}
	seen := make([]int32, n)
	for i := range seen {
		seen[i] = -1
	}
	for src := m; src < n; src++ {
		if src&0x3ff == 0 && stopped(stop) {
			break
		}
		for _, t := range targets {
			lists[src] = append(lists[src], t)
			lists[t] = append(lists[t], int32(src))
		}
		repeated = append(repeated, targets...)
		for range m {
			repeated = append(repeated, int32(src))
		}
		// m distinct targets for the next state, by degree.
		k := 0
		for k < m {
			x := repeated[rnd.IntN(len(repeated))]
			if seen[x] == int32(src) {
				continue
			}
			seen[x] = int32(src)
			targets[k] = x
			k++
		}
	}
	return freeze(lists)
}

// blocGraph draws a graph in which each pair of states is linked with
// probability pIn inside a bloc and pOut across blocs, each pair
// independently. Pairs are enumerated block by block (a bloc with itself,
// then each pair of blocs) and skipped over geometrically (Batagelj and
// Brandes 2005, "Efficient generation of large random networks", Phys.
// Rev. E 71), so the cost is O(N + edges), not O(N^2).
func blocGraph(n int, bloc []int32, pIn, pOut float64, rnd *rand.Rand, stop *atomic.Bool) *Adjacency {
	nb := int32(0)
	for _, b := range bloc {
		nb = max(nb, b+1)
	}
	members := make([][]int32, nb)
	for i, b := range bloc {
		members[b] = append(members[b], int32(i))
	}
	lists := make([][]int32, n)
	links := 0
	link := func(a, b int32) {
		lists[a] = append(lists[a], b)
		lists[b] = append(lists[b], a)
		links++
	}
	// each calls f for every k in [0, total) drawn with probability p.
	each := func(total int, p float64, f func(k int)) {
		if p <= 0 || total <= 0 {
			return
		}
		if p >= 1 {
			for k := range total {
				if k&0xffff == 0 && stopped(stop) {
					return
				}
				f(k)
			}
			return
		}
		lq := math.Log1p(-p)
		for k := geometric(rnd, lq); k < total; k += geometric(rnd, lq) + 1 {
			if links&0xffff == 0 && stopped(stop) {
				return
			}
			f(k)
		}
	}
	for x := range members {
		m := members[x]
		// Pair k of a bloc of size s: the k-th pair (i < j) in row order.
		each(len(m)*(len(m)-1)/2, pIn, func(k int) {
			i := int((1 + math.Sqrt(1+8*float64(k))) / 2) // j index: largest j with j(j-1)/2 <= k
			for i*(i-1)/2 > k {
				i--
			}
			for (i+1)*i/2 <= k {
				i++
			}
			link(m[i], m[k-i*(i-1)/2])
		})
		for y := x + 1; y < len(members); y++ {
			o := members[y]
			each(len(m)*len(o), pOut, func(k int) { link(m[k/len(o)], o[k%len(o)]) })
		}
	}
	return freeze(lists)
}

// wattsStrogatz builds the small world of Watts and Strogatz (1998),
// "Collective dynamics of 'small-world' networks", Nature 393: a ring of n
// states each linked to its k/2 nearest neighbours on either side, then
// each link (i, i+j), in order of j and i, rewired with probability p to a
// state drawn uniformly, avoiding self-links and duplicates (a rewiring
// that finds no free state after many tries keeps the link). The number of
// links, n k / 2, does not change.
func wattsStrogatz(n, k int, p float64, rnd *rand.Rand, stop *atomic.Bool) *Adjacency {
	key := func(a, b int32) int64 {
		if a > b {
			a, b = b, a
		}
		return int64(a)<<32 | int64(b)
	}
	has := make(map[int64]struct{}, n*k/2) // membership only, never iterated
	type link struct{ a, b int32 }
	links := make([]link, 0, n*k/2)
	for j := 1; j <= k/2; j++ {
		for i := range n {
			if i&0xffff == 0 && stopped(stop) {
				break
			}
			a, b := int32(i), int32((i+j)%n)
			if _, dup := has[key(a, b)]; dup || a == b {
				continue
			}
			has[key(a, b)] = struct{}{}
			links = append(links, link{a, b})
		}
	}
	for x := range links {
		if x&0xffff == 0 && stopped(stop) {
			break
		}
		if p <= 0 || rnd.Float64() >= p {
			continue
		}
		a, b := links[x].a, links[x].b
		for try := 0; try < 64; try++ {
			c := int32(rnd.IntN(n))
			if _, dup := has[key(a, c)]; dup || c == a {
				continue
			}
			delete(has, key(a, b))
			has[key(a, c)] = struct{}{}
			links[x].b = c
			break
		}
	}
	lists := make([][]int32, n)
	for _, l := range links {
		lists[l.a] = append(lists[l.a], l.b)
		lists[l.b] = append(lists[l.b], l.a)
	}
	return freeze(lists)
}
