package cluster

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/shareddata"
)

// customerTable is a small delimited file read for the mixed-data report:
// chosen numeric and categorical columns, encoded, plus an outcome column.
type customerTable struct {
	numNames, catNames []string
	num                [][]float64 // per numeric column
	cat                [][]int     // per categorical column, codes
	levels             [][]string  // per categorical column
	outcome            []bool
}

func readCustomers(t *testing.T, file, sep string, numCols, catCols []string, outcome, yes string) *customerTable {
	raw, err := os.ReadFile(shareddata.Path(t, file))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	split := func(l string) []string {
		f := strings.Split(l, sep)
		for i := range f {
			f[i] = strings.Trim(f[i], `"`)
		}
		return f
	}
	header := split(lines[0])
	idx := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("%s: no column %q", file, name)
		}
		return i
	}
	ct := &customerTable{numNames: numCols, catNames: catCols,
		num: make([][]float64, len(numCols)), cat: make([][]int, len(catCols)), levels: make([][]string, len(catCols))}
	oi := idx(outcome)
	for _, l := range lines[1:] {
		f := split(l)
		if len(f) != len(header) {
			continue
		}
		for j, name := range numCols {
			v, err := strconv.ParseFloat(strings.TrimSpace(f[idx(name)]), 64)
			if err != nil {
				t.Fatalf("%s %s: %v", file, name, err)
			}
			ct.num[j] = append(ct.num[j], v)
		}
		for j, name := range catCols {
			v := f[idx(name)]
			c := slices.Index(ct.levels[j], v)
			if c < 0 {
				c = len(ct.levels[j])
				ct.levels[j] = append(ct.levels[j], v)
			}
			ct.cat[j] = append(ct.cat[j], c)
		}
		ct.outcome = append(ct.outcome, f[oi] == yes)
	}
	return ct
}

// matrix returns the categorical codes then the numeric columns, z-scored
// if standardise, and the Categorical mask.
func (ct *customerTable) matrix(standardise bool) (*matrix.Dense, []bool) {
	n, nc := len(ct.outcome), len(ct.cat)
	d := nc + len(ct.num)
	x := matrix.New(n, d)
	mask := make([]bool, d)
	for j := range ct.cat {
		mask[j] = true
		for i, c := range ct.cat[j] {
			x.Set(i, j, float64(c))
		}
	}
	for j, col := range ct.num {
		mu, sd := 0.0, 1.0
		if standardise {
			ss := 0.0
			for _, v := range col {
				mu += v
			}
			mu /= float64(n)
			for _, v := range col {
				ss += (v - mu) * (v - mu)
			}
			sd = math.Sqrt(ss / float64(n))
		}
		for i, v := range col {
			x.Set(i, nc+j, (v-mu)/sd)
		}
	}
	return x, mask
}

// report logs, per segment, its size, the outcome rate, numeric means and
// the modal category of each categorical column with its share; and, per
// categorical column, the share of rows in their segment's modal category.
func (ct *customerTable) report(t *testing.T, title string, labels []int, k int) []float64 {
	n := len(labels)
	t.Logf("%s", title)
	purity := make([]float64, len(ct.cat))
	for c := range k {
		var rows []int
		for i, l := range labels {
			if l == c {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			continue
		}
		yes := 0
		for _, i := range rows {
			if ct.outcome[i] {
				yes++
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "  segment %d: %d rows (%.0f%%), outcome %.1f%%;", c, len(rows), 100*float64(len(rows))/float64(n), 100*float64(yes)/float64(len(rows)))
		for j, name := range ct.numNames {
			s := 0.0
			for _, i := range rows {
				s += ct.num[j][i]
			}
			fmt.Fprintf(&b, " %s %.1f", name, s/float64(len(rows)))
		}
		for j, name := range ct.catNames {
			cnt := make([]int, len(ct.levels[j]))
			for _, i := range rows {
				cnt[ct.cat[j][i]]++
			}
			m := 0
			for v := range cnt {
				if cnt[v] > cnt[m] {
					m = v
				}
			}
			purity[j] += float64(cnt[m]) / float64(n)
			fmt.Fprintf(&b, "; %s=%s %.0f%%", name, ct.levels[j][m], 100*float64(cnt[m])/float64(len(rows)))
		}
		t.Log(b.String())
	}
	var b strings.Builder
	for j, name := range ct.catNames {
		fmt.Fprintf(&b, " %s %.2f", name, purity[j])
	}
	t.Logf("  share of rows in their segment's modal category:%s", b.String())
	return purity
}
