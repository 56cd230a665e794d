// Package profile describes the segments of a clustering in the units of the
// original file: size and share, per-column statistics, how each segment
// differs from the population, a short name and a one-line description.
//
// # Rows and labels
//
// Build takes one label per table row. A label ≥ 0 is a segment. Noise (-1)
// marks a row the algorithm placed in no segment: it is part of the
// population (its statistics, shares and the "rest" each segment is compared
// with) but of no segment, so segment shares sum to less than 1 when there is
// noise. NotClustered (-2) marks a row that took no part in the clustering
// (for example dropped for a missing value); it is in no statistic. Any other
// negative label is an error.
//
// # Statistics
//
// Numeric (integer and float) columns get the mean, median, quartiles,
// minimum, maximum and sample standard deviation (divisor n − 1) of their
// non-missing values, and the count of missing ones. Quartiles interpolate
// linearly between closest ranks, as numpy.quantile's default "linear"
// method (R type 7). Z is (segment mean − population mean) / population
// standard deviation. Effect is Cohen's d of the segment against the rest of
// the population (population minus segment): the difference of means over
// the pooled standard deviation sqrt((SSa + SSb) / (na + nb − 2)), without
// Hedges' small-sample correction.
//
// Categorical columns get the share of each category among the segment's
// non-missing values, with the population share and the lift (share over
// population share). The MaxCategories most frequent categories in the
// population are listed (ties by value); the others are pooled as Other.
//
// # Distinguishing features
//
// A numeric column distinguishes a segment when |d| ≥ MinEffect (0.5, a
// "medium" effect): "high" for d > 0, "low" below. For a categorical column
// the category with the largest Cohen's h = 2·asin(√p) − 2·asin(√q) (p the
// segment's share, q the rest's; same scale as d) is considered, and
// distinguishes the segment when h ≥ MinEffect ("over"). Other is never a
// distinguishing category. The features are ranked by absolute effect (ties
// by column order) and the first TopFeatures kept.
//
// # Names
//
// A name joins one or two parts with " · ", in column order:
//
//   - the one or two strongest distinguishing features: "High" or "Low" and
//     the column's ShortLabel for a numeric column ("High income"), "Mostly"
//     (share above 50 %) or "More" and the category for a categorical one
//     ("Mostly Female");
//   - when there are fewer than two, completed by the numeric columns where
//     the segment is most concentrated around the middle: |d| below
//     MinEffect and a standard deviation at most half the population's
//     ("Mid income · Mid spending", "High age · Mid income");
//   - with neither, AverageName ("Average customers").
//
// Names are unique within a profile: segments that share a name first try a
// name of three distinguishing features; segments still sharing one keep it
// in order of size (largest first, then lowest ID) and the others get " (2)",
// " (3)", …. The description lists the segment's size and share and up to
// TopFeatures features with their means (or shares), e.g. "39 customers
// (19.5 %) with high annual income (mean 86.5) and low spending score (mean
// 19.2)".
//
// Users rename segments with Profile.Rename; Profile.Names gives the names to
// store with a model (model.Model.Rename), so that they travel with it.
//
// # Output
//
// A Profile marshals to JSON with snake_case keys and no NaN (statistics of
// a column with no value in a segment are 0, with Missing equal to the
// size). Profile.CSV writes one row per segment × statistic for download;
// Profile.Text writes a report for the terminal.
package profile
