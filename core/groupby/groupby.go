package groupby

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/segkit/segkit/core/dataset"
)

// Errors returned by Segment, wrapped with the rule and column concerned.
var (
	// ErrUnknownColumn reports a rule column that is not in the table.
	ErrUnknownColumn = errors.New("groupby: unknown column")
	// ErrRule reports an invalid rule or a rule that does not fit its column.
	ErrRule = errors.New("groupby: invalid rule")
)

// RuleKind is how a rule forms groups.
type RuleKind uint8

// The rule kinds; see the package comment.
const (
	ByValue  RuleKind = iota // one group per distinct value
	ByPrefix                 // one group per prefix of Rule.Prefix characters
	ByBands                  // numeric bands between Rule.Bands
)

var kindNames = []string{"value", "prefix", "bands"}

// String returns "value", "prefix" or "bands".
func (k RuleKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "rulekind(" + strconv.Itoa(int(k)) + ")"
}

// ParseRuleKind is the inverse of RuleKind.String (case-insensitive).
func ParseRuleKind(s string) (RuleKind, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range kindNames {
		if n == t {
			return RuleKind(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown rule kind %q; expected value, prefix or bands", ErrRule, s)
}

// Rule is one grouping rule.
type Rule struct {
	// Column names the column the rule reads; required.
	Column string
	// Kind is how groups are formed; the zero value is ByValue.
	Kind RuleKind
	// Prefix is the number of characters kept by ByPrefix; it must be > 0
	// there and is ignored otherwise.
	Prefix int
	// Bands are the increasing band edges of ByBands. Nil with a column
	// named like an age means AgeBands(); otherwise ByBands needs them.
	Bands []float64
	// MaxGroups caps the ByValue and ByPrefix groups: the smaller ones merge
	// into "Other". 0 means 12; it must not be negative.
	MaxGroups int
	// Title, if not empty, starts the name of every ByValue and ByPrefix
	// group but "Other", followed by a space: Title "Region" names the
	// group of the code 3 "Region 3". Bands are always named after the
	// column.
	Title string
}

// DefaultMaxGroups is the group cap when Rule.MaxGroups is 0.
const DefaultMaxGroups = 12

// OtherName is the name of the group that smaller groups merge into.
const OtherName = "Other"

// Result is a rule-based segmentation of the rows of a table.
type Result struct {
	// Labels holds one group number per row, 0..len(Names)-1, or -1 when a
	// rule's cell is missing.
	Labels []int `json:"labels"`
	// Names holds the readable name of each group, e.g. "United Kingdom"
	// or "Age 25–34".
	Names []string `json:"names"`
	// Sizes holds the number of rows in each group.
	Sizes []int `json:"sizes"`
	// Missing counts the rows labelled -1.
	Missing int `json:"missing"`
}

// AgeBands returns the standard marketing age band edges 18, 25, 35, 45,
// 55, 65: bands 18–24, 25–34, 35–44, 45–54, 55–64 and 65+ (and under 18).
func AgeBands() []float64 { return []float64{18, 25, 35, 45, 55, 65} }

// Segment groups the rows of t by the rules. Errors wrap ErrUnknownColumn
// (listing the available columns) or ErrRule (naming the rule, 1-based, and
// what was expected).
func Segment(t *dataset.Table, rules ...Rule) (*Result, error) {
	if t == nil || t.Rows < 0 {
		return nil, errors.New("groupby: nil table or negative row count")
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("%w: no rules; give at least one Rule with a Column", ErrRule)
	}
	parts := make([]*Result, len(rules))
	for i, r := range rules {
		c := t.Column(r.Column)
		if c == nil {
			return nil, fmt.Errorf("%w: rule %d: no column %q; the table has columns %s",
				ErrUnknownColumn, i+1, r.Column, quoteNames(t.Names()))
		}
		if c.Len() != t.Rows && c.Kind != dataset.KindEmpty {
			return nil, fmt.Errorf("%w: rule %d: column %q has %d cells for %d rows", ErrRule, i+1, r.Column, c.Len(), t.Rows)
		}
		var err error
		if parts[i], err = apply(r, c, t.Rows); err != nil {
			return nil, fmt.Errorf("%w: rule %d (%s on column %q): %s", ErrRule, i+1, r.Kind, r.Column, err)
		}
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return combine(parts, t.Rows), nil
}

// apply runs one rule on column c; errors are plain descriptions.
func apply(r Rule, c *dataset.Column, rows int) (*Result, error) {
	if r.MaxGroups < 0 {
		return nil, fmt.Errorf("MaxGroups is %d; expected 0 (meaning %d) or more", r.MaxGroups, DefaultMaxGroups)
	}
	switch r.Kind {
	case ByValue:
		return r.titled(byKey(c, rows, r.maxGroups(), func(s string) string { return s }, "")), nil
	case ByPrefix:
		if r.Prefix <= 0 {
			return nil, fmt.Errorf("Prefix is %d; expected the number of leading characters to keep, > 0", r.Prefix)
		}
		return r.titled(byKey(c, rows, r.maxGroups(), func(s string) string { return prefix(s, r.Prefix) }, "…")), nil
	case ByBands:
		return byBands(r, c, rows)
	}
	return nil, fmt.Errorf("unknown kind %d; expected ByValue, ByPrefix or ByBands", r.Kind)
}

// titled puts the rule's Title before the group names but "Other".
func (r Rule) titled(res *Result) *Result {
	if r.Title == "" {
		return res
	}
	for i, n := range res.Names {
		if n != OtherName {
			res.Names[i] = r.Title + " " + n
		}
	}
	return res
}

func (r Rule) maxGroups() int {
	if r.MaxGroups == 0 {
		return DefaultMaxGroups
	}
	return r.MaxGroups
}

// prefix returns the first n characters of s without spaces, upper-cased.
func prefix(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if n == 0 {
			break
		}
		b.WriteRune(unicode.ToUpper(r))
		n--
	}
	return b.String()
}

// byKey groups rows by key(cell text), largest first, merging beyond
// maxGroups into "Other"; suffix is appended to the names.
func byKey(c *dataset.Column, rows, maxGroups int, key func(string) string, suffix string) *Result {
	res := &Result{Labels: make([]int, rows)}
	ids := map[string]int{}
	var keys []string
	var counts []int
	for i := 0; i < rows; i++ {
		if c.IsMissing(i) {
			res.Labels[i] = -1
			res.Missing++
			continue
		}
		k := key(c.Text(i))
		id, ok := ids[k]
		if !ok {
			id = len(keys)
			ids[k] = id
			keys = append(keys, k)
			counts = append(counts, 0)
		}
		counts[id]++
		res.Labels[i] = id
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(keys[a], keys[b])
	})
	keep := len(order)
	if keep > maxGroups {
		keep = maxGroups - 1
	}
	relabel := make([]int, len(keys))
	other := -1
	for rank, id := range order {
		name := keys[id] + suffix
		if rank >= keep || keys[id] == OtherName {
			if other < 0 {
				other = -2 // assigned after the kept groups
			}
			relabel[id] = -2
			continue
		}
		relabel[id] = len(res.Names)
		res.Names = append(res.Names, name)
		res.Sizes = append(res.Sizes, 0)
	}
	if other == -2 {
		other = len(res.Names)
		res.Names = append(res.Names, OtherName)
		res.Sizes = append(res.Sizes, 0)
	}
	for i, l := range res.Labels {
		if l < 0 {
			continue
		}
		l = relabel[l]
		if l == -2 {
			l = other
		}
		res.Labels[i] = l
		res.Sizes[l]++
	}
	return res
}

// byBands groups rows of a numeric column into bands.
func byBands(r Rule, c *dataset.Column, rows int) (*Result, error) {
	if !c.Kind.IsNumeric() {
		return nil, fmt.Errorf("column is %s column; expected an integer or float column", article(c.Kind))
	}
	edges := r.Bands
	if edges == nil {
		if !ageLike(r.Column) {
			return nil, errors.New("no Bands given and the column is not named like an age; give the band edges, e.g. []float64{0, 100, 1000}")
		}
		edges = AgeBands()
	}
	if len(edges) == 0 {
		return nil, errors.New("Bands is empty; expected at least one edge")
	}
	for i, e := range edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("band edge %d is %v; expected a finite number", i+1, e)
		}
		if i > 0 && e <= edges[i-1] {
			return nil, fmt.Errorf("band edges must increase: edge %d (%v) follows %v", i+1, e, edges[i-1])
		}
	}
	integer := c.Kind == dataset.KindInteger
	for _, e := range edges {
		integer = integer && e == math.Trunc(e)
	}
	// Band b (0..len(edges)) holds values in [edges[b-1], edges[b]).
	band := make([]int, rows)
	counts := make([]int, len(edges)+1)
	res := &Result{Labels: band}
	for i := 0; i < rows; i++ {
		v := c.Num[i]
		if math.IsNaN(v) {
			band[i] = -1
			res.Missing++
			continue
		}
		b, _ := slices.BinarySearch(edges, v)
		if b < len(edges) && edges[b] == v {
			b++
		}
		band[i] = b
		counts[b]++
	}
	relabel := make([]int, len(counts))
	for b, n := range counts {
		if n == 0 {
			continue
		}
		relabel[b] = len(res.Names)
		res.Names = append(res.Names, r.Column+" "+bandName(edges, b, integer))
		res.Sizes = append(res.Sizes, n)
	}
	for i, b := range band {
		if b >= 0 {
			band[i] = relabel[b]
		}
	}
	return res, nil
}

func bandName(edges []float64, b int, integer bool) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case b == 0:
		return "under " + f(edges[0])
	case b == len(edges):
		return f(edges[b-1]) + "+"
	}
	lo, hi := edges[b-1], edges[b]
	if integer {
		if hi-1 == lo {
			return f(lo)
		}
		return f(lo) + "–" + f(hi-1)
	}
	return f(lo) + "–" + f(hi)
}

// ageLike reports whether a column name has the word "age".
func ageLike(name string) bool { return slices.Contains(dataset.NameWords(name), "age") }

// DefaultRule is the rule for column c when only the column is named (the
// page's region goal, `segkit group --by`): the standard age bands for a
// numeric column named like an age; otherwise one group per value, titled
// with the column's name when the values are numeric codes ("Region 3")
// and untitled for text ("United Kingdom").
func DefaultRule(c *dataset.Column) Rule {
	r := Rule{Column: c.Name}
	switch {
	case c.Kind.IsNumeric() && ageLike(c.Name):
		r.Kind = ByBands
	case c.Kind.IsNumeric():
		r.Title = c.Name
	}
	return r
}

// combine crosses the per-rule groupings.
func combine(parts []*Result, rows int) *Result {
	res := &Result{Labels: make([]int, rows)}
	type combo = string // per-rule labels packed as text, for a map key
	ids := map[combo]int{}
	var tuples [][]int
	key := make([]byte, 0, 8*len(parts))
	for i := 0; i < rows; i++ {
		key = key[:0]
		missing := false
		for _, p := range parts {
			l := p.Labels[i]
			if l < 0 {
				missing = true
				break
			}
			key = strconv.AppendInt(key, int64(l), 10)
			key = append(key, ',')
		}
		if missing {
			res.Labels[i] = -1
			res.Missing++
			continue
		}
		id, ok := ids[string(key)]
		if !ok {
			id = len(tuples)
			ids[string(key)] = id
			t := make([]int, len(parts))
			for j, p := range parts {
				t[j] = p.Labels[i]
			}
			tuples = append(tuples, t)
		}
		res.Labels[i] = id
	}
	order := make([]int, len(tuples))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return slices.Compare(tuples[a], tuples[b]) })
	relabel := make([]int, len(tuples))
	names := make([]string, len(parts))
	for rank, id := range order {
		relabel[id] = rank
		for j, p := range parts {
			names[j] = p.Names[tuples[id][j]]
		}
		res.Names = append(res.Names, strings.Join(names, " · "))
	}
	res.Sizes = make([]int, len(tuples))
	for i, l := range res.Labels {
		if l >= 0 {
			res.Labels[i] = relabel[l]
			res.Sizes[relabel[l]]++
		}
	}
	return res
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// article returns the kind's name after "a" or "an": "an identifier".
func article(k dataset.Kind) string {
	name := k.String()
	if strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
