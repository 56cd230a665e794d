package e2e

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestEvidence: on Mall_Customers.csv with the income and spending columns
// the page suggests 5 segments (the textbook answer, and `segkit suggest`'s),
// draws the elbow, silhouette and stability charts with k = 5 marked, says
// why, says that the engine and its helper workers shared the ks, and
// "Use k = 5" sets the number of segments; the elbow chart downloads as an
// SVG file.
func TestEvidence(t *testing.T) {
	mall := shareddata.Path(t, "Mall_Customers.csv")
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	waitHelpers(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{mall})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	chooseColumns(t, ctx, "Annual Income (k$)", "Spending Score (1-100)")
	setNumber(t, ctx, "k", "3")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("suggest"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the evidence", `!!document.getElementById('suggested-k')`)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		K       string   `json:"k"`
		Reasons []string `json:"reasons"`
		Points  []int    `json:"points"`
		Marked  []string `json:"marked"`
		Use     string   `json:"use"`
		Status  string   `json:"status"`
		Cores   int      `json:"cores"`
	}](`({
		k: document.getElementById('suggested-k').textContent,
		reasons: [...document.querySelectorAll('#reasons li')].map(li => li.textContent),
		points: ['chart-elbow', 'chart-silhouette', 'chart-stability'].map(id => document.querySelectorAll('#' + id + ' circle').length),
		marked: ['chart-elbow', 'chart-silhouette', 'chart-stability'].map(id => document.querySelector('#' + id + ' circle[data-marked=true] title')?.textContent || ''),
		use: document.getElementById('use-k').textContent,
		status: document.querySelector('#evidence p.status').textContent,
		cores: navigator.hardwareConcurrency,
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if got.K != "5" || got.Use != "Use k = 5" {
		t.Errorf("suggested %q, button %q; want 5", got.K, got.Use)
	}
	// The ks were shared between the engine and its helpers: the page
	// starts one worker per core, at most 4 (2 on this machine).
	switch workers := min(got.Cores, 4); {
	case workers < 2 && strings.Contains(got.Status, "workers"):
		t.Errorf("status %q on %d core: no helper, so no workers to name", got.Status, got.Cores)
	case workers >= 2 && !strings.HasSuffix(got.Status, fmt.Sprintf(" on %d workers.", workers)):
		t.Errorf("status %q on %d cores, want the suggestion scored on %d workers", got.Status, got.Cores, workers)
	}
	if len(got.Reasons) == 0 || !strings.Contains(got.Reasons[0], "k = 5") || !strings.Contains(got.Reasons[0], "silhouette") {
		t.Errorf("reasons %q", got.Reasons)
	}
	for i, n := range got.Points {
		if n != 9 { // k = 2 … 10
			t.Errorf("chart %d has %d points, want 9", i, n)
		}
		if !strings.HasPrefix(got.Marked[i], "k = 5:") {
			t.Errorf("chart %d marks %q, want k = 5", i, got.Marked[i])
		}
	}
	t.Logf("evidence: %q", got.Status)
	screenshot(t, ctx, "6-evidence")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("use-k"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "k to be 5", `document.getElementById('k').value === '5'`)
	svg := download(t, ctx, t.TempDir(), "download-chart-elbow")
	if !bytes.HasPrefix(svg, []byte("<?xml")) || !bytes.Contains(svg, []byte(`xmlns="http://www.w3.org/2000/svg"`)) || bytes.Count(svg, []byte("<circle")) != 9 {
		t.Errorf("elbow chart download: %.300s", svg)
	}
	// The PNG: the same chart drawn at twice its 300×190 size, with its
	// line in the palette's blue.
	checkPNG(t, download(t, ctx, t.TempDir(), "download-chart-elbow-png"), 600, 380, color.RGBA{0x00, 0x72, 0xB2, 0xff})
}

// checkPNG decodes a downloaded PNG and checks its size and that the chart
// was drawn: some pixels carry want (a colour of the chart, within 10 per
// channel for anti-aliasing), and the image is not one flat colour.
func checkPNG(t *testing.T, b []byte, w, h int, want color.RGBA) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the PNG download does not decode: %v (%.40q)", err, b)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Errorf("PNG is %v, want %dx%d", got, w, h)
	}
	hits, colours := 0, map[color.RGBA]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c] = true
			if near(c.R, want.R) && near(c.G, want.G) && near(c.B, want.B) {
				hits++
			}
		}
	}
	if hits < 20 || len(colours) < 3 {
		t.Errorf("PNG of %d colours has %d pixels of %v: the chart was not drawn", len(colours), hits, want)
	}
}

// near says whether two colour channels differ by at most 10.
func near(a, b uint8) bool { return max(a, b)-min(a, b) <= 10 }
