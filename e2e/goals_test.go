package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/shareddata"
)

// evalJS evaluates a JavaScript expression and fails the test on an error.
func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// upload gives the page a file through #file-input and waits for the goal
// card.
func upload(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{path})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the goal card", `!!document.getElementById('goal-columns') && document.querySelector('#app').dataset.engine === 'ready'`)
}

// goalStates returns, per goal radio id, "" when it can be chosen, else the
// reason shown beside it.
func goalStates(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	return evalJS[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('#goal input[type=radio]')].map(r =>
		[r.id, r.disabled ? (document.getElementById(r.id + '-why')?.textContent || 'disabled, no reason shown') : '']))`)
}

// checkedColumns are the columns ticked in step 3.
func checkedColumns(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `[...document.querySelectorAll('#columns input:checked')].map(cb => cb.value)`)
}

// segmentsByName maps each segment card's name to its size.
func segmentsByName(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	return evalJS[map[string]int](t, ctx, `Object.fromEntries([...document.querySelectorAll('#segments [data-segment]')].map(e => [e.querySelector('input.segment-name').value, +e.dataset.size]))`)
}

// TestGoalDemographic: on Mall_Customers.csv the demographic goal ticks
// Genre, Age and Annual Income (k$) — not the spending score, not the
// customer id — proposes k-prototypes (Genre is a category) and segments
// the 200 customers on them.
func TestGoalDemographic(t *testing.T) {
	mall := shareddata.Path(t, "Mall_Customers.csv")
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	upload(t, ctx, mall)
	states := goalStates(t, ctx)
	if states["goal-demographic"] != "" || states["goal-columns"] != "" || !strings.Contains(states["goal-geo-location"], "No latitude and longitude columns") {
		t.Errorf("goal states %q: want demographic available, location disabled for want of coordinates", states)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("goal-demographic"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the demographic note", `!!document.getElementById('goal-note')`)
	want := []string{"Genre", "Age", "Annual Income (k$)"}
	if got := checkedColumns(t, ctx); !slices.Equal(got, want) {
		t.Errorf("columns ticked %q, want %q", got, want)
	}
	if a := evalJS[string](t, ctx, `document.getElementById('algorithm').value`); a != "kprototypes" {
		t.Errorf("method %q, want kprototypes for a category among the columns", a)
	}
	if note := evalJS[string](t, ctx, `document.getElementById('goal-note').textContent`); !strings.Contains(note, "Genre, Age, Annual Income (k$)") {
		t.Errorf("note %q does not name the columns", note)
	}
	setNumber(t, ctx, "k", "4")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "four segments", `document.querySelectorAll('#segments [data-segment]').length === 4`)
	sizes := segmentSizes(t, ctx)
	if sizes[0]+sizes[1]+sizes[2]+sizes[3] != 200 || sizes[0] == 0 {
		t.Errorf("sizes %v: want four non-empty segments of the 200 customers", sizes)
	}
	metrics := evalJS[string](t, ctx, `document.getElementById('metrics').textContent`)
	if !strings.Contains(metrics, "on Genre, Age, Annual Income (k$)") {
		t.Errorf("metrics %q: want the fit on the demographic columns", metrics)
	}
	screenshot(t, ctx, "goal-demographic")
}

// TestGoalRegion: the built-in Wholesale sample grouped by Region — the
// UCI's documented counts, Lisbon (1) 77, Oporto (2) 47, Other region (3)
// 316 — as three cards named after the groups; the labelled download's
// segment_name is the region, and the model download says there is none.
func TestGoalRegion(t *testing.T) {
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("sample-data"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the goal card", `!!document.getElementById('goal-columns') && document.querySelector('#app').dataset.engine === 'ready'`)
	states := goalStates(t, ctx)
	if states["goal-geo-region"] != "" || !strings.Contains(states["goal-demographic"], "No column is named like age") || !strings.Contains(states["goal-geo-location"], "No latitude") {
		t.Errorf("goal states %q: want region available, demographic and location disabled with reasons", states)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("goal-geo-region"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the region form", `!!document.getElementById('group-column')`)
	if col := evalJS[string](t, ctx, `document.getElementById('group-column').value`); col != "Region" {
		t.Errorf("group by %q, want Region (named like a place)", col)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#algorithm, #k, #scale').length`); n != 0 {
		t.Errorf("%d clustering settings shown for rule-based groups", n)
	}
	if cols := checkedColumns(t, ctx); slices.Contains(cols, "Region") || !slices.Contains(cols, "Fresh") {
		t.Errorf("columns to compare %q: want the others, not Region", cols)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "three groups", `document.querySelectorAll('#segments [data-segment]').length === 3`)
	want := map[string]int{"Region 3": 316, "Region 1": 77, "Region 2": 47}
	if got := segmentsByName(t, ctx); len(got) != 3 || got["Region 3"] != 316 || got["Region 1"] != 77 || got["Region 2"] != 47 {
		t.Errorf("groups %v, want %v", got, want)
	}
	if metrics := evalJS[string](t, ctx, `document.getElementById('metrics').textContent`); !strings.Contains(metrics, "no model") {
		t.Errorf("metrics %q do not say there is no model", metrics)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#profile-table tbody tr, .profile tbody tr').length`); n == 0 {
		t.Error("no profile table of the groups")
	}
	screenshot(t, ctx, "goal-region")
	file := download(t, ctx, t.TempDir(), "download-labels")
	recs, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 441 || recs[0][1] != "Region" || recs[0][len(recs[0])-1] != "segment_name" {
		t.Fatalf("labelled download: %d records, header %q", len(recs), recs[0])
	}
	count := map[string]int{}
	for _, r := range recs[1:] {
		if name := r[len(r)-1]; name != "Region "+r[1] {
			t.Fatalf("row %q: segment_name %q, want Region %s", r, name, r[1])
		}
		count[r[len(r)-1]]++
	}
	for name, n := range want {
		if count[name] != n {
			t.Errorf("labelled rows: %d in %s, want %d", count[name], name, n)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("download-model"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the no-model message", `document.getElementById('error')?.textContent.includes('no clustering model')`)
}

// TestGoalLocation: testdata/stores.csv (made by testdata/stores_gen.go)
// has 30 stores around London, 20 around Paris, 12 around Madrid and 5
// alone: the location goal finds the latitude and longitude, runs DBSCAN
// with the haversine metric and a 5 km radius, and shows 30, 20 and 12
// with 5 noise — the same labels as `segkit cluster --algo dbscan --metric
// haversine --eps 5` on the file.
func TestGoalLocation(t *testing.T) {
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	stores, err := filepath.Abs("../testdata/stores.csv")
	if err != nil {
		t.Fatal(err)
	}
	upload(t, ctx, stores)
	if states := goalStates(t, ctx); states["goal-geo-location"] != "" || states["goal-geo-region"] != "" {
		t.Errorf("goal states %q: want both geographic goals available", states)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("goal-geo-location"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the radius in km", `!!document.getElementById('eps') && document.getElementById('metric')?.value === 'haversine'`)
	if got := checkedColumns(t, ctx); !slices.Equal(got, []string{"latitude", "longitude"}) {
		t.Errorf("columns %q, want latitude, longitude", got)
	}
	settings := evalJS[[]string](t, ctx, `[document.getElementById('algorithm').value, document.getElementById('eps').value, document.querySelector('label[for=eps]').textContent, String(!!document.getElementById('scale'))]`)
	if settings[0] != "dbscan" || settings[1] != "5" || !strings.Contains(settings[2], "km") || settings[3] != "false" {
		t.Errorf("method, radius, its label, scaling shown: %q; want dbscan, 5, in km, no scaling", settings)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "three segments", `document.querySelectorAll('#segments [data-segment]').length === 3`)
	if got := segmentSizes(t, ctx); !slices.Equal(got, []int{12, 20, 30}) {
		t.Errorf("sizes %v, want 12, 20, 30", got)
	}
	if metrics := evalJS[string](t, ctx, `document.getElementById('metrics').textContent`); !strings.Contains(metrics, "5 rows (7.5%) in no segment (noise)") {
		t.Errorf("metrics %q: want the 5 noise stores", metrics)
	}
	screenshot(t, ctx, "goal-location")
	file := download(t, ctx, t.TempDir(), "download-labels")
	recs, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var page []string
	for _, r := range recs[1:] {
		page = append(page, r[len(r)-2])
	}
	cmd := exec.Command("go", "run", "./cmd/segkit", "cluster", "testdata/stores.csv", "--algo", "dbscan", "--metric", "haversine", "--eps", "5", "--labels-only")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("segkit cluster: %v", err)
	}
	if cli := strings.Fields(string(out)); !slices.Equal(page, cli) {
		t.Errorf("the page's labels differ from segkit cluster's:\npage %v\ncli  %v", page, cli)
	}
}
