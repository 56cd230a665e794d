package cluster

import (
	"fmt"
	"math"
	"strings"
)

// Metric names a distance between points for the density-based algorithms.
type Metric string

// The metrics of [DBSCAN] (and of the spatial index behind it).
const (
	// Euclidean is the straight-line distance; "" means Euclidean.
	Euclidean Metric = "euclidean"
	// Manhattan is the sum of absolute coordinate differences (L1).
	Manhattan Metric = "manhattan"
	// Haversine is the great-circle distance in kilometres between points
	// given as (latitude, longitude) in degrees, on a sphere of radius
	// [EarthRadiusKm]. The index stores each point as a 3-D unit vector and
	// searches by chord length 2·sin(θ/2), a monotone function of the angle
	// θ = distance/EarthRadiusKm, so radius queries are exact.
	Haversine Metric = "haversine"
)

// EarthRadiusKm is the mean Earth radius (IUGG) used by [Haversine]:
// 6371.0088 km.
const EarthRadiusKm = 6371.0088

// kdLeafSize returns the most points a leaf of the k-d tree holds in d
// dimensions: 8·d, at least 16 and at most 128 (in higher dimension boxes
// prune less, so scanning larger leaves is cheaper than visiting more nodes;
// measured on 2-D and 8-D blobs).
func kdLeafSize(d int) int { return min(max(16, 8*d), 128) }

// kdTree is a k-d tree over a copy of the points in tree order. Memory:
// the copy (n·d floats), n int32 indices and at most n/4 nodes each with a
// bounding box (2·d floats) — O(n·d) in all, never O(n²).
type kdTree struct {
	d      int
	leaf   int       // most points per leaf
	l1     bool      // Manhattan instead of Euclidean
	data   []float64 // points in tree order, row-major
	idx    []int32   // tree position → original row
	nodes  []kdNode
	box    []float64 // per node: d minima then d maxima
	sums   []float64 // per node coordinate sums (only if withSums)
	parent []int32   // per node parent, -1 for the root (only if withParents)
	leafOf []int32   // tree position → leaf node (only if withParents)
}

type kdNode struct {
	lo, hi      int32 // points [lo, hi) in tree order
	left, right int32 // children, -1 for a leaf
}

// newKDTree builds the tree over the rows of data (n×d, row-major). It does
// not modify data.
func newKDTree(data []float64, n, d int, l1, withSums, withParents bool) *kdTree {
	t := &kdTree{d: d, leaf: kdLeafSize(d), l1: l1, data: make([]float64, n*d), idx: make([]int32, n)}
	copy(t.data, data[:n*d])
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	est := 2*(n/t.leaf+1) + 1
	t.nodes = make([]kdNode, 0, est)
	t.box = make([]float64, 0, est*2*d)
	if n > 0 {
		t.build(0, n)
	}
	if withSums {
		t.sums = make([]float64, len(t.nodes)*d)
		t.fillSums(0)
	}
	if withParents {
		t.parent = make([]int32, len(t.nodes))
		t.leafOf = make([]int32, n)
		t.parent[0] = -1
		for k, nd := range t.nodes {
			if nd.left < 0 {
				for p := nd.lo; p < nd.hi; p++ {
					t.leafOf[p] = int32(k)
				}
				continue
			}
			t.parent[nd.left] = int32(k)
			t.parent[nd.right] = int32(k)
		}
	}
	return t
}

func (t *kdTree) build(lo, hi int) int32 {
	d := t.d
	k := int32(len(t.nodes))
	t.nodes = append(t.nodes, kdNode{lo: int32(lo), hi: int32(hi), left: -1, right: -1})
	off := len(t.box)
	t.box = append(t.box, make([]float64, 2*d)...)
	mn, mx := t.box[off:off+d], t.box[off+d:off+2*d]
	copy(mn, t.data[lo*d:lo*d+d])
	copy(mx, mn)
	for p := lo + 1; p < hi; p++ {
		for j, v := range t.data[p*d : p*d+d] {
			mn[j] = min(mn[j], v)
			mx[j] = max(mx[j], v)
		}
	}
	if hi-lo <= t.leaf {
		return k
	}
	dim, spread := 0, -1.0
	for j := range d {
		if s := mx[j] - mn[j]; s > spread {
			dim, spread = j, s
		}
	}
	if spread <= 0 {
		return k // all points equal
	}
	mid := (lo + hi) / 2
	t.selectNth(lo, hi, mid, dim)
	l := t.build(lo, mid)
	r := t.build(mid, hi)
	t.nodes[k].left, t.nodes[k].right = l, r
	return k
}

// selectNth reorders points [lo, hi) so that position nth holds the point
// that would be there if sorted by coordinate dim, with smaller-or-equal
// coordinates before it and larger-or-equal after (Hoare's quickselect with
// median-of-three pivots; deterministic).
func (t *kdTree) selectNth(lo, hi, nth, dim int) {
	d := t.d
	key := func(p int) float64 { return t.data[p*d+dim] }
	for hi-lo > 1 {
		a, b, c := lo, (lo+hi)/2, hi-1
		if key(a) > key(b) {
			a, b = b, a
		}
		if key(b) > key(c) {
			b = c
			if key(a) > key(b) {
				b = a
			}
		}
		pivot := key(b)
		i, j := lo, hi-1
		for i <= j {
			for key(i) < pivot {
				i++
			}
			for key(j) > pivot {
				j--
			}
			if i <= j {
				t.swap(i, j)
				i++
				j--
			}
		}
		switch {
		case nth <= j:
			hi = j + 1
		case nth >= i:
			lo = i
		default:
			return
		}
	}
}

func (t *kdTree) swap(i, j int) {
	d := t.d
	a, b := t.data[i*d:i*d+d], t.data[j*d:j*d+d]
	for k := range a {
		a[k], b[k] = b[k], a[k]
	}
	t.idx[i], t.idx[j] = t.idx[j], t.idx[i]
}

func (t *kdTree) fillSums(k int32) {
	d := t.d
	nd := t.nodes[k]
	s := t.sums[int(k)*d : int(k)*d+d]
	if nd.left < 0 {
		for p := nd.lo; p < nd.hi; p++ {
			for j, v := range t.data[int(p)*d : int(p)*d+d] {
				s[j] += v
			}
		}
		return
	}
	t.fillSums(nd.left)
	t.fillSums(nd.right)
	for j := range s {
		s[j] = t.sums[int(nd.left)*d+j] + t.sums[int(nd.right)*d+j]
	}
}

// dist returns the tree's distance between a and b: squared Euclidean or
// Manhattan. Queries compare it with radius(r).
func (t *kdTree) dist(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	if t.l1 {
		for i, v := range a {
			s += math.Abs(v - b[i])
		}
		return s
	}
	for i, v := range a {
		dv := v - b[i]
		s += float64(dv * dv)
	}
	return s
}

// key converts a radius to the tree's distance scale (squared for
// Euclidean).
func (t *kdTree) key(r float64) float64 {
	if t.l1 {
		return r
	}
	return r * r
}

// unkey converts a tree distance back to a true distance.
func (t *kdTree) unkey(v float64) float64 {
	if t.l1 {
		return v
	}
	return math.Sqrt(v)
}

// minDist is the tree distance from q to the nearest point of node k's box.
func (t *kdTree) minDist(q []float64, k int32) float64 {
	return t.minDistBound(q, k, math.Inf(1))
}

// minDistBound is minDist, except that it may stop early and return any
// value above bound once the distance is known to exceed it.
func (t *kdTree) minDistBound(q []float64, k int32, bound float64) float64 {
	d := t.d
	b := t.box[int(k)*2*d : int(k)*2*d+2*d]
	s := 0.0
	for j, v := range q {
		g := 0.0
		if v < b[j] {
			g = b[j] - v
		} else if v > b[d+j] {
			g = v - b[d+j]
		}
		if t.l1 {
			s += g
		} else {
			s += float64(g * g)
		}
		if s > bound {
			return s
		}
	}
	return s
}

// maxDist is the tree distance from q to the farthest corner of node k's box.
func (t *kdTree) maxDist(q []float64, k int32) float64 {
	d := t.d
	b := t.box[int(k)*2*d : int(k)*2*d+2*d]
	s := 0.0
	for j, v := range q {
		g := max(math.Abs(v-b[j]), math.Abs(b[d+j]-v))
		if t.l1 {
			s += g
		} else {
			s += float64(g * g)
		}
	}
	return s
}

// countWithin counts the points at tree distance <= rk from q, stopping as
// soon as the count reaches limit (limit <= 0: no limit).
func (t *kdTree) countWithin(q []float64, rk float64, limit int) int {
	count := 0
	var stack [64]int32
	st := append(stack[:0], 0)
	d := t.d
	for len(st) > 0 {
		k := st[len(st)-1]
		st = st[:len(st)-1]
		if t.minDistBound(q, k, rk) > rk {
			continue
		}
		nd := t.nodes[k]
		if t.maxDist(q, k) <= rk {
			count += int(nd.hi - nd.lo)
		} else if nd.left < 0 {
			for p := int(nd.lo); p < int(nd.hi); p++ {
				if t.dist(q, t.data[p*d:p*d+d]) <= rk {
					count++
				}
			}
		} else {
			st = append(st, nd.right, nd.left)
		}
		if limit > 0 && count >= limit {
			return count
		}
	}
	return count
}

// sumWithin adds to sum the coordinates of the points at tree distance <= rk
// from q and returns their number; whole boxes inside the ball use their
// precomputed sums. The tree must have been built withSums.
func (t *kdTree) sumWithin(q []float64, rk float64, sum []float64) int {
	count := 0
	var stack [64]int32
	st := append(stack[:0], 0)
	d := t.d
	for len(st) > 0 {
		k := st[len(st)-1]
		st = st[:len(st)-1]
		if t.minDistBound(q, k, rk) > rk {
			continue
		}
		nd := t.nodes[k]
		if t.maxDist(q, k) <= rk {
			count += int(nd.hi - nd.lo)
			for j, v := range t.sums[int(k)*d : int(k)*d+d] {
				sum[j] += v
			}
		} else if nd.left < 0 {
			for p := int(nd.lo); p < int(nd.hi); p++ {
				row := t.data[p*d : p*d+d]
				if t.dist(q, row) <= rk {
					count++
					for j, v := range row {
						sum[j] += v
					}
				}
			}
		} else {
			st = append(st, nd.right, nd.left)
		}
	}
	return count
}

// knnHeap is a bounded max-heap of (tree distance, tree position).
type knnHeap struct {
	dist []float64
	pos  []int32
	k    int
}

func (h *knnHeap) reset(k int) {
	h.k = k
	h.dist, h.pos = h.dist[:0], h.pos[:0]
}

// worst is the bound a candidate must beat: +Inf until the heap is full.
func (h *knnHeap) worst() float64 {
	if len(h.dist) < h.k {
		return math.Inf(1)
	}
	return h.dist[0]
}

func (h *knnHeap) push(dv float64, p int32) {
	if len(h.dist) < h.k {
		h.dist = append(h.dist, dv)
		h.pos = append(h.pos, p)
		i := len(h.dist) - 1
		for i > 0 {
			par := (i - 1) / 2
			if !h.less(par, i) {
				break
			}
			h.swap(par, i)
			i = par
		}
		return
	}
	if !(dv < h.dist[0] || (dv == h.dist[0] && p < h.pos[0])) {
		return
	}
	h.dist[0], h.pos[0] = dv, p
	i, n := 0, len(h.dist)
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h.less(m, l) {
			m = l
		}
		if r < n && h.less(m, r) {
			m = r
		}
		if m == i {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// less orders the max-heap: a is below b when b is farther (ties: higher
// position farther), so results do not depend on visiting order.
func (h *knnHeap) less(a, b int) bool {
	return h.dist[a] < h.dist[b] || (h.dist[a] == h.dist[b] && h.pos[a] < h.pos[b])
}

func (h *knnHeap) swap(a, b int) {
	h.dist[a], h.dist[b] = h.dist[b], h.dist[a]
	h.pos[a], h.pos[b] = h.pos[b], h.pos[a]
}

// knn fills h with the k nearest points to q (tree distances and tree
// positions, in heap order; the farthest of them is h.dist[0]).
func (t *kdTree) knn(q []float64, k int, h *knnHeap) {
	h.reset(k)
	if len(t.nodes) == 0 {
		return
	}
	t.knnNode(q, 0, h)
}

func (t *kdTree) knnNode(q []float64, k int32, h *knnHeap) {
	nd := t.nodes[k]
	d := t.d
	if nd.left < 0 {
		for p := nd.lo; p < nd.hi; p++ {
			if dv := t.dist(q, t.data[int(p)*d:int(p)*d+d]); dv <= h.worst() {
				h.push(dv, p)
			}
		}
		return
	}
	a, b := nd.left, nd.right
	da, db := t.minDist(q, a), t.minDist(q, b)
	if db < da {
		a, b, da, db = b, a, db, da
	}
	if da <= h.worst() {
		t.knnNode(q, a, h)
	}
	if db <= h.worst() {
		t.knnNode(q, b, h)
	}
}

// checkMetric validates a metric name and returns it normalised.
func checkMetric(m Metric) (Metric, error) {
	switch Metric(strings.ToLower(string(m))) {
	case "", Euclidean:
		return Euclidean, nil
	case Manhattan:
		return Manhattan, nil
	case Haversine:
		return Haversine, nil
	}
	return "", fmt.Errorf("%w: unknown metric %q (want euclidean, manhattan or haversine)", ErrBadSettings, m)
}

// toUnitVectors converts rows of (latitude, longitude) in degrees to 3-D unit
// vectors. It reports a latitude outside [-90, 90] as invalid input.
func toUnitVectors(x []float64, n int, row0 int) ([]float64, error) {
	out := make([]float64, 3*n)
	for i := range n {
		if err := unitVector(x[2*i:2*i+2], out[3*i:3*i+3]); err != nil {
			ie := err.(*InputError)
			ie.Row = row0 + i
			return nil, ie
		}
	}
	return out, nil
}

// unitVector writes the unit vector of (lat, lon) in degrees to out.
func unitVector(p, out []float64) error {
	lat, lon := p[0], p[1]
	if lat < -90 || lat > 90 {
		return &InputError{Row: -1, Column: 0, Value: lat}
	}
	la, lo := lat*math.Pi/180, lon*math.Pi/180
	out[0] = math.Cos(la) * math.Cos(lo)
	out[1] = math.Cos(la) * math.Sin(lo)
	out[2] = math.Sin(la)
	return nil
}

// kmToChord converts a great-circle distance in km to the chord length
// between unit vectors; distances beyond half the circumference map to 2.
func kmToChord(km float64) float64 {
	theta := km / EarthRadiusKm
	if theta >= math.Pi {
		return 2
	}
	return 2 * math.Sin(theta/2)
}

// chordToKm converts a chord length between unit vectors to a great-circle
// distance in km.
func chordToKm(c float64) float64 {
	return 2 * EarthRadiusKm * math.Asin(min(c/2, 1))
}

// forEachWithin calls fn with the tree position of every point at tree
// distance <= rk from q.
func (t *kdTree) forEachWithin(q []float64, rk float64, fn func(p int32)) {
	if len(t.nodes) == 0 {
		return
	}
	var stack [64]int32
	st := append(stack[:0], 0)
	d := t.d
	for len(st) > 0 {
		k := st[len(st)-1]
		st = st[:len(st)-1]
		if t.minDistBound(q, k, rk) > rk {
			continue
		}
		nd := t.nodes[k]
		if nd.left >= 0 {
			st = append(st, nd.right, nd.left)
			continue
		}
		for p := nd.lo; p < nd.hi; p++ {
			if t.dist(q, t.data[int(p)*d:int(p)*d+d]) <= rk {
				fn(p)
			}
		}
	}
}
