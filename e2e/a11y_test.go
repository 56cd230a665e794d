package e2e

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestKeyboardAndLabels: the drop zone opens the file picker with Enter and
// with Space; after a whole run (the sample, the evidence for k, k-means)
// every input, select and button of the page has an accessible name, and
// the segments are drawn in the Okabe–Ito palette.
func TestKeyboardAndLabels(t *testing.T) {
	ctx := tab(t, 2*time.Minute)
	open(t, ctx)
	if _, err := chromedp.Call(ctx, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	opened := make(chan struct{}, 4)
	evctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		for _, err := range chromedp.Events(evctx, page.FileChooserOpened) {
			if err != nil {
				return
			}
			opened <- struct{}{}
		}
	}()
	for _, key := range []string{"\r", " "} {
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("drop-zone")), chromedp.KeyEvent(key)); err != nil {
			t.Fatal(err)
		}
		select {
		case <-opened:
		case <-time.After(10 * time.Second):
			t.Errorf("key %q on the drop zone did not open the file picker", key)
		}
	}
	// Enter on a button inside the zone does that button's job only.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("sample-data")), chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sample's preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	select {
	case <-opened:
		t.Error("Enter on the sample button also opened the file picker")
	default:
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("suggest"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the evidence", `!!document.getElementById('suggested-k') && document.querySelector('#app').dataset.engine === 'ready'`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "segments", `document.querySelectorAll('#segments [data-segment]').length === 5`)
	unnamed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input, select, button, [role=button]')].filter(el => {
		if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
		if (el.tagName === 'BUTTON') return el.textContent.trim() === '';
		return !el.labels || el.labels.length === 0 || [...el.labels].every(l => l.textContent.trim() === '');
	}).map(el => el.outerHTML.slice(0, 120))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(unnamed) > 0 {
		t.Errorf("controls without an accessible name: %q", unnamed)
	}
	fills, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll('#chart-scatter .points circle')].map(c => c.getAttribute('fill')))]`))
	if err != nil {
		t.Fatal(err)
	}
	okabeIto := []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}
	for _, f := range fills {
		if !slices.Contains(okabeIto, f) {
			t.Errorf("segment colour %s is not in the Okabe–Ito palette", f)
		}
	}
}
