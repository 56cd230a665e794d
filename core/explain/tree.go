package explain

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/order"
	"github.com/segkit/segkit/core/profile"
)

// Label values with a meaning of their own (as in package profile).
const (
	// Noise marks a row in no segment; it is left out of the tree and of
	// the fidelity.
	Noise = -1
	// NotClustered marks a row that did not take part in the clustering;
	// it is left out too.
	NotClustered = -2
)

// MaxDepthLimit is the largest Options.MaxDepth accepted: deeper trees stop
// being readable.
const MaxDepthLimit = 5

// Options chooses the feature columns and the size of the tree. The zero
// value is ready to use.
type Options struct {
	// Columns names the feature columns. Empty means every integer, float
	// and categorical column of the table, in table order. Identifier, text,
	// date and all-missing columns cannot be features.
	Columns []string
	// MaxDepth is the largest number of conditions in a rule: 0 means 3; at
	// most MaxDepthLimit.
	MaxDepth int
	// MinLeaf is the smallest number of rows a leaf may hold: 0 means
	// max(5, 1 % of the clustered rows).
	MinLeaf int
}

// Explanation is a surrogate decision tree written as one rule per leaf.
// The rules do not overlap and cover every row: a row meets the conditions
// of exactly one rule.
type Explanation struct {
	// Rules are sorted by segment, then in tree order (the "≤" and "="
	// branches first).
	Rules []Rule `json:"rules"`
	// Fidelity is the share of the clustered rows (label ≥ 0) whose rule
	// names the segment the clustering gave them.
	Fidelity float64 `json:"fidelity"`
	Depth    int     `json:"depth"` // the most conditions of any rule
	Rows     int     `json:"rows"`  // clustered rows the tree was grown and scored on
}

// Rule is the path to one leaf of the tree.
type Rule struct {
	Segment    int         `json:"segment"`
	Conditions []Condition `json:"conditions"` // all must hold; none for a one-leaf tree
	Support    int         `json:"support"`    // clustered rows meeting the conditions
	Correct    int         `json:"correct"`    // of those, rows of Segment
	// Text reads like "Annual Income (k$) > 69.5 and Spending Score
	// (1-100) ≤ 40 → segment 2".
	Text string `json:"text"`
}

// Condition is one test on a column.
type Condition struct {
	Column string `json:"column"`
	// Op is "<=" or ">" against Threshold for a numeric column, "=" or "!="
	// against Value for a categorical one.
	Op        string  `json:"op"`
	Threshold float64 `json:"threshold"`
	Value     string  `json:"value"`
	// OrMissing: a missing value meets the condition too. At every split a
	// missing value follows the child with more training rows, so exactly
	// one branch of each split carries OrMissing. The rule's Text mentions
	// it only for columns that had missing values in training.
	OrMissing bool `json:"or_missing"`
}

// feature is one column prepared for the tree.
type feature struct {
	name       string
	numeric    bool
	num        []float64 // numeric: the training rows' values, NaN = missing
	codes      []int32   // categorical: the training rows' index into cats, -1 = missing
	cats       []string  // sorted
	hasMissing bool      // among the training rows
}

func (f *feature) missing(i int32) bool {
	if f.numeric {
		return math.IsNaN(f.num[i]) || math.IsInf(f.num[i], 0)
	}
	return f.codes[i] < 0
}

// node is a node of the tree while it grows.
type node struct {
	class   int // index into classes: the majority, ties to the lowest
	n       int
	correct int

	feat      int // -1 for a leaf
	threshold float64
	cat       int32
	missLeft  bool
	left      *node // "<=" or "=" branch
	right     *node
}

// split is a candidate split of a node.
type split struct {
	score     float64 // Σ over children of Σ_c count² / size; larger is purer
	feat      int
	threshold float64
	cat       int32
	missLeft  bool
}

type grower struct {
	feats    []feature
	y        []int32 // class index of every training row
	classes  []int   // class index → segment ID
	minLeaf  int
	maxDepth int
}

// Tree grows a CART classification tree (Gini impurity) that predicts the
// segment of each clustered row from the feature columns in their original
// units, and writes it as rules.
//
// Splits: a numeric column splits at the midpoint between two consecutive
// distinct values, rounded to the fewest decimals that keep it strictly
// between them (69 and 70 give 69.5; 12.34 and 15.6 give 14); a categorical
// column splits one category against the rest. A missing value follows the
// child with more rows (ties: the "≤"/"=" child), both when the split is
// chosen and in Predict. A split is kept only when it lowers the impurity
// and leaves at least MinLeaf rows in each child; ties between splits go to
// the first column, then the smallest threshold or category. Sibling leaves
// that name the same segment are merged, so no rule is redundant.
//
// Rows labelled Noise or NotClustered are left out; labels must be ≥ -2.
func Tree(t *dataset.Table, labels []int, opt Options) (*Explanation, error) {
	if t == nil {
		return nil, fmt.Errorf("%w: nil table", ErrLabels)
	}
	if opt.MaxDepth < 0 || opt.MaxDepth > MaxDepthLimit || opt.MinLeaf < 0 {
		return nil, fmt.Errorf("%w: MaxDepth %d must be in 0..%d and MinLeaf %d must not be negative", ErrOptions, opt.MaxDepth, MaxDepthLimit, opt.MinLeaf)
	}
	if len(labels) != t.Rows {
		return nil, fmt.Errorf("%w: %d labels for %d rows", ErrLabels, len(labels), t.Rows)
	}
	cols, err := profile.Columns(t, opt.Columns)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}

	var rows []int32
	seen := map[int]bool{}
	for i, l := range labels {
		switch {
		case l >= 0:
			rows = append(rows, int32(i))
			seen[l] = true
		case l == Noise || l == NotClustered:
		default:
			return nil, fmt.Errorf("%w: row %d has label %d (allowed: ≥ 0, -1 noise, -2 not clustered)", ErrLabels, i+1, l)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: no row is in a segment", ErrLabels)
	}
	g := &grower{maxDepth: opt.MaxDepth, minLeaf: opt.MinLeaf}
	if g.maxDepth == 0 {
		g.maxDepth = 3
	}
	if g.minLeaf == 0 {
		g.minLeaf = max(5, len(rows)/100)
	}
	for l := range seen {
		g.classes = append(g.classes, l)
	}
	order.SortFunc(g.classes, cmp.Compare[int])
	classOf := make(map[int]int32, len(g.classes))
	for c, l := range g.classes {
		classOf[l] = int32(c)
	}
	// The tree works on the training rows alone, renumbered 0..m-1 in
	// row order (so ties by row stay ties by number): its values then sit
	// close together in memory however few rows of the table it trains on.
	m := len(rows)
	g.y = make([]int32, m)
	for p, i := range rows {
		g.y[p] = classOf[labels[i]]
	}
	local := make([]int32, m)
	for p := range local {
		local[p] = int32(p)
	}

	g.feats = make([]feature, len(cols))
	orders := make([][]int32, len(cols))
	for j, c := range cols {
		f := feature{name: c.Name, numeric: c.Kind.IsNumeric()}
		if f.numeric {
			f.num = make([]float64, m)
			for p, i := range rows {
				f.num[p] = c.Num[i]
			}
		} else {
			set := map[string]bool{}
			for _, i := range rows {
				if v := c.Str[i]; v != "" {
					set[v] = true
				}
			}
			for v := range set {
				f.cats = append(f.cats, v)
			}
			order.SortFunc(f.cats, strings.Compare)
			idx := make(map[string]int32, len(f.cats))
			for k, v := range f.cats {
				idx[v] = int32(k)
			}
			f.codes = make([]int32, m)
			for p, i := range rows {
				if k, ok := idx[c.Str[i]]; ok {
					f.codes[p] = k
				} else {
					f.codes[p] = -1
				}
			}
		}
		for _, i := range local {
			if f.missing(i) {
				f.hasMissing = true
				break
			}
		}
		g.feats[j] = f
		if f.numeric {
			// Rows with a value, sorted by it (ties by row).
			o := make([]int32, 0, m)
			for _, i := range local {
				if !f.missing(i) {
					o = append(o, i)
				}
			}
			order.SortByValue(o, f.num)
			orders[j] = o
		}
	}

	root := g.grow(local, orders, 0)
	e := &Explanation{Rows: len(rows)}
	correct := 0
	g.rules(root, nil, &e.Rules)
	for _, r := range e.Rules {
		correct += r.Correct
		e.Depth = max(e.Depth, len(r.Conditions))
	}
	order.SortFunc(e.Rules, func(a, b Rule) int { return cmp.Compare(a.Segment, b.Segment) })
	e.Fidelity = float64(correct) / float64(len(rows))
	return e, nil
}

// sumSq returns Σ count² over the classes.
func sumSq(counts []int) int64 {
	var s int64
	for _, c := range counts {
		s += int64(c) * int64(c)
	}
	return s
}

// purity is Σ_c count²/size of one child; maximising the sum over the two
// children minimises their weighted Gini impurity. It uses no multiply-add,
// so it rounds the same way on every platform.
func purity(sq int64, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(sq) / float64(n)
}

// grow builds the subtree of the given rows; orders[j] lists the rows with
// a value of numeric feature j, sorted by it.
func (g *grower) grow(rows []int32, orders [][]int32, depth int) *node {
	k := len(g.classes)
	counts := make([]int, k)
	for _, i := range rows {
		counts[g.y[i]]++
	}
	nd := &node{n: len(rows), feat: -1}
	for c := range counts {
		if counts[c] > counts[nd.class] {
			nd.class = c
		}
	}
	nd.correct = counts[nd.class]
	if depth >= g.maxDepth || nd.correct == nd.n || nd.n < 2*g.minLeaf {
		return nd
	}
	parent := purity(sumSq(counts), nd.n)
	best := split{score: parent + 1e-9*parent, feat: -1}

	left, right, miss := make([]int, k), make([]int, k), make([]int, k)
	// try scores the split with nl and nr present rows on each side: the
	// missing rows (miss, nm of them) join the larger side; ok is false when
	// a side would hold fewer than MinLeaf rows.
	var nm int
	try := func(nl, nr int) (score float64, missLeft, ok bool) {
		missLeft = nl >= nr
		side := right
		if missLeft {
			side, nl = left, nl+nm
		} else {
			nr += nm
		}
		if nl < g.minLeaf || nr < g.minLeaf {
			return 0, missLeft, false
		}
		for c := range side {
			side[c] += miss[c]
		}
		score = purity(sumSq(left), nl) + purity(sumSq(right), nr)
		for c := range side {
			side[c] -= miss[c]
		}
		return score, missLeft, true
	}
	for j := range g.feats {
		f := &g.feats[j]
		clear(miss)
		nm = 0
		for _, i := range rows {
			if f.missing(i) {
				miss[g.y[i]]++
				nm++
			}
		}
		present := nd.n - nm
		if f.numeric {
			o := orders[j]
			// As try, with the sums of squares kept up to date as each row
			// moves left: Σ (side + miss)² = Σ side² + 2 Σ side·miss + Σ miss².
			// They are exact integers, so the scores are try's to the bit.
			clear(left)
			var sqL, sqR, xL, xR, sqM int64
			for c := range right {
				right[c] = counts[c] - miss[c]
				sqR += int64(right[c]) * int64(right[c])
				xR += int64(right[c]) * int64(miss[c])
				sqM += int64(miss[c]) * int64(miss[c])
			}
			lo, hi := 0.0, 0.0 // the values around the best split so far
			for p := 0; p+1 < len(o); p++ {
				y := g.y[o[p]]
				sqL += 2*int64(left[y]) + 1
				sqR -= 2*int64(right[y]) - 1
				xL += int64(miss[y])
				xR -= int64(miss[y])
				left[y]++
				right[y]--
				v, next := f.num[o[p]], f.num[o[p+1]]
				if v == next {
					continue
				}
				nl, nr := p+1, present-p-1
				a, b := sqL, sqR
				missLeft := nl >= nr
				if missLeft {
					nl, a = nl+nm, a+2*xL+sqM
				} else {
					nr, b = nr+nm, b+2*xR+sqM
				}
				if nl < g.minLeaf || nr < g.minLeaf {
					continue
				}
				if s := purity(a, nl) + purity(b, nr); s > best.score {
					best = split{score: s, feat: j, missLeft: missLeft}
					lo, hi = v, next
				}
			}
			if best.feat == j {
				best.threshold = niceThreshold(lo, hi)
			}
			continue
		}
		// Categorical: one category against the rest.
		byCat := make([][]int, len(f.cats))
		for _, i := range rows {
			if c := f.codes[i]; c >= 0 {
				if byCat[c] == nil {
					byCat[c] = make([]int, k)
				}
				byCat[c][g.y[i]]++
			}
		}
		for c, cc := range byCat {
			if cc == nil {
				continue
			}
			nl := 0
			for y := range cc {
				left[y] = cc[y]
				right[y] = counts[y] - miss[y] - cc[y]
				nl += cc[y]
			}
			if s, missLeft, ok := try(nl, present-nl); ok && s > best.score {
				best = split{score: s, feat: j, cat: int32(c), missLeft: missLeft}
			}
		}
	}
	if best.feat < 0 {
		return nd
	}

	// Partition the rows and the sorted orders.
	f := &g.feats[best.feat]
	goesLeft := func(i int32) bool {
		switch {
		case f.missing(i):
			return best.missLeft
		case f.numeric:
			return f.num[i] <= best.threshold
		}
		return f.codes[i] == best.cat
	}
	var lrows, rrows []int32
	for _, i := range rows {
		if goesLeft(i) {
			lrows = append(lrows, i)
		} else {
			rrows = append(rrows, i)
		}
	}
	lord, rord := make([][]int32, len(orders)), make([][]int32, len(orders))
	for j, o := range orders {
		if o == nil {
			continue
		}
		lord[j] = make([]int32, 0, len(lrows))
		rord[j] = make([]int32, 0, len(rrows))
		for _, i := range o {
			if goesLeft(i) {
				lord[j] = append(lord[j], i)
			} else {
				rord[j] = append(rord[j], i)
			}
		}
	}
	nd.feat, nd.threshold, nd.cat, nd.missLeft = best.feat, best.threshold, best.cat, best.missLeft
	nd.left = g.grow(lrows, lord, depth+1)
	nd.right = g.grow(rrows, rord, depth+1)
	// Merge sibling leaves that name the same segment: the split changes no
	// prediction.
	if nd.left.feat < 0 && nd.right.feat < 0 && nd.left.class == nd.right.class {
		nd.feat, nd.left, nd.right = -1, nil, nil
	}
	return nd
}

// niceThreshold returns the midpoint of lo < hi rounded to the fewest
// decimals that keep it strictly between them.
func niceThreshold(lo, hi float64) float64 {
	mid := lo + (hi-lo)/2
	for d := 0; d <= 15; d++ {
		p := math.Pow(10, float64(d))
		r := math.Round(mid*p) / p
		if lo < r && r < hi {
			return r
		}
	}
	return mid
}

// rules appends one rule per leaf under nd, in tree order.
func (g *grower) rules(nd *node, path []Condition, out *[]Rule) {
	if nd.feat < 0 {
		conds := simplify(path)
		r := Rule{Segment: g.classes[nd.class], Conditions: conds, Support: nd.n, Correct: nd.correct}
		r.Text = g.ruleText(r)
		*out = append(*out, r)
		return
	}
	f := &g.feats[nd.feat]
	var l, r Condition
	if f.numeric {
		l = Condition{Column: f.name, Op: "<=", Threshold: nd.threshold}
		r = Condition{Column: f.name, Op: ">", Threshold: nd.threshold}
	} else {
		l = Condition{Column: f.name, Op: "=", Value: f.cats[nd.cat]}
		r = Condition{Column: f.name, Op: "!=", Value: f.cats[nd.cat]}
	}
	l.OrMissing, r.OrMissing = nd.missLeft, !nd.missLeft
	path = path[:len(path):len(path)] // appends below must not share memory
	g.rules(nd.left, append(path, l), out)
	g.rules(nd.right, append(path, r), out)
}

// simplify merges the conditions on one column: the tightest "<=" and ">",
// an "=" instead of any "!=", and a missing value allowed only when every
// merged condition allowed it. Columns keep the order of their first test.
func simplify(path []Condition) []Condition {
	var order []string
	by := map[string][]Condition{}
	for _, c := range path {
		if _, ok := by[c.Column]; !ok {
			order = append(order, c.Column)
		}
		by[c.Column] = append(by[c.Column], c)
	}
	var out []Condition
	for _, col := range order {
		cs := by[col]
		orMissing := true
		for _, c := range cs {
			orMissing = orMissing && c.OrMissing
		}
		var le, gt, eq *Condition
		var ne []Condition
		for _, c := range cs {
			switch c.Op {
			case "<=":
				if le == nil || c.Threshold < le.Threshold {
					le = &c
				}
			case ">":
				if gt == nil || c.Threshold > gt.Threshold {
					gt = &c
				}
			case "=":
				eq = &c
			case "!=":
				ne = append(ne, c)
			}
		}
		add := func(c Condition) {
			c.OrMissing = orMissing
			out = append(out, c)
		}
		switch {
		case eq != nil:
			add(*eq)
		case len(ne) > 0:
			for _, c := range ne {
				add(c)
			}
		}
		if gt != nil {
			add(*gt)
		}
		if le != nil {
			add(*le)
		}
	}
	return out
}

func (g *grower) ruleText(r Rule) string {
	missing := map[string]bool{}
	for _, f := range g.feats {
		missing[f.name] = f.hasMissing
	}
	return ruleText(r, missing)
}

func ruleText(r Rule, missing map[string]bool) string {
	var parts []string
	for i := 0; i < len(r.Conditions); i++ {
		c := r.Conditions[i]
		// A range on one column reads "39.5 < Income ≤ 69.5".
		if i+1 < len(r.Conditions) {
			d := r.Conditions[i+1]
			if c.Op == ">" && d.Op == "<=" && d.Column == c.Column && d.OrMissing == c.OrMissing {
				s := formatThreshold(c.Threshold) + " < " + c.Column + " ≤ " + formatThreshold(d.Threshold)
				if missing[c.Column] && c.OrMissing {
					s += " (or missing)"
				}
				parts = append(parts, s)
				i++
				continue
			}
		}
		parts = append(parts, c.text(missing[c.Column]))
	}
	lhs := strings.Join(parts, " and ")
	if lhs == "" {
		lhs = "every customer"
	}
	return fmt.Sprintf("%s → segment %d", lhs, r.Segment)
}

func (c Condition) text(showMissing bool) string {
	var s string
	switch c.Op {
	case "<=":
		s = c.Column + " ≤ " + formatThreshold(c.Threshold)
	case ">":
		s = c.Column + " > " + formatThreshold(c.Threshold)
	case "=":
		s = c.Column + " = " + c.Value
	case "!=":
		s = c.Column + " ≠ " + c.Value
	default:
		s = c.Column + " " + c.Op + " ?"
	}
	if showMissing && c.OrMissing {
		s += " (or missing)"
	}
	return s
}

func formatThreshold(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Predict returns the segment the rules give row of t, reading the rule
// columns by name (t may be another table with the same columns). A value
// that is missing, or of the wrong kind, follows the OrMissing branches; a
// category not seen in training meets every "!=" condition. It returns -1
// when row is out of range or no rule applies (an Explanation decoded from
// edited JSON).
func (e *Explanation) Predict(t *dataset.Table, row int) int {
	if e == nil || t == nil || row < 0 || row >= t.Rows {
		return -1
	}
	for _, r := range e.Rules {
		if r.matches(t, row) {
			return r.Segment
		}
	}
	return -1
}

func (r *Rule) matches(t *dataset.Table, row int) bool {
	for _, c := range r.Conditions {
		if !c.holds(t.Column(c.Column), row) {
			return false
		}
	}
	return true
}

func (c Condition) holds(col *dataset.Column, row int) bool {
	switch c.Op {
	case "<=", ">":
		if col == nil || col.Num == nil || row >= len(col.Num) || math.IsNaN(col.Num[row]) || math.IsInf(col.Num[row], 0) {
			return c.OrMissing
		}
		v := col.Num[row]
		if c.Op == "<=" {
			return v <= c.Threshold
		}
		return v > c.Threshold
	case "=", "!=":
		if col == nil || col.Str == nil || row >= len(col.Str) || col.Str[row] == "" {
			return c.OrMissing
		}
		return (col.Str[row] == c.Value) == (c.Op == "=")
	}
	return false
}

// Text writes the rules, one a line, then the fidelity, for reading in a
// terminal.
func (e *Explanation) Text(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Decision rules (depth %d) on %d clustered rows; fidelity %.1f %%\n", e.Depth, e.Rows, 100*e.Fidelity)
	for _, r := range e.Rules {
		fmt.Fprintf(&b, "  %s  [%d of %d rows]\n", r.Text, r.Correct, r.Support)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
