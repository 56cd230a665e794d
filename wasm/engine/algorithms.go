package engine

import (
	"slices"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// algorithm is how the engine runs one of protocol.Algorithms.
type algorithm struct {
	needsK bool // K is required
	usesK  bool // K is used when given (birch's global step)
	mixed  bool // categorical columns are features, as codes
	// fitter makes the settings; categorical marks the category-code
	// features and progress receives the algorithm's reports.
	fitter func(p *protocol.FitParams, categorical []bool, progress func(cluster.Progress)) cluster.Fitter
}

// algorithms are the algorithms of the page, with the CLI's defaults.
var algorithms = map[string]algorithm{
	"kmeans": {needsK: true, fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.KMeans{K: p.K, NInit: p.NInit, Seed: p.Seed, Progress: pr}
	}},
	"minibatch-kmeans": {needsK: true, fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.MiniBatchKMeans{K: p.K, NInit: p.NInit, Seed: p.Seed, Progress: pr}
	}},
	"gmm": {needsK: true, fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.GaussianMixture{K: p.K, Covariance: p.Covariance, NInit: p.NInit, Seed: p.Seed, Progress: pr}
	}},
	"dbscan": {fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.DBSCAN{Eps: p.Eps, MinSamples: p.MinSamples, Metric: cluster.Metric(p.Metric), Progress: pr}
	}},
	"hdbscan": {fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.HDBSCAN{MinClusterSize: p.MinClusterSize, MinSamples: p.MinSamples, Selection: p.Selection, Metric: cluster.Metric(p.Metric), Progress: pr}
	}},
	"agglomerative": {needsK: true, fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.Agglomerative{K: p.K, Linkage: p.Linkage, Progress: pr}
	}},
	"birch": {usesK: true, fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.Birch{Threshold: p.Threshold, BranchingFactor: p.Branching, K: p.K, Seed: p.Seed, Progress: pr}
	}},
	"meanshift": {fitter: func(p *protocol.FitParams, _ []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.MeanShift{Bandwidth: p.Bandwidth, Seed: p.Seed, Progress: pr}
	}},
	"kprototypes": {needsK: true, mixed: true, fitter: func(p *protocol.FitParams, cat []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.KPrototypes{K: p.K, Categorical: cat, Gamma: p.Gamma, NInit: p.NInit, Seed: p.Seed, Progress: pr}
	}},
	"kmedoids": {needsK: true, mixed: true, fitter: func(p *protocol.FitParams, cat []bool, pr func(cluster.Progress)) cluster.Fitter {
		return &cluster.KMedoids{K: p.K, Categorical: cat, Seed: p.Seed, Progress: pr}
	}},
}

// checkSettings validates the settings that do not depend on the data.
func checkSettings(name string, p *protocol.FitParams) error {
	a := algorithms[name]
	choice := func(what, v string, ok ...string) error {
		if v != "" && !slices.Contains(ok, v) {
			return perr(protocol.CodeBadSetting, "Unknown %s %q: choose one of %v.", what, v, ok)
		}
		return nil
	}
	switch {
	case p.NInit < 0 || p.NInit > protocol.MaxNInit:
		return perr(protocol.CodeBadSetting, "Restarts must be between 1 and %d.", protocol.MaxNInit)
	case (a.needsK || a.usesK && p.K != 0) && (p.K < 2 || p.K > protocol.MaxK):
		return perr(protocol.CodeBadK, "The number of segments must be between 2 and %d (got %d).", protocol.MaxK, p.K)
	case p.Eps < 0 || p.Threshold < 0 || p.Bandwidth < 0 || p.Gamma < 0:
		return perr(protocol.CodeBadSetting, "The radius, threshold, bandwidth and category weight must not be negative.")
	case p.MinSamples < 0 || p.MinClusterSize < 0 || p.Branching < 0:
		return perr(protocol.CodeBadSetting, "Minimum sizes and the branching factor must not be negative.")
	case p.MinClusterSize == 1:
		return perr(protocol.CodeBadSetting, "The smallest segment must have at least 2 customers.")
	case p.Branching == 1:
		return perr(protocol.CodeBadSetting, "The branching factor must be at least 2.")
	case p.Metric == string(cluster.Haversine) && name != "dbscan" && name != "hdbscan":
		return perr(protocol.CodeBadSetting, "The distance along the Earth's surface (haversine) is for DBSCAN and HDBSCAN; %s does not take a distance.", name)
	case p.Metric == string(cluster.Haversine) && name == "dbscan" && p.Eps == 0:
		return perr(protocol.CodeBadSetting, "Give the radius in kilometres: more than 0 (for example 5 km for a town).")
	}
	for _, err := range []error{
		choice("distance", p.Metric, protocol.Distances...),
		choice("cluster selection", p.Selection, "eom", "leaf"),
		choice("linkage", p.Linkage, cluster.LinkageWard, "complete", "average", "single"),
		choice("covariance", p.Covariance, "full", "tied", "diag", "spherical"),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// newModel makes the model to download: the algorithm's own rule where the
// model format holds it (every algorithm of the page, the mixed ones
// included), else the compact alternative (nearest segment centroid).
func newModel(fit *protocol.FitResult, build func(compact bool) (*model.Model, error), mixed bool) (*model.Model, string, error) {
	switch {
	case slices.Contains(model.Algorithms, fit.Algorithm):
		m, err := build(false)
		return m, "", err
	}
	m, err := build(true)
	return m, "", err
}
