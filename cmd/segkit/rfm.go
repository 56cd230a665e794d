package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/rfm"
)

// runRFM computes recency, frequency and monetary value per customer from a
// transaction log, with quintile scores and the named RFM segments.
func runRFM(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rfm", flag.ContinueOnError)
	var spec rfm.Spec
	fs.StringVar(&spec.Customer, "customer", "", "customer id column (required)")
	fs.StringVar(&spec.Date, "date", "", "transaction date column (required)")
	fs.StringVar(&spec.Amount, "amount", "", "line amount column (or --quantity and --price)")
	fs.StringVar(&spec.Quantity, "quantity", "", "quantity column; amount = quantity × price")
	fs.StringVar(&spec.Price, "price", "", "unit price column")
	fs.StringVar(&spec.Invoice, "invoice", "", "invoice column: frequency counts distinct invoices; a leading C marks a cancellation")
	reference := fs.String("reference", "", "date recency is measured from, YYYY-MM-DD (default: the day after the last transaction)")
	cancel := fs.String("cancellations", "netoff", "cancellations and returns: netoff (subtract from monetary) or ignore (drop)")
	asJSON := fs.Bool("json", false, "print customers, segment counts and the report as JSON instead of CSV")
	out := fs.String("out", "", "write the result to FILE instead of standard output")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("rfm takes one FILE, got %d arguments", len(pos))
	}
	if spec.Customer == "" || spec.Date == "" {
		return usagef("rfm needs --customer and --date")
	}
	if (spec.Amount == "") == (spec.Quantity == "" || spec.Price == "") {
		return usagef("rfm needs --amount, or both --quantity and --price")
	}
	if *reference != "" {
		if spec.Reference, err = time.Parse(time.DateOnly, *reference); err != nil {
			return usagef("--reference %q is not a YYYY-MM-DD date", *reference)
		}
	}
	if spec.Cancellations, err = rfm.ParseCancelMode(*cancel); err != nil {
		return usagef("%v", err)
	}
	t, err := dataset.ReadFile(pos[0], dataset.Options{})
	if err != nil {
		return err
	}
	res, err := rfm.Compute(t, spec)
	if err != nil {
		return err
	}
	emit := func(w io.Writer) error {
		if *asJSON {
			return encodeJSON(w, res)
		}
		return res.WriteCSV(w)
	}
	rep := res.Report
	fmt.Fprintf(stderr, "rfm: %d customers from %d of %d rows (%d without customer id, %d bad, %d cancellation lines, %d returns); reference %s\n",
		rep.Customers, rep.Used, rep.Rows, rep.NoCustomer, rep.BadRows, rep.Cancellations, rep.Returns, rep.Reference.Format(time.DateOnly))
	if *out != "" {
		return writeAtomic(*out, emit)
	}
	return emit(stdout)
}
