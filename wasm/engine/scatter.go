package engine

import (
	"fmt"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/project"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// scatterColumns is the most input columns a point's hover note lists.
const scatterColumns = 4

// scatter projects the segmented rows x (labels per row of x; kept maps a
// row of x to its table row, nil when they are the same) on their first two
// principal components, for a seeded sample of at most MaxScatterPoints rows.
func scatter(t *dataset.Table, x *matrix.Dense, labels, kept []int, inputs []string, seed uint64) (*protocol.Scatter, error) {
	comps := 2
	if x.Cols == 1 {
		comps = 1
	}
	pr, err := (&project.PCA{Components: comps, Seed: seed}).Fit(x)
	if err != nil {
		return nil, err
	}
	rows := project.Sample(x.Rows, protocol.MaxScatterPoints, seed)
	out := &protocol.Scatter{Rows: x.Rows, X: make([]float64, len(rows)), Y: make([]float64, len(rows)),
		Labels: make([]int, len(rows)), Text: make([]string, len(rows))}
	for i, r := range pr.ExplainedVarianceRatio {
		out.Variance[i] = r
	}
	var cols []*dataset.Column
	for _, name := range inputs {
		if c := t.Column(name); c != nil && len(cols) < scatterColumns {
			cols = append(cols, c)
		}
	}
	var b strings.Builder
	for i, r := range rows {
		p, err := pr.Point(x.Row(r))
		if err != nil {
			return nil, err
		}
		out.X[i] = p[0]
		if comps == 2 {
			out.Y[i] = p[1]
		}
		out.Labels[i] = labels[r]
		row := r
		if kept != nil {
			row = kept[r]
		}
		b.Reset()
		fmt.Fprintf(&b, "row %d", row+1)
		for _, c := range cols {
			fmt.Fprintf(&b, " · %s %s", c.Name, c.Text(row))
		}
		out.Text[i] = b.String()
	}
	return out, nil
}
