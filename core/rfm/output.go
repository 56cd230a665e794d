package rfm

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/segkit/segkit/core/dataset"
)

// ColumnNames are the columns of Result.Table and Result.WriteCSV, in order.
var ColumnNames = []string{"customer", "recency", "frequency", "monetary", "tenure", "average_order",
	"r_score", "f_score", "m_score", "rfm_score", "segment_name"}

// Table returns one row per customer, in Result.Customers order, with the
// columns of ColumnNames: customer (identifier); recency, monetary, tenure
// and average_order (float); frequency and the three scores (integer);
// rfm_score and segment_name (categorical). It can go through prep and cluster
// like any table read from a file.
func (r *Result) Table() *dataset.Table {
	n := len(r.Customers)
	num := func(name string, kind dataset.Kind, f func(c *Customer) float64) *dataset.Column {
		col := &dataset.Column{Name: name, Kind: kind, Num: make([]float64, n)}
		for i := range r.Customers {
			col.Num[i] = f(&r.Customers[i])
		}
		return col
	}
	str := func(name string, kind dataset.Kind, f func(c *Customer) string) *dataset.Column {
		col := &dataset.Column{Name: name, Kind: kind, Str: make([]string, n)}
		for i := range r.Customers {
			col.Str[i] = f(&r.Customers[i])
			if col.Str[i] == "" {
				col.Missing++
			}
		}
		return col
	}
	cols := []*dataset.Column{
		str("customer", dataset.KindIdentifier, func(c *Customer) string { return c.ID }),
		num("recency", dataset.KindFloat, func(c *Customer) float64 { return c.Recency }),
		num("frequency", dataset.KindInteger, func(c *Customer) float64 { return float64(c.Frequency) }),
		num("monetary", dataset.KindFloat, func(c *Customer) float64 { return c.Monetary }),
		num("tenure", dataset.KindFloat, func(c *Customer) float64 { return c.Tenure }),
		num("average_order", dataset.KindFloat, func(c *Customer) float64 { return c.AverageOrder }),
		num("r_score", dataset.KindInteger, func(c *Customer) float64 { return float64(c.R) }),
		num("f_score", dataset.KindInteger, func(c *Customer) float64 { return float64(c.F) }),
		num("m_score", dataset.KindInteger, func(c *Customer) float64 { return float64(c.M) }),
		str("rfm_score", dataset.KindCategorical, func(c *Customer) string { return c.Score }),
		str("segment_name", dataset.KindCategorical, func(c *Customer) string { return c.Segment }),
	}
	return &dataset.Table{Columns: cols, Rows: n, Format: dataset.Format{Delimiter: ',', Header: true, Encoding: "utf-8", LineEnding: "LF"}}
}

// WriteCSV writes the customers as comma-separated text with a header row,
// the columns of ColumnNames. Numbers have at most 12 significant digits, so
// sums of amounts print without floating-point noise.
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ColumnNames); err != nil {
		return err
	}
	rec := make([]string, len(ColumnNames))
	for i := range r.Customers {
		c := &r.Customers[i]
		rec[0] = c.ID
		rec[1] = formatFloat(c.Recency)
		rec[2] = strconv.Itoa(c.Frequency)
		rec[3] = formatFloat(c.Monetary)
		rec[4] = formatFloat(c.Tenure)
		rec[5] = formatFloat(c.AverageOrder)
		rec[6] = strconv.Itoa(c.R)
		rec[7] = strconv.Itoa(c.F)
		rec[8] = strconv.Itoa(c.M)
		rec[9] = c.Score
		rec[10] = c.Segment
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', 12, 64)
	if s == "-0" {
		return "0"
	}
	return s
}
