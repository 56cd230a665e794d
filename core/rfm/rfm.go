package rfm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/segkit/segkit/core/dataset"
)

// Errors returned by Compute, wrapped with the column or row concerned.
var (
	// ErrUnknownColumn reports a column name that is not in the table.
	ErrUnknownColumn = errors.New("rfm: unknown column")
	// ErrSpec reports an incomplete or contradictory Spec.
	ErrSpec = errors.New("rfm: invalid spec")
	// ErrNotDate reports a date column that does not hold dates.
	ErrNotDate = errors.New("rfm: not a date column")
	// ErrNotNumeric reports an amount, quantity or price column that does
	// not hold numbers.
	ErrNotNumeric = errors.New("rfm: not a numeric column")
	// ErrNoCustomers reports a log in which no row has a customer id and
	// valid values.
	ErrNoCustomers = errors.New("rfm: no customers")
)

// CancelMode says what happens to cancellation and return lines.
type CancelMode uint8

// The cancellation modes; see the package comment.
const (
	// NetOff adds cancellation and return lines (negative amounts) to
	// monetary, so it is net spend; they are not purchases. The default.
	NetOff CancelMode = iota
	// Ignore leaves cancellation and return lines out entirely.
	Ignore
)

var cancelNames = []string{"netoff", "ignore"}

// String returns "netoff" or "ignore".
func (m CancelMode) String() string {
	if int(m) < len(cancelNames) {
		return cancelNames[m]
	}
	return "cancelmode(" + strconv.Itoa(int(m)) + ")"
}

// ParseCancelMode is the inverse of CancelMode.String (case-insensitive).
func ParseCancelMode(s string) (CancelMode, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range cancelNames {
		if n == t {
			return CancelMode(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown cancellation mode %q; expected netoff or ignore", ErrSpec, s)
}

// Spec names the columns of the transaction log and the options.
type Spec struct {
	// Customer names the customer id column; required. Any kind of column
	// works (the cell text is the id); a missing cell skips the row.
	Customer string
	// Date names the transaction date column; required, a date column.
	Date string
	// Amount names the line amount column. Give either Amount, or both
	// Quantity and Price (the amount is their product).
	Amount string
	// Quantity and Price name the quantity and unit price columns.
	Quantity, Price string
	// Invoice optionally names the invoice (order) number column. Frequency
	// counts distinct invoices; an invoice starting with "C" is a
	// cancellation. Empty means every purchase line is one order.
	Invoice string
	// Reference is the date recency and tenure are measured from. The zero
	// value means the day after the last transaction (midnight UTC after
	// the latest date). Rows dated after a given Reference are skipped.
	Reference time.Time
	// Cancellations says how cancellations and returns are handled; the
	// zero value is NetOff.
	Cancellations CancelMode
}

// Customer holds the measures, scores and segment of one customer.
type Customer struct {
	ID            string    `json:"id"`
	Recency       float64   `json:"recency"`   // days from LastPurchase to the reference
	Frequency     int       `json:"frequency"` // distinct purchase invoices (or purchase lines)
	Monetary      float64   `json:"monetary"`  // sum of amounts, net of cancellations under NetOff
	Tenure        float64   `json:"tenure"`    // days from FirstPurchase to the reference
	AverageOrder  float64   `json:"average_order"`
	FirstPurchase time.Time `json:"first_purchase"`
	LastPurchase  time.Time `json:"last_purchase"`
	R             int       `json:"r"` // recency score, 1..5, 5 = most recent
	F             int       `json:"f"` // frequency score, 1..5
	M             int       `json:"m"` // monetary score, 1..5
	Score         string    `json:"score"`
	Segment       string    `json:"segment_name"`
}

// Report counts what Compute did with the rows of the log; see the package
// comment for the exact meaning of each count.
type Report struct {
	Rows           int       `json:"rows"`            // rows in the table
	Used           int       `json:"used"`            // rows that counted
	NoCustomer     int       `json:"no_customer"`     // skipped: customer id missing
	BadRows        int       `json:"bad_rows"`        // skipped: date or amount missing or unparseable
	AfterReference int       `json:"after_reference"` // skipped: dated after Spec.Reference
	Cancellations  int       `json:"cancellations"`   // lines of invoices starting with "C"
	Returns        int       `json:"returns"`         // other lines with a negative amount or quantity
	Reference      time.Time `json:"reference"`
	Customers      int       `json:"customers"`
	// Issues describes the first few bad rows, with their 1-based data row.
	Issues []string `json:"issues,omitempty"`
}

// SegmentCount is the size of one named segment.
type SegmentCount struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Share float64 `json:"share"` // Count / number of customers
}

// Result is the outcome of Compute.
type Result struct {
	// Customers in order of their first row in the log.
	Customers []Customer `json:"customers"`
	Report    Report     `json:"report"`
	// Segments lists every named segment in SegmentNames order.
	Segments []SegmentCount `json:"segments"`
}

// maxIssues is how many bad rows Report.Issues describes.
const maxIssues = 10

const daySeconds = 86400

// Compute computes the RFM measures, scores and segments of every customer
// in the transaction log t. Errors wrap ErrUnknownColumn (listing the
// available columns), ErrSpec, ErrNotDate, ErrNotNumeric or ErrNoCustomers;
// bad rows are not errors but are counted in Report.BadRows.
func Compute(t *dataset.Table, spec Spec) (*Result, error) {
	if t == nil || t.Rows < 0 {
		return nil, errors.New("rfm: nil table or negative row count")
	}
	if spec.Cancellations > Ignore {
		return nil, fmt.Errorf("%w: Cancellations is %v; expected NetOff or Ignore", ErrSpec, spec.Cancellations)
	}
	cols, err := resolve(t, spec)
	if err != nil {
		return nil, err
	}
	in, err := prepareInputs(t, cols)
	if err != nil {
		return nil, err
	}
	res := &Result{Report: Report{Rows: t.Rows}}
	acc := newAccumulator(cols, t.Rows)
	ref, hasRef := float64(0), !spec.Reference.IsZero()
	if hasRef {
		ref = float64(spec.Reference.Unix()) + float64(spec.Reference.Nanosecond())/1e9
	}
	maxDate := math.Inf(-1)
	rep := &res.Report
	for i := 0; i < t.Rows; i++ {
		if cols.customer.IsMissing(i) {
			rep.NoCustomer++
			continue
		}
		date, amount, qty, problem := in.row(i)
		if problem != "" {
			rep.BadRows++
			if len(rep.Issues) < maxIssues {
				rep.Issues = append(rep.Issues, fmt.Sprintf("row %d: %s", i+1, problem))
			}
			continue
		}
		if hasRef && date > ref {
			rep.AfterReference++
			continue
		}
		cancel := cols.invoice != nil && isCancellation(cols.invoice, i)
		ret := !cancel && (amount < 0 || qty < 0)
		switch {
		case cancel:
			rep.Cancellations++
		case ret:
			rep.Returns++
		}
		if (cancel || ret) && spec.Cancellations == Ignore {
			continue
		}
		rep.Used++
		maxDate = max(maxDate, date)
		acc.add(i, date, amount, !cancel && !ret)
	}
	if rep.Used == 0 {
		return nil, fmt.Errorf("%w: none of the %d rows has a customer id (column %q) and a valid date and amount (%d without customer id, %d bad, %d after the reference date, %d cancellations or returns left out)",
			ErrNoCustomers, t.Rows, spec.Customer, rep.NoCustomer, rep.BadRows, rep.AfterReference, rep.Cancellations+rep.Returns)
	}
	if !hasRef {
		ref = (math.Floor(maxDate/daySeconds) + 1) * daySeconds
	}
	rep.Reference = unixTime(ref)
	if hasRef {
		rep.Reference = spec.Reference.UTC()
	}
	res.Customers = acc.customers(ref)
	rep.Customers = len(res.Customers)
	score(res.Customers)
	res.Segments = countSegments(res.Customers)
	return res, nil
}

// columns are the resolved columns of a Spec; invoice, amount, quantity and
// price may be nil.
type columns struct {
	customer, date, invoice *dataset.Column
	amount, quantity, price *dataset.Column
	dateName, amountName    string
	quantityName, priceName string
}

// resolve looks up the columns of spec and checks the combination.
func resolve(t *dataset.Table, spec Spec) (columns, error) {
	var c columns
	if spec.Customer == "" || spec.Date == "" {
		return c, fmt.Errorf("%w: Customer and Date are required (got Customer %q, Date %q); the table has columns %s",
			ErrSpec, spec.Customer, spec.Date, quoteNames(t.Names()))
	}
	switch {
	case spec.Amount != "" && (spec.Quantity != "" || spec.Price != ""):
		return c, fmt.Errorf("%w: give either Amount (%q) or Quantity and Price (%q, %q), not both", ErrSpec, spec.Amount, spec.Quantity, spec.Price)
	case spec.Amount == "" && (spec.Quantity == "" || spec.Price == ""):
		return c, fmt.Errorf("%w: give Amount, or both Quantity and Price (got Quantity %q, Price %q)", ErrSpec, spec.Quantity, spec.Price)
	}
	var missing []string
	get := func(name string) *dataset.Column {
		if name == "" {
			return nil
		}
		col := t.Column(name)
		if col == nil {
			missing = append(missing, strconv.Quote(name))
		}
		return col
	}
	c.customer = get(spec.Customer)
	c.date = get(spec.Date)
	c.amount = get(spec.Amount)
	c.quantity = get(spec.Quantity)
	c.price = get(spec.Price)
	c.invoice = get(spec.Invoice)
	if len(missing) > 0 {
		return c, fmt.Errorf("%w: no column %s; the table has columns %s", ErrUnknownColumn, strings.Join(missing, ", "), quoteNames(t.Names()))
	}
	c.dateName, c.amountName, c.quantityName, c.priceName = spec.Date, spec.Amount, spec.Quantity, spec.Price
	return c, nil
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// isCancellation reports whether row i's invoice number starts with "C".
func isCancellation(c *dataset.Column, i int) bool {
	if c.Str == nil {
		return false
	}
	s := c.Str[i]
	return len(s) > 0 && s[0] == 'C'
}

func unixTime(sec float64) time.Time {
	s := math.Floor(sec)
	return time.Unix(int64(s), int64((sec-s)*1e9)).UTC()
}
