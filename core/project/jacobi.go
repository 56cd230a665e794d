package project

import (
	"fmt"
	"math"
	"sort"
)

// maxSweeps bounds the Jacobi sweeps; convergence is quadratic and takes 6 to
// 10 sweeps in practice.
const maxSweeps = 60

// symEigen diagonalises the symmetric d×d matrix a (row-major; only its upper
// triangle is read, and a is overwritten) with the cyclic Jacobi method. It
// returns the eigenvalues in decreasing order and the matching unit
// eigenvectors as the rows of vecs (d×d, row-major); equal eigenvalues keep
// the order of their first appearance on the diagonal.
//
// The sweep follows the threshold variant of Numerical Recipes (jacobi):
// rotations skip small elements in the first three sweeps, off-diagonal
// elements negligible against both diagonal entries are set to zero after
// the fourth, and the iteration stops when the off-diagonal part is exactly
// zero. Diagonal updates are accumulated separately per sweep to limit
// rounding.
func symEigen(a []float64, d int) (vals, vecs []float64, err error) {
	v := make([]float64, d*d) // row k: eigenvector k (column k of V)
	for i := range d {
		v[i*d+i] = 1
	}
	diag := make([]float64, d)
	b := make([]float64, d)
	z := make([]float64, d)
	for i := range d {
		diag[i] = a[i*d+i]
		b[i] = diag[i]
	}
	converged := false
	for sweep := 1; sweep <= maxSweeps; sweep++ {
		sm := 0.0
		for p := range d - 1 {
			for _, x := range a[p*d+p+1 : p*d+d] {
				sm += math.Abs(x)
			}
		}
		if sm == 0 {
			converged = true
			break
		}
		if math.IsNaN(sm) || math.IsInf(sm, 0) {
			break
		}
		tresh := 0.0
		if sweep < 4 {
			tresh = 0.2 * sm / float64(d*d)
		}
		for p := range d - 1 {
			for q := p + 1; q < d; q++ {
				apq := a[p*d+q]
				g := float64(100 * math.Abs(apq))
				if sweep > 4 && math.Abs(diag[p])+g == math.Abs(diag[p]) &&
					math.Abs(diag[q])+g == math.Abs(diag[q]) {
					a[p*d+q] = 0
					continue
				}
				if math.Abs(apq) <= tresh {
					continue
				}
				h := diag[q] - diag[p]
				var t float64
				if math.Abs(h)+g == math.Abs(h) {
					t = apq / h
				} else {
					theta := 0.5 * h / apq
					t = 1 / (math.Abs(theta) + math.Sqrt(1+float64(theta*theta)))
					if theta < 0 {
						t = -t
					}
				}
				c := 1 / math.Sqrt(1+float64(t*t))
				s := float64(t * c)
				tau := s / (1 + c)
				h = float64(t * apq)
				z[p] -= h
				z[q] += h
				diag[p] -= h
				diag[q] += h
				a[p*d+q] = 0
				for j := range p { // a[j][p], a[j][q]
					rotate(a, j*d+p, j*d+q, s, tau)
				}
				for j := p + 1; j < q; j++ { // a[p][j], a[j][q]
					rotate(a, p*d+j, j*d+q, s, tau)
				}
				for j := q + 1; j < d; j++ { // a[p][j], a[q][j]
					rotate(a, p*d+j, q*d+j, s, tau)
				}
				vp := v[p*d : p*d+d : p*d+d]
				vq := v[q*d : q*d+d : q*d+d]
				for j, g := range vp {
					h := vq[j]
					vp[j] = g - float64(s*(h+float64(g*tau)))
					vq[j] = h + float64(s*(g-float64(h*tau)))
				}
			}
		}
		for i := range d {
			b[i] += z[i]
			diag[i] = b[i]
			z[i] = 0
		}
	}
	if !converged {
		return nil, nil, fmt.Errorf("project: %d Jacobi sweeps on a %d×%d covariance matrix: %w",
			maxSweeps, d, d, ErrNoConvergence)
	}
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return diag[order[i]] > diag[order[j]] })
	vals = make([]float64, d)
	vecs = make([]float64, d*d)
	for k, i := range order {
		vals[k] = diag[i]
		copy(vecs[k*d:k*d+d], v[i*d:i*d+d])
	}
	return vals, vecs, nil
}

// rotate applies the Jacobi rotation with sine s and tau = s/(1+cos) to the
// pair of elements a[i], a[k]. The float64 conversions forbid fused
// multiply-adds, so every GOARCH rounds alike.
func rotate(a []float64, i, k int, s, tau float64) {
	g, h := a[i], a[k]
	a[i] = g - float64(s*(h+float64(g*tau)))
	a[k] = h + float64(s*(g-float64(h*tau)))
}
