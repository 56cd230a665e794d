package rfm

import (
	"math"

	"github.com/segkit/segkit/core/dataset"
)

// keyer numbers the distinct values of a column in order of appearance,
// without rendering numeric cells as text.
type keyer struct {
	col  *dataset.Column
	strs map[string]int
	nums map[float64]int
}

func newKeyer(c *dataset.Column) *keyer {
	k := &keyer{col: c}
	if c.Num != nil {
		k.nums = make(map[float64]int)
	} else {
		k.strs = make(map[string]int)
	}
	return k
}

// id returns the number of row i's value and whether it is new. The cell
// must not be missing.
func (k *keyer) id(i int) (int, bool) {
	if k.nums != nil {
		v := k.col.Num[i]
		if id, ok := k.nums[v]; ok {
			return id, false
		}
		id := len(k.nums)
		k.nums[v] = id
		return id, true
	}
	v := k.col.Str[i]
	if id, ok := k.strs[v]; ok {
		return id, false
	}
	id := len(k.strs)
	k.strs[v] = id
	return id, true
}

// custState accumulates one customer.
type custState struct {
	row               int     // first row, for the id text
	first, last       float64 // purchase dates; NaN until a purchase
	firstAct, lastAct float64 // dates of any used line
	frequency         int
	monetary          float64
}

// accumulator gathers the used rows per customer.
type accumulator struct {
	cust     *keyer
	custs    []custState
	invoice  *dataset.Column
	inv      *keyer
	seen     map[uint64]struct{} // (customer, invoice) pairs already counted
	lastPair uint64
	hasLast  bool
}

func newAccumulator(c columns, rows int) *accumulator {
	a := &accumulator{cust: newKeyer(c.customer), invoice: c.invoice}
	if c.invoice != nil {
		a.inv = newKeyer(c.invoice)
		a.seen = make(map[uint64]struct{})
	}
	return a
}

// add records used row i; purchase says it is a purchase line.
func (a *accumulator) add(i int, date, amount float64, purchase bool) {
	id, isNew := a.cust.id(i)
	if isNew {
		a.custs = append(a.custs, custState{row: i, first: math.NaN(), last: math.NaN(), firstAct: date, lastAct: date})
	}
	s := &a.custs[id]
	s.monetary += amount
	s.firstAct = min(s.firstAct, date)
	s.lastAct = max(s.lastAct, date)
	if !purchase {
		return
	}
	if math.IsNaN(s.first) {
		s.first, s.last = date, date
	} else {
		s.first = min(s.first, date)
		s.last = max(s.last, date)
	}
	if a.inv == nil || a.invoice.IsMissing(i) {
		s.frequency++
		return
	}
	inv, _ := a.inv.id(i)
	pair := uint64(id)<<32 | uint64(uint32(inv))
	if a.hasLast && pair == a.lastPair {
		return // another line of the same invoice
	}
	a.lastPair, a.hasLast = pair, true
	if _, ok := a.seen[pair]; !ok {
		a.seen[pair] = struct{}{}
		s.frequency++
	}
}

// customers returns the measures of every customer, measured from ref
// (Unix seconds).
func (a *accumulator) customers(ref float64) []Customer {
	out := make([]Customer, len(a.custs))
	for i, s := range a.custs {
		first, last := s.first, s.last
		if math.IsNaN(first) {
			first, last = s.firstAct, s.lastAct
		}
		c := Customer{
			ID:            a.cust.col.Text(s.row),
			Recency:       (ref - last) / daySeconds,
			Frequency:     s.frequency,
			Monetary:      s.monetary,
			Tenure:        (ref - first) / daySeconds,
			FirstPurchase: unixTime(first),
			LastPurchase:  unixTime(last),
		}
		if c.Frequency > 0 {
			c.AverageOrder = c.Monetary / float64(c.Frequency)
		}
		out[i] = c
	}
	return out
}
