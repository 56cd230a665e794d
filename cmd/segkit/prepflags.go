package main

import (
	"flag"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/prep"
)

// prepFlags are the preparation flags that cluster and suggest share.
type prepFlags struct {
	cols, drop, scale, impute, log *string
}

// addPrepFlags registers --cols, --drop, --scale, --impute and --log.
func addPrepFlags(fs *flag.FlagSet) *prepFlags {
	return &prepFlags{
		cols:   fs.String("cols", "", "comma-separated feature columns (default: every numeric column that is not an identifier)"),
		drop:   fs.String("drop", "", "comma-separated columns to leave out"),
		scale:  fs.String("scale", "standard", "scaling: standard, minmax, robust or none"),
		impute: fs.String("impute", "median", "missing values: median, mean or drop (rows)"),
		log:    fs.String("log", "auto", "log1p of heavy-tailed amounts: auto (non-negative columns with skewness > 1), none or all"),
	}
}

// spec turns the flags into a preparation spec; a bad value is a usage error.
func (f *prepFlags) spec() (prep.Spec, error) {
	s := prep.Spec{Columns: splitList(*f.cols), Drop: splitList(*f.drop)}
	var err error
	if s.Scale, err = prep.ParseScale(*f.scale); err != nil {
		return s, usagef("%v", err)
	}
	if s.Impute, err = prep.ParseImpute(*f.impute); err != nil {
		return s, usagef("%v", err)
	}
	if s.Log, err = prep.ParseLogMode(*f.log); err != nil {
		return s, usagef("%v", err)
	}
	return s, nil
}

// prepared is a data file read and turned into features.
type prepared struct {
	table  *dataset.Table
	pipe   *prep.Pipeline
	x      *matrix.Dense
	report *prep.Report
}

// prepare reads file and fits the preparation spec on it.
func prepare(file string, spec prep.Spec) (*prepared, error) {
	return prepareWith(file, func(*dataset.Table) (prep.Spec, error) { return spec, nil })
}

// prepareWith reads file and fits the spec that specFor gives for the table
// (for choices that depend on the columns, such as latitude and longitude).
func prepareWith(file string, specFor func(*dataset.Table) (prep.Spec, error)) (*prepared, error) {
	t, err := dataset.ReadFile(file, dataset.Options{})
	if err != nil {
		return nil, err
	}
	spec, err := specFor(t)
	if err != nil {
		return nil, err
	}
	pipe, x, rep, err := prep.Fit(t, spec)
	if err != nil {
		return nil, err
	}
	return &prepared{t, pipe, x, rep}, nil
}
