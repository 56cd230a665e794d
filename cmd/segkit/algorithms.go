package main

import (
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/segkit/segkit/core/cluster"
)

// algoFlags are the algorithm settings of `segkit cluster`.
type algoFlags struct {
	name                *string
	k, nInit            *int
	seed                *uint64
	eps                 *float64
	minSamples          *int
	metric              *string
	minClusterSize      *int
	selection           *string
	linkage             *string
	distanceThreshold   *float64
	threshold           *float64
	branching           *int
	global              *string
	covariance          *string
	bandwidth, regCovar *float64
	gamma               *float64
}

// algorithm describes one algorithm of the CLI.
type algorithm struct {
	summary string
	needsK  bool // --k is required
	// newFitter makes the fitter; categorical marks the features that are
	// category codes (only the mixed algorithms get any).
	newFitter func(f *algoFlags, categorical []bool) cluster.Fitter
	mixed     bool // categorical columns are features, as codes
}

// algorithms lists every algorithm `segkit cluster --algo` runs.
var algorithms = map[string]algorithm{
	"kmeans": {"k-means (k-means++, restarts)", true, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.KMeans{K: *f.k, NInit: *f.nInit, Seed: *f.seed}
	}, false},
	"minibatch-kmeans": {"mini-batch k-means for very large files", true, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.MiniBatchKMeans{K: *f.k, NInit: *f.nInit, Seed: *f.seed}
	}, false},
	"dbscan": {"density-based; finds the number of segments and marks noise (-1); --eps, --min-samples, --metric", false, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.DBSCAN{Eps: *f.eps, MinSamples: *f.minSamples, Metric: cluster.Metric(*f.metric)}
	}, false},
	"hdbscan": {"hierarchical density-based; --min-cluster-size, --min-samples, --selection", false, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.HDBSCAN{MinClusterSize: *f.minClusterSize, MinSamples: *f.minSamples, Selection: *f.selection, Metric: cluster.Metric(*f.metric)}
	}, false},
	"meanshift": {"modes of the density; --bandwidth (estimated when 0)", false, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.MeanShift{Bandwidth: *f.bandwidth, Seed: *f.seed}
	}, false},
	"gmm": {"Gaussian mixture by EM; --covariance full|tied|diag|spherical", true, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.GaussianMixture{K: *f.k, Covariance: *f.covariance, RegCovar: *f.regCovar, NInit: *f.nInit, Seed: *f.seed}
	}, false},
	"agglomerative": {"hierarchical; --linkage ward|complete|average|single, --k or --distance-threshold", false, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.Agglomerative{K: *f.k, DistanceThreshold: *f.distanceThreshold, Linkage: *f.linkage}
	}, false},
	"kprototypes": {"mixed numeric and categorical columns: k-prototypes (Huang); --k, --gamma", true, func(f *algoFlags, cat []bool) cluster.Fitter {
		return &cluster.KPrototypes{K: *f.k, Categorical: cat, Gamma: *f.gamma, NInit: *f.nInit, Seed: *f.seed}
	}, true},
	"kmedoids": {"mixed numeric and categorical columns: k-medoids (FasterPAM) on Gower distance, up to 10,000 rows; --k", true, func(f *algoFlags, cat []bool) cluster.Fitter {
		return &cluster.KMedoids{K: *f.k, Categorical: cat, Seed: *f.seed}
	}, true},
	"birch": {"CF-tree for large files; --threshold, --branching, --k (0: one segment per subcluster)", false, func(f *algoFlags, _ []bool) cluster.Fitter {
		return &cluster.Birch{Threshold: *f.threshold, BranchingFactor: *f.branching, K: *f.k, Global: *f.global, Seed: *f.seed}
	}, false},
}

func algorithmNames() []string {
	names := make([]string, 0, len(algorithms))
	for n := range algorithms {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// addAlgoFlags registers --algo and the settings of every algorithm.
func addAlgoFlags(fs *flag.FlagSet) *algoFlags {
	return &algoFlags{
		name:              fs.String("algo", "kmeans", "algorithm: "+strings.Join(algorithmNames(), ", ")),
		k:                 fs.Int("k", 0, "number of segments (kmeans, minibatch-kmeans, gmm; agglomerative unless --distance-threshold; birch's global step)"),
		nInit:             fs.Int("n-init", 0, "restarts, the best run is kept (0 = the algorithm's default: 10 for k-means, 1 for gmm)"),
		seed:              fs.Uint64("seed", 1, "random seed; the same seed gives the same segments everywhere"),
		eps:               fs.Float64("eps", 0, "dbscan: neighbourhood radius in scaled units (km with --metric haversine); 0 = 0.5"),
		minSamples:        fs.Int("min-samples", 0, "dbscan, hdbscan: neighbours (the point included) that make a core point; 0 = 5 (hdbscan: --min-cluster-size)"),
		metric:            fs.String("metric", "euclidean", "dbscan, hdbscan: euclidean, manhattan, or haversine (two columns latitude, longitude in degrees; use --scale none)"),
		minClusterSize:    fs.Int("min-cluster-size", 0, "hdbscan: smallest segment; 0 = 5"),
		selection:         fs.String("selection", "eom", "hdbscan: eom (excess of mass) or leaf"),
		linkage:           fs.String("linkage", "ward", "agglomerative: ward, complete, average or single"),
		distanceThreshold: fs.Float64("distance-threshold", 0, "agglomerative: cut the dendrogram at this height instead of --k"),
		threshold:         fs.Float64("threshold", 0, "birch: subcluster radius in scaled units; 0 = 0.5"),
		branching:         fs.Int("branching", 0, "birch: branching factor; 0 = 50"),
		global:            fs.String("global", "agglomerative", "birch: global step over the subclusters, agglomerative or kmeans"),
		covariance:        fs.String("covariance", "full", "gmm: full, tied, diag or spherical"),
		bandwidth:         fs.Float64("bandwidth", 0, "meanshift: kernel radius in scaled units; 0 = estimated as scikit-learn's estimate_bandwidth"),
		regCovar:          fs.Float64("reg-covar", 0, "gmm: added to the covariance diagonals; 0 = 1e-6"),
		gamma:             fs.Float64("gamma", 0, "kprototypes: weight of a category mismatch against squared scaled distances; 0 = half the mean standard deviation of the numeric features"),
	}
}

// check validates the algorithm settings (usage errors) and returns the algorithm.
func (f *algoFlags) check() (algorithm, error) {
	a, ok := algorithms[*f.name]
	if !ok {
		return a, usagef("unknown --algo %q: available are %s", *f.name, strings.Join(algorithmNames(), ", "))
	}
	switch {
	case a.needsK && *f.k <= 0:
		return a, usagef("--algo %s needs --k, a positive number of segments", *f.name)
	case *f.k < 0:
		return a, usagef("--k must not be negative")
	case *f.name == "agglomerative" && (*f.k > 0) == (*f.distanceThreshold > 0):
		return a, usagef("--algo agglomerative needs exactly one of --k and --distance-threshold")
	case *f.nInit < 0:
		return a, usagef("--n-init must not be negative")
	}
	if !slices.Contains([]string{"euclidean", "manhattan", "haversine"}, *f.metric) {
		return a, usagef("unknown --metric %q: euclidean, manhattan or haversine", *f.metric)
	}
	return a, nil
}

// describeAlgorithms is the help text listing the algorithms.
func describeAlgorithms() string {
	var b strings.Builder
	for _, n := range algorithmNames() {
		fmt.Fprintf(&b, "  %-17s %s\n", n, algorithms[n].summary)
	}
	return b.String()
}
