package rfm

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/dataset"
)

// dateLayouts are tried, in order, on a date column that was read as text.
var dateLayouts = []string{
	"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05",
	"02/01/2006", "02/01/2006 15:04", "02/01/2006 15:04:05",
	"01/02/2006", "01/02/2006 15:04", "01/02/2006 15:04:05",
	"1/2/2006", "1/2/2006 15:04", "2/1/2006", "2/1/2006 15:04",
	"02.01.2006", "02-01-2006", "2006/01/02", "20060102",
}

// layoutSample is how many present values choose the layout of a text date
// column.
const layoutSample = 1000

// series gives the numeric value of each row of a date, amount, quantity or
// price column: from Num directly, or parsed from Str.
type series struct {
	name string
	col  *dataset.Column
	num  []float64 // parsed values for a text column; NaN = missing or bad
	want string    // what a value should look like, for issue messages
}

// inputs are the value columns of the log.
type inputs struct {
	date, amount, quantity, price *series
}

// prepareInputs checks the kinds of the value columns and parses text
// columns that mostly hold dates or numbers.
func prepareInputs(t *dataset.Table, c columns) (*inputs, error) {
	in := &inputs{}
	var err error
	if in.date, err = dateSeries(c.dateName, c.date); err != nil {
		return nil, err
	}
	if c.amount != nil {
		in.amount, err = numberSeries(c.amountName, c.amount)
	} else {
		if in.quantity, err = numberSeries(c.quantityName, c.quantity); err == nil {
			in.price, err = numberSeries(c.priceName, c.price)
		}
	}
	return in, err
}

func dateSeries(name string, c *dataset.Column) (*series, error) {
	s := &series{name: name, col: c}
	switch {
	case c.Kind == dataset.KindDate:
		s.want = "a date (" + c.DateLayout + ")"
		return s, nil
	case c.Str != nil:
		best, bestN, present := "", 0, 0
		for _, v := range c.Str {
			if v != "" {
				present++
			}
		}
		// Choose the layout on a sample of the present values, then parse all.
		sample := make([]string, 0, layoutSample)
		for _, v := range c.Str {
			if v != "" && len(sample) < layoutSample {
				sample = append(sample, v)
			}
		}
		for _, layout := range dateLayouts {
			n := 0
			for _, v := range sample {
				if _, ok := dataset.ParseDate(v, layout); ok {
					n++
				}
			}
			if n > bestN {
				best, bestN = layout, n
			}
		}
		if bestN > 0 {
			num, parsed := make([]float64, len(c.Str)), 0
			for i, v := range c.Str {
				x, ok := dataset.ParseDate(v, best)
				if ok {
					parsed++
				} else {
					x = math.NaN()
				}
				num[i] = x
			}
			if 2*parsed >= present {
				s.want = "a date (" + best + ")"
				s.num = num
				return s, nil
			}
		}
		return nil, fmt.Errorf("%w: column %q is %s column whose values are mostly not dates (e.g. %q); expected dates such as 2010-12-01, 01/12/2010 08:26 or 19970101",
			ErrNotDate, name, article(c.Kind), firstPresent(c))
	}
	return nil, fmt.Errorf("%w: column %q is %s column; expected dates such as 2010-12-01, 01/12/2010 08:26 or 19970101 (an integer yyyymmdd column is read as dates)",
		ErrNotDate, name, article(c.Kind))
}

func numberSeries(name string, c *dataset.Column) (*series, error) {
	s := &series{name: name, col: c, want: "a number"}
	switch {
	case c.Kind.IsNumeric():
		return s, nil
	case c.Str != nil:
		n, present := 0, 0
		num := make([]float64, len(c.Str))
		for i, v := range c.Str {
			x, ok := math.NaN(), false
			if v != "" {
				present++
				if x, ok = dataset.ParseNumber(v); ok {
					n++
				} else {
					x = math.NaN()
				}
			}
			num[i] = x
		}
		if present > 0 && 2*n >= present {
			s.num = num
			return s, nil
		}
		return nil, fmt.Errorf("%w: column %q is %s column whose values are mostly not numbers (e.g. %q); expected numbers",
			ErrNotNumeric, name, article(c.Kind), firstPresent(c))
	}
	return nil, fmt.Errorf("%w: column %q is %s column; expected numbers", ErrNotNumeric, name, article(c.Kind))
}

func firstPresent(c *dataset.Column) string {
	for i := 0; i < c.Len(); i++ {
		if !c.IsMissing(i) {
			return c.Text(i)
		}
	}
	return ""
}

// at returns the value of row i, or false with a description.
func (s *series) at(i int) (float64, string) {
	var x float64
	if s.num != nil {
		x = s.num[i]
	} else {
		x = s.col.Num[i]
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		if s.col.IsMissing(i) {
			return 0, fmt.Sprintf("%s is missing; expected %s", s.name, s.want)
		}
		return 0, fmt.Sprintf("%s %s is not %s", s.name, strconv.Quote(s.col.Text(i)), s.want)
	}
	return x, ""
}

// row returns the date, amount and quantity (0 without a quantity column)
// of row i, or a description of the first problem.
func (in *inputs) row(i int) (date, amount, qty float64, problem string) {
	if date, problem = in.date.at(i); problem != "" {
		return
	}
	if in.amount != nil {
		amount, problem = in.amount.at(i)
		return
	}
	if qty, problem = in.quantity.at(i); problem != "" {
		return
	}
	var price float64
	if price, problem = in.price.at(i); problem != "" {
		return
	}
	return date, qty * price, qty, ""
}

// article returns the kind's name after "a" or "an": "an integer".
func article(k dataset.Kind) string {
	name := k.String()
	if strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
