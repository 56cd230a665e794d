// Package rfm turns a transaction log into one row per customer with the
// classic recency, frequency and monetary (RFM) measures, quintile scores
// 1–5 and the standard named segments.
//
// # Input
//
// Compute reads a dataset.Table with one row per transaction line. Spec
// names the columns: the customer id, the date, and either the line amount
// (Spec.Amount) or a quantity and a unit price (Spec.Quantity ×
// Spec.Price), plus optionally an invoice (order) number. The date column
// must be a date column (dates with or without a time, or yyyymmdd
// integers, as dataset infers them); a text column whose values are mostly
// dates in one of the common layouts is accepted too, and its unparseable
// cells are bad rows.
//
// Every row falls into exactly one of these groups, counted in Report:
//
//   - NoCustomer: the customer id is missing. The row is skipped.
//   - BadRows: the customer id is present but the date, the amount, the
//     quantity or the price is missing or not a number/date. The row is
//     skipped; the first few are listed in Report.Issues with their 1-based
//     data row (the header is not a row).
//   - AfterReference: Spec.Reference was given and the row is dated after
//     it. The row is skipped, so RFM can be computed as of a past date.
//   - Used: the row counts.
//
// Among the rows with a customer id and valid values, Report.Cancellations
// counts the lines of cancelled invoices (an invoice number that starts with
// an upper-case "C", as in the UCI Online Retail data) and Report.Returns
// counts the other lines with a negative amount or quantity (returns and
// adjustments). What happens to them depends on Spec.Cancellations:
//
//   - NetOff (the default): their amount (negative) is added to the
//     customer's monetary value, so it is the net spend; they are not
//     purchases: they count neither in frequency nor for the purchase dates.
//   - Ignore: they are left out entirely (Used does not count them), so
//     monetary is gross spend.
//
// A cancellation never removes the original invoice from the frequency:
// the two cannot be matched reliably.
//
// # Measures
//
// A purchase line is a used line that is neither a cancellation nor a
// return (a zero amount is a purchase: free items are real orders). For
// each customer, with day = 86,400 seconds:
//
//   - Frequency: the number of distinct invoice numbers among the
//     customer's purchase lines (two invoices on the same day count twice).
//     Without an invoice column every purchase line is one order (as in the
//     CDNOW log, one row per transaction). A purchase line with a missing
//     invoice number is an order of its own.
//   - Monetary: the sum of the amounts of all used lines (net of
//     cancellations and returns under NetOff). Amount is Spec.Amount, or
//     quantity × unit price.
//   - FirstPurchase, LastPurchase: the earliest and latest date of a
//     purchase line.
//   - Recency: (Reference − LastPurchase) in days, fractional when the
//     dates have times. Tenure: (Reference − FirstPurchase) in days.
//   - AverageOrder: Monetary / Frequency.
//
// Reference defaults to the day after the last transaction: midnight UTC
// after the latest date among the rows with a customer id and valid values
// (so the latest buyer has a recency between 0 and 1 day).
//
// A customer whose lines in the log are all cancellations or returns (they
// bought before the log starts) is kept: Frequency 0, AverageOrder 0,
// Monetary ≤ 0, and FirstPurchase, LastPurchase, Recency and Tenure taken
// from their first and last cancellation or return instead. Their scores
// follow the rules below like everyone else's (they rank lowest on
// frequency and monetary, so F = M = 1). Under Ignore such customers do not
// appear at all.
//
// # Quintile scores
//
// R, F and M are scores 1–5 computed over the customers of the result, with
// 5 best: the most recent (lowest Recency), the most frequent and the
// highest Monetary. For one measure, sort the n customers from worst to
// best and let lo be the number of customers strictly worse than a given
// customer. Its score is
//
//	score = max(1, ceil(5·lo / (n−1)))     (score = 1 when n = 1)
//
// computed exactly in integers. Without ties this is the same as the common
// pandas recipe qcut(x.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]):
// the rank of the customer is lo+1 and qcut's edges on ranks 1..n are
// 1 + j·(n−1)/5. With ties the pandas recipe breaks them by row order, so
// two customers with identical histories can get different scores (and
// with many one-order customers, some get F = 1 and some F = 2 depending
// on file order). Here every member of a tie group gets the score of the
// group's first position (pandas rank(method="min")): equal values always
// score equally, the lowest value always scores 1, and a large tie group
// takes the lowest score of the range it spans (when 60% of the
// customers have one order they all get F = 1, and F = 2 and 3 stay
// empty). Score is the
// three digits R, F, M, e.g. "545".
//
// # Named segments
//
// The segment comes from the R score and FM = floor((F+M)/2), the average
// of the frequency and monetary scores rounded down, on the widely used
// R × FM grid (Champions R 4–5 & FM 4–5, Loyal Customers R 2–5 & FM 3–5,
// Potential Loyalist R 3–5 & FM 1–3, New Customers R 4–5 & FM 1, Promising
// R 3–4 & FM 1, Need Attention R 2–3 & FM 2–3, About To Sleep R 2–3 &
// FM 1–2, At Risk R 1–2 & FM 2–5, Can't Lose Them R 1 & FM 4–5,
// Hibernating R 1–2 & FM 1–2, Lost R 1–2 & FM 1–2). Those ranges overlap;
// this package resolves them into one cell each, every cell inside the
// ranges of its segment:
//
//	FM \ R   1                2            3                 4                   5
//	4–5      Can't Lose Them  At Risk      Loyal Customers   Champions           Champions
//	3        At Risk          At Risk      Loyal Customers   Loyal Customers     Loyal Customers
//	2        Lost             Hibernating  Need Attention    Potential Loyalist  Potential Loyalist
//	1        Lost             Hibernating  About To Sleep    Promising           New Customers
//
// Result.Segments lists every segment, in the order of SegmentNames, with
// its count and share (also when the count is 0).
//
// # The k-means alternative
//
// Result.Table returns the customers as a typed dataset.Table, so the
// measures can be clustered instead of scored: prep.Fit with Columns
// recency, frequency and monetary and Log: prep.LogAll, then
// cluster.KMeans. prep does not log a column with a negative value: under
// NetOff a returns-only customer has a negative monetary value, so use
// Ignore (or filter those customers) when monetary must be log-scaled.
package rfm
