package explain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

// referenceSplit finds the best root split of numeric columns by brute
// force, straight from the definition: every threshold between two
// consecutive distinct values, missing values joining the side with more
// present rows (ties: left), each side at least minLeaf rows, the score
// Σ over sides of Σ_c count²/size recounted from scratch, the first best
// kept (columns in order, thresholds ascending), and only if it beats the
// parent by the tree's margin. It returns the column (-1: no split), the
// values around the threshold and where missing values go.
func referenceSplit(cols [][]float64, y []int, k, minLeaf int) (col int, lo, hi float64, missLeft bool) {
	n := len(y)
	score := func(side []bool) float64 {
		var s float64
		for _, left := range []bool{true, false} {
			counts := make([]int64, k)
			size := 0
			for i := range n {
				if side[i] == left {
					counts[y[i]]++
					size++
				}
			}
			var sq int64
			for _, c := range counts {
				sq += c * c
			}
			if size > 0 {
				s += float64(sq) / float64(size)
			}
		}
		return s
	}
	all := make([]bool, n)
	parent := score(all) // every row on one side
	best := parent + 1e-9*parent
	col = -1
	for j, x := range cols {
		var vals []float64
		for _, v := range x {
			if !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		slices.Sort(vals)
		vals = slices.Compact(vals)
		for t := 0; t+1 < len(vals); t++ {
			a, b := vals[t], vals[t+1]
			nl, nr := 0, 0
			for _, v := range x {
				switch {
				case math.IsNaN(v):
				case v <= a:
					nl++
				default:
					nr++
				}
			}
			ml := nl >= nr
			side := make([]bool, n)
			sl, sr := 0, 0
			for i, v := range x {
				side[i] = (math.IsNaN(v) && ml) || (!math.IsNaN(v) && v <= a)
				if side[i] {
					sl++
				} else {
					sr++
				}
			}
			if sl < minLeaf || sr < minLeaf {
				continue
			}
			if s := score(side); s > best {
				best, col, lo, hi, missLeft = s, j, a, b, ml
			}
		}
	}
	return col, lo, hi, missLeft
}

// TestRootSplitEqualsBruteForce checks the tree's first split (depth 1)
// against referenceSplit on random columns with ties and missing values.
func TestRootSplitEqualsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 3))
	checked := 0
	for trial := range 60 {
		n := 20 + rng.IntN(150)
		k := 2 + rng.IntN(4)
		y := make([]int, n)
		for i := range y {
			y[i] = rng.IntN(k)
		}
		tab := &dataset.Table{Rows: n}
		var cols [][]float64
		for j := range 3 {
			x := make([]float64, n)
			distinct := []int{3, 10, 1000}[rng.IntN(3)]
			for i := range x {
				x[i] = float64(rng.IntN(distinct)) + float64(y[i])*float64(rng.IntN(3)) // weakly informative
				if rng.IntN(8) == 0 {
					x[i] = math.NaN()
				}
			}
			cols = append(cols, x)
			tab.Columns = append(tab.Columns, &dataset.Column{Name: fmt.Sprintf("x%d", j), Kind: dataset.KindFloat, Num: x})
		}
		minLeaf := 1 + rng.IntN(8)
		e, err := Tree(tab, y, Options{MaxDepth: 1, MinLeaf: minLeaf})
		if err != nil {
			t.Fatal(err)
		}
		col, lo, hi, missLeft := referenceSplit(cols, y, k, minLeaf)
		var conds []Condition
		for _, r := range e.Rules {
			conds = append(conds, r.Conditions...)
		}
		if col < 0 {
			if len(conds) != 0 {
				t.Fatalf("trial %d: the tree splits (%v), the reference does not", trial, conds)
			}
			continue
		}
		if len(conds) == 0 {
			// Both sides predict the same segment: the split is merged away.
			continue
		}
		want := Condition{Column: fmt.Sprintf("x%d", col), Op: "<=", Threshold: niceThreshold(lo, hi), OrMissing: missLeft}
		if !slices.Contains(conds, want) {
			t.Fatalf("trial %d: conditions %v, want %+v", trial, conds, want)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d of 60 trials compared a split", checked)
	}
}
