package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/rfm"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// source is the loaded file, kept aside while the engine works on the RFM
// table made from it.
type source struct {
	name  string
	data  []byte
	table *dataset.Table
}

// rfmDefaults are the RFM table's columns chosen as features by default.
var rfmDefaults = []string{"recency", "frequency", "monetary"}

// guessRFM returns the detected columns of a transaction log, or nil when
// the file does not look like one.
func guessRFM(t *dataset.Table) *protocol.RFMParams {
	s := rfm.Detect(t)
	if s.Customer == "" || s.Date == "" || s.Amount == "" && (s.Quantity == "" || s.Price == "") {
		return nil
	}
	return &protocol.RFMParams{Customer: s.Customer, Date: s.Date, Amount: s.Amount, Quantity: s.Quantity, Price: s.Price,
		Invoice: s.Invoice, Cancellations: rfm.Ignore.String()}
}

// rfmRequest turns the loaded transaction log into one row per customer
// (core/rfm) and makes that table the one segmented and downloaded; an
// empty Customer goes back to the file's own rows. Either way it answers
// with the inspection of the table now in use.
func (h *Handler) rfmRequest(req protocol.Request) protocol.Response {
	p := req.RFM
	if p == nil {
		return fail(req, protocol.CodeBadRequest, "rfm: the request has no rfm part")
	}
	if h.table == nil {
		return fail(req, protocol.CodeNoData, "Load a transaction file before computing RFM.")
	}
	if h.orig != nil {
		h.name, h.data, h.table = h.orig.name, h.orig.data, h.orig.table
		h.orig = nil
	}
	h.fit, h.model, h.rowLabels, h.profile, h.names, h.noModel = nil, nil, nil, nil, nil, ""
	if p.Customer == "" {
		return protocol.Response{ID: req.ID, Op: req.Op, Inspect: h.inspection()}
	}
	spec := rfm.Spec{Customer: p.Customer, Date: p.Date, Amount: p.Amount, Quantity: p.Quantity, Price: p.Price, Invoice: p.Invoice, Cancellations: rfm.Ignore}
	if p.Cancellations != "" {
		mode, err := rfm.ParseCancelMode(p.Cancellations)
		if err != nil {
			return fail(req, protocol.CodeBadSetting, fmt.Sprintf("Unknown handling of cancellations %q: choose ignore or netoff.", p.Cancellations))
		}
		spec.Cancellations = mode
	}
	if spec.Amount != "" && (spec.Quantity != "" || spec.Price != "") {
		return fail(req, protocol.CodeBadSetting, "Give either the amount column, or the quantity and price columns, not both.")
	}
	res, err := rfm.Compute(h.table, spec)
	if err != nil {
		code := protocol.CodeBadColumn
		if errors.Is(err, rfm.ErrNoCustomers) {
			code = protocol.CodeNoData
		}
		return fail(req, code, rfmMessage(err))
	}
	var buf bytes.Buffer
	if err := res.WriteCSV(&buf); err != nil {
		return fail(req, protocol.CodeInternal, err.Error())
	}
	// The table clustered is the one the download re-reads: parse the CSV
	// written, so that rows and columns agree exactly.
	t, err := dataset.Read(bytes.NewReader(buf.Bytes()), dataset.Options{})
	if err != nil {
		return fail(req, protocol.CodeInternal, err.Error())
	}
	h.orig = &source{name: h.name, data: h.data, table: h.table}
	h.name, h.data, h.table = h.stem()+"-rfm.csv", buf.Bytes(), t
	rep := res.Report
	sum := &protocol.RFMSummary{Customers: rep.Customers, Rows: rep.Rows, Used: rep.Used, NoCustomer: rep.NoCustomer,
		BadRows: rep.BadRows, Cancellations: rep.Cancellations, Reference: rep.Reference.Format(time.DateOnly), Source: h.orig.name}
	for _, s := range res.Segments {
		sum.Segments = append(sum.Segments, protocol.RFMSegment{Name: s.Name, Count: s.Count, Share: s.Share})
	}
	in := h.inspection()
	for i := range in.Columns {
		c := &in.Columns[i]
		c.Default = false
		for _, d := range rfmDefaults {
			c.Default = c.Default || c.Name == d
		}
	}
	return protocol.Response{ID: req.ID, Op: req.Op, Inspect: in, RFM: sum}
}

// rfmMessage words an rfm error for people.
func rfmMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "rfm: ")
	switch {
	case errors.Is(err, rfm.ErrNotDate):
		return msg + ". Choose the column that holds the date of each purchase."
	case errors.Is(err, rfm.ErrNotNumeric):
		return msg + ". The amount, quantity and price must be numbers."
	case errors.Is(err, rfm.ErrNoCustomers):
		return msg + ": no row has a customer id, a date and an amount that can be read."
	}
	return msg
}
