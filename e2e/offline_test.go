package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOffline: once loaded, the page works with its server gone — it
// reopens from the service worker's copy, the engine starts, and the sample
// is segmented. The page comes from an origin of its own here (offlineHost),
// whose requests the proxy then drops as a gone server would: the network
// is really away for the browser and its service worker, not emulated for
// the page alone.
func TestOffline(t *testing.T) {
	offlineUp.Store(true)
	defer offlineUp.Store(true)
	ctx := tab(t, 3*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+offlineHost+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the engine to be ready", `document.querySelector('#app')?.dataset.engine === 'ready'`)
	// The copy is complete when the service worker controls the page and
	// holds the page's eleven files.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { window.segkitCopy = -1;
		navigator.serviceWorker.ready.then(() => caches.open('segkit-v1')).then((c) => c.keys()).then((k) => { window.segkitCopy = k.length; });
		return true; })()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the offline copy", `window.segkitCopy === 11`)
	offlineUp.Store(false)

	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the page and its engine, offline", `document.querySelector('#app')?.dataset.engine === 'ready' && document.getElementById('file-input') !== null`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("sample-data"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sample's preview, offline", `document.querySelectorAll('#preview tbody tr').length > 0`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "segments, offline", `document.querySelectorAll('#segments [data-segment]').length > 1`)
	// And a fetch that goes to the network really fails (widget.html is a
	// file of the site the service worker leaves alone): the page was served
	// from the copy, not by a server still answering.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { window.segkitNet2 = undefined;
		fetch('widget.html', {cache: 'no-store'}).then(() => 'online', () => 'offline').then((s) => { window.segkitNet2 = s; }); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the probe", `window.segkitNet2 !== undefined`)
	if net, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.segkitNet2`)); net != "offline" {
		t.Errorf("a fetch past the service worker went %s; the server should be gone", net)
	}
}
