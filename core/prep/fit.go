package prep

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/order"
)

// Report describes what Fit did, for the user to read.
type Report struct {
	Rows        int `json:"rows"`         // rows in the matrix
	RowsDropped int `json:"rows_dropped"` // table rows left out because of a missing value (ImputeDrop)
	// Kept is the table row index (0-based) of each matrix row, so callers
	// can map labels back to rows; nil means every row was kept, in order.
	Kept []int `json:"-"`
	// Imputed counts the cells filled per column; columns with none are absent.
	Imputed map[string]int `json:"imputed"`
	// Skewness is the sample skewness (see the package comment) of the
	// non-missing values of each selected integer or float column.
	Skewness map[string]float64 `json:"skewness"`
	Logged   []string           `json:"logged"` // columns transformed with log1p
	// ZeroVariance lists features whose spread was zero (constant columns,
	// or quartiles that coincide under ScaleRobust), so they were scaled by
	// 1 rather than divided by 0, and one-hot indicators of a column with a
	// single category. They carry no information for clustering.
	ZeroVariance []string `json:"zero_variance"`
	Features     []string `json:"features"` // output column names, as Pipeline.FeatureNames
}

// Fit fits the steps described by spec on t and transforms t. It returns the
// pipeline, the feature matrix (one row per kept table row, one column per
// feature) and a report; Report.Kept maps matrix rows back to table rows.
// The matrix is exactly what p.Transform(t) returns.
//
// Errors wrap ErrUnknownColumn (listing the available columns),
// ErrNotFeature (saying why the column cannot be a feature), ErrNoFeatures,
// ErrNoRows or ErrNotFinite; a bad value is a *ValueError with its row.
func Fit(t *dataset.Table, spec Spec) (*Pipeline, *matrix.Dense, *Report, error) {
	if t == nil || t.Rows < 0 {
		return nil, nil, nil, errors.New("prep: nil table or negative row count")
	}
	if !spec.Impute.valid() || !spec.Log.valid() || !spec.Scale.valid() {
		return nil, nil, nil, fmt.Errorf("prep: invalid spec: impute %v, log %v, scale %v", spec.Impute, spec.Log, spec.Scale)
	}
	if spec.OneHot && spec.Codes {
		return nil, nil, nil, errors.New("prep: invalid spec: OneHot and Codes both set; choose indicators or codes")
	}
	cols, err := selectColumns(t, spec)
	if err != nil {
		return nil, nil, nil, err
	}
	forced, err := logColumns(t, spec, cols)
	if err != nil {
		return nil, nil, nil, err
	}

	p := &Pipeline{Version: Version, Impute: spec.Impute, Log: spec.Log, Scale: spec.Scale, Steps: make([]Step, len(cols))}
	binds := make([]binding, len(cols))
	for i, c := range cols {
		p.Steps[i] = Step{Column: c.Name, Kind: c.Kind.String()}
		if c.Kind == dataset.KindDate {
			p.Steps[i].DateLayout = c.DateLayout
		}
		if binds[i], err = bind(&p.Steps[i], c, t.Rows); err != nil {
			return nil, nil, nil, err
		}
	}

	rows, err := fitRows(t.Rows, binds, spec.Impute == ImputeDrop)
	if err != nil {
		return nil, nil, nil, err
	}

	rep := &Report{Imputed: map[string]int{}, Skewness: map[string]float64{}}
	var buf []float64
	for i := range binds {
		s := &p.Steps[i]
		if cols[i].Kind == dataset.KindCategorical {
			if err := fitOneHot(s, &binds[i], rows, spec.Impute != ImputeDrop, spec.Codes, rep); err != nil {
				return nil, nil, nil, err
			}
			continue
		}
		if err := fitNumeric(s, &binds[i], rows, spec, forced[s.Column], rep, &buf); err != nil {
			return nil, nil, nil, err
		}
	}

	m, kept, imputed, err := p.transform(t)
	if err != nil {
		return nil, nil, nil, err
	}
	rep.Rows = m.Rows
	rep.RowsDropped = t.Rows - m.Rows
	rep.Kept = kept
	for i, n := range imputed {
		if n > 0 {
			rep.Imputed[p.Steps[i].Column] = n
		}
	}
	rep.Features = p.FeatureNames()
	return p, m, rep, nil
}

// selectColumns resolves spec.Columns (or the default) and spec.Drop.
func selectColumns(t *dataset.Table, spec Spec) ([]*dataset.Column, error) {
	var cols []*dataset.Column
	if len(spec.Columns) == 0 {
		for _, c := range t.Columns {
			if c.Kind.IsNumeric() || (spec.encodes() && c.Kind == dataset.KindCategorical) {
				cols = append(cols, c)
			}
		}
	} else {
		seen := make(map[string]bool, len(spec.Columns))
		for _, name := range spec.Columns {
			c := t.Column(name)
			if c == nil {
				return nil, unknownColumn(name, t.Names())
			}
			if seen[name] {
				return nil, fmt.Errorf("prep: column %q is selected twice", name)
			}
			seen[name] = true
			if err := checkFeature(c, spec.encodes()); err != nil {
				return nil, err
			}
			cols = append(cols, c)
		}
	}
	for _, name := range spec.Drop {
		if t.Column(name) == nil {
			return nil, unknownColumn(name, t.Names())
		}
		cols = slices.DeleteFunc(cols, func(c *dataset.Column) bool { return c.Name == name })
	}
	if len(cols) == 0 {
		what := "no integer or float columns"
		if spec.encodes() {
			what = "no integer, float or categorical columns"
		}
		if len(spec.Columns) > 0 || len(spec.Drop) > 0 {
			what = "every selected column was dropped"
		}
		return nil, fmt.Errorf("%w: %s; available: %s", ErrNoFeatures, what, describeColumns(t))
	}
	return cols, nil
}

// describeColumns lists the columns with their kinds, e.g. "Age (integer), Genre (categorical)".
func describeColumns(t *dataset.Table) string {
	s := ""
	for i, c := range t.Columns {
		if i > 0 {
			s += ", "
		}
		s += c.Name + " (" + c.Kind.String() + ")"
	}
	return s
}

// checkFeature explains why c cannot be a feature, if it cannot.
func checkFeature(c *dataset.Column, oneHot bool) error {
	switch c.Kind {
	case dataset.KindInteger, dataset.KindFloat, dataset.KindDate:
		return nil
	case dataset.KindCategorical:
		if oneHot {
			return nil
		}
		return fmt.Errorf("%w: column %q is categorical; set OneHot to encode it as one 0/1 indicator per category", ErrNotFeature, c.Name)
	case dataset.KindIdentifier:
		return fmt.Errorf("%w: column %q is an identifier (a near-unique value per row, such as a customer ID), which says nothing about how customers are alike; it stays in the table to label rows", ErrNotFeature, c.Name)
	case dataset.KindText:
		return fmt.Errorf("%w: column %q is free text with many distinct values, neither a number nor a category", ErrNotFeature, c.Name)
	case dataset.KindEmpty:
		return fmt.Errorf("%w: column %q has no values (every cell is missing)", ErrNotFeature, c.Name)
	}
	return fmt.Errorf("%w: column %q has kind %v, expected integer, float, date or categorical", ErrNotFeature, c.Name, c.Kind)
}

// logColumns checks spec.LogColumns and returns them as a set.
func logColumns(t *dataset.Table, spec Spec, cols []*dataset.Column) (map[string]bool, error) {
	set := make(map[string]bool, len(spec.LogColumns))
	for _, name := range spec.LogColumns {
		c := t.Column(name)
		if c == nil {
			return nil, unknownColumn(name, t.Names())
		}
		if !slices.Contains(cols, c) {
			return nil, fmt.Errorf("prep: cannot log1p column %q: it is not a selected feature", name)
		}
		if !c.Kind.IsNumeric() {
			return nil, fmt.Errorf("prep: cannot log1p column %q: it is a %s column, expected integer or float", name, c.Kind)
		}
		set[name] = true
	}
	return set, nil
}

// fitRows returns the table rows to fit on: all of them, or with drop those
// with no missing selected value.
func fitRows(n int, binds []binding, drop bool) ([]int, error) {
	rows := make([]int, 0, n)
	for r := 0; r < n; r++ {
		if drop {
			missing := false
			for i := range binds {
				v, err := binds[i].at(r)
				if err != nil {
					return nil, err
				}
				missing = missing || v.missing
			}
			if missing {
				continue
			}
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		if n == 0 {
			return nil, fmt.Errorf("%w: the table has no rows", ErrNoRows)
		}
		return nil, fmt.Errorf("%w: each of the %d rows has a missing value in a selected column; impute with the median or mean instead of dropping", ErrNoRows, n)
	}
	return rows, nil
}

// fitNumeric fits the impute value, log and scaling of an integer, float or
// date column on the given rows. buf holds two stretches of scratch space
// of len(rows) each, reused from column to column: the values read, and
// the imputed, logged values.
func fitNumeric(s *Step, b *binding, rows []int, spec Spec, forceLog bool, rep *Report, buf *[]float64) error {
	if cap(*buf) < 2*len(rows) {
		*buf = make([]float64, 2*len(rows))
	}
	vals, err := b.numbers(rows, (*buf)[:0:len(rows)])
	if err != nil {
		return err
	}
	if len(vals) == 0 {
		return fmt.Errorf("%w: column %q has no values in the rows kept", ErrNotFeature, s.Column)
	}
	n := &NumericStep{Scale: 1}
	s.Numeric = n
	// The mean, bounds and skewness read vals in row order; the median
	// then reorders them.
	m := mean(vals)
	lo, hi := minMax(vals)
	var skew float64
	if !s.isDate() {
		skew = skewnessAround(vals, m)
	}
	switch spec.Impute {
	case ImputeMedian:
		n.Fill = medianWithin(vals, lo, hi)
	case ImputeMean:
		n.Fill = m
		if math.IsInf(n.Fill, 0) {
			return fmt.Errorf("%w: column %q: the mean overflows; values too large", ErrNotFinite, s.Column)
		}
	}

	if !s.isDate() {
		rep.Skewness[s.Column] = skew
		nonNeg := lo >= 0
		if forceLog && !nonNeg {
			return fmt.Errorf("prep: cannot log1p column %q: it has negative values (minimum %v), expected all ≥ 0", s.Column, lo)
		}
		n.Log = forceLog || nonNeg && (spec.Log == LogAll || spec.Log == LogAuto && skew > 1)
		if n.Log {
			rep.Logged = append(rep.Logged, s.Column)
		}
	}

	// z holds the imputed, logged values the scaling is fitted on; apply
	// with centre 0 and scale 1 does exactly what Transform will do.
	z := b.features(rows, n, (*buf)[len(rows):len(rows)])
	lo, hi = minMax(z)
	switch spec.Scale {
	case ScaleStandard:
		n.Centre = mean(z)
		n.Scale = popStd(z, n.Centre)
	case ScaleMinMax:
		n.Centre, n.Scale = lo, hi-lo
	case ScaleRobust:
		zs := sortedCopy(z)
		n.Centre = quantile(zs, 0.5)
		n.Scale = quantile(zs, 0.75) - quantile(zs, 0.25)
	case ScaleNone:
		n.Centre, n.Scale = 0, 1
	}
	switch {
	case lo == hi:
		if spec.Scale != ScaleNone {
			n.Centre = lo
		}
		n.Scale = 1
		rep.ZeroVariance = append(rep.ZeroVariance, s.Column)
	case n.Scale == 0:
		n.Scale = 1
		rep.ZeroVariance = append(rep.ZeroVariance, s.Column)
	}
	if math.IsInf(n.Centre, 0) || math.IsNaN(n.Centre) || math.IsInf(n.Scale, 0) || math.IsNaN(n.Scale) {
		return fmt.Errorf("%w: column %q: values too large to scale (centre %v, scale %v)", ErrNotFinite, s.Column, n.Centre, n.Scale)
	}
	return nil
}

// fitOneHot fits the categories and the most frequent category of a
// categorical column on the given rows.
func fitOneHot(s *Step, b *binding, rows []int, fill, codes bool, rep *Report) error {
	counts := map[string]int{}
	for _, r := range rows {
		v, err := b.at(r)
		if err != nil {
			return err
		}
		if !v.missing {
			counts[v.cat]++
		}
	}
	if len(counts) == 0 {
		return fmt.Errorf("%w: column %q has no values in the rows kept", ErrNotFeature, s.Column)
	}
	o := &OneHotStep{Categories: make([]string, 0, len(counts)), Codes: codes}
	for c := range counts {
		o.Categories = append(o.Categories, c)
	}
	order.SortFunc(o.Categories, strings.Compare)
	best := -1
	for _, c := range o.Categories { // sorted: ties go to the smallest
		if fill && counts[c] > best {
			o.Fill, best = c, counts[c]
		}
	}
	s.OneHot = o
	if len(o.Categories) == 1 {
		name := s.Column + "=" + o.Categories[0]
		if codes {
			name = s.Column
		}
		rep.ZeroVariance = append(rep.ZeroVariance, name)
	}
	return nil
}

// encodes reports whether categorical columns can be features.
func (s Spec) encodes() bool { return s.OneHot || s.Codes }
