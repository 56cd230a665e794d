package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/segkit/segkit/internal/shareddata"
)

// colWant is what a test expects of one column.
type colWant struct {
	name    string
	kind    Kind
	missing int    // -1: do not check
	layout  string // for dates
	first   string // Text(0), "" to skip
}

// fileWant is what a test expects of one real file (facts from
// ../shared/data/README.md, checked against the bytes).
type fileWant struct {
	file     string
	rows     int
	cols     int
	delim    rune
	header   bool
	encoding string
	ending   string
	columns  []colWant
	allKind  Kind // if set, every column has this kind
}

var realFiles = []fileWant{
	{
		file: "Mall_Customers.csv", rows: 200, cols: 5, delim: ',', header: true,
		encoding: EncodingUTF8, ending: "CRLF",
		columns: []colWant{
			{"CustomerID", KindIdentifier, 0, "", "0001"},
			{"Genre", KindCategorical, 0, "", "Male"},
			{"Age", KindInteger, 0, "", "19"},
			{"Annual Income (k$)", KindInteger, 0, "", "15"},
			{"Spending Score (1-100)", KindInteger, 0, "", "39"},
		},
	},
	{
		file: "Wholesale customers data.csv", rows: 440, cols: 8, delim: ',', header: true,
		encoding: EncodingUTF8, ending: "CRLF", allKind: KindInteger,
		columns: []colWant{
			{"Channel", KindInteger, 0, "", "2"},
			{"Delicassen", KindInteger, 0, "", "1338"},
		},
	},
	{
		// README says 13,598 empty CustomerIDs; the bytes have 13,759 empty
		// cells (checked with Python's csv module). CustomerID repeats (one
		// row per invoice line) but has 922 distinct values: a key, so an
		// identifier. Description has 123 empty cells and 3 "?" cells, a
		// missing token.
		file: "online_retail_head.csv", rows: 39522, cols: 8, delim: ',', header: true,
		encoding: EncodingWindows1252, ending: "LF",
		columns: []colWant{
			{"InvoiceNo", KindIdentifier, 0, "", "536365"},
			{"StockCode", KindIdentifier, 0, "", "85123A"},
			{"Description", KindText, 126, "", "WHITE HANGING HEART T-LIGHT HOLDER"},
			{"Quantity", KindInteger, 0, "", "6"},
			{"InvoiceDate", KindDate, 0, "02/01/2006 15:04", "01/12/2010 08:26"},
			{"UnitPrice", KindFloat, 0, "", "2.55"},
			{"CustomerID", KindIdentifier, 13759, "", "17850"},
			{"Country", KindCategorical, 0, "", "United Kingdom"},
		},
	},
	{
		file: "CDNOW_sample.txt", rows: 2891, cols: 5, delim: ' ', header: false,
		encoding: EncodingUTF8, ending: "CRCRLF",
		columns: []colWant{
			{"col1", KindIdentifier, 0, "", "00004"},
			{"col2", KindIdentifier, 0, "", "0001"},
			{"col3", KindDate, 0, "20060102", "19970101"},
			{"col4", KindInteger, 0, "", "2"},
			{"col5", KindFloat, 0, "", "29.33"},
		},
	},
	{
		file: "marketing_campaign.csv", rows: 2240, cols: 29, delim: '\t', header: true,
		encoding: EncodingUTF8, ending: "LF",
		columns: []colWant{
			{"ID", KindIdentifier, 0, "", "5524"},
			{"Year_Birth", KindInteger, 0, "", "1957"},
			{"Education", KindCategorical, 0, "", "Graduation"},
			{"Marital_Status", KindCategorical, 0, "", "Single"},
			{"Income", KindInteger, 24, "", "58138"},
			{"Dt_Customer", KindDate, 0, "02-01-2006", "04-09-2012"},
			{"Z_CostContact", KindInteger, 0, "", "3"},
			{"Z_Revenue", KindInteger, 0, "", "11"},
			{"Response", KindInteger, 0, "", "1"},
		},
	},
	{
		file: "CC GENERAL.csv", rows: 8950, cols: 18, delim: ',', header: true,
		encoding: EncodingUTF8, ending: "LF",
		columns: []colWant{
			{"CUST_ID", KindIdentifier, 0, "", "C10001"},
			{"BALANCE", KindFloat, 0, "", "40.900749"},
			{"CREDIT_LIMIT", KindFloat, 1, "", "1000"},
			{"MINIMUM_PAYMENTS", KindFloat, 313, "", "139.509787"},
			{"TENURE", KindInteger, 0, "", "12"},
		},
	},
	{
		file: "WA_Fn-UseC_-Telco-Customer-Churn.csv", rows: 7043, cols: 21, delim: ',', header: true,
		encoding: EncodingUTF8, ending: "CRLF",
		columns: []colWant{
			{"customerID", KindIdentifier, 0, "", "7590-VHVEG"},
			{"SeniorCitizen", KindInteger, 0, "", "0"},
			{"tenure", KindInteger, 0, "", "1"},
			{"MultipleLines", KindCategorical, 0, "", "No phone service"},
			{"MonthlyCharges", KindFloat, 0, "", "29.85"},
			{"TotalCharges", KindFloat, 11, "", "29.85"},
			{"Churn", KindCategorical, 0, "", "No"},
		},
	},
	{
		file: "bank.csv", rows: 4521, cols: 17, delim: ';', header: true,
		encoding: EncodingUTF8, ending: "LF",
		columns: []colWant{
			{"age", KindInteger, 0, "", "30"},
			{"job", KindCategorical, 0, "", "unemployed"},
			{"balance", KindInteger, 0, "", "1787"},
			{"pdays", KindInteger, 0, "", "-1"},
			{"y", KindCategorical, 0, "", "no"},
		},
	},
}

func TestRealFiles(t *testing.T) {
	for _, w := range realFiles {
		t.Run(w.file, func(t *testing.T) {
			path := shareddata.Path(t, w.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tab, err := readBoth(t, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, tab)
			f := tab.Format
			if tab.Rows != w.rows || len(tab.Columns) != w.cols {
				t.Errorf("got %d rows × %d columns, want %d × %d", tab.Rows, len(tab.Columns), w.rows, w.cols)
			}
			if f.Delimiter != w.delim || f.Header != w.header || f.Encoding != w.encoding || f.LineEnding != w.ending || f.BOM {
				t.Errorf("format %+v, want delimiter %q header %v encoding %s ending %s", f, w.delim, w.header, w.encoding, w.ending)
			}
			if tab.SkippedCount != 0 {
				t.Errorf("skipped %d rows: %+v", tab.SkippedCount, tab.Skipped)
			}
			for _, cw := range w.columns {
				c := tab.Column(cw.name)
				if c == nil {
					t.Errorf("no column %q in %q", cw.name, tab.Names())
					continue
				}
				if c.Kind != cw.kind {
					t.Errorf("%s: kind %v, want %v", cw.name, c.Kind, cw.kind)
				}
				if cw.missing >= 0 && c.Missing != cw.missing {
					t.Errorf("%s: %d missing, want %d", cw.name, c.Missing, cw.missing)
				}
				if c.DateLayout != cw.layout {
					t.Errorf("%s: layout %q, want %q", cw.name, c.DateLayout, cw.layout)
				}
				if cw.first != "" && c.Text(0) != cw.first {
					t.Errorf("%s: first cell %q, want %q", cw.name, c.Text(0), cw.first)
				}
			}
			if w.allKind != 0 {
				for _, c := range tab.Columns {
					if c.Kind != w.allKind {
						t.Errorf("%s: kind %v, want %v", c.Name, c.Kind, w.allKind)
					}
				}
			}
			checkAgainstRecords(t, path, tab)
		})
	}
}

// checkAgainstRecords re-reads the file record by record and checks that
// every cell of the table is what the exported value parsers make of the
// raw field: the contract the prep package relies on.
func checkAgainstRecords(t *testing.T, path string, tab *Table) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := NewReader(fh, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Header(); strings.Join(got, "\x00") != strings.Join(tab.Names(), "\x00") {
		t.Errorf("Reader header %q, table names %q", got, tab.Names())
	}
	bad := 0
	row := 0
	for ; ; row++ {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row >= tab.Rows {
			continue
		}
		for j, c := range tab.Columns {
			raw := rec[j]
			ok := true
			switch c.Kind {
			case KindInteger, KindFloat:
				v, isNum := ParseNumber(raw)
				if IsMissingToken(raw) {
					ok = math.IsNaN(c.Num[row])
				} else {
					ok = isNum && v == c.Num[row]
				}
			case KindDate:
				v, isDate := ParseDate(raw, c.DateLayout)
				if IsMissingToken(raw) {
					ok = math.IsNaN(c.Num[row])
				} else {
					ok = isDate && v == c.Num[row] && c.Text(row) == strings.TrimSpace(raw)
				}
			case KindEmpty:
				ok = IsMissingToken(raw)
			default:
				ok = c.Str[row] == CleanText(raw)
			}
			if !ok && bad < 5 {
				bad++
				t.Errorf("line %d column %s (%v): raw %q, table %q", r.Line(), c.Name, c.Kind, raw, c.Text(row))
			}
		}
	}
	if row != tab.Rows {
		t.Errorf("Reader gave %d records, table has %d rows", row, tab.Rows)
	}
}

func TestRealFileDetails(t *testing.T) {
	t.Run("pound sign", func(t *testing.T) {
		tab, err := ReadFile(shareddata.Path(t, "online_retail_head.csv"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range tab.Column("Description").Str {
			if strings.Contains(s, "£") {
				n++
				if s != "Dotcomgiftshop Gift Voucher £40.00" {
					t.Errorf("Description %q", s)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d descriptions with £, want 1", n)
		}
		// Quoted descriptions with commas survive.
		found := false
		for _, s := range tab.Column("Description").Str {
			if strings.Contains(s, ",") {
				found = true
				break
			}
		}
		if !found {
			t.Error("no Description holds a comma")
		}
	})
	t.Run("interned categories", func(t *testing.T) {
		tab, err := ReadFile(shareddata.Path(t, "WA_Fn-UseC_-Telco-Customer-Churn.csv"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		churn := tab.Column("Churn").Str
		yes, no := 0, 0
		var first string
		for _, s := range churn {
			switch s {
			case "Yes":
				yes++
			case "No":
				no++
				if first == "" {
					first = s
				} else if unsafeData(s) != unsafeData(first) {
					t.Fatal("equal categorical values do not share one string")
				}
			}
		}
		if yes != 1869 || no != 5174 {
			t.Errorf("Churn Yes %d / No %d, want 1869 / 5174", yes, no)
		}
	})
	t.Run("mall genre", func(t *testing.T) {
		tab, err := ReadFile(shareddata.Path(t, "Mall_Customers.csv"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		female := 0
		for _, s := range tab.Column("Genre").Str {
			if s == "Female" {
				female++
			}
		}
		if female != 112 {
			t.Errorf("%d Female, want 112", female)
		}
		if got := tab.Column("CustomerID").Text(199); got != "0200" {
			t.Errorf("last CustomerID %q, want 0200", got)
		}
	})
	t.Run("marketing trailing spaces", func(t *testing.T) {
		tab, err := ReadFile(shareddata.Path(t, "marketing_campaign.csv"), Options{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		// Lines 7 and 9 are data rows 5 and 7 (0-based).
		resp := tab.Column("Response")
		if resp.Text(5) != "0" || resp.Text(7) != "0" || resp.Missing != 0 {
			t.Errorf("Response rows 5, 7 = %q, %q (missing %d)", resp.Text(5), resp.Text(7), resp.Missing)
		}
	})
}

// TestBenchData reads every data set of the clustering benchmark battery:
// whitespace separated, no header, all numbers.
func TestBenchData(t *testing.T) {
	idx, err := os.ReadFile(shareddata.Path(t, "bench", "index.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(idx)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, rec := range recs[1:] {
		file, labels := rec[2], rec[3]
		n, _ := strconv.Atoi(rec[4])
		d, _ := strconv.Atoi(rec[5])
		if done[file] {
			continue
		}
		done[file] = true
		t.Run(file, func(t *testing.T) {
			tab := readGz(t, shareddata.Path(t, "bench", file))
			if tab.Rows != n || len(tab.Columns) != d {
				t.Errorf("%d × %d, want %d × %d", tab.Rows, len(tab.Columns), n, d)
			}
			if f := tab.Format; f.Header || (f.Delimiter != ' ' && f.Delimiter != '\t') {
				t.Errorf("format %+v, want whitespace delimited without header", f)
			}
			for _, c := range tab.Columns {
				if !c.Kind.IsNumeric() || c.Missing != 0 {
					t.Errorf("%s: kind %v, %d missing", c.Name, c.Kind, c.Missing)
				}
			}
			// The labels are a single integer column.
			lab := readGz(t, shareddata.Path(t, "bench", labels))
			if lab.Rows != n || len(lab.Columns) != 1 || lab.Columns[0].Kind != KindInteger {
				t.Errorf("labels: %d × %d (%v), want %d × 1 integer", lab.Rows, len(lab.Columns), lab.Columns[0].Kind, n)
			}
		})
	}
	t.Run("specifics", func(t *testing.T) {
		hepta := readGz(t, shareddata.Path(t, "bench", "fcps", "hepta.data.gz"))
		if hepta.Rows != 212 || len(hepta.Columns) != 3 || hepta.Format.Delimiter != '\t' {
			t.Errorf("hepta: %d × %d delimiter %q", hepta.Rows, len(hepta.Columns), hepta.Format.Delimiter)
		}
		for _, c := range hepta.Columns {
			if c.Kind != KindFloat {
				t.Errorf("hepta %s: %v", c.Name, c.Kind)
			}
		}
		if v := hepta.Columns[0].Num[0]; v != -6.327400e-002 {
			t.Errorf("hepta[0][0] = %v", v)
		}
		birch := readGz(t, shareddata.Path(t, "bench", "sipu", "birch2.data.gz"))
		if birch.Format.Delimiter != ' ' || birch.Rows != 100000 || len(birch.Columns) != 2 {
			t.Errorf("birch2: %d × %d delimiter %q", birch.Rows, len(birch.Columns), birch.Format.Delimiter)
		}
		if birch.Columns[0].Num[0] != 58882 || birch.Columns[1].Num[0] != 63168 {
			t.Errorf("birch2 first row %v %v", birch.Columns[0].Num[0], birch.Columns[1].Num[0])
		}
	})
}

func readGz(t *testing.T, path string) *Table {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Read(zr, Options{})
	if err != nil {
		t.Fatal(errors.Join(errors.New(path), err))
	}
	checkInvariants(t, tab)
	return tab
}
