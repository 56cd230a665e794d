package main

import "strings"

// algoInfo describes an algorithm for the settings card: its name in the
// protocol, a label, one line on what it does, and which settings it takes.
type algoInfo struct {
	Name  string
	Label string
	Help  string
	K     bool     // takes the number of segments (#k)
	NInit bool     // takes restarts (#n-init)
	Mixed bool     // categorical columns can be features
	Extra []string // further settings: eps, min-samples, metric, min-cluster-size, selection, linkage, threshold, branching, covariance, bandwidth, gamma
}

// algoInfos lists every algorithm of protocol.Algorithms, k-means first (the
// default).
var algoInfos = []algoInfo{
	{Name: "kmeans", Label: "k-means", K: true, NInit: true,
		Help: "Splits the customers into k groups around their averages: fast, and the usual first choice."},
	{Name: "minibatch-kmeans", Label: "Mini-batch k-means", K: true, NInit: true,
		Help: "k-means on small random batches of rows: for very large files, a little less exact."},
	{Name: "gmm", Label: "Gaussian mixture", K: true, NInit: true, Extra: []string{"covariance"},
		Help: "Soft, elliptical segments: each customer belongs to every segment with a probability."},
	{Name: "dbscan", Label: "DBSCAN (density)", Extra: []string{"eps", "min-samples", "metric"},
		Help: "Finds dense groups by itself and leaves isolated customers out as noise; you set the radius."},
	{Name: "hdbscan", Label: "HDBSCAN (density, varying)", Extra: []string{"min-cluster-size", "min-samples", "selection", "metric"},
		Help: "Like DBSCAN, but copes with groups of different density; you set the smallest segment."},
	{Name: "agglomerative", Label: "Agglomerative (hierarchical)", K: true, Extra: []string{"linkage"},
		Help: "Merges the closest customers step by step and cuts the family tree (shown as a dendrogram) into k segments."},
	{Name: "birch", Label: "BIRCH", K: true, Extra: []string{"threshold", "branching"},
		Help: "Summarises the customers in small subclusters, then groups those into k: for large files."},
	{Name: "meanshift", Label: "Mean-shift", Extra: []string{"bandwidth"},
		Help: "Finds the peaks of customer density; the number of segments follows from the bandwidth."},
	{Name: "kprototypes", Label: "k-prototypes (numbers and categories)", K: true, NInit: true, Mixed: true, Extra: []string{"gamma"},
		Help: "k-means for numbers and categories together (such as gender or region): tick category columns too."},
	{Name: "kmedoids", Label: "k-medoids (numbers and categories)", K: true, Mixed: true,
		Help: "Segments around real customers, on a distance that mixes numbers and categories (Gower); up to 10,000 rows."},
}

// algo returns the description of the named algorithm (k-means when unknown).
func algo(name string) algoInfo {
	for _, a := range algoInfos {
		if a.Name == name {
			return a
		}
	}
	return algoInfos[0]
}

// has reports whether the algorithm takes the named further setting.
func (a algoInfo) has(setting string) bool {
	for _, s := range a.Extra {
		if s == setting {
			return true
		}
	}
	return false
}

// algoLabel is the label of a fitted model's algorithm as the engine names
// it ("agglomerative-ward" is agglomerative's).
func algoLabel(fitted string) string {
	for _, a := range algoInfos {
		if fitted == a.Name || strings.HasPrefix(fitted, a.Name+"-") {
			return a.Label
		}
	}
	return fitted
}
