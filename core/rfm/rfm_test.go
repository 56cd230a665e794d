package rfm

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/segkit/segkit/core/dataset"
)

// smallLog is a hand-made log: two invoices of A on the same day, a
// cancellation of A, a return of B (negative quantity, no "C"), a row
// without customer, a customer D with only a cancellation, and two bad rows
// of E (a date that is not a date, a missing price).
const smallLog = `Invoice,Customer,Date,Quantity,Price
1001,A,2024-01-01 10:00,2,5.00
1001,A,2024-01-01 10:00,1,3.00
1002,A,2024-01-01 15:00,1,7.00
C1003,A,2024-01-05 09:00,-1,5.00
1004,B,2024-01-03 12:00,4,2.50
1005,,2024-01-04 08:00,1,100
1006,B,2024-01-08 18:00,-2,2.50
1007,C,2024-01-09 00:00,1,20
C1008,D,2024-01-02 00:00,-3,4
1009,E,yesterday,1,1
1010,E,2024-01-06 10:00,1,
`

func readString(t testing.TB, s string, opt dataset.Options) *dataset.Table {
	t.Helper()
	tb, err := dataset.Read(strings.NewReader(s), opt)
	if err != nil {
		t.Fatalf("dataset.Read: %v", err)
	}
	return tb
}

var smallSpec = Spec{Customer: "Customer", Date: "Date", Quantity: "Quantity", Price: "Price", Invoice: "Invoice"}

func day(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// TestComputeSmall checks every measure against values computed by hand
// (reference 2024-01-10 00:00, the midnight after C's purchase on 01-09).
func TestComputeSmall(t *testing.T) {
	tb := readString(t, smallLog, dataset.Options{})
	type want struct {
		id                        string
		recency, tenure, mon, avg float64
		freq                      int
		first, last               time.Time
		score, segment            string
	}
	cases := []struct {
		name      string
		spec      Spec
		report    Report
		customers []want
	}{
		{
			name: "netoff",
			spec: smallSpec,
			report: Report{Rows: 11, Used: 8, NoCustomer: 1, BadRows: 2, Cancellations: 2, Returns: 1,
				Reference: day(2024, 1, 10, 0), Customers: 4},
			customers: []want{
				// A: invoices 1001 (10+3) and 1002 (7) on 01-01 → F 2; C1003 −5 → M 15.
				{"A", 8.375, 8 + 14.0/24, 15, 7.5, 2, day(2024, 1, 1, 10), day(2024, 1, 1, 15), "154", CantLoseThem},
				// B: 1004 (10), return 1006 (−5) is not a purchase.
				{"B", 6.5, 6.5, 5, 5, 1, day(2024, 1, 3, 12), day(2024, 1, 3, 12), "422", PotentialLoyalist},
				{"C", 1, 1, 20, 20, 1, day(2024, 1, 9, 0), day(2024, 1, 9, 0), "525", LoyalCustomers},
				// D: only a cancellation: F 0, dates from the cancellation.
				{"D", 8, 8, -12, 0, 0, day(2024, 1, 2, 0), day(2024, 1, 2, 0), "211", Hibernating},
			},
		},
		{
			name: "ignore",
			spec: func() Spec { s := smallSpec; s.Cancellations = Ignore; return s }(),
			report: Report{Rows: 11, Used: 5, NoCustomer: 1, BadRows: 2, Cancellations: 2, Returns: 1,
				Reference: day(2024, 1, 10, 0), Customers: 3},
			customers: []want{
				// n = 3: scores max(1, ceil(5·lo/2)) → 1, 3, 5; A and C tie
				// on monetary 20 at lo 1 → M 3.
				{"A", 8.375, 8 + 14.0/24, 20, 10, 2, day(2024, 1, 1, 10), day(2024, 1, 1, 15), "153", CantLoseThem},
				{"B", 6.5, 6.5, 10, 10, 1, day(2024, 1, 3, 12), day(2024, 1, 3, 12), "311", AboutToSleep},
				{"C", 1, 1, 20, 20, 1, day(2024, 1, 9, 0), day(2024, 1, 9, 0), "513", PotentialLoyalist},
			},
		},
		{
			name: "reference",
			spec: func() Spec { s := smallSpec; s.Reference = day(2024, 1, 8, 0); return s }(),
			// 1006 (01-08 18:00) and 1007 (01-09) are after the reference.
			report: Report{Rows: 11, Used: 6, NoCustomer: 1, BadRows: 2, AfterReference: 2, Cancellations: 2,
				Reference: day(2024, 1, 8, 0), Customers: 3},
			customers: []want{
				{"A", 6.375, 6 + 14.0/24, 15, 7.5, 2, day(2024, 1, 1, 10), day(2024, 1, 1, 15), "155", CantLoseThem},
				{"B", 4.5, 4.5, 10, 10, 1, day(2024, 1, 3, 12), day(2024, 1, 3, 12), "533", LoyalCustomers},
				{"D", 6, 6, -12, 0, 0, day(2024, 1, 2, 0), day(2024, 1, 2, 0), "311", AboutToSleep},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Compute(tb, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Report
			if len(got.Issues) != 2 || !strings.Contains(got.Issues[0], `row 10: Date "yesterday" is not a date`) ||
				!strings.Contains(got.Issues[1], "row 11: Price is missing") {
				t.Errorf("issues = %q", got.Issues)
			}
			got.Issues = nil
			if !got.Reference.Equal(tc.report.Reference) {
				t.Errorf("reference = %v, want %v", got.Reference, tc.report.Reference)
			}
			got.Reference = tc.report.Reference
			if got.Rows != tc.report.Rows || got.Used != tc.report.Used || got.NoCustomer != tc.report.NoCustomer ||
				got.BadRows != tc.report.BadRows || got.AfterReference != tc.report.AfterReference ||
				got.Cancellations != tc.report.Cancellations || got.Returns != tc.report.Returns || got.Customers != tc.report.Customers {
				t.Errorf("report = %+v\nwant     %+v", got, tc.report)
			}
			if len(res.Customers) != len(tc.customers) {
				t.Fatalf("%d customers, want %d", len(res.Customers), len(tc.customers))
			}
			for i, w := range tc.customers {
				c := res.Customers[i]
				if c.ID != w.id || !near(c.Recency, w.recency) || !near(c.Tenure, w.tenure) || !near(c.Monetary, w.mon) ||
					!near(c.AverageOrder, w.avg) || c.Frequency != w.freq || !c.FirstPurchase.Equal(w.first) ||
					!c.LastPurchase.Equal(w.last) || c.Score != w.score || c.Segment != w.segment {
					t.Errorf("customer %d = %+v\nwant %+v", i, c, w)
				}
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestComputeAmount uses an amount column, no invoice (each purchase line
// is an order) and a yyyymmdd date, as in the CDNOW log.
func TestComputeAmount(t *testing.T) {
	tb := readString(t, "id,date,n,amount\n7,19970101,1,10\n7,19970101,2,20\n7,19970310,1,-4\n8,19970201,1,5\n", dataset.Options{})
	res, err := Compute(tb, Spec{Customer: "id", Date: "date", Amount: "amount"})
	if err != nil {
		t.Fatal(err)
	}
	// Reference 1997-03-11; 7 bought twice on 01-01 (two orders), returned 4 on 03-10.
	c := res.Customers[0]
	if c.ID != "7" || c.Frequency != 2 || c.Monetary != 26 || c.Recency != 69 || c.Tenure != 69 || c.AverageOrder != 13 {
		t.Errorf("customer 7 = %+v", c)
	}
	if res.Report.Returns != 1 || res.Report.Cancellations != 0 || !res.Report.Reference.Equal(time.Date(1997, 3, 11, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("report = %+v", res.Report)
	}
}

func TestComputeErrors(t *testing.T) {
	tb := readString(t, smallLog, dataset.Options{})
	text := readString(t, "c,d,a\nx,2024-01-01,abc\ny,2024-01-02,def\n", dataset.Options{})
	cases := []struct {
		name string
		tb   *dataset.Table
		spec Spec
		err  error
		msg  []string
	}{
		{"unknown columns", tb, Spec{Customer: "Cust", Date: "Date", Amount: "Total"}, ErrUnknownColumn,
			[]string{`no column "Cust", "Total"`, `the table has columns "Invoice", "Customer", "Date", "Quantity", "Price"`}},
		{"amount and quantity", tb, Spec{Customer: "Customer", Date: "Date", Amount: "Price", Quantity: "Quantity"}, ErrSpec,
			[]string{"either Amount", "not both"}},
		{"quantity without price", tb, Spec{Customer: "Customer", Date: "Date", Quantity: "Quantity"}, ErrSpec,
			[]string{"both Quantity and Price"}},
		{"no customer", tb, Spec{Date: "Date", Amount: "Price"}, ErrSpec, []string{"Customer and Date are required"}},
		{"date not a date", tb, Spec{Customer: "Customer", Date: "Quantity", Amount: "Price"}, ErrNotDate,
			[]string{`column "Quantity" is an integer column; expected dates`}},
		{"text date", tb, Spec{Customer: "Customer", Date: "Invoice", Amount: "Price"}, ErrNotDate,
			[]string{`column "Invoice"`, `mostly not dates (e.g. "1001")`}},
		{"amount not numeric", text, Spec{Customer: "c", Date: "d", Amount: "a"}, ErrNotNumeric,
			[]string{`column "a"`, "expected numbers"}},
		{"bad mode", tb, Spec{Customer: "Customer", Date: "Date", Amount: "Price", Cancellations: 7}, ErrSpec, []string{"Cancellations"}},
		{"nothing usable", tb, Spec{Customer: "Customer", Date: "Date", Amount: "Price", Reference: day(2000, 1, 1, 0)}, ErrNoCustomers,
			[]string{"8 after the reference date"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compute(tc.tb, tc.spec)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			for _, m := range tc.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("err = %q, want it to contain %q", err, m)
				}
			}
		})
	}
	if _, err := Compute(nil, smallSpec); err == nil {
		t.Error("nil table: no error")
	}
}

// qcutFirst is the pandas recipe qcut(x.rank(method="first"), 5,
// labels=[1..5]) written out: ranks 1..n in sorted order (ties by
// position), edges 1 + j·(n−1)/5 from linear quantiles, bins right-closed,
// the first including its left edge.
func qcutFirst(values []float64) []int {
	n := len(values)
	rank := make([]float64, n)
	for i := range values {
		r := 1
		for j := range values {
			if values[j] < values[i] || values[j] == values[i] && j < i {
				r++
			}
		}
		rank[i] = float64(r)
	}
	out := make([]int, n)
	for i, r := range rank {
		for j := 1; j <= 5; j++ {
			if r <= 1+float64(j)*float64(n-1)/5 {
				out[i] = j
				break
			}
		}
	}
	return out
}

func TestQuintiles(t *testing.T) {
	cases := []struct {
		name   string
		values []float64
		want   []int
	}{
		{"empty", nil, []int{}},
		{"one", []float64{3}, []int{1}},
		{"ten distinct", []float64{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, []int{5, 5, 4, 4, 3, 3, 2, 2, 1, 1}},
		{"seven distinct", []float64{1, 2, 3, 4, 5, 6, 7}, []int{1, 1, 2, 3, 4, 5, 5}},
		{"constant", []float64{2, 2, 2}, []int{1, 1, 1}},
		// Six 1s (lo 0), then 2 at lo 6 → ceil(30/9) = 4, 3s at lo 7 → 4, 9 at lo 9 → 5.
		{"massive ties", []float64{1, 1, 1, 1, 1, 1, 2, 3, 3, 9}, []int{1, 1, 1, 1, 1, 1, 4, 4, 4, 5}},
		{"negative", []float64{-12, 5, 15, 20}, []int{1, 2, 4, 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Quintiles(tc.values)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	// Without ties the rule is pandas qcut(rank(method="first"), 5).
	for n := 2; n <= 60; n++ {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64((i * 37) % n) // a permutation of 0..n-1 for n not a multiple of 37
		}
		if n%37 == 0 {
			continue
		}
		got, want := Quintiles(v), qcutFirst(v)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("n=%d: got %v, pandas first %v", n, got, want)
			}
		}
	}
}

func TestSegment(t *testing.T) {
	cases := []struct {
		r, f, m int
		want    string
	}{
		{5, 5, 5, Champions}, {4, 4, 4, Champions}, {4, 5, 3, Champions},
		{3, 5, 5, LoyalCustomers}, {5, 3, 3, LoyalCustomers}, {4, 4, 3, LoyalCustomers}, {4, 3, 4, LoyalCustomers}, // FM = floor(7/2) = 3
		{5, 2, 2, PotentialLoyalist}, {4, 3, 2, PotentialLoyalist},
		{5, 1, 1, NewCustomers}, {5, 1, 2, NewCustomers},
		{4, 1, 1, Promising}, {4, 2, 1, Promising},
		{3, 2, 2, NeedAttention}, {3, 3, 2, NeedAttention},
		{3, 1, 1, AboutToSleep}, {3, 1, 2, AboutToSleep},
		{2, 5, 5, AtRisk}, {2, 3, 3, AtRisk}, {1, 3, 3, AtRisk}, {1, 3, 4, AtRisk},
		{1, 4, 4, CantLoseThem}, {1, 5, 5, CantLoseThem},
		{2, 1, 1, Hibernating}, {2, 2, 2, Hibernating},
		{1, 1, 1, Lost}, {1, 2, 2, Lost},
		{0, 1, 1, ""}, {1, 6, 1, ""},
	}
	for _, tc := range cases {
		if got := Segment(tc.r, tc.f, tc.m); got != tc.want {
			t.Errorf("Segment(%d, %d, %d) = %q, want %q", tc.r, tc.f, tc.m, got, tc.want)
		}
	}
	// Every score combination has a segment, and every segment is reachable.
	seen := map[string]bool{}
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			for m := 1; m <= 5; m++ {
				s := Segment(r, f, m)
				if s == "" {
					t.Errorf("Segment(%d, %d, %d) is empty", r, f, m)
				}
				seen[s] = true
			}
		}
	}
	for _, n := range SegmentNames() {
		if !seen[n] {
			t.Errorf("segment %q is unreachable", n)
		}
	}
}

func TestParseCancelMode(t *testing.T) {
	for _, m := range []CancelMode{NetOff, Ignore} {
		got, err := ParseCancelMode(strings.ToUpper(m.String()))
		if err != nil || got != m {
			t.Errorf("ParseCancelMode(%q) = %v, %v", m, got, err)
		}
	}
	if _, err := ParseCancelMode("drop"); !errors.Is(err, ErrSpec) {
		t.Errorf("ParseCancelMode(drop) err = %v", err)
	}
}

func TestTableAndCSV(t *testing.T) {
	res, err := Compute(readString(t, smallLog, dataset.Options{}), smallSpec)
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table()
	if tb.Rows != 4 || strings.Join(tb.Names(), ",") != strings.Join(ColumnNames, ",") {
		t.Fatalf("table: %d rows, columns %v", tb.Rows, tb.Names())
	}
	var b strings.Builder
	if err := res.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	// The CSV reads back with the same kinds as Table (the customer column
	// is short, so it reads as categorical there).
	back := readString(t, b.String(), dataset.Options{})
	for i, c := range tb.Columns {
		bc := back.Columns[i]
		if c.Name == "customer" || c.Name == "rfm_score" || c.Name == "segment_name" {
			continue
		}
		if c.Kind == dataset.KindInteger && bc.Kind != c.Kind {
			t.Errorf("column %s: CSV reads as %v, Table says %v", c.Name, bc.Kind, c.Kind)
		}
		for r := 0; r < tb.Rows; r++ {
			if !near(bc.Num[r], c.Num[r]) {
				t.Errorf("column %s row %d: CSV %v, Table %v", c.Name, r, bc.Num[r], c.Num[r])
			}
		}
	}
	wantFirst := "A,8.375,2,15,8.58333333333,7.5,1,5,4,154,Can't Lose Them"
	if lines := strings.Split(b.String(), "\n"); lines[1] != wantFirst {
		t.Errorf("first CSV row = %q, want %q", lines[1], wantFirst)
	}
}
