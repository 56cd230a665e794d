package prep

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec says which columns become features and how they are prepared. The zero
// value is a sensible default: every integer and float column, missing values
// imputed with the median, log1p for skewed non-negative columns, standard
// scaling.
type Spec struct {
	// Columns names the feature columns, in output order. Empty means every
	// integer and float column of the table in table order, plus every
	// categorical column when OneHot is set. Identifier and text columns are
	// never features; a date column may be named here (it becomes days since
	// the Unix epoch) but is not chosen by default.
	Columns []string
	// Drop removes columns from the selection (useful with the default).
	// Every name must exist in the table; naming an unselected column is not
	// an error.
	Drop []string
	// Impute handles missing values; the zero value is ImputeMedian.
	Impute Impute
	// Log chooses the columns transformed with log1p; the zero value is LogAuto.
	Log LogMode
	// LogColumns are transformed with log1p in addition to those chosen by
	// Log; with Log set to LogNone they are the only ones. Each must be a
	// selected integer or float column with no negative value.
	LogColumns []string
	// Scale is the scaling of numeric features; the zero value is ScaleStandard.
	Scale Scale
	// OneHot encodes selected categorical columns as one 0/1 indicator per
	// category (sorted) and adds categorical columns to the default
	// selection. Without it, naming a categorical column is an error.
	OneHot bool
	// Codes encodes selected categorical columns as one feature each: the
	// category's index among the training categories (sorted), and
	// len(categories) for a category never seen in training. It is for
	// algorithms that compare categories directly (k-prototypes, k-medoids
	// on Gower distance); Pipeline.Categorical marks those features. Like
	// OneHot it adds categorical columns to the default selection; the two
	// cannot be combined.
	Codes bool
}

// Impute is how missing values of selected columns are handled.
type Impute uint8

// The imputation strategies. Categorical columns take the most frequent
// category under both ImputeMedian and ImputeMean.
const (
	ImputeMedian Impute = iota // median of the non-missing values (the default)
	ImputeMean                 // mean of the non-missing values
	ImputeDrop                 // leave out every row with a missing selected value
)

// LogMode chooses the numeric columns that are transformed with log1p.
type LogMode uint8

// The log modes.
const (
	LogAuto LogMode = iota // non-negative columns with sample skewness > 1 (the default)
	LogNone                // no column (except Spec.LogColumns)
	LogAll                 // every non-negative integer or float column
)

// Scale is the scaling applied to numeric features after imputation and log.
type Scale uint8

// The scalings: each feature becomes (x - centre) / scale.
const (
	ScaleStandard Scale = iota // centre mean, scale population standard deviation (the default)
	ScaleMinMax                // centre minimum, scale maximum - minimum: values fall in [0, 1]
	ScaleRobust                // centre median, scale interquartile range (75th - 25th percentile)
	ScaleNone                  // centre 0, scale 1
)

var (
	imputeNames = []string{"median", "mean", "drop"}
	logNames    = []string{"auto", "none", "all"}
	scaleNames  = []string{"standard", "minmax", "robust", "none"}
)

func enumString(names []string, v uint8, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

func parseEnum(names []string, s, what string) (uint8, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range names {
		if n == t {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("prep: unknown %s %q; expected one of %s", what, s, strings.Join(names, ", "))
}

// String returns the name of the strategy: "median", "mean" or "drop".
func (m Impute) String() string { return enumString(imputeNames, uint8(m), "impute") }

// String returns the name of the mode: "auto", "none" or "all".
func (m LogMode) String() string { return enumString(logNames, uint8(m), "log") }

// String returns the name of the scaling: "standard", "minmax", "robust" or "none".
func (s Scale) String() string { return enumString(scaleNames, uint8(s), "scale") }

// ParseImpute is the inverse of Impute.String (case-insensitive).
func ParseImpute(s string) (Impute, error) {
	v, err := parseEnum(imputeNames, s, "imputation")
	return Impute(v), err
}

// ParseLogMode is the inverse of LogMode.String (case-insensitive).
func ParseLogMode(s string) (LogMode, error) {
	v, err := parseEnum(logNames, s, "log mode")
	return LogMode(v), err
}

// ParseScale is the inverse of Scale.String (case-insensitive): "standard",
// "minmax", "robust" or "none".
func ParseScale(s string) (Scale, error) {
	v, err := parseEnum(scaleNames, s, "scaling")
	return Scale(v), err
}

func (m Impute) valid() bool  { return int(m) < len(imputeNames) }
func (m LogMode) valid() bool { return int(m) < len(logNames) }
func (s Scale) valid() bool   { return int(s) < len(scaleNames) }

// MarshalText encodes the strategy by name, so JSON holds "median", not 0.
func (m Impute) MarshalText() ([]byte, error) {
	if !m.valid() {
		return nil, fmt.Errorf("prep: invalid imputation %d", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (m *Impute) UnmarshalText(b []byte) error {
	v, err := ParseImpute(string(b))
	*m = v
	return err
}

// MarshalText encodes the mode by name.
func (m LogMode) MarshalText() ([]byte, error) {
	if !m.valid() {
		return nil, fmt.Errorf("prep: invalid log mode %d", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (m *LogMode) UnmarshalText(b []byte) error {
	v, err := ParseLogMode(string(b))
	*m = v
	return err
}

// MarshalText encodes the scaling by name.
func (s Scale) MarshalText() ([]byte, error) {
	if !s.valid() {
		return nil, fmt.Errorf("prep: invalid scaling %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (s *Scale) UnmarshalText(b []byte) error {
	v, err := ParseScale(string(b))
	*s = v
	return err
}
