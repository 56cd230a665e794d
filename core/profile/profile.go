package profile

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/order"
)

// Label values with a meaning of their own.
const (
	// Noise marks a row the algorithm left out of every segment (DBSCAN,
	// HDBSCAN). Noise rows belong to the population but to no segment.
	Noise = -1
	// NotClustered marks a row that did not take part in the clustering
	// (for example a row dropped for a missing value). It is left out of
	// every statistic.
	NotClustered = -2
)

// MinEffect is the smallest absolute effect size (Cohen's d for a numeric
// column, Cohen's h for a category) that makes a feature distinguishing: a
// "medium" effect in Cohen's terms.
const MinEffect = 0.5

// Other is the category that pools the categories beyond
// Options.MaxCategories. It is in parentheses so that it cannot be mistaken
// for a real category named "other".
const Other = "(other)"

// Options chooses the columns and how much detail a profile keeps. The zero
// value is ready to use.
type Options struct {
	// Columns names the columns to profile, in order. Empty means every
	// integer, float and categorical column of the table, in table order.
	// Identifier, text, date and all-missing columns cannot be profiled.
	Columns []string
	// TopFeatures is the largest number of distinguishing features kept per
	// segment; 0 means 3.
	TopFeatures int
	// MaxCategories is the largest number of categories listed per
	// categorical column (the most frequent in the population); the rest are
	// pooled as Other. 0 means 10.
	MaxCategories int
}

// Profile describes every segment of a clustering against the population.
type Profile struct {
	Rows      int `json:"rows"`      // rows of the table
	Clustered int `json:"clustered"` // rows in a segment (label ≥ 0)
	Noise     int `json:"noise"`     // rows labelled Noise
	// Population covers the clustered and noise rows (ID -1). Rows labelled
	// NotClustered (Rows − Clustered − Noise of them) are in no statistic.
	Population Segment `json:"population"`
	// Segments are sorted by ID; a label that no row carries has no segment.
	Segments []Segment `json:"segments"`
	Columns  []string  `json:"columns"` // the profiled columns, in order
}

// Segment holds the statistics of one segment, or of the population.
type Segment struct {
	ID          int    `json:"id"`          // the label; -1 for the population
	Name        string `json:"name"`        // short and unique within the profile
	Description string `json:"description"` // one line
	Size        int    `json:"size"`
	// Share is Size over the population size (clustered and noise rows).
	Share          float64           `json:"share"`
	Numeric        []NumericStat     `json:"numeric"`
	Categorical    []CategoricalStat `json:"categorical"`
	Distinguishing []Feature         `json:"distinguishing"`
}

// NumericStat describes one integer or float column within a segment, in the
// column's original units. The statistics use the non-missing values only;
// when there is none they are all 0 (Missing then equals the segment size).
type NumericStat struct {
	Column string  `json:"column"`
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	// Q1 and Q3 are the quartiles by linear interpolation between closest
	// ranks (numpy's default "linear" method, Hyndman & Fan type 7).
	Q1  float64 `json:"q1"`
	Q3  float64 `json:"q3"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Std is the sample standard deviation (divisor n − 1); 0 for one value.
	Std     float64 `json:"std"`
	Missing int     `json:"missing"`
	// Z is (segment mean − population mean) / population Std; 0 when the
	// population Std is 0.
	Z float64 `json:"z"`
	// Effect is Cohen's d of the segment against the rest of the population
	// (noise rows included): the difference of means over the pooled
	// standard deviation (not Hedges' small-sample correction).
	Effect float64 `json:"effect"`
}

// CategoricalStat describes one categorical column within a segment.
type CategoricalStat struct {
	Column  string `json:"column"`
	Missing int    `json:"missing"`
	// Shares has one entry per category kept for the column (the same set in
	// every segment, possibly with Count 0), sorted by Share descending, then
	// by population count descending, then by value.
	Shares []CategoryShare `json:"shares"`
}

// CategoryShare is how common one category is in a segment. Shares are of
// the non-missing values.
type CategoryShare struct {
	Value           string  `json:"value"`
	Count           int     `json:"count"`
	Share           float64 `json:"share"`
	PopulationShare float64 `json:"population_share"`
	// Lift is Share / PopulationShare: above 1 the category is
	// over-represented in the segment.
	Lift float64 `json:"lift"`
}

// Feature is a distinguishing feature of a segment.
type Feature struct {
	Column string `json:"column"`
	// Value is the category for a categorical column, "" for a numeric one.
	Value string `json:"value"`
	// Direction is "high" or "low" for a numeric column, "over" for an
	// over-represented category.
	Direction string `json:"direction"`
	// Effect is Cohen's d (numeric) or Cohen's h (categorical) of the
	// segment against the rest of the population.
	Effect float64 `json:"effect"`
	// Text reads like "Annual Income (k$) high: mean 86.5 vs 60.6".
	Text string `json:"text"`
}

// groups is the rows grouped for the statistics.
type groups struct {
	ids     []int   // the segment labels carried, ascending
	sizes   []int   // rows per segment, by position in ids
	popSize int     // rows in the population (clustered and noise)
	code    []int32 // per row: position in ids, or its label when negative
}

// column is a resolved column to profile.
type column struct {
	c   *dataset.Column
	pos int // position in Profile.Columns
}

// Build profiles the segments given by labels (one per table row; see Noise
// and NotClustered for negative labels) on the columns chosen by opt.
func Build(t *dataset.Table, labels []int, opt Options) (*Profile, error) {
	if t == nil {
		return nil, fmt.Errorf("%w: nil table", ErrLabels)
	}
	top, maxCat := opt.TopFeatures, opt.MaxCategories
	if top < 0 || maxCat < 0 {
		return nil, fmt.Errorf("%w: TopFeatures %d and MaxCategories %d must not be negative", ErrOptions, top, maxCat)
	}
	if top == 0 {
		top = 3
	}
	if maxCat == 0 {
		maxCat = 10
	}
	if len(labels) != t.Rows {
		return nil, fmt.Errorf("%w: %d labels for %d rows", ErrLabels, len(labels), t.Rows)
	}
	cols, err := resolveColumns(t, opt.Columns)
	if err != nil {
		return nil, err
	}

	// Group the rows: the population (label ≥ -1), and each segment by
	// its position in ids (the labels carried, ascending).
	p := &Profile{Rows: t.Rows}
	sizeOf := map[int]int{}
	for i, l := range labels {
		switch {
		case l >= 0:
			p.Clustered++
			sizeOf[l]++
		case l == Noise:
			p.Noise++
		case l == NotClustered:
		default:
			return nil, fmt.Errorf("%w: row %d has label %d (allowed: ≥ 0, -1 noise, -2 not clustered)", ErrLabels, i+1, l)
		}
	}
	if p.Clustered == 0 {
		return nil, fmt.Errorf("%w: no row is in a segment", ErrLabels)
	}
	g := groups{popSize: p.Clustered + p.Noise, code: make([]int32, len(labels))}
	for id := range sizeOf {
		g.ids = append(g.ids, id)
	}
	order.SortFunc(g.ids, cmp.Compare[int])
	index := make(map[int]int32, len(g.ids))
	for k, id := range g.ids {
		index[id] = int32(k)
		g.sizes = append(g.sizes, sizeOf[id])
	}
	for i, l := range labels {
		if l >= 0 {
			g.code[i] = index[l]
		} else {
			g.code[i] = int32(l)
		}
	}

	for _, c := range cols {
		p.Columns = append(p.Columns, c.c.Name)
	}
	popSize := float64(g.popSize)
	p.Population = Segment{ID: -1, Name: "All customers", Size: g.popSize, Share: 1}
	p.Segments = make([]Segment, len(g.ids))
	for k, id := range g.ids {
		p.Segments[k] = Segment{ID: id, Size: g.sizes[k], Share: float64(g.sizes[k]) / popSize}
	}

	cands := make([][]candidate, len(g.ids))
	var buf numericBuffers
	for _, col := range cols {
		if col.c.Kind.IsNumeric() {
			numericColumn(p, col, &g, &buf, cands)
		} else {
			categoricalColumn(p, col, &g, maxCat, cands)
		}
	}
	for k := range p.Segments {
		describe(&p.Segments[k], cands[k], top, p.Population)
	}
	p.Population.Description = populationDescription(p, len(g.ids))
	uniqueNames(p.Segments, cands)
	return p, nil
}

// resolveColumns returns the columns to profile.
func resolveColumns(t *dataset.Table, names []string) ([]column, error) {
	cols, err := Columns(t, names)
	if err != nil {
		return nil, err
	}
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = column{c: c, pos: i}
	}
	return out, nil
}

// Columns returns the columns named by names, or by default every integer,
// float and categorical column with at least one value — the columns a
// profile (and the explain package's surrogate tree) describes. Errors wrap
// ErrUnknownColumn (listing the table's columns), ErrNotProfilable (saying
// why) or ErrNoColumns.
func Columns(t *dataset.Table, names []string) ([]*dataset.Column, error) {
	var out []*dataset.Column
	if len(names) == 0 {
		for _, c := range t.Columns {
			if (c.Kind.IsNumeric() || c.Kind == dataset.KindCategorical) && colLen(c) == t.Rows && c.Missing < t.Rows {
				out = append(out, c)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%w: the table has no integer, float or categorical column", ErrNoColumns)
		}
		return out, nil
	}
	seen := map[string]bool{}
	for _, name := range names {
		c := t.Column(name)
		switch {
		case c == nil:
			return nil, fmt.Errorf("%w: column %q (the table has %s)", ErrUnknownColumn, name, quoteList(t.Names()))
		case seen[name]:
			return nil, fmt.Errorf("%w: column %q is named twice", ErrNotProfilable, name)
		case !c.Kind.IsNumeric() && c.Kind != dataset.KindCategorical:
			return nil, fmt.Errorf("%w: column %q is %s; only integer, float and categorical columns can be described", ErrNotProfilable, name, c.Kind)
		case colLen(c) != t.Rows:
			return nil, fmt.Errorf("%w: column %q has %d values for %d rows", ErrNotProfilable, name, colLen(c), t.Rows)
		case c.Missing >= t.Rows:
			return nil, fmt.Errorf("%w: column %q has no value", ErrNotProfilable, name)
		}
		seen[name] = true
		out = append(out, c)
	}
	return out, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func numericStat(name string, s summary, missing int) NumericStat {
	return NumericStat{Column: name, Mean: s.mean, Median: s.median, Q1: s.q1, Q3: s.q3,
		Min: s.min, Max: s.max, Std: s.std, Missing: missing}
}

// numericBuffers holds the values of one column while it is profiled,
// reused from column to column.
type numericBuffers struct {
	pop, seg      []float64 // the population's values; the segments' values, segment after segment
	start, filled []int     // per segment: where its values start in seg, how many there are
	missing       []int     // per segment: missing values
}

// gather collects the finite values of c in row order: the population's,
// and each segment's into its own stretch of seg. It returns the number of
// the population's values that are missing (NaN or infinite).
func (b *numericBuffers) gather(c *dataset.Column, g *groups) (popMissing int) {
	k := len(g.ids)
	if cap(b.pop) < g.popSize {
		b.pop = make([]float64, 0, g.popSize)
		b.seg = make([]float64, g.popSize)
	}
	b.pop = b.pop[:0]
	if len(b.start) != k {
		b.start, b.filled, b.missing = make([]int, k), make([]int, k), make([]int, k)
	}
	next := 0
	for j, n := range g.sizes {
		b.start[j], b.filled[j], b.missing[j] = next, next, 0
		next += n
	}
	seg, filled := b.seg, b.filled
	for i, v := range c.Num {
		code := g.code[i]
		if code < Noise {
			continue
		}
		if v-v != 0 { // NaN or ±Inf
			popMissing++
			if code >= 0 {
				b.missing[code]++
			}
			continue
		}
		b.pop = append(b.pop, v)
		if code >= 0 {
			seg[filled[code]] = v
			filled[code]++
		}
	}
	return popMissing
}

// numericColumn adds the statistics of one numeric column to every segment
// and records its candidate features.
func numericColumn(p *Profile, col column, g *groups, b *numericBuffers, cands [][]candidate) {
	c := col.c
	pmiss := b.gather(c, g)
	ps := summarize(b.pop)
	p.Population.Numeric = append(p.Population.Numeric, numericStat(c.Name, ps, pmiss))
	// Per segment: the segment's own values, and the rest of the population
	// (its size, mean and sum of squares follow from the population's and
	// the segment's by the parallel-axis theorem).
	for k := range g.ids {
		ss, smiss := summarize(b.seg[b.start[k]:b.filled[k]]), b.missing[k]
		var rs summary
		if rs.n = ps.n - ss.n; rs.n > 0 {
			rs.mean = (float64(ps.n)*ps.mean - float64(ss.n)*ss.mean) / float64(rs.n)
			d := ss.mean - rs.mean
			rs.m2 = max(0, ps.m2-ss.m2-float64(ss.n)*float64(rs.n)/float64(ps.n)*d*d)
		}
		st := numericStat(c.Name, ss, smiss)
		if ss.n > 0 && ps.std > 0 {
			st.Z = (ss.mean - ps.mean) / ps.std
		}
		st.Effect = cohenD(ss, rs, ps.std)
		p.Segments[k].Numeric = append(p.Segments[k].Numeric, st)
		if ss.n == 0 {
			continue
		}
		cand := candidate{col: c.Name, pos: col.pos, effect: st.Effect, mean: ss.mean, popMean: ps.mean, numeric: true}
		if math.Abs(st.Effect) < MinEffect && ss.n > 1 && ps.std > 0 && ss.std <= midSpread*ps.std {
			cand.mid = true
			cand.spread = ss.std / ps.std
		}
		cands[k] = append(cands[k], cand)
	}
}

// categoricalColumn adds the category shares of one categorical column to
// every segment and records its candidate features.
func categoricalColumn(p *Profile, col column, g *groups, maxCat int, cands [][]candidate) {
	c := col.c
	popCount := map[string]int{}
	popMissing := 0
	for i, v := range c.Str {
		switch {
		case g.code[i] < Noise:
		case v == "":
			popMissing++
		default:
			popCount[v]++
		}
	}
	type cat struct {
		value string
		count int
	}
	cats := make([]cat, 0, len(popCount))
	for v, n := range popCount {
		cats = append(cats, cat{v, n})
	}
	order.SortFunc(cats, func(a, b cat) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.value, b.value))
	})
	// index maps a kept category to its position in cats; the others are
	// pooled in Other, the last entry.
	index := map[string]int{}
	if len(cats) > maxCat {
		other := cat{value: Other}
		for _, x := range cats[maxCat:] {
			other.count += x.count
		}
		cats = append(cats[:maxCat:maxCat], other)
	}
	for j, x := range cats {
		if x.value != Other || j < maxCat {
			index[x.value] = j
		}
	}
	slot := func(v string) int {
		if j, ok := index[v]; ok {
			return j
		}
		return len(cats) - 1 // pooled in Other
	}
	popN := g.popSize - popMissing
	popShare := make([]float64, len(cats))
	for j, x := range cats {
		if popN > 0 {
			popShare[j] = float64(x.count) / float64(popN)
		}
	}
	shares := func(counts []int, n, missing int) CategoricalStat {
		st := CategoricalStat{Column: c.Name, Missing: missing, Shares: make([]CategoryShare, len(cats))}
		for j, x := range cats {
			cs := CategoryShare{Value: x.value, Count: counts[j], PopulationShare: popShare[j]}
			if n > 0 {
				cs.Share = float64(counts[j]) / float64(n)
			}
			if popShare[j] > 0 {
				cs.Lift = cs.Share / popShare[j]
			}
			st.Shares[j] = cs
		}
		rank := make(map[string]int, len(cats))
		for j, x := range cats {
			rank[x.value] = j
		}
		order.SortFunc(st.Shares, func(a, b CategoryShare) int {
			return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(rank[a.Value], rank[b.Value]))
		})
		return st
	}
	popCounts := make([]int, len(cats))
	for j, x := range cats {
		popCounts[j] = x.count
	}
	p.Population.Categorical = append(p.Population.Categorical, shares(popCounts, popN, popMissing))

	// Each segment's counts, in one pass over the rows.
	counts := make([][]int, len(g.ids))
	missing := make([]int, len(g.ids))
	for k := range counts {
		counts[k] = make([]int, len(cats))
	}
	for i, v := range c.Str {
		switch k := g.code[i]; {
		case k < 0:
		case v == "":
			missing[k]++
		default:
			counts[k][slot(v)]++
		}
	}
	for k := range g.ids {
		counts, missing := counts[k], missing[k]
		n := g.sizes[k] - missing
		p.Segments[k].Categorical = append(p.Segments[k].Categorical, shares(counts, n, missing))
		if n == 0 {
			continue
		}
		// The most over-represented real category, by Cohen's h against the
		// rest of the population.
		restN := popN - n
		best := candidate{}
		for j, x := range cats {
			if x.value == Other || restN <= 0 {
				continue
			}
			share := float64(counts[j]) / float64(n)
			restShare := float64(x.count-counts[j]) / float64(restN)
			h := cohenH(share, restShare)
			if h > best.effect {
				best = candidate{col: c.Name, pos: col.pos, value: x.value, effect: h, share: share, popShare: popShare[j]}
			}
		}
		if best.effect > 0 {
			cands[k] = append(cands[k], best)
		}
	}
}

// colLen is the number of values a column holds where its kind keeps them
// (Num for numbers, Str for categories), so a malformed column is refused
// rather than indexed out of range.
func colLen(c *dataset.Column) int {
	if c.Kind.IsNumeric() {
		return len(c.Num)
	}
	return len(c.Str)
}
