// Package groupby segments customers by rules instead of clustering: by the
// value of a column (country, region, channel), by the first characters of
// a code (postal prefix) or by numeric bands (age bands), alone or
// combined. Segment returns one label per row, like a clustering, so the
// groups can be profiled, charted and downloaded the same way.
//
// # Rules
//
// Each Rule names a column and a RuleKind:
//
//   - ByValue: one group per distinct cell text (dataset.Column.Text), so
//     numeric codes such as Region 1, 2, 3 work too.
//   - ByPrefix: one group per prefix of Prefix characters of the cell text,
//     after removing spaces and upper-casing (postal codes "sw1a 1aa" and
//     "SW1A 2BB" share the prefix "SW1" with Prefix 3). A shorter value is
//     its own prefix. Group names end in "…" ("SW1…").
//   - ByBands: numeric bands of an integer or float column between the
//     increasing edges Bands: a value v is in band i when Bands[i] ≤ v <
//     Bands[i+1]; values from the last edge up form the band "e+", values
//     below the first edge the band "under e". Names start with the column
//     name: "Age 25–34" (for an integer column with integer edges the upper
//     end shown is the last integer in the band), "Income 40–60" otherwise
//     (the upper edge itself belongs to the next band). With no Bands and a
//     column named like an age (a word "age" in its name: Age, customer_age,
//     AgeYears), the standard marketing age bands of AgeBands are used:
//     under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65+.
//
// A missing cell (dataset.Column.IsMissing) gets label -1 and belongs to no
// group; Result.Missing counts those rows.
//
// # Group order and "Other"
//
// Value and prefix groups are numbered from the largest to the smallest
// (ties by name). When there are more than MaxGroups (0 means 12), the
// largest MaxGroups−1 are kept and the rest merge into one group named
// "Other", numbered last (a real value "Other" joins it). Bands are never
// merged; they are numbered in increasing order, and empty bands are left
// out.
//
// # Several rules
//
// With several rules a row's group is the combination of its groups under
// each rule (after each rule's own merging), named by joining the names
// with " · " ("United Kingdom · Age 25–34"). A row missing under any rule
// gets -1. Only combinations that occur are groups; they are numbered in
// the order of the rules' own numbering (the first rule varies slowest).
package groupby
