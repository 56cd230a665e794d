package rfm

import (
	"cmp"
	"slices"
)

// The named segments, in the order Result.Segments lists them.
const (
	Champions         = "Champions"
	LoyalCustomers    = "Loyal Customers"
	PotentialLoyalist = "Potential Loyalist"
	NewCustomers      = "New Customers"
	Promising         = "Promising"
	NeedAttention     = "Need Attention"
	AboutToSleep      = "About To Sleep"
	AtRisk            = "At Risk"
	CantLoseThem      = "Can't Lose Them"
	Hibernating       = "Hibernating"
	Lost              = "Lost"
)

// SegmentNames returns the eleven named segments in their fixed order.
func SegmentNames() []string {
	return []string{Champions, LoyalCustomers, PotentialLoyalist, NewCustomers, Promising,
		NeedAttention, AboutToSleep, AtRisk, CantLoseThem, Hibernating, Lost}
}

// segmentGrid[fm-1][r-1] is the segment of recency score r and
// fm = floor((F+M)/2); rows 4 and 5 are the same band.
var segmentGrid = [5][5]string{
	{Lost, Hibernating, AboutToSleep, Promising, NewCustomers},
	{Lost, Hibernating, NeedAttention, PotentialLoyalist, PotentialLoyalist},
	{AtRisk, AtRisk, LoyalCustomers, LoyalCustomers, LoyalCustomers},
	{CantLoseThem, AtRisk, LoyalCustomers, Champions, Champions},
	{CantLoseThem, AtRisk, LoyalCustomers, Champions, Champions},
}

// Segment returns the named segment of the scores r, f and m (each 1..5),
// from the grid in the package comment, or "" when a score is out of range.
func Segment(r, f, m int) string {
	if r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5 {
		return ""
	}
	return segmentGrid[(f+m)/2-1][r-1]
}

// Quintiles returns the score 1..5 of each value, 5 for the highest, by the
// rule in the package comment: a value's score is max(1, ceil(5·lo/(n−1)))
// where lo counts the values strictly below it (1 when n = 1). NaN values
// are not allowed.
func Quintiles(values []float64) []int {
	n := len(values)
	scores := make([]int, n)
	if n == 0 {
		return scores
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(values[a], values[b]) })
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && values[order[hi]] == values[order[lo]] {
			hi++
		}
		s := 1
		if n > 1 {
			s = max(1, (5*lo+n-2)/(n-1)) // ceil(5·lo/(n−1))
		}
		for _, i := range order[lo:hi] {
			scores[i] = s
		}
		lo = hi
	}
	return scores
}

// score fills in R, F, M, Score and Segment.
func score(cs []Customer) {
	v := make([]float64, len(cs))
	for i := range cs {
		v[i] = -cs[i].Recency // lower recency is better
	}
	r := Quintiles(v)
	for i := range cs {
		v[i] = float64(cs[i].Frequency)
	}
	f := Quintiles(v)
	for i := range cs {
		v[i] = cs[i].Monetary
	}
	m := Quintiles(v)
	for i := range cs {
		c := &cs[i]
		c.R, c.F, c.M = r[i], f[i], m[i]
		c.Score = string([]byte{byte('0' + c.R), byte('0' + c.F), byte('0' + c.M)})
		c.Segment = Segment(c.R, c.F, c.M)
	}
}

func countSegments(cs []Customer) []SegmentCount {
	names := SegmentNames()
	out := make([]SegmentCount, len(names))
	idx := make(map[string]int, len(names))
	for i, n := range names {
		out[i].Name = n
		idx[n] = i
	}
	for _, c := range cs {
		out[idx[c.Segment]].Count++
	}
	for i := range out {
		if len(cs) > 0 {
			out[i].Share = float64(out[i].Count) / float64(len(cs))
		}
	}
	return out
}
