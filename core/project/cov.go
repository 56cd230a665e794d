package project

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Blocks of rows for the covariance. Their number depends only on the number
// of rows and columns, never on GOMAXPROCS, and their partial sums are added
// in block order, so the result is the same for any number of goroutines.
const (
	minBlockRows = 2048    // rows below which a block is not split further
	maxBlocks    = 64      // blocks at most
	blockBudget  = 1 << 22 // float64s of d×d partial sums at most (32 MiB)
)

// numBlocks returns the number of row blocks for m rows and d columns.
func numBlocks(m, d int) int {
	nb := min(maxBlocks, (m+minBlockRows-1)/minBlockRows, max(1, blockBudget/(d*d)))
	return max(1, nb)
}

// forEach calls f(b) for every b in [0, n) on up to GOMAXPROCS goroutines.
// f must write only to storage owned by b. A panic in f is returned as an
// error rather than crashing the program.
func forEach(n int, f func(b int)) (err error) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("project: internal error: %v", r)
			}
		}()
		for b := range n {
			f(b)
		}
		return nil
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Value
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, fmt.Sprint(r))
				}
			}()
			for {
				b := int(next.Add(1) - 1)
				if b >= n {
					return
				}
				f(b)
			}
		})
	}
	wg.Wait()
	if r := panicked.Load(); r != nil {
		return fmt.Errorf("project: internal error: %v", r)
	}
	return nil
}

// rows is the set of rows a fit uses: rows idx of data (row-major, d columns),
// or all of them when idx is nil.
type rows struct {
	data []float64
	d    int
	idx  []int
	m    int // number of rows used
}

// row returns the i-th row used.
func (r *rows) row(i int) []float64 {
	if r.idx != nil {
		i = r.idx[i]
	}
	return r.data[i*r.d : i*r.d+r.d : i*r.d+r.d]
}

// bounds returns the rows [lo, hi) of block b out of nb.
func (r *rows) bounds(b, nb int) (lo, hi int) {
	return b * r.m / nb, (b + 1) * r.m / nb
}

// covariance returns the mean of the rows and their d×d covariance matrix
// (row-major, full, n−1 denominator), computed with the corrected two-pass
// algorithm: C_jk = (Σ c_j c_k − (Σ c_j)(Σ c_k)/m) / (m−1) with c = x − mean.
// The products are written as float64(a*b) so that no platform fuses them
// into multiply-adds, which keeps the result identical across GOARCH.
func covariance(r *rows) (mean, cov []float64, err error) {
	d, m := r.d, r.m
	nb := numBlocks(m, d)

	// Pass 1: the mean.
	sums := make([]float64, nb*d)
	if err := forEach(nb, func(b int) {
		s := sums[b*d : b*d+d]
		lo, hi := r.bounds(b, nb)
		for i := lo; i < hi; i++ {
			for j, v := range r.row(i) {
				s[j] += v
			}
		}
	}); err != nil {
		return nil, nil, err
	}
	mean = make([]float64, d)
	for b := range nb {
		for j, v := range sums[b*d : b*d+d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(m)
	}

	// Pass 2: the centred sums and cross products (upper triangle).
	clear(sums)
	prods := make([]float64, nb*d*d)
	if err := forEach(nb, func(b int) {
		s := sums[b*d : b*d+d]
		p := prods[b*d*d : (b+1)*d*d]
		c := make([]float64, d)
		lo, hi := r.bounds(b, nb)
		for i := lo; i < hi; i++ {
			for j, v := range r.row(i) {
				c[j] = v - mean[j]
				s[j] += c[j]
			}
			for j, cj := range c {
				pj := p[j*d+j : j*d+d]
				cs := c[j:]
				for k, ck := range cs {
					pj[k] += float64(cj * ck)
				}
			}
		}
	}); err != nil {
		return nil, nil, err
	}
	for b := 1; b < nb; b++ {
		for j, v := range sums[b*d : b*d+d] {
			sums[j] += v
		}
		for j, v := range prods[b*d*d : (b+1)*d*d] {
			prods[j] += v
		}
	}
	cov = prods[: d*d : d*d]
	den := float64(m - 1)
	for j := range d {
		for k := j; k < d; k++ {
			v := (cov[j*d+k] - float64(sums[j]*sums[k])/float64(m)) / den
			cov[j*d+k] = v
			cov[k*d+j] = v
		}
	}
	return mean, cov, nil
}
