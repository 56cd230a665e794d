// Package prep turns a typed dataset.Table into the numeric feature matrix
// that clustering works on, and records every fitted step in a Pipeline that
// can be saved as JSON and replayed on new tables or single records.
//
// # Steps
//
// Fit selects the feature columns (Spec.Columns, or by default every integer
// and float column — plus every categorical column when Spec.OneHot is set),
// then for each selected column, in this order:
//
//  1. impute: a missing value becomes the column's median (ImputeMedian, the
//     default) or mean (ImputeMean); a missing category becomes the most
//     frequent category (ties go to the smallest string). With ImputeDrop
//     every row with a missing selected value is left out of the matrix
//     instead, and Report.Kept maps matrix rows back to table rows.
//  2. log: log1p(x) for columns chosen by Spec.Log and Spec.LogColumns.
//  3. scale: (x - centre) / scale, where centre and scale are the mean and
//     population standard deviation (ScaleStandard, the default, as
//     scikit-learn's StandardScaler), the minimum and range (ScaleMinMax),
//     the median and interquartile range (ScaleRobust, as RobustScaler), or
//     0 and 1 (ScaleNone).
//
// A categorical column becomes one 0/1 indicator per category seen in
// training, sorted; indicators are not scaled. With Spec.Codes it becomes
// one feature instead, the category's index among the sorted training
// categories (len(categories) for an unseen one), for the mixed-data
// algorithms; Pipeline.Categorical marks those features. A value never seen in training
// gives an all-zero indicator group (it is like no known category).
//
// Every statistic (median, mean, skewness, centre, scale, categories) is
// computed on the rows that reach the matrix, after imputation where that
// applies; the skewness that drives LogAuto and the imputation value use the
// non-missing values only.
//
// # Rules
//
//   - Log: LogAuto (the default) applies log1p to an integer or float column
//     whose non-missing values are all ≥ 0 and whose sample skewness is
//     greater than 1. Sample skewness is the Fisher–Pearson coefficient
//     g1 = m3 / m2^(3/2), with mk = (1/n) Σ (x - mean)^k over the n
//     non-missing values (scipy.stats.skew with bias=True); a column with
//     m2 = 0 has skewness 0. LogAll logs every selected integer or float column
//     with no negative value; LogNone logs none. Spec.LogColumns are logged in
//     addition to what the mode chooses (use LogNone with LogColumns for
//     "only these"); naming a column with a negative value there is an error.
//     Date columns are never logged.
//   - Dates: a date column named in Spec.Columns becomes days since
//     1970-01-01 UTC (fractional for date-times), so that the unit is
//     readable and its spread is of a sensible size. Dates are never chosen
//     by default.
//   - Zero variance: when the spread a scaling divides by is zero (a constant
//     column; for ScaleRobust also a column whose quartiles coincide), the
//     scale is 1 instead, so nothing becomes NaN or Inf, and the feature is
//     listed in Report.ZeroVariance. A constant column is also centred on its
//     value, so it becomes exactly 0.
//   - Identifier and text columns are never features (ErrNotFeature), nor is
//     a categorical column unless Spec.OneHot is set.
//   - No silent NaN: an input value that is infinite, or that makes a step
//     produce a non-finite number (log1p of a value ≤ -1 in new data), is an
//     error naming the column and the row.
//
// # Replaying
//
// Pipeline.Transform replays the steps on another table, matching columns by
// name, and Pipeline.TransformRecord on one raw record such as a JSON object
// posted to the edge worker; both give bit-identical results to Fit on the
// training rows. A Pipeline is a plain struct with JSON tags; Decode reads one
// back with strict validation.
package prep
