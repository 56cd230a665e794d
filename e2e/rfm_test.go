package e2e

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestRFM: the goal "behaviour" on online_retail_head.csv (the first 39,522
// rows of the UCI online-retail log). The page detects the customer, date,
// invoice, quantity and price columns, builds one row per customer — 860
// customers with a purchase that is not a cancellation (counted
// independently with Python's csv module) — and segments them on recency,
// frequency and monetary value; the labelled download has one row per
// customer. Then the built-in transaction sample loads with the RFM goal.
func TestRFM(t *testing.T) {
	retail := shareddata.Path(t, "online_retail_head.csv")
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{retail})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the goal card", `!!document.getElementById('rfm-form') && document.querySelector('#app').dataset.engine === 'ready'`)
	roles, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(['customer', 'date', 'invoice', 'amount', 'quantity', 'price'].map(r => [r, document.getElementById('rfm-' + r).value]))`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"customer": "CustomerID", "date": "InvoiceDate", "invoice": "InvoiceNo", "amount": "", "quantity": "Quantity", "price": "UnitPrice"}
	for k, v := range want {
		if roles[k] != v {
			t.Errorf("detected %s column %q, want %q", k, roles[k], v)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#run').length`)); n != 0 {
		t.Error("the settings are shown before the RFM table is built")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("rfm-run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the RFM table", `!!document.getElementById('rfm-summary') && !!document.getElementById('run') && document.querySelector('#app').dataset.engine === 'ready'`)
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("rfm-summary")))
	if !strings.HasPrefix(summary, "860 customers from") {
		t.Errorf("summary %q", summary)
	}
	head, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#preview th')].map(th => th.firstChild.textContent)`))
	if len(head) < 4 || head[0] != "customer" || head[1] != "recency" {
		t.Errorf("preview columns %q", head)
	}
	chosen, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#columns input:checked')].map(cb => cb.value)`))
	if strings.Join(chosen, ",") != "recency,frequency,monetary" {
		t.Errorf("columns chosen %q", chosen)
	}
	setNumber(t, ctx, "k", "4")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "four segments", `document.querySelectorAll('#segments [data-segment]').length === 4`)
	if got := segmentSizes(t, ctx); got[0]+got[1]+got[2]+got[3] != 860 {
		t.Errorf("sizes %v do not add up to 860 customers", got)
	}
	screenshot(t, ctx, "8-rfm")
	file := download(t, ctx, t.TempDir(), "download-labels")
	recs, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 861 || recs[0][0] != "customer" || recs[0][len(recs[0])-2] != "segment" {
		t.Errorf("labelled download: %d records, header %q", len(recs), recs[0])
	}

	// The built-in transaction sample: 100 customers' purchases, 91 of them
	// with a purchase that is not a cancellation.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("sample-retail"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sample's goal card", `!!document.getElementById('rfm-form') && !document.getElementById('rfm-summary') && document.querySelector('#app').dataset.engine === 'ready'`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("rfm-run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sample's RFM table", `(document.getElementById('rfm-summary')?.textContent || '').startsWith('91 customers')`)
	// Back to the rows of the file.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("goal-columns"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the log's own rows", `!document.getElementById('rfm-form') && (document.querySelector('#preview th')?.firstChild.textContent === 'InvoiceNo')`)
}
