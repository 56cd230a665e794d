package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// qualityFamily describes one algorithm's table in docs/quality.md.
type qualityFamily struct {
	title    string
	settings string // the settings column's heading, "" for none
	method   string // how both tools are run
	peer     bool   // scikit-learn 1.2.1 has the algorithm
}

var qualityFamilies = map[string]qualityFamily{
	"kmeans": {"k-means", "", "`cluster.KMeans{K: k, NInit: 10, Seed: s}` and `KMeans(k, n_init=10, random_state=s)` (k-means++, " +
		"Lloyd, tol 1e-4), seeds 0…S−1; means over the seeds.", true},
	"gmm": {"Gaussian mixtures (full covariance)", "", "`cluster.GaussianMixture{K: k, Seed: s}` and " +
		"`GaussianMixture(k, covariance_type=\"full\", random_state=s)` (k-means start, n_init 1, tol 1e-3, reg_covar 1e-6), " +
		"seeds 0…S−1; means over the seeds.", true},
	"dbscan": {"DBSCAN", "eps, min_samples", "`cluster.DBSCAN{Eps, MinSamples}` and `DBSCAN(eps, min_samples)` with the " +
		"settings of `core/cluster/testdata/density_quality.json`: eps from the knee of the k-distance curve with " +
		"`min_samples = max(4, 2d)` (16 above 8-D), or — *tuned* — the best of a small grid searched once with " +
		"scikit-learn against the reference labels.", true},
	"meanshift": {"Mean-shift", "bandwidth", "`cluster.MeanShift{Bandwidth}` and `MeanShift(bandwidth, bin_seeding=True)`; " +
		"the bandwidth is estimated (scikit-learn's `estimate_bandwidth`, quantile 0.3) except on sets over 10,000 rows, " +
		"where both tools get the value fixed in `density_quality.json`.", true},
	"hdbscan": {"HDBSCAN", "min_cluster_size", "`cluster.HDBSCAN{MinClusterSize}` (min_samples = min_cluster_size, " +
		"excess of mass) with `min_cluster_size = max(5, n/100)`. HDBSCAN is not in scikit-learn 1.2.1: the ARI is " +
		"against the published labels only.", false},
	"ward": {"Agglomerative, ward", "", "`cluster.Agglomerative{K: k, Linkage: \"ward\"}` and " +
		"`AgglomerativeClustering(k, linkage=\"ward\")`; sets above segkit's bound (50,000 rows) are skipped.", true},
	"complete": {"Agglomerative, complete", "", "As ward, `linkage=\"complete\"`; bound 16,384 rows.", true},
	"average":  {"Agglomerative, average", "", "As ward, `linkage=\"average\"`; bound 16,384 rows.", true},
	"single":   {"Agglomerative, single", "", "As ward, `linkage=\"single\"`; bound 50,000 rows.", true},
	"birch": {"BIRCH", "threshold", "`cluster.Birch{K: k, Threshold}` and `Birch(n_clusters=k, threshold)` " +
		"(branching factor 50, global step Ward on the subcluster centroids); threshold 0.5, except on the three " +
		"100,000-row sets whose coordinates are in the hundreds of thousands.", true},
	"kprototypes": {"k-prototypes", "", "scikit-learn has no k-prototypes; on these purely numeric sets k-prototypes " +
		"is k-means, so the peer is `KMeans(k, n_init=10, random_state=s)` (the k-means table's): " +
		"`cluster.KPrototypes{K: k, NInit: 10, Seed: s}`, seeds 0…S−1; sets above 50,000 rows are skipped (k-prototypes " +
		"has no pruning bounds: minutes at k = 100; there it is the k-means table).", true},
	"kmedoids": {"Gower k-medoids", "", "`cluster.KMedoids{K: k}` (FasterPAM from BUILD on Gower distance, i.e. " +
		"range-normalised Manhattan on these numeric sets; at most 10,000 rows). scikit-learn 1.2.1 has no k-medoids: " +
		"the ARI is against the published labels only (a different objective from k-means').", false},
}

// qualityTolerance is how far below scikit-learn's ARI a cell may be.
const qualityTolerance = 0.01

// qualityDoc renders the tables of the algorithms run, each between markers
// so that a later run of some algorithms keeps the others' tables.
func qualityDoc(cells []*qualityCell, algos []string, nInit, seeds int, version string, took time.Duration) map[string]string {
	out := map[string]string{}
	date := time.Now().UTC().Format("2006-01-02")
	for _, a := range algos {
		f := qualityFamilies[a]
		var b strings.Builder
		fmt.Fprintf(&b, "<!-- quality:%s -->\n## %s\n\n%s", a, f.title, strings.ReplaceAll(f.method, "S−1", fmt.Sprint(seeds-1)))
		if strings.Contains(f.method, "NInit: 10") && nInit != 10 {
			fmt.Fprintf(&b, " (This run: n_init %d.)", nInit)
		}
		fmt.Fprintf(&b, " Measured %s.\n\n", date)
		head := "| set | n | d | k |"
		rule := "|---|---:|---:|---:|"
		if f.settings != "" {
			head += " " + f.settings + " |"
			rule += "---|"
		}
		if f.peer {
			head += " segkit | scikit-learn | Δ |"
			rule += "---:|---:|---:|"
		} else {
			head += " segkit ARI |"
			rule += "---:|"
		}
		fmt.Fprintf(&b, "%s\n%s\n", head, rule)
		compared, below := 0, 0
		sumDelta := 0.0
		for _, c := range cells {
			if c.algo != a {
				continue
			}
			e := c.entry
			fmt.Fprintf(&b, "| %s | %d | %d | %d |", e.ID(), e.N, e.D, e.K)
			if f.settings != "" {
				fmt.Fprintf(&b, " %s |", c.settings)
			}
			ours := ariText(c.ours, c.oursErr)
			if !f.peer {
				fmt.Fprintf(&b, " %s |\n", ours)
				continue
			}
			theirs := ariText(c.theirs, c.peerErr)
			delta := "—"
			if len(c.ours) > 0 && len(c.theirs) > 0 {
				d := mean(c.ours) - mean(c.theirs)
				compared++
				sumDelta += d
				delta = fmt.Sprintf("%+.4f", d)
				if d < -qualityTolerance {
					below++
					delta = "**" + delta + "** ✗"
				}
			}
			fmt.Fprintf(&b, " %s | %s | %s |\n", ours, theirs, delta)
		}
		if f.peer {
			md := 0.0
			if compared > 0 {
				md = sumDelta / float64(compared)
			}
			fmt.Fprintf(&b, "\nCompared on %d sets; below scikit-learn %s − %.2f on %d (marked ✗); mean Δ %+.4f.\n",
				compared, version, qualityTolerance, below, md)
			fmt.Fprintf(&b, "<!-- summary %s|%d|%d|%+.4f -->\n", a, compared, below, md)
		} else {
			fmt.Fprintf(&b, "<!-- summary %s|-|-|- -->\n", a)
		}
		fmt.Fprintf(&b, "<!-- /quality:%s -->\n", a)
		out[a] = b.String()
	}
	fmt.Printf("quality: %d tables in %.0f s\n", len(out), took.Seconds())
	return out
}

// ariText is a mean ARI, or why there is none.
func ariText(v []float64, why string) string {
	switch {
	case len(v) > 0:
		return fmt.Sprintf("%.4f", mean(v))
	case why != "":
		return why
	}
	return "—"
}

var (
	blockRE   = regexp.MustCompile(`(?s)<!-- quality:([a-z]+) -->.*?<!-- /quality:[a-z]+ -->\n`)
	summaryRE = regexp.MustCompile(`<!-- summary ([a-z]+)\|([^|]+)\|([^|]+)\|([^ ]+) -->`)
)

// notesHeading starts the hand-written part of docs/quality.md, kept as it
// is.
const notesHeading = "# Notes"

// mergeQualityDoc writes the new tables, keeps the other algorithms' tables
// and the notes from the old file, and puts the summary on top.
func mergeQualityDoc(old string, fresh map[string]string) string {
	blocks := map[string]string{}
	for _, m := range blockRE.FindAllStringSubmatch(old, -1) {
		blocks[m[1]] = m[0]
	}
	for a, b := range fresh {
		blocks[a] = b
	}
	var body strings.Builder
	for _, a := range qualityAlgos {
		if b, ok := blocks[a]; ok {
			body.WriteString(b + "\n")
		}
	}
	var doc strings.Builder
	doc.WriteString("# Clustering quality on the labelled benchmark sets\n\n")
	doc.WriteString("Made by `go run ./cmd/build quality` (`-algos` to rerun some algorithms: the other tables are kept;\n")
	doc.WriteString("`-sets`, `-seeds`, `-n-init`). Every algorithm of the suite runs on every labelled set of\n")
	doc.WriteString("Gagolewski's benchmark suite v1 (`../shared/data/bench/index.csv`), segkit in Go and scikit-learn\n")
	doc.WriteString("1.2.1 (`scripts/quality_peer.py`, Debian's `python3-sklearn`) with the same settings on the raw\n")
	doc.WriteString("coordinates, k the number of reference classes, and each partition is scored against the\n")
	doc.WriteString("published one with the adjusted Rand index (noise points, label 0, count as their own class).\n")
	doc.WriteString("The bar (issue 3): segkit's ARI is at least scikit-learn's − 0.01; a cell below it is marked ✗.\n")
	doc.WriteString("Speed is in [performance.md](performance.md), not here.\n\n")
	doc.WriteString("| algorithm | sets compared with scikit-learn | below −0.01 | mean Δ |\n|---|---:|---:|---:|\n")
	for _, a := range qualityAlgos {
		b, ok := blocks[a]
		if !ok {
			continue
		}
		m := summaryRE.FindStringSubmatch(b)
		if m == nil {
			continue
		}
		if m[2] == "-" {
			fmt.Fprintf(&doc, "| %s | no scikit-learn 1.2.1 peer (ARI against the published labels only) | | |\n", qualityFamilies[a].title)
			continue
		}
		fmt.Fprintf(&doc, "| %s | %s | %s | %s |\n", qualityFamilies[a].title, m[2], m[3], m[4])
	}
	doc.WriteString("\n" + body.String())
	if i := strings.Index(old, notesHeading); i >= 0 {
		doc.WriteString(old[i:])
	} else {
		doc.WriteString(notesHeading + "\n")
	}
	return doc.String()
}
