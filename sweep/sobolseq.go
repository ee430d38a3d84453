package sweep

// The Sobol' low-discrepancy sequence (Sobol' 1967), generated in Gray-code
// order (Antonov and Saleev 1979) as in Bratley and Fox (1988), Algorithm
// 659, with the direction numbers of Joe and Kuo (2008), "Constructing
// Sobol sequences with better two-dimensional projections", SIAM J. Sci.
// Comput. 30, 2635-2654: the file new-joe-kuo-6.21201, dimensions 2 to 40.
// Dimension 1 is the van der Corput sequence in base 2. The sequence is not
// scrambled: the first point is 0 and is kept (Owen 2022, "On dropping the
// first Sobol' point").

// joeKuo holds, for dimensions 2..maxSobolDim, the degree s of the
// primitive polynomial, its coefficients a (the inner s-1 bits) and the
// initial direction numbers m_1..m_s.
var joeKuo = [...]struct {
	s, a int
	m    []uint32
}{
	{1, 0, []uint32{1}},                             // 2
	{2, 1, []uint32{1, 3}},                          // 3
	{3, 1, []uint32{1, 3, 1}},                       // 4
	{3, 2, []uint32{1, 1, 1}},                       // 5
	{4, 1, []uint32{1, 1, 3, 3}},                    // 6
	{4, 4, []uint32{1, 3, 5, 13}},                   // 7
	{5, 2, []uint32{1, 1, 5, 5, 17}},                // 8
	{5, 4, []uint32{1, 1, 5, 5, 5}},                 // 9
	{5, 7, []uint32{1, 1, 7, 11, 19}},               // 10
	{5, 11, []uint32{1, 1, 5, 1, 1}},                // 11
	{5, 13, []uint32{1, 1, 1, 3, 11}},               // 12
	{5, 14, []uint32{1, 3, 5, 5, 31}},               // 13
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},             // 14
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},          // 15
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},          // 16
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},            // 17
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},          // 18
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},           // 19
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},      // 20
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},       // 21
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},        // 22
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},         // 23
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},      // 24
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},       // 25
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},      // 26
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},        // 27
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},        // 28
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},       // 29
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},       // 30
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},       // 31
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},       // 32
	{7, 50, []uint32{1, 3, 1, 3, 5, 53, 69}},        // 33
	{7, 55, []uint32{1, 1, 5, 5, 23, 33, 13}},       // 34
	{7, 56, []uint32{1, 1, 7, 7, 1, 61, 123}},       // 35
	{7, 59, []uint32{1, 1, 7, 9, 13, 61, 49}},       // 36
	{7, 62, []uint32{1, 3, 3, 5, 3, 55, 33}},        // 37
	{8, 14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}}, // 38
	{8, 21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},  // 39
	{8, 22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}}, // 40
}

// maxSobolDim is the number of dimensions the table supports.
const maxSobolDim = len(joeKuo) + 1

// sobolBits is the precision of the generated points: 2^32 points at most.
const sobolBits = 32

// sobolSeq generates successive points of a dim-dimensional Sobol'
// sequence.
type sobolSeq struct {
	v [][sobolBits]uint32 // direction numbers V_i scaled by 2^32, i = 1..32
	x []uint32            // the current point, scaled by 2^32
	n uint64              // index of the next point
}

// newSobolSeq returns the sequence in dim <= maxSobolDim dimensions.
func newSobolSeq(dim int) *sobolSeq {
	if dim < 1 || dim > maxSobolDim {
		panic("sweep: Sobol' sequence dimension out of range")
	}
	q := &sobolSeq{v: make([][sobolBits]uint32, dim), x: make([]uint32, dim)}
	for i := range sobolBits {
		q.v[0][i] = 1 << (sobolBits - 1 - i)
	}
	for j := 1; j < dim; j++ {
		jk := joeKuo[j-1]
		s, v := jk.s, &q.v[j]
		for i := 0; i < s && i < sobolBits; i++ {
			v[i] = jk.m[i] << (sobolBits - 1 - i)
		}
		// V_i = a_1 V_{i-1} ^ ... ^ a_{s-1} V_{i-s+1} ^ V_{i-s} ^ (V_{i-s} >> s),
		// Bratley and Fox (1988) eq. (2), 0-based here.
		for i := s; i < sobolBits; i++ {
			v[i] = v[i-s] ^ (v[i-s] >> s)
			for l := 1; l < s; l++ {
				if (jk.a>>(s-1-l))&1 == 1 {
					v[i] ^= v[i-l]
				}
			}
		}
	}
	return q
}

// next writes the next point into p (len(p) == dim).
func (q *sobolSeq) next(p []float64) {
	if q.n > 0 {
		// Gray code: point n differs from point n-1 by the direction number
		// of the lowest zero bit of n-1.
		c := 0
		for m := q.n - 1; m&1 == 1; m >>= 1 {
			c++
		}
		if c >= sobolBits {
			panic("sweep: Sobol' sequence exhausted")
		}
		for j := range q.x {
			q.x[j] ^= q.v[j][c]
		}
	}
	q.n++
	for j, x := range q.x {
		p[j] = float64(x) / (1 << sobolBits)
	}
}
