package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/explain"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/profile"
	"github.com/segkit/segkit/core/project"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// describable keeps the input columns a profile and a tree can use: numeric
// and categorical ones (a date feature cannot be described).
func describable(t *dataset.Table, names []string) []string {
	var out []string
	for _, n := range names {
		if c := t.Column(n); c != nil && (c.Kind.IsNumeric() || c.Kind == dataset.KindCategorical) {
			out = append(out, n)
		}
	}
	return out
}

// describe profiles the segments (rowLabels: one per table row, -1 for
// noise, profile.NotClustered for rows left out), names them, and fills the
// result's segment names, descriptions, features, rules and profile table.
// It returns the profile (nil when no column can be described, as for dates
// only).
func describe(res *protocol.FitResult, t *dataset.Table, inputs []string, rowLabels []int, seed uint64) (*profile.Profile, error) {
	cols := describable(t, inputs)
	if len(cols) == 0 {
		return nil, nil
	}
	pr, err := profile.Build(t, rowLabels, profile.Options{Columns: cols})
	if err != nil {
		return nil, err
	}
	byID := map[int]*protocol.Segment{}
	for i := range res.Segments {
		byID[res.Segments[i].ID] = &res.Segments[i]
	}
	for _, ps := range pr.Segments {
		if s := byID[ps.ID]; s != nil {
			s.Name, s.Description, s.Features = ps.Name, ps.Description, nil
			for _, f := range ps.Distinguishing {
				s.Features = append(s.Features, f.Text)
			}
		}
	}
	treeLabels, sampled := ruleSample(rowLabels, seed)
	ex, err := explain.Tree(t, treeLabels, explain.Options{Columns: cols})
	if err != nil {
		return nil, err
	}
	res.Fidelity, res.RuleRows = ex.Fidelity, ex.Rows
	of := "customers"
	if sampled {
		of = "sampled customers"
	}
	for _, r := range ex.Rules {
		s := byID[r.Segment]
		if s == nil || len(r.Conditions) == 0 {
			continue
		}
		text := r.Text
		if i := strings.LastIndex(text, " → "); i >= 0 {
			text = text[:i]
		}
		s.Rules = append(s.Rules, fmt.Sprintf("%s (%d of %d %s)", text, r.Correct, r.Support, of))
	}
	res.Profile = profileTable(pr)
	return pr, nil
}

// maxRuleRows is the most rows the rules' decision tree is grown on: the
// tree costs about 7 s natively on a million rows, 0.4 s on 50,000.
const maxRuleRows = 50_000

// ruleSample keeps the labels of a seeded sample of at most maxRuleRows
// clustered rows and marks the others not clustered, for the decision tree;
// it reports whether it sampled.
func ruleSample(labels []int, seed uint64) ([]int, bool) {
	rows := make([]int, 0, len(labels))
	for i, l := range labels {
		if l >= 0 {
			rows = append(rows, i)
		}
	}
	if len(rows) <= maxRuleRows {
		return labels, false
	}
	out := make([]int, len(labels))
	for i := range out {
		out[i] = profile.NotClustered
	}
	for _, p := range project.Sample(len(rows), maxRuleRows, seed) {
		out[rows[p]] = labels[rows[p]]
	}
	return out, true
}

// profileTable is the mean per numeric column per segment, marked high or
// low where the segment's effect against the rest is at least medium.
func profileTable(pr *profile.Profile) *protocol.ProfileTable {
	tab := &protocol.ProfileTable{}
	for _, n := range pr.Population.Numeric {
		tab.Columns = append(tab.Columns, n.Column)
		tab.Population = append(tab.Population, n.Mean)
	}
	for _, s := range pr.Segments {
		row := protocol.ProfileRow{ID: s.ID}
		for _, n := range s.Numeric {
			level := ""
			switch {
			case n.Effect >= profile.MinEffect:
				level = "high"
			case n.Effect <= -profile.MinEffect:
				level = "low"
			}
			row.Means = append(row.Means, n.Mean)
			row.Levels = append(row.Levels, level)
		}
		tab.Segments = append(tab.Segments, row)
	}
	return tab
}

// silhouettes computes the silhouette of a seeded sample of at most
// MaxSilhouettePoints non-noise rows of x and gives each segment its
// values, sorted from highest to lowest, and their mean. It returns the
// number of rows used; 0 when the silhouette is undefined (one segment).
func silhouettes(res *protocol.FitResult, x *matrix.Dense, labels []int, seed uint64) (int, error) {
	rows := make([]int, 0, len(labels))
	for i, l := range labels {
		if l >= 0 {
			rows = append(rows, i)
		}
	}
	pick := project.Sample(len(rows), protocol.MaxSilhouettePoints, seed)
	sub := matrix.New(len(pick), x.Cols)
	subLabels := make([]int, len(pick))
	distinct := map[int]bool{}
	for i, p := range pick {
		copy(sub.Row(i), x.Row(rows[p]))
		subLabels[i] = labels[rows[p]]
		distinct[subLabels[i]] = true
	}
	if len(distinct) < 2 || len(distinct) >= len(pick) {
		return 0, nil
	}
	vals, err := eval.SilhouetteSamples(sub, subLabels)
	if err != nil {
		return 0, err
	}
	byID := map[int]*protocol.Segment{}
	for i := range res.Segments {
		byID[res.Segments[i].ID] = &res.Segments[i]
	}
	for i, v := range vals {
		if s := byID[subLabels[i]]; s != nil && !math.IsNaN(v) {
			s.Silhouette = append(s.Silhouette, v)
		}
	}
	for i := range res.Segments {
		s := &res.Segments[i]
		slices.Sort(s.Silhouette) // finite values: ascending, then reversed
		slices.Reverse(s.Silhouette)
		sum := 0.0
		for _, v := range s.Silhouette {
			sum += v
		}
		if len(s.Silhouette) > 0 {
			s.SilhouetteMean = sum / float64(len(s.Silhouette))
		}
	}
	return len(pick), nil
}
