package eval

import (
	"cmp"
	"fmt"
	"math"

	"github.com/segkit/segkit/core/order"
)

// contingency is the table of co-occurrence counts of two labellings, kept as
// its non-zero cells, with the row (truth) and column (pred) sums.
type contingency struct {
	n      int64
	cells  []int64 // non-zero counts, in row-major order of (truth, pred)
	ci, cj []int32 // row and column of each cell
	rows   []int64 // class sizes of truth
	cols   []int64 // class sizes of pred
}

// denseCells bounds the size of a contingency table stored densely.
const denseCells = 1 << 22

func newContingency(truth, pred []int) (*contingency, error) {
	if len(truth) != len(pred) {
		return nil, fmt.Errorf("eval: %d true labels and %d predicted: %w", len(truth), len(pred), ErrLengthMismatch)
	}
	if int64(len(truth)) > maxLabelled {
		return nil, fmt.Errorf("eval: %d labels, at most %d supported: %w", len(truth), maxLabelled, ErrInvalidInput)
	}
	a, va := encode(truth, false)
	b, vb := encode(pred, false)
	ka, kb := len(va), len(vb)
	t := &contingency{n: int64(len(truth)), rows: make([]int64, ka), cols: make([]int64, kb)}
	if cells := int64(ka) * int64(kb); cells <= max(denseCells, 2*t.n) {
		table := make([]int64, cells)
		for i := range a {
			table[int64(a[i])*int64(kb)+int64(b[i])]++
		}
		for idx, v := range table {
			if v != 0 {
				t.add(int32(int64(idx)/int64(kb)), int32(int64(idx)%int64(kb)), v)
			}
		}
		return t, nil
	}
	counts := make(map[int64]int64)
	for i := range a {
		counts[int64(a[i])*int64(kb)+int64(b[i])]++
	}
	keys := make([]int64, 0, len(counts))
	for key := range counts {
		keys = append(keys, key)
	}
	order.SortFunc(keys, cmp.Compare[int64]) // the page's binary has no other sort of int64
	for _, key := range keys {
		t.add(int32(key/int64(kb)), int32(key%int64(kb)), counts[key])
	}
	return t, nil
}

func (t *contingency) add(i, j int32, v int64) {
	t.cells = append(t.cells, v)
	t.ci = append(t.ci, i)
	t.cj = append(t.cj, j)
	t.rows[i] += v
	t.cols[j] += v
}

// AdjustedRand returns the adjusted Rand index of two labellings of the same
// items, as scikit-learn's adjusted_rand_score: the Rand index corrected for
// chance, 1 for identical partitions (whatever the label values), near 0 for
// independent ones, and possibly negative. Labels are compared as given; a
// negative label is an ordinary class. When the two partitions agree on every
// pair — including both being one cluster or both all singletons, and empty
// input — it is exactly 1.
//
// It builds the contingency table in O(n) time; pair counts are exact
// integers and the final ratio is rounded once, so it is exact for large n
// (up to 2³¹-1 labels).
func AdjustedRand(truth, pred []int) (float64, error) {
	t, err := newContingency(truth, pred)
	if err != nil {
		return 0, err
	}
	// Ordered pair counts, as scikit-learn's pair_confusion_matrix; each is
	// at most n², which fits in an int64 for n <= maxLabelled.
	var sumSq, rowSq, colSq int64
	for _, v := range t.cells {
		sumSq += v * v
	}
	for _, v := range t.rows {
		rowSq += v * v
	}
	for _, v := range t.cols {
		colSq += v * v
	}
	n := t.n
	tp := sumSq - n
	fp := colSq - sumSq
	fn := rowSq - sumSq
	tn := n*n - rowSq - colSq + sumSq
	if fn == 0 && fp == 0 {
		return 1, nil
	}
	// 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)), with the
	// products exact in 128 bits and the ratio rounded once.
	p, q := mul128(uint64(tp), uint64(tn)), mul128(uint64(fn), uint64(fp))
	neg := p.less(q)
	num := p.sub(q)
	if neg {
		num = q.sub(p)
	}
	num = num.shl(1)
	den := mul128(uint64(tp+fn), uint64(fn+tn)).add(mul128(uint64(tp+fp), uint64(fp+tn)))
	r := ratio128(num, den)
	if neg {
		r = -r
	}
	return r, nil
}

// NormalizedMutualInfo returns the normalised mutual information of two
// labellings, as scikit-learn's normalized_mutual_info_score with its default
// arithmetic normalisation: I(truth; pred) / ((H(truth) + H(pred)) / 2), with
// natural logarithms. It is 1 for identical partitions and 0 for independent
// ones. Labels are compared as given; a negative label is an ordinary class.
// As in scikit-learn, it is 1 when both labellings have a single class (or
// the input is empty), and 0 when only one of them does.
//
// It costs O(n) time plus the size of the contingency table.
func NormalizedMutualInfo(truth, pred []int) (float64, error) {
	t, err := newContingency(truth, pred)
	if err != nil {
		return 0, err
	}
	ka, kb := len(t.rows), len(t.cols)
	if (ka == 1 && kb == 1) || (ka == 0 && kb == 0) {
		return 1, nil
	}
	if ka == 1 || kb == 1 {
		return 0, nil
	}
	n := float64(t.n)
	logN := math.Log(n)
	var mi float64
	for c, v := range t.cells {
		p := float64(v) / n
		outer := float64(t.rows[t.ci[c]]) * float64(t.cols[t.cj[c]])
		term := p*(math.Log(float64(v))-logN) + p*(-math.Log(outer)+logN+logN)
		if math.Abs(term) >= 0x1p-52 {
			mi += term
		}
	}
	if mi <= 0 {
		return 0, nil
	}
	return mi / ((entropy(t.rows, n) + entropy(t.cols, n)) / 2), nil
}

// entropy returns the Shannon entropy, in nats, of a labelling with the given
// class sizes summing to n.
func entropy(sizes []int64, n float64) float64 {
	if len(sizes) == 1 {
		return 0
	}
	logN := math.Log(n)
	var h float64
	for _, v := range sizes {
		h -= float64(v) / n * (math.Log(float64(v)) - logN)
	}
	return h
}
