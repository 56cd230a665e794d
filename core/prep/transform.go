package prep

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
)

// cell is one input value of a step: a number in input units (days since the
// epoch for a date) for a numeric step, a category for a one-hot step.
type cell struct {
	x       float64
	cat     string
	missing bool
}

// binding reads the cells of one table column for one step.
type binding struct {
	step *Step
	col  *dataset.Column
}

// bind checks that column c of a table with rows rows can feed step s.
// Integer and float columns are interchangeable; a column read as strings
// (e.g. text because of a stray value) is parsed cell by cell as a record
// would be; an all-missing column gives missing values.
func bind(s *Step, c *dataset.Column, rows int) (binding, error) {
	if c.Num == nil && c.Str == nil {
		return binding{s, c}, nil
	}
	if n := c.Len(); n != rows {
		return binding{}, fmt.Errorf("prep: column %q has %d values, but the table has %d rows", c.Name, n, rows)
	}
	if c.Num != nil {
		isDate := c.Kind == dataset.KindDate
		switch {
		case s.isCategorical() && isDate:
			return binding{}, fmt.Errorf("prep: column %q is a date in this table, expected categorical", c.Name)
		case s.isDate() && !isDate:
			return binding{}, fmt.Errorf("prep: column %q is %s in this table, expected a date", c.Name, c.Kind)
		case !s.isCategorical() && !s.isDate() && isDate:
			return binding{}, fmt.Errorf("prep: column %q is a date in this table, expected %s", c.Name, s.Kind)
		}
	}
	return binding{s, c}, nil
}

// at reads row r.
func (b *binding) at(r int) (cell, error) {
	c, s := b.col, b.step
	switch {
	case c.Num != nil:
		v := c.Num[r]
		if math.IsNaN(v) {
			return cell{missing: true}, nil
		}
		if s.isCategorical() {
			return cell{cat: formatNumber(v)}, nil
		}
		if s.isDate() {
			v /= secondsPerDay
		}
		return cell{x: v}, nil
	case c.Str != nil:
		str := c.Str[r]
		if str == "" {
			return cell{missing: true}, nil
		}
		if s.isCategorical() {
			return cell{cat: str}, nil
		}
		v, detail := parseNumeric(s, str)
		if detail != "" {
			return cell{}, &ValueError{Column: s.Column, Row: r, Detail: detail, Err: ErrBadValue}
		}
		return v, nil
	}
	return cell{missing: true}, nil
}

// plain reports whether the binding reads a number straight from the
// column's Num (no parsing, no category), so Fit and Transform can skip
// at and put.
func (b *binding) plain() bool {
	return b.col.Num != nil && !b.step.isCategorical()
}

// numbers appends to vals the non-missing values of a numeric step's
// column at rows, in order (days for a date); an infinite value is an
// error naming its row.
func (b *binding) numbers(rows []int, vals []float64) ([]float64, error) {
	s := b.step
	if b.plain() {
		num, date := b.col.Num, s.isDate()
		one := func(r int) error {
			v := num[r]
			if v != v { // NaN: missing
				return nil
			}
			if date {
				v /= secondsPerDay
			}
			if math.IsInf(v, 0) {
				return infinite(s, r, v)
			}
			vals = append(vals, v)
			return nil
		}
		p := 0
		if !date {
			// Four values a round (fewer jumps under js/wasm); a round with
			// a missing or infinite value goes one by one.
			for ; p+4 <= len(rows); p += 4 {
				v0, v1, v2, v3 := num[rows[p]], num[rows[p+1]], num[rows[p+2]], num[rows[p+3]]
				if (v0-v0)+(v1-v1)+(v2-v2)+(v3-v3) == 0 {
					vals = append(vals, v0, v1, v2, v3)
					continue
				}
				for _, r := range rows[p : p+4] {
					if err := one(r); err != nil {
						return nil, err
					}
				}
			}
		}
		for _, r := range rows[p:] {
			if err := one(r); err != nil {
				return nil, err
			}
		}
		return vals, nil
	}
	for _, r := range rows {
		v, err := b.at(r)
		if err != nil {
			return nil, err
		}
		if v.missing {
			continue
		}
		if math.IsInf(v.x, 0) {
			return nil, infinite(s, r, v.x)
		}
		vals = append(vals, v.x)
	}
	return vals, nil
}

func infinite(s *Step, r int, v float64) error {
	return &ValueError{Column: s.Column, Row: r, Detail: fmt.Sprintf("value %v is not finite, expected a number", v), Err: ErrNotFinite}
}

// features appends to z the feature of numeric step n for each of rows,
// missing values filled; the rows were read without error before.
func (b *binding) features(rows []int, n *NumericStep, z []float64) []float64 {
	if b.plain() {
		num, date := b.col.Num, b.step.isDate()
		one := func(r int) {
			x := num[r]
			switch {
			case x != x:
				x = n.Fill
			case date:
				x /= secondsPerDay
			}
			z = append(z, n.apply(x))
		}
		p := 0
		if !date && !n.Log {
			// Four values a round (fewer jumps under js/wasm), as apply
			// computes them; a round with a missing value goes one by one.
			c, sc := n.Centre, n.Scale
			for ; p+4 <= len(rows); p += 4 {
				x0, x1, x2, x3 := num[rows[p]], num[rows[p+1]], num[rows[p+2]], num[rows[p+3]]
				if x0 == x0 && x1 == x1 && x2 == x2 && x3 == x3 {
					z = append(z, (x0-c)/sc, (x1-c)/sc, (x2-c)/sc, (x3-c)/sc)
					continue
				}
				for _, r := range rows[p : p+4] {
					one(r)
				}
			}
		}
		for _, r := range rows[p:] {
			one(r)
		}
		return z
	}
	for _, r := range rows {
		v, _ := b.at(r) // no error: read before
		x := v.x
		if v.missing {
			x = n.Fill
		}
		z = append(z, n.apply(x))
	}
	return z
}

// put writes the features of step s for the value v into out
// (len(out) == s.width()), replacing a missing value by the fill value. It
// reports whether it did, and describes a non-finite result.
func (s *Step) put(v cell, out []float64) (imputed bool, detail string) {
	if n := s.Numeric; n != nil {
		x := v.x
		if v.missing {
			x, imputed = n.Fill, true
		}
		f := n.apply(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			switch {
			case math.IsInf(x, 0) || math.IsNaN(x):
				detail = fmt.Sprintf("value %v is not finite, expected a number", x)
			case n.Log:
				detail = fmt.Sprintf("value %v cannot be logged: log1p needs values > -1 (the column was logged in training)", x)
			default:
				detail = fmt.Sprintf("value %v is too large to scale", x)
			}
		}
		out[0] = f
		return imputed, detail
	}
	o := s.OneHot
	c := v.cat
	if v.missing {
		c, imputed = o.Fill, true
	}
	i, ok := slices.BinarySearch(o.Categories, c)
	if o.Codes {
		if !ok {
			i = len(o.Categories)
		}
		out[0] = float64(i)
		return imputed, ""
	}
	clear(out)
	if ok {
		out[i] = 1
	}
	return imputed, ""
}

// Transform replays the pipeline on t, reading columns by name, and returns
// the feature matrix and the table row index of each matrix row (nil when
// every row is kept, in order; rows are left out only with ImputeDrop).
// Missing values are filled with the values fitted in training; a category
// not seen in training gives an all-zero indicator group. The error for
// absent columns lists them all and wraps ErrMissingColumn.
func (p *Pipeline) Transform(t *dataset.Table) (*matrix.Dense, []int, error) {
	m, kept, _, err := p.transform(t)
	return m, kept, err
}

// transform is Transform that also counts the imputed cells per step.
func (p *Pipeline) transform(t *dataset.Table) (*matrix.Dense, []int, []int, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if t == nil || t.Rows < 0 {
		return nil, nil, nil, errors.New("prep: nil table or negative row count")
	}
	binds := make([]binding, len(p.Steps))
	var absent []string
	for i := range p.Steps {
		s := &p.Steps[i]
		c := t.Column(s.Column)
		if c == nil {
			absent = append(absent, strconv.Quote(s.Column))
			continue
		}
		var err error
		if binds[i], err = bind(s, c, t.Rows); err != nil {
			return nil, nil, nil, err
		}
	}
	if len(absent) > 0 {
		return nil, nil, nil, fmt.Errorf("%w from the table: %s; available: %s", ErrMissingColumn, strings.Join(absent, ", "), strings.Join(t.Names(), ", "))
	}

	d := p.NumFeatures()
	if p.Impute != ImputeDrop {
		if m, imputed, ok := p.transformColumns(binds, t.Rows); ok {
			return m, nil, imputed, nil
		}
		// A bad value: the pass below, row by row, reports the first.
	}
	data := make([]float64, t.Rows*d)
	vals := make([]cell, len(binds))
	imputed := make([]int, len(binds))
	var kept []int
	n := 0
	for r := 0; r < t.Rows; r++ {
		drop := false
		for i := range binds {
			v, err := binds[i].at(r)
			if err != nil {
				return nil, nil, nil, err
			}
			vals[i] = v
			drop = drop || v.missing && p.Impute == ImputeDrop
		}
		if drop {
			if kept == nil {
				kept = make([]int, n, t.Rows)
				for i := range kept {
					kept[i] = i
				}
			}
			continue
		}
		out := data[n*d : (n+1)*d]
		j := 0
		for i := range p.Steps {
			s := &p.Steps[i]
			w := s.width()
			imp, detail := s.put(vals[i], out[j:j+w])
			if detail != "" {
				return nil, nil, nil, &ValueError{Column: s.Column, Row: r, Detail: detail, Err: ErrNotFinite}
			}
			if imp {
				imputed[i]++
			}
			j += w
		}
		if kept != nil {
			kept = append(kept, r)
		}
		n++
	}
	return &matrix.Dense{Rows: n, Cols: d, Data: data[: n*d : n*d]}, kept, imputed, nil
}

// transformColumns is transform without dropped rows, column by column,
// with no per-cell call for plain numeric columns. It gives up (ok false)
// at the first bad value, which the row-by-row pass then reports as it
// always has: the first in row order.
func (p *Pipeline) transformColumns(binds []binding, rows int) (m *matrix.Dense, imputed []int, ok bool) {
	d := p.NumFeatures()
	data := make([]float64, rows*d)
	imputed = make([]int, len(binds))
	j := 0
	for i := range p.Steps {
		s, b := &p.Steps[i], &binds[i]
		w := s.width()
		if n := s.Numeric; n != nil && b.plain() {
			num, date := b.col.Num, s.isDate()
			o := j // data[o] is row r's feature
			// one writes the feature of value x; false for a bad value.
			one := func(x float64) bool {
				switch {
				case x != x:
					x = n.Fill
					imputed[i]++
				case date:
					x /= secondsPerDay
				}
				f := n.apply(x)
				if f-f != 0 { // NaN or ±Inf
					return false
				}
				data[o] = f
				o += d
				return true
			}
			r := 0
			if !date && !n.Log {
				// The common case four values a round (fewer jumps under
				// js/wasm), as apply computes it; a round with a missing
				// or non-finite value goes one by one.
				c, sc := n.Centre, n.Scale
				for ; r+4 <= len(num); r += 4 {
					f0, f1, f2, f3 := (num[r]-c)/sc, (num[r+1]-c)/sc, (num[r+2]-c)/sc, (num[r+3]-c)/sc
					if (f0-f0)+(f1-f1)+(f2-f2)+(f3-f3) == 0 {
						data[o], data[o+d], data[o+2*d], data[o+3*d] = f0, f1, f2, f3
						o += 4 * d
						continue
					}
					for _, x := range num[r : r+4] {
						if !one(x) {
							return nil, nil, false
						}
					}
				}
			}
			for _, x := range num[r:] {
				if !one(x) {
					return nil, nil, false
				}
			}
		} else {
			for r := range rows {
				v, err := b.at(r)
				if err != nil {
					return nil, nil, false
				}
				imp, detail := s.put(v, data[r*d+j:r*d+j+w])
				if detail != "" {
					return nil, nil, false
				}
				if imp {
					imputed[i]++
				}
			}
		}
		j += w
	}
	return &matrix.Dense{Rows: rows, Cols: d, Data: data}, imputed, true
}

// TransformRecord transforms one raw record, such as a JSON object posted to
// the edge worker, into its feature vector. Fields are matched by column
// name; other fields are ignored. A value may be:
//
//   - a string, read exactly as the dataset reader reads a cell: missing
//     tokens ("", "NA", "?", ... see dataset.IsMissingToken) are missing,
//     numbers go through dataset.ParseNumber (thousands separators), dates
//     through dataset.ParseDate with the column's layout, and categories
//     through dataset.CleanText (surrounding spaces and tabs trimmed);
//   - a number (float64, float32, any int or uint type, json.Number): the
//     value itself, Unix seconds for a date column; for a categorical column
//     the number's shortest decimal form ("3", "2.5"; exponent form from
//     1e21 or below 1e-6, as the reader writes numbers), or a json.Number's
//     literal text; NaN is missing;
//   - a bool, for a categorical column only ("true" or "false");
//   - nil, or an absent field: missing, filled with the value fitted in
//     training; with ImputeDrop a missing value is an error naming the
//     field (ErrMissingValue).
//
// A category not seen in training gives an all-zero indicator group. On
// the training rows the result is bit-identical to the matching row of the
// matrix from Fit or Transform. Errors are *ValueError with Row -1.
func (p *Pipeline) TransformRecord(rec map[string]any) ([]float64, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := make([]float64, p.NumFeatures())
	j := 0
	for i := range p.Steps {
		s := &p.Steps[i]
		v, detail := recordCell(s, rec[s.Column])
		if detail != "" {
			return nil, &ValueError{Column: s.Column, Row: -1, Detail: detail, Err: ErrBadValue}
		}
		if v.missing && p.Impute == ImputeDrop {
			return nil, &ValueError{Column: s.Column, Row: -1, Detail: "value is missing, and the pipeline was fitted to drop such rows (ImputeDrop), so it has no value to fill in", Err: ErrMissingValue}
		}
		w := s.width()
		if _, detail := s.put(v, out[j:j+w]); detail != "" {
			return nil, &ValueError{Column: s.Column, Row: -1, Detail: detail, Err: ErrNotFinite}
		}
		j += w
	}
	return out, nil
}
