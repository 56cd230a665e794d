package prep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/segkit/segkit/core/dataset"
)

// Version is the Pipeline format written by Fit and the only one Decode accepts.
const Version = 1

// secondsPerDay converts the Unix seconds of a date column to the days since
// the epoch that a date feature holds.
const secondsPerDay = 86400

// Pipeline is a fitted preparation: one Step per input column, in output
// order. It is a plain struct with JSON tags, meant to be saved with a model;
// read JSON back with Decode, which validates it.
type Pipeline struct {
	Version int     `json:"version"`
	Impute  Impute  `json:"impute"` // how missing values are handled; ImputeDrop drops rows (and refuses records) with a missing value
	Log     LogMode `json:"log"`    // the mode used when fitting (informational; each step says whether it logs)
	Scale   Scale   `json:"scale"`  // the scaling used when fitting (informational; each step holds its centre and scale)
	Steps   []Step  `json:"steps"`
}

// Step prepares one input column. Exactly one of Numeric and OneHot is set:
// Numeric for integer, float and date columns, OneHot for categorical ones.
type Step struct {
	Column string `json:"column"`
	Kind   string `json:"kind"` // "integer", "float", "date" or "categorical" (dataset.Kind names)
	// DateLayout is the Go time layout used to parse string values of a date
	// column in TransformRecord (and in tables where the column was read as
	// text); empty when the column was not a date or had no layout.
	DateLayout string       `json:"date_layout,omitempty"`
	Numeric    *NumericStep `json:"numeric,omitempty"`
	OneHot     *OneHotStep  `json:"one_hot,omitempty"`
}

// NumericStep maps a value x (days since the epoch for a date) to the
// feature (f(x) - Centre) / Scale, where f is log1p when Log is set and the
// identity otherwise, after a missing x is replaced by Fill.
type NumericStep struct {
	Fill   float64 `json:"fill"` // imputed value, in input units; unused with ImputeDrop
	Log    bool    `json:"log"`
	Centre float64 `json:"centre"`
	Scale  float64 `json:"scale"` // > 0
}

// OneHotStep maps a category to one 0/1 indicator per entry of Categories
// (sorted, distinct). A category not in the list gives all zeros; a missing
// one is replaced by Fill first.
type OneHotStep struct {
	Categories []string `json:"categories"`
	Fill       string   `json:"fill,omitempty"` // a member of Categories; unused with ImputeDrop
	// Codes makes the step produce one feature, the category's index in
	// Categories (len(Categories) for an unseen one), instead of the
	// indicators (Spec.Codes).
	Codes bool `json:"codes,omitempty"`
}

// width is the number of features the step produces.
func (s *Step) width() int {
	if s.OneHot != nil && !s.OneHot.Codes {
		return len(s.OneHot.Categories)
	}
	return 1
}

// Categorical reports, per output feature, whether it is a category code
// (Spec.Codes) rather than a number: the mask k-prototypes and k-medoids
// take.
func (p *Pipeline) Categorical() []bool {
	if p == nil {
		return nil
	}
	mask := make([]bool, 0, p.NumFeatures())
	for i := range p.Steps {
		code := p.Steps[i].OneHot != nil && p.Steps[i].OneHot.Codes
		for range p.Steps[i].width() {
			mask = append(mask, code)
		}
	}
	return mask
}

var (
	kindDate        = dataset.KindDate.String()
	kindCategorical = dataset.KindCategorical.String()
)

func (s *Step) isDate() bool { return s.Kind == kindDate }

func (s *Step) isCategorical() bool { return s.Kind == kindCategorical }

// apply maps an imputed input value to its feature. Transform and
// TransformRecord both go through here, which keeps them bit-identical.
func (n *NumericStep) apply(x float64) float64 {
	if n.Log {
		x = math.Log1p(x)
	}
	return (x - n.Centre) / n.Scale
}

// NumFeatures returns the number of output columns.
func (p *Pipeline) NumFeatures() int {
	if p == nil {
		return 0
	}
	n := 0
	for i := range p.Steps {
		n += p.Steps[i].width()
	}
	return n
}

// FeatureNames returns the names of the output columns, in order: the column
// name for a numeric feature, "Column=Category" for a one-hot indicator
// (e.g. "Age", "Genre=Female", "Genre=Male").
func (p *Pipeline) FeatureNames() []string {
	if p == nil {
		return nil
	}
	names := make([]string, 0, p.NumFeatures())
	for _, s := range p.Steps {
		if s.OneHot == nil || s.OneHot.Codes {
			names = append(names, s.Column)
			continue
		}
		for _, c := range s.OneHot.Categories {
			names = append(names, s.Column+"="+c)
		}
	}
	return names
}

// InputColumns returns the names of the columns the pipeline reads, in order.
func (p *Pipeline) InputColumns() []string {
	if p == nil {
		return nil
	}
	names := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		names[i] = s.Column
	}
	return names
}

// Inverse maps a feature vector (a matrix row or a cluster centre) back to
// the original units of each numeric input column, undoing the scaling and
// then the log: integer and float columns in their own units, date columns
// in Unix seconds (as in dataset.Column.Num). One-hot indicators are left
// out. Inverse returns nil if len(features) is not p.NumFeatures().
func (p *Pipeline) Inverse(features []float64) map[string]float64 {
	if p == nil || len(features) != p.NumFeatures() {
		return nil
	}
	out := make(map[string]float64, len(p.Steps))
	j := 0
	for _, s := range p.Steps {
		if n := s.Numeric; n != nil {
			x := features[j]*n.Scale + n.Centre
			if n.Log {
				x = math.Expm1(x)
			}
			if s.isDate() {
				x *= secondsPerDay
			}
			out[s.Column] = x
		}
		j += s.width()
	}
	return out
}

// Decode reads a Pipeline from JSON and validates it strictly: the version
// is known, no field is unknown, every step has a known kind with the
// matching Numeric or OneHot part, numbers are finite, scales are positive,
// categories are non-empty, distinct and sorted, the fill category is one of
// them, and column names are distinct. Errors wrap ErrInvalidPipeline.
func Decode(b []byte) (*Pipeline, error) {
	// The probe also rejects anything after the object. It reads the
	// version first so that a newer format is reported as such, not as
	// unknown fields.
	var probe struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidPipeline, err)
	}
	if probe.Version == nil {
		return nil, fmt.Errorf("%w: no version", ErrInvalidPipeline)
	}
	if *probe.Version != Version {
		return nil, fmt.Errorf("%w: version %d, expected %d", ErrInvalidPipeline, *probe.Version, Version)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	p := new(Pipeline)
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidPipeline, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Validate checks a Pipeline as Decode does. Transform and TransformRecord
// call it, so a hand-built or altered Pipeline fails with an error, not a
// panic.
func (p *Pipeline) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidPipeline}, args...)...)
	}
	if p == nil {
		return bad("nil pipeline")
	}
	if p.Version != Version {
		return bad("version %d, expected %d", p.Version, Version)
	}
	if !p.Impute.valid() || !p.Log.valid() || !p.Scale.valid() {
		return bad("unknown impute, log or scale setting")
	}
	if len(p.Steps) == 0 {
		return bad("no steps")
	}
	seen := make(map[string]bool, len(p.Steps))
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.Column == "" {
			return bad("step %d has no column name", i)
		}
		if seen[s.Column] {
			return bad("column %q appears twice", s.Column)
		}
		seen[s.Column] = true
		kind, ok := dataset.ParseKind(s.Kind)
		if !ok {
			return bad("column %q: unknown kind %q", s.Column, s.Kind)
		}
		switch kind {
		case dataset.KindInteger, dataset.KindFloat, dataset.KindDate:
			n := s.Numeric
			if n == nil || s.OneHot != nil {
				return bad("column %q: a %s column needs a numeric step and no one_hot step", s.Column, kind)
			}
			for _, v := range [...]float64{n.Fill, n.Centre, n.Scale} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return bad("column %q: numbers must be finite", s.Column)
				}
			}
			if !(n.Scale > 0) {
				return bad("column %q: scale %v, expected > 0", s.Column, n.Scale)
			}
			if n.Log && kind == dataset.KindDate {
				return bad("column %q: a date column cannot be logged", s.Column)
			}
		case dataset.KindCategorical:
			o := s.OneHot
			if o == nil || s.Numeric != nil {
				return bad("column %q: a categorical column needs a one_hot step and no numeric step", s.Column)
			}
			if len(o.Categories) == 0 {
				return bad("column %q: no categories", s.Column)
			}
			for j, c := range o.Categories {
				if c == "" {
					return bad("column %q: empty category", s.Column)
				}
				if j > 0 && o.Categories[j-1] >= c {
					return bad("column %q: categories must be sorted and distinct (%q, %q)", s.Column, o.Categories[j-1], c)
				}
			}
			if p.Impute != ImputeDrop {
				if _, found := slices.BinarySearch(o.Categories, o.Fill); !found {
					return bad("column %q: fill %q is not one of the categories", s.Column, o.Fill)
				}
			}
		default:
			return bad("column %q: a %s column cannot be a feature", s.Column, kind)
		}
		if s.DateLayout != "" && kind != dataset.KindDate {
			return bad("column %q: date layout on a %s column", s.Column, kind)
		}
	}
	return nil
}
