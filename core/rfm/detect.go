package rfm

import (
	"strings"

	"github.com/segkit/segkit/core/dataset"
)

// Detect guesses the columns of a transaction log from their names and
// kinds, for a form to show as the starting point: the customer id (a
// column named like customer, client, member or user, preferring "… id"),
// the date (a date column, preferring one named like date or time; else a
// column named like a date), the
// invoice (invoice, order, receipt, transaction), and either the amount
// (amount, total, revenue, sales, spend, value) or the quantity (quantity,
// qty, units) and unit price (price). A role it cannot fill is "". The
// guess is never checked further: Compute reports what does not fit.
func Detect(t *dataset.Table) Spec {
	var s Spec
	used := map[string]bool{}
	pick := func(ok func(c *dataset.Column) bool, words ...string) string {
		best, bestScore := "", 0
		for _, c := range t.Columns {
			if used[c.Name] || !ok(c) {
				continue
			}
			if score := nameScore(c.Name, words); score > bestScore {
				best, bestScore = c.Name, score
			}
		}
		if best != "" {
			used[best] = true
		}
		return best
	}
	numeric := func(c *dataset.Column) bool { return c.Kind.IsNumeric() }
	idLike := func(c *dataset.Column) bool {
		return c.Kind == dataset.KindIdentifier || c.Kind == dataset.KindInteger || c.Kind == dataset.KindCategorical || c.Kind == dataset.KindText
	}
	isDate := func(c *dataset.Column) bool { return c.Kind == dataset.KindDate }
	s.Customer = pick(idLike, "customer", "client", "member", "user", "buyer", "account", "shopper")
	s.Date = pick(isDate, "date", "time", "day", "timestamp", "ordered", "purchased", "created")
	if s.Date == "" {
		// Any date column will do.
		for _, c := range t.Columns {
			if isDate(c) && !used[c.Name] {
				s.Date, used[c.Name] = c.Name, true
				break
			}
		}
	}
	if s.Date == "" {
		// A column named like a date whose cells are not all dates (Compute
		// counts the bad rows).
		s.Date = pick(func(c *dataset.Column) bool { return !c.Kind.IsNumeric() }, "date", "timestamp")
	}
	s.Invoice = pick(idLike, "invoice", "order", "receipt", "transaction", "basket", "ticket", "bill")
	s.Quantity = pick(numeric, "quantity", "qty", "units", "count", "pieces")
	s.Price = pick(numeric, "price", "unitprice", "rate")
	if s.Quantity == "" || s.Price == "" {
		s.Quantity, s.Price = "", ""
		s.Amount = pick(numeric, "amount", "total", "revenue", "sales", "spend", "spent", "value", "monetary", "paid", "sum", "dollar", "euro", "gbp", "usd")
	}
	return s
}

// nameScore rates how well a column name fits a role: 2 when one of its
// words is one of words, 1 when a word merely contains one, 0 otherwise. Words
// are split at spaces, punctuation and lower-to-upper case changes, so
// "CustomerID", "customer_id" and "Customer Id" all hold "customer".
func nameScore(name string, words []string) int {
	best := 0
	for _, w := range dataset.NameWords(name) {
		for _, want := range words {
			switch {
			case w == want:
				return 2
			case strings.Contains(w, want):
				best = 1
			}
		}
	}
	return best
}
