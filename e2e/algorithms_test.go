package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/shareddata"
)

// selectValue picks an option of a select by its value, as a person would
// (the page sees a change event).
func selectValue(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID(id), value)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('`+id+`').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
}

// TestAlgorithms: the settings card offers every algorithm, each with its
// settings and one line of explanation. On Mall_Customers.csv (income and
// spending) agglomerative Ward with k = 5 gives scikit-learn's segments
// (21, 23, 32, 39, 85 customers) and a dendrogram; DBSCAN with eps 0.3 and
// 5 neighbours finds scikit-learn's 7 segments and 35 noise rows.
func TestAlgorithms(t *testing.T) {
	mall := shareddata.Path(t, "Mall_Customers.csv")
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{mall})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	chooseColumns(t, ctx, "Annual Income (k$)", "Spending Score (1-100)")
	options, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#algorithm option')].map(o => o.value)`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kmeans", "minibatch-kmeans", "gmm", "dbscan", "hdbscan", "agglomerative", "birch", "meanshift", "kprototypes", "kmedoids"}
	if !slices.Equal(options, want) {
		t.Errorf("algorithms offered %q, want %q", options, want)
	}

	selectValue(t, ctx, "algorithm", "agglomerative")
	waitJS(t, ctx, "the linkage setting", `!!document.getElementById('linkage') && !document.getElementById('n-init')`)
	help, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("algorithm-help")))
	if !strings.Contains(help, "dendrogram") {
		t.Errorf("explanation %q", help)
	}
	setNumber(t, ctx, "k", "5")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the dendrogram", `document.querySelectorAll('#segments [data-segment]').length === 5 && !!document.getElementById('chart-dendrogram')`)
	if got := segmentSizes(t, ctx); !slices.Equal(got, []int{21, 23, 32, 39, 85}) {
		t.Errorf("Ward sizes %v, scikit-learn 21 23 32 39 85", got)
	}
	leaves, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chart-dendrogram .leaves circle').length`))
	merges, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chart-dendrogram .merges path').length`))
	if leaves != 40 || merges != 39 {
		t.Errorf("dendrogram with %d leaves and %d merges, want 40 and 39", leaves, merges)
	}
	screenshot(t, ctx, "7-agglomerative")

	selectValue(t, ctx, "algorithm", "dbscan")
	waitJS(t, ctx, "the radius setting", `!!document.getElementById('eps') && !document.getElementById('k')`)
	setNumber(t, ctx, "eps", "0.3")
	setNumber(t, ctx, "min-samples", "5")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "DBSCAN's segments", `document.querySelectorAll('#segments [data-segment]').length === 7`)
	if got := segmentSizes(t, ctx); !slices.Equal(got, []int{5, 7, 9, 12, 14, 30, 88}) {
		t.Errorf("DBSCAN sizes %v, scikit-learn 5 7 9 12 14 30 88", got)
	}
	metrics, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("metrics")))
	if !strings.Contains(metrics, "35 rows (17.5%) in no segment") {
		t.Errorf("metrics %q should count 35 noise rows", metrics)
	}
	// Noise is grey in the scatter: 8 colours for 7 segments and noise.
	colours, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`new Set([...document.querySelectorAll('#chart-scatter .points circle')].map(c => c.getAttribute('fill'))).size`))
	if colours != 8 {
		t.Errorf("%d colours in the scatter, want 8", colours)
	}

	// A bad setting is refused next to the settings.
	setNumber(t, ctx, "eps", "0")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the error", `!!document.querySelector('section[aria-labelledby="settings-h"] #error')`)
}
