package cluster

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkRows is the number of rows in one unit of parallel work. It is fixed,
// not derived from the number of workers: each chunk's partial sums are kept
// apart and added up in chunk order, so results do not depend on Workers.
const chunkRows = 4096

// numChunks returns the number of chunks covering n rows.
func numChunks(n int) int { return (n + chunkRows - 1) / chunkRows }

// chunkBounds returns the rows [lo, hi) of chunk c.
func chunkBounds(c, n int) (lo, hi int) {
	lo = c * chunkRows
	return lo, min(lo+chunkRows, n)
}

// resolveWorkers applies the default of Workers (0 means GOMAXPROCS).
func resolveWorkers(w int) int {
	if w == 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}

// forEachChunk calls f(c) for every chunk c in [0, chunks), on up to workers
// goroutines. f must write only to storage owned by chunk c. A panic in f is
// re-raised in the caller's goroutine (where Fit turns it into an error).
func forEachChunk(workers, chunks int, f func(c int)) {
	if workers <= 1 || chunks <= 1 {
		for c := range chunks {
			f(c)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Value
	)
	for range min(workers, chunks) {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, fmt.Sprint(r))
				}
			}()
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				f(c)
			}
		})
	}
	wg.Wait()
	if r := panicked.Load(); r != nil {
		panic(r)
	}
}

// sqdist returns the squared Euclidean distance between a and b (len(b) >=
// len(a)), summing the coordinates in order. The explicit float64
// conversions forbid fused multiply-adds, so the result is the same on every
// GOARCH. sqdist4 computes exactly the same sums for four centres at once.
func sqdist(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for i, v := range a {
		d := v - b[i]
		s += float64(d * d)
	}
	return s
}

// sqdistRows sets out[i] to sqdist(x[xo[i]:xo[i]+d], cs[co[i]:co[i]+d]) for
// every i; xo and co hold at least len(out) offsets. With AVX2 four pairs are
// done at a time by sqdistRowsAVX2 (the offsets checked here), with the same
// sums bit for bit.
func sqdistRows(x, cs []float64, d int, xo, co []int, out []float64) {
	xo, co = xo[:len(out)], co[:len(out)]
	i := 0
	if useAVX2 {
		for q := range len(out) &^ 3 {
			_ = x[xo[q] : xo[q]+d]
			_ = cs[co[q] : co[q]+d]
		}
		i = len(out) &^ 3
		sqdistRowsAVX2(x, cs, d, xo, co, out)
	}
	for ; i < len(out); i++ {
		out[i] = sqdist(x[xo[i]:xo[i]+d], cs[co[i]:co[i]+d])
	}
}

// dist4Rows sets out[4i+j] to the squared distance from the row
// x[xo[i]:xo[i]+d] to centre j of the four interleaved in ct (ct[4t+j] is
// coordinate t of centre j), for every i < len(xo); the sums are those of
// sqdist, bit for bit, with or without AVX2 (without, two rows at a time:
// dist4x2).
func dist4Rows(x, ct []float64, d int, xo []int, out []float64) {
	out = out[:4*len(xo)]
	ct = ct[:4*d]
	if useAVX2 {
		for _, o := range xo {
			_ = x[o : o+d]
		}
		dist4RowsAVX2(x, ct, d, xo, out)
		return
	}
	i := 0
	for ; i+1 < len(xo); i += 2 {
		oa, ob := xo[i], xo[i+1]
		q := out[4*i : 4*i+8 : 4*i+8]
		q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = dist4x2(x[oa:oa+d], x[ob:ob+d], ct)
	}
	for ; i < len(xo); i++ {
		o := xo[i]
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = dist4(x[o:o+d], ct)
	}
}

// dist4 returns the squared distances from x to the four centres
// interleaved in ct (ct[4t+j] is coordinate t of centre j), each summed in
// sqdist's order: the pure Go kernel of nearest2 and dist4Rows.
func dist4(x, ct []float64) (s0, s1, s2, s3 float64) {
	ct = ct[:4*len(x)]
	for t, v := range x {
		q := ct[4*t : 4*t+4 : 4*t+4]
		e0, e1, e2, e3 := v-q[0], v-q[1], v-q[2], v-q[3]
		s0 += float64(e0 * e0)
		s1 += float64(e1 * e1)
		s2 += float64(e2 * e2)
		s3 += float64(e3 * e3)
	}
	return s0, s1, s2, s3
}

// sqdist4 returns the squared distances from x to c0..c3, each summed in the
// same order as sqdist. Loading x once for four centres halves the cost per
// distance.
func sqdist4(x, c0, c1, c2, c3 []float64) (s0, s1, s2, s3 float64) {
	n := len(x)
	c0, c1, c2, c3 = c0[:n], c1[:n], c2[:n], c3[:n]
	for j, v := range x {
		d0 := v - c0[j]
		d1 := v - c1[j]
		d2 := v - c2[j]
		d3 := v - c3[j]
		s0 += float64(d0 * d0)
		s1 += float64(d1 * d1)
		s2 += float64(d2 * d2)
		s3 += float64(d3 * d3)
	}
	return s0, s1, s2, s3
}

// distances sets out[j] to the squared distance from x to centre j of the
// len(out) centres stored row-major in cs.
func distances(x, cs []float64, out []float64) {
	d := len(x)
	k := len(out)
	j := 0
	for ; j+4 <= k; j += 4 {
		b := cs[j*d : (j+4)*d]
		out[j], out[j+1], out[j+2], out[j+3] = sqdist4(x, b[:d], b[d:2*d], b[2*d:3*d], b[3*d:])
	}
	for ; j < k; j++ {
		out[j] = sqdist(x, cs[j*d:j*d+d])
	}
}

// transposeGroups writes the k centres of cs (row-major, k×d) in groups of
// four with their coordinates interleaved, dst[g·4d + 4j + t] = coordinate j
// of centre 4g+t, for the ⌊k/4⌋ full groups; dst must hold 4d·⌊k/4⌋ values.
// The interleaved layout lets the four-centre kernels run on one pointer.
func transposeGroups(dst, cs []float64, k, d int) {
	for g := range k / 4 {
		for j := range d {
			for t := range 4 {
				dst[g*4*d+4*j+t] = cs[(4*g+t)*d+j]
			}
		}
	}
}

// nearest2 returns the index of the centre closest to x among the k centres
// (row-major in cs, and grouped by transposeGroups in csT), the lowest index
// on ties, its squared distance d1, and the squared distance d2 to the second
// closest (+Inf when k == 1). The distances are exactly those of sqdist.
func nearest2(x, csT, cs []float64, k int) (best int, d1, d2 float64) {
	d := len(x)
	d1, d2 = math.Inf(1), math.Inf(1)
	j := 0
	for ; j+4 <= k; j += 4 {
		s0, s1, s2, s3 := dist4(x, csT[j*d:(j+4)*d])
		if s0 < d2 {
			if s0 < d1 {
				best, d1, d2 = j, s0, d1
			} else {
				d2 = s0
			}
		}
		if s1 < d2 {
			if s1 < d1 {
				best, d1, d2 = j+1, s1, d1
			} else {
				d2 = s1
			}
		}
		if s2 < d2 {
			if s2 < d1 {
				best, d1, d2 = j+2, s2, d1
			} else {
				d2 = s2
			}
		}
		if s3 < d2 {
			if s3 < d1 {
				best, d1, d2 = j+3, s3, d1
			} else {
				d2 = s3
			}
		}
	}
	for ; j < k; j++ {
		s := sqdist(x, cs[j*d:j*d+d])
		if s < d2 {
			if s < d1 {
				best, d1, d2 = j, s, d1
			} else {
				d2 = s
			}
		}
	}
	return best, d1, d2
}

// push2 folds the squared distance s to centre j into the nearest centre
// best and the nearest and second-nearest squared distances d1 and d2, as a
// scan of the centres in index order does (the lowest index wins ties).
func push2(j int, s float64, best int, d1, d2 float64) (int, float64, float64) {
	if s < d2 {
		if s < d1 {
			return j, s, d1
		}
		return best, d1, s
	}
	return best, d1, d2
}

// nearest2Rows sets best[i], d1[i] and d2[i] to nearest2 of the row
// x[xo[i]:xo[i]+d] for every i < len(xo). With AVX2 the groups of four
// centres are done by nearest2RowsAVX2 and the other k%4 by the same loop as
// nearest2's; without, the rows go two at a time (nearest2Pair), which
// under js/wasm takes a quarter less time than one at a time. The results
// are nearest2's, bit for bit.
func nearest2Rows(x, csT, cs []float64, d, k int, xo, best []int, d1, d2 []float64) {
	n := len(xo)
	best, d1, d2 = best[:n], d1[:n], d2[:n]
	if !useAVX2 || k < 4 {
		i := 0
		for ; i+1 < n; i += 2 {
			oa, ob := xo[i], xo[i+1]
			best[i], d1[i], d2[i], best[i+1], d1[i+1], d2[i+1] = nearest2Pair(x[oa:oa+d], x[ob:ob+d], csT, cs, k)
		}
		for ; i < n; i++ {
			o := xo[i]
			best[i], d1[i], d2[i] = nearest2(x[o:o+d], csT, cs, k)
		}
		return
	}
	for _, o := range xo {
		_ = x[o : o+d]
	}
	g := k / 4
	nearest2RowsAVX2(x, csT[:g*4*d], d, g, xo, best, d1, d2)
	if k%4 == 0 {
		return
	}
	for i, o := range xo {
		xi := x[o : o+d]
		for j := 4 * g; j < k; j++ {
			best[i], d1[i], d2[i] = push2(j, sqdist(xi, cs[j*d:j*d+d]), best[i], d1[i], d2[i])
		}
	}
}

// nearest returns the index of the centre closest to x (lowest index on ties)
// and its squared distance. buf must hold k values.
func nearest(x, cs []float64, buf []float64) (best int, d1 float64) {
	distances(x, cs, buf)
	d1 = math.Inf(1)
	for j, s := range buf {
		if s < d1 {
			best, d1 = j, s
		}
	}
	return best, d1
}

// assignAll labels every row of x (n×d, row-major) with its nearest centre,
// in parallel over chunks, and returns the inertia summed in chunk order.
func assignAll(workers int, x []float64, n, d int, cs []float64, k int, labels []int) float64 {
	chunks := numChunks(n)
	part := make([]float64, chunks)
	forEachChunk(workers, chunks, func(c int) {
		lo, hi := chunkBounds(c, n)
		s := 0.0
		buf := make([]float64, k)
		for i := lo; i < hi; i++ {
			b, d1 := nearest(x[i*d:i*d+d], cs, buf)
			labels[i] = b
			s += d1
		}
		part[c] = s
	})
	total := 0.0
	for _, s := range part {
		total += s
	}
	return total
}

// nearest2Pair is nearest2 for two rows at once: each centre coordinate
// loaded serves both rows. The results are nearest2's, bit for bit.
func nearest2Pair(xa, xb, csT, cs []float64, k int) (ba int, a1, a2 float64, bb int, b1, b2 float64) {
	d := len(xa)
	a1, a2, b1, b2 = math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)
	j := 0
	for ; j+4 <= k; j += 4 {
		s0, s1, s2, s3, t0, t1, t2, t3 := dist4x2(xa, xb, csT[j*d:(j+4)*d])
		ba, a1, a2 = push2(j, s0, ba, a1, a2)
		ba, a1, a2 = push2(j+1, s1, ba, a1, a2)
		ba, a1, a2 = push2(j+2, s2, ba, a1, a2)
		ba, a1, a2 = push2(j+3, s3, ba, a1, a2)
		bb, b1, b2 = push2(j, t0, bb, b1, b2)
		bb, b1, b2 = push2(j+1, t1, bb, b1, b2)
		bb, b1, b2 = push2(j+2, t2, bb, b1, b2)
		bb, b1, b2 = push2(j+3, t3, bb, b1, b2)
	}
	for ; j < k; j++ {
		c := cs[j*d : j*d+d]
		ba, a1, a2 = push2(j, sqdist(xa, c), ba, a1, a2)
		bb, b1, b2 = push2(j, sqdist(xb, c), bb, b1, b2)
	}
	return ba, a1, a2, bb, b1, b2
}

// dist4x2 is dist4 for two rows at once.
func dist4x2(xa, xb, ct []float64) (s0, s1, s2, s3, t0, t1, t2, t3 float64) {
	xb = xb[:len(xa)]
	ct = ct[:4*len(xa)]
	for i, v := range xa {
		w := xb[i]
		q := ct[4*i : 4*i+4 : 4*i+4]
		c0, c1, c2, c3 := q[0], q[1], q[2], q[3]
		e0, e1, e2, e3 := v-c0, v-c1, v-c2, v-c3
		f0, f1, f2, f3 := w-c0, w-c1, w-c2, w-c3
		s0 += float64(e0 * e0)
		s1 += float64(e1 * e1)
		s2 += float64(e2 * e2)
		s3 += float64(e3 * e3)
		t0 += float64(f0 * f0)
		t1 += float64(f1 * f1)
		t2 += float64(f2 * f2)
		t3 += float64(f3 * f3)
	}
	return s0, s1, s2, s3, t0, t1, t2, t3
}
