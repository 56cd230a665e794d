package main

import (
	"strings"
	"testing"
	"time"

	"github.com/segkit/segkit/internal/benchdata"
)

// TestQualityDoc: a cell more than 0.01 below scikit-learn is marked, the
// summary counts it, and a run of one algorithm keeps the other tables and
// the hand-written notes.
func TestQualityDoc(t *testing.T) {
	e := benchdata.Entry{Battery: "fcps", Name: "hepta", LabelsFile: "fcps/hepta.labels0.gz", N: 212, D: 3, K: 7}
	f := benchdata.Entry{Battery: "uci", Name: "glass", LabelsFile: "uci/glass.labels0.gz", N: 214, D: 9, K: 6}
	cells := []*qualityCell{
		{entry: e, algo: "gmm", ours: []float64{1, 1}, theirs: []float64{1, 1}},
		{entry: f, algo: "gmm", ours: []float64{0.2, 0.3}, theirs: []float64{0.3, 0.3}},
		{entry: e, algo: "hdbscan", settings: "5", ours: []float64{0.9}},
		{entry: f, algo: "hdbscan", settings: "5", oursErr: "refused: too large"},
	}
	fresh := qualityDoc(cells, []string{"gmm", "hdbscan"}, 10, 2, "1.2.1", time.Second)
	gmm := fresh["gmm"]
	for _, want := range []string{"| fcps/hepta/labels0 | 212 | 3 | 7 | 1.0000 | 1.0000 | +0.0000 |",
		"| uci/glass/labels0 | 214 | 9 | 6 | 0.2500 | 0.3000 | **-0.0500** ✗ |",
		"below scikit-learn 1.2.1 − 0.01 on 1 (marked ✗)", "seeds 0…1"} {
		if !strings.Contains(gmm, want) {
			t.Errorf("gmm table lacks %q:\n%s", want, gmm)
		}
	}
	if h := fresh["hdbscan"]; !strings.Contains(h, "| fcps/hepta/labels0 | 212 | 3 | 7 | 5 | 0.9000 |") || !strings.Contains(h, "| refused: too large |") {
		t.Errorf("hdbscan table:\n%s", h)
	}
	old := "# Old title\n\n<!-- quality:kmeans -->\n## k-means\nold k-means table\n<!-- summary kmeans|29|0|+0.0010 -->\n<!-- /quality:kmeans -->\n\n" +
		"<!-- quality:gmm -->\nold gmm table\n<!-- /quality:gmm -->\n\n# Notes\n\nHand-written.\n"
	doc := mergeQualityDoc(old, map[string]string{"gmm": gmm})
	for _, want := range []string{"old k-means table", "| k-means | 29 | 0 | +0.0010 |",
		"| Gaussian mixtures (full covariance) | 2 | 1 | -0.0250 |", "# Notes\n\nHand-written.\n"} {
		if !strings.Contains(doc, want) {
			t.Errorf("merged document lacks %q:\n%s", want, doc)
		}
	}
	if strings.Contains(doc, "old gmm table") || strings.Contains(doc, "# Old title") {
		t.Errorf("merged document keeps what the run replaced:\n%s", doc)
	}
	if strings.Index(doc, "## k-means") > strings.Index(doc, "## Gaussian") {
		t.Error("tables out of order")
	}
}
