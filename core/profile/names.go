package profile

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/segkit/segkit/core/order"
)

// midSpread is the largest ratio of a segment's standard deviation to the
// population's for a column to be called "Mid" in a name.
const midSpread = 0.5

// AverageName names a segment with no distinguishing and no "Mid" feature.
const AverageName = "Average customers"

// candidate is a possible distinguishing (or "Mid") feature of a segment.
type candidate struct {
	col     string
	pos     int // column position, for ordering words in names
	value   string
	effect  float64
	numeric bool

	mean, popMean   float64 // numeric
	share, popShare float64 // categorical

	mid    bool    // numeric, not distinguishing, concentrated: a "Mid" word
	spread float64 // segment std / population std, for mid
}

func (c candidate) distinguishing() bool { return !c.mid && math.Abs(c.effect) >= MinEffect }

func (c candidate) direction() string {
	switch {
	case !c.numeric:
		return "over"
	case c.effect > 0:
		return "high"
	}
	return "low"
}

// word is the first word of a name part: High, Low, Mid, Mostly or More.
func (c candidate) word() string {
	switch {
	case c.mid:
		return "Mid"
	case !c.numeric && c.share > 0.5:
		return "Mostly"
	case !c.numeric:
		return "More"
	case c.effect > 0:
		return "High"
	}
	return "Low"
}

// part is the candidate's piece of a segment name: "High income",
// "Mostly Female".
func (c candidate) part() string {
	if !c.numeric {
		return c.word() + " " + c.value
	}
	return c.word() + " " + ShortLabel(c.col)
}

// phrase is the candidate's piece of a description: "high annual income
// (mean 86.5)", "mostly Female (70 %)".
func (c candidate) phrase() string {
	if !c.numeric {
		return fmt.Sprintf("%s %s (%s vs %s)", strings.ToLower(c.word()), c.value, percent(c.share), percent(c.popShare))
	}
	return fmt.Sprintf("%s %s (mean %s)", strings.ToLower(c.word()), longLabel(c.col), formatNumber(c.mean))
}

func (c candidate) feature() Feature {
	f := Feature{Column: c.col, Value: c.value, Direction: c.direction(), Effect: c.effect}
	if c.numeric {
		f.Text = fmt.Sprintf("%s %s: mean %s vs %s", c.col, f.Direction, formatNumber(c.mean), formatNumber(c.popMean))
	} else {
		f.Text = fmt.Sprintf("%s = %s over-represented: %s vs %s", c.col, c.value, percent(c.share), percent(c.popShare))
	}
	return f
}

// ranked returns the distinguishing candidates by absolute effect,
// strongest first (ties: column order, then value).
func ranked(cands []candidate) []candidate {
	var out []candidate
	for _, c := range cands {
		if c.distinguishing() {
			out = append(out, c)
		}
	}
	order.SortFunc(out, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(math.Abs(b.effect), math.Abs(a.effect)), cmp.Compare(a.pos, b.pos), strings.Compare(a.value, b.value))
	})
	return out
}

// nameParts returns the candidates a name of up to n parts is built from, in
// column order: the strongest distinguishing features, completed when there
// are fewer than n by the most concentrated "Mid" columns.
func nameParts(cands []candidate, n int) []candidate {
	parts := ranked(cands)
	parts = parts[:min(n, len(parts))]
	if len(parts) < n {
		var mids []candidate
		for _, c := range cands {
			if c.mid {
				mids = append(mids, c)
			}
		}
		order.SortFunc(mids, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(a.spread, b.spread), cmp.Compare(a.pos, b.pos))
		})
		parts = append(parts, mids[:min(n-len(parts), len(mids))]...)
	}
	order.SortFunc(parts, func(a, b candidate) int { return cmp.Compare(a.pos, b.pos) })
	return parts
}

func nameOf(cands []candidate, n int) string {
	parts := nameParts(cands, n)
	if len(parts) == 0 {
		return AverageName
	}
	words := make([]string, len(parts))
	for i, c := range parts {
		words[i] = c.part()
	}
	return strings.Join(words, " · ")
}

// describe sets the name, description and distinguishing features of s.
func describe(s *Segment, cands []candidate, top int, pop Segment) {
	r := ranked(cands)
	for _, c := range r[:min(top, len(r))] {
		s.Distinguishing = append(s.Distinguishing, c.feature())
	}
	s.Name = nameOf(cands, 2)

	head := fmt.Sprintf("%s (%s)", customers(s.Size), percent(s.Share))
	// The description covers the top distinguishing features and any "Mid"
	// column of the name, in column order.
	parts := slices.Clone(r[:min(top, len(r))])
	for _, c := range nameParts(cands, 2) {
		if c.mid {
			parts = append(parts, c)
		}
	}
	order.SortFunc(parts, func(a, b candidate) int { return cmp.Compare(a.pos, b.pos) })
	if len(parts) == 0 {
		s.Description = head + " close to the average on every profiled column"
		return
	}
	phrases := make([]string, len(parts))
	for i, c := range parts {
		phrases[i] = c.phrase()
	}
	s.Description = head + " with " + joinAnd(phrases)
}

func populationDescription(p *Profile, segments int) string {
	d := fmt.Sprintf("%s in %d segment", customers(p.Population.Size), segments)
	if segments != 1 {
		d += "s"
	}
	if p.Noise > 0 {
		d += fmt.Sprintf(", %d of them noise (in no segment)", p.Noise)
	}
	return d
}

// uniqueNames makes the segment names unique: segments sharing a name first
// try a name of three features; those still sharing one keep it in order of
// size (largest first, then lowest ID), the others get " (2)", " (3)", …
func uniqueNames(segs []Segment, cands [][]candidate) {
	groups := func() map[string][]int {
		g := map[string][]int{}
		for k := range segs {
			g[segs[k].Name] = append(g[segs[k].Name], k)
		}
		return g
	}
	for _, ks := range groups() {
		if len(ks) > 1 {
			for _, k := range ks {
				segs[k].Name = nameOf(cands[k], 3)
			}
		}
	}
	used := map[string]bool{}
	for name, ks := range groups() {
		if len(ks) == 1 {
			used[name] = true
		}
	}
	var dups [][]int
	for _, ks := range groups() {
		if len(ks) > 1 {
			slices.SortFunc(ks, func(a, b int) int {
				return cmp.Or(cmp.Compare(segs[b].Size, segs[a].Size), cmp.Compare(segs[a].ID, segs[b].ID))
			})
			dups = append(dups, ks)
		}
	}
	// Deterministic order over the groups: by their first segment's ID.
	order.SortFunc(dups, func(a, b []int) int { return cmp.Compare(segs[a[0]].ID, segs[b[0]].ID) })
	for _, ks := range dups {
		base := segs[ks[0]].Name
		used[base] = true
		n := 2
		for _, k := range ks[1:] {
			for used[fmt.Sprintf("%s (%d)", base, n)] {
				n++
			}
			segs[k].Name = fmt.Sprintf("%s (%d)", base, n)
			used[segs[k].Name] = true
		}
	}
}

// genericWords are left out of short labels: they qualify a measure without
// naming it ("Annual Income" → "income", "Spending Score" → "spending").
var genericWords = map[string]bool{
	"annual": true, "yearly": true, "monthly": true, "weekly": true, "daily": true,
	"total": true, "score": true, "amount": true, "amt": true, "mnt": true,
	"num": true, "number": true, "no": true, "nb": true, "value": true, "avg": true,
	"average": true, "mean": true, "of": true, "the": true, "per": true, "in": true,
	"customer": true, "customers": true, "client": true, "cust": true,
}

// ShortLabel is the short form of a column name used in segment names. It
// drops parenthesised and bracketed parts ("(k$)", "(1-100)"), splits the
// rest into words (at spaces, '_', '-', '.', and lower-to-upper case
// changes: "NumWebPurchases" → "Num Web Purchases"), drops generic words
// that qualify a measure without naming it (annual, monthly, total, score,
// amount, number, num, mnt, avg, customer, …), keeps the last three words
// that remain, and writes them in lower case (an all-capital word such as
// "LTV" is kept as is unless the whole name is in capitals). When every
// word is generic the words are kept. Examples: "Annual Income (k$)" →
// "income", "Spending Score (1-100)" → "spending", "MntWines" → "wines",
// "BALANCE_FREQUENCY" → "balance frequency".
func ShortLabel(name string) string {
	words := splitWords(stripParens(name))
	if len(words) == 0 {
		return strings.TrimSpace(name)
	}
	var kept []string
	for _, w := range words {
		if !genericWords[strings.ToLower(w)] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = words
	}
	if len(kept) > 3 {
		kept = kept[len(kept)-3:]
	}
	return lowerWords(kept, isUpper(name))
}

// longLabel is the form of a column name used in descriptions: the name
// without parenthesised parts, in lower case ("annual income").
func longLabel(name string) string {
	words := splitWords(stripParens(name))
	if len(words) == 0 {
		return strings.TrimSpace(name)
	}
	return lowerWords(words, isUpper(name))
}

func lowerWords(words []string, allUpper bool) string {
	out := make([]string, len(words))
	for i, w := range words {
		if !allUpper && len([]rune(w)) > 1 && isUpper(w) {
			out[i] = w
		} else {
			out[i] = strings.ToLower(w)
		}
	}
	return strings.Join(out, " ")
}

// isUpper reports whether s has letters and none of them is lower case.
func isUpper(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters = true
		}
	}
	return letters
}

func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// splitWords splits at separators and at lower-to-upper case changes.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '_' || r == '-' || r == '.' || r == '/' || r == ':':
			flush()
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return words
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func customers(n int) string {
	if n == 1 {
		return "1 customer"
	}
	return strconv.Itoa(n) + " customers"
}

// percent formats a share as "19.5 %" (one decimal, a trailing ".0" dropped).
func percent(share float64) string {
	return trimZero(strconv.FormatFloat(100*share, 'f', 1, 64)) + " %"
}

// formatNumber rounds for reading: no decimals from 1000 up, one decimal
// from 1 up, three significant digits below 1; a trailing ".0" is dropped.
func formatNumber(x float64) string {
	a := math.Abs(x)
	var s string
	switch {
	case a >= 1000:
		s = strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 1:
		s = strconv.FormatFloat(x, 'f', 1, 64)
	case a == 0:
		s = "0"
	default:
		s = strconv.FormatFloat(x, 'g', 3, 64)
	}
	if s == "-0" {
		s = "0"
	}
	return trimZero(s)
}

func trimZero(s string) string {
	if strings.HasSuffix(s, ".0") {
		s = s[:len(s)-2]
	}
	if s == "-0" {
		return "0"
	}
	return s
}
