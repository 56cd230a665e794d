package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/eval"
)

// runSuggest fits a range of k and suggests one, with the evidence.
func runSuggest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("suggest", flag.ContinueOnError)
	algo := fs.String("algo", "kmeans", "algorithm fitted for each k: kmeans, minibatch-kmeans or gmm (adds BIC and AIC; BIC votes)")
	kmin := fs.Int("kmin", 2, "smallest number of segments tried")
	kmax := fs.Int("kmax", 10, "largest number of segments tried")
	seed := fs.Uint64("seed", 1, "random seed (samples, restarts, reference sets)")
	nInit := fs.Int("n-init", 3, "restarts per k")
	asJSON := fs.Bool("json", false, "print the suggestion as JSON: suggested_k, reasons and one entry per k")
	pf := addPrepFlags(fs)
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("suggest takes one FILE, got %d arguments", len(pos))
	}
	if *kmin < 2 || *kmax < *kmin {
		return usagef("need 2 ≤ --kmin ≤ --kmax, got %d and %d", *kmin, *kmax)
	}
	if *nInit < 1 {
		return usagef("--n-init must be at least 1")
	}
	var fitter func(k int) cluster.Fitter
	var criterion func(m *cluster.Model) (bic, aic float64, ok bool)
	switch *algo {
	case "kmeans":
		fitter = func(k int) cluster.Fitter { return &cluster.KMeans{K: k, NInit: *nInit, Seed: *seed} }
	case "minibatch-kmeans":
		fitter = func(k int) cluster.Fitter { return &cluster.MiniBatchKMeans{K: k, NInit: *nInit, Seed: *seed} }
	case "gmm":
		fitter = func(k int) cluster.Fitter { return &cluster.GaussianMixture{K: k, NInit: *nInit, Seed: *seed} }
		criterion = cluster.GMMCriterion
	default:
		return usagef("unknown --algo %q: available are kmeans, minibatch-kmeans, gmm", *algo)
	}
	spec, err := pf.spec()
	if err != nil {
		return err
	}
	pr, err := prepare(pos[0], spec)
	if err != nil {
		return err
	}
	s, err := eval.Suggest(ctx, pr.x, eval.SuggestOptions{KMin: *kmin, KMax: *kmax, Seed: *seed, Fitter: fitter, Criterion: criterion})
	if err != nil {
		return err
	}
	if *asJSON {
		return encodeJSON(stdout, s)
	}
	fmt.Fprintf(stdout, "Suggested number of segments: %d\n", s.SuggestedK)
	for _, r := range s.Reasons {
		fmt.Fprintf(stdout, "  %s\n", r)
	}
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "k\tinertia\tsilhouette\tCalinski–Harabasz\tDavies–Bouldin\tgap\tstability\tBIC\t")
	for _, k := range s.Scores {
		mark, bic := "", "–"
		if k.K == s.SuggestedK {
			mark = " ←"
		}
		if k.BIC != nil {
			bic = fmt.Sprintf("%.1f", *k.BIC)
		}
		fmt.Fprintf(tw, "%d\t%.4g\t%.3f\t%.1f\t%.3f\t%.3f\t%.2f\t%s\t%s\n", k.K, k.Inertia, k.Silhouette, k.CalinskiHarabasz, k.DaviesBouldin, k.Gap, k.Stability, bic, mark)
	}
	return tw.Flush()
}
