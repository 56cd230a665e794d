// Package explain states a clustering as a few readable rules: a small
// surrogate decision tree, grown on the original columns, that predicts each
// customer's segment, e.g.
//
//	Annual Income (k$) > 69.5 and Spending Score (1-100) ≤ 33 → segment 2
//
// with its fidelity, the share of customers it assigns to the segment the
// clustering gave them.
//
// # The tree
//
// Tree grows a CART classification tree with the Gini impurity, at most
// Options.MaxDepth (default 3, at most 5) levels deep, with at least
// Options.MinLeaf rows per leaf (default max(5, 1 % of the rows)). Numeric
// columns split at the midpoint between consecutive distinct values, rounded
// to the fewest decimals that stay strictly between them; categorical
// columns split one category against the rest ("=" / "!="). At each split a
// missing value goes to the child with more rows (ties: the "≤" or "="
// child); Condition.OrMissing records it so that Predict, and a reader, can
// follow it. Sibling leaves that predict the same segment are merged.
//
// Only rows labelled ≥ 0 take part: noise (-1) and not clustered (-2) rows
// are left out of the tree and of the fidelity, which is computed on every
// clustered row (the rows the tree was grown on; there is no held-out set,
// since the tree explains this clustering rather than generalising).
//
// The result is deterministic: ties between splits go to the first column in
// Options.Columns order, then to the smallest threshold or category, and the
// split scores are computed without fused multiply-add, so native and
// js/wasm builds give the same rules.
//
// # Cost
//
// Sorting each numeric column once costs O(f·n log n) for n rows and f
// columns; each level of the tree then costs O(n·f·k) for k segments.
// Memory is O(n·f) row indices per level.
package explain
