package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
)

// qualityAlgos are the algorithm families of `quality`, in table order.
var qualityAlgos = []string{"kmeans", "gmm", "dbscan", "meanshift", "hdbscan",
	"ward", "complete", "average", "single", "birch", "kprototypes", "kmedoids"}

// birchThresholds are the BIRCH thresholds of the three 100,000-row sipu
// sets, whose coordinates are in the hundreds of thousands (at the default
// 0.5 every row would be its own subcluster): a few thousand subclusters.
var birchThresholds = map[string]float64{"sipu/birch1": 10000, "sipu/birch2": 1000, "sipu/worms_2": 20}

// kprototypesMaxRows is the largest set k-prototypes runs on in the quality
// table: it has no pruning bounds, so the 100,000-row sets with k = 100 take
// minutes, and on these numeric sets it is k-means anyway.
const kprototypesMaxRows = 50_000

// densitySettings is one entry of core/cluster/testdata/density_quality.json:
// the DBSCAN, mean-shift and HDBSCAN settings of one labelled set, shared
// with the tests of core/cluster.
type densitySettings struct {
	Labels string `json:"labels"`
	DBSCAN struct {
		Eps        float64 `json:"eps"`
		MinSamples int     `json:"min_samples"`
		Tuned      bool    `json:"tuned"`
	} `json:"dbscan"`
	HDBSCAN struct {
		MinClusterSize int `json:"min_cluster_size"`
	} `json:"hdbscan"`
	MeanShift struct {
		Bandwidth float64 `json:"bandwidth"`
	} `json:"meanshift"`
}

// peerJob is one line sent to scripts/quality_peer.py.
type peerJob struct {
	ID     int                `json:"id"`
	Data   string             `json:"data"`
	Labels string             `json:"labels"`
	K      int                `json:"k"`
	Algo   string             `json:"algo"`
	Params map[string]float64 `json:"params,omitempty"`
	Seeds  []int              `json:"seeds,omitempty"`
}

// peerResult is one line printed by scripts/quality_peer.py.
type peerResult struct {
	ID      int       `json:"id"`
	ARI     []float64 `json:"ari"`
	Seconds []float64 `json:"seconds"`
	Error   string    `json:"error"`
	Sklearn string    `json:"sklearn"`
}

// qualityCell is one set × algorithm of the table.
type qualityCell struct {
	entry    benchdata.Entry
	algo     string
	settings string
	ours     []float64 // ARI per seed (one value for deterministic algorithms)
	theirs   []float64 // scikit-learn's, nil without a peer
	oursErr  string    // segkit refused or failed: the reason
	peerErr  string
	peer     int // index of the peer job, -1 for none
}

// runQuality fits every algorithm family on every labelled benchmark set,
// segkit in this process and scikit-learn 1.2.1 in scripts/quality_peer.py
// (run at the same time), and writes the adjusted Rand indices into
// docs/quality.md.
func runQuality(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("quality", flag.ContinueOnError)
	algoList := fs.String("algos", strings.Join(qualityAlgos, ","), "algorithms to run (agglomerative means ward,complete,average,single); the tables of the others are kept from the file")
	nInit := fs.Int("n-init", 10, "k-means and k-prototypes restarts, both tools")
	seeds := fs.Int("seeds", 5, "seeds 0..N-1 for the seeded algorithms (k-means, GMM, k-prototypes); the table shows means")
	sets := fs.String("sets", "", "only the sets whose id (battery/name/labelsN) contains one of these comma-separated words")
	out := fs.String("out", "docs/quality.md", "where to write the tables")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var algos []string
	for _, a := range strings.Split(*algoList, ",") {
		a = strings.TrimSpace(a)
		switch {
		case a == "agglomerative":
			algos = append(algos, "ward", "complete", "average", "single")
		case slices.Contains(qualityAlgos, a):
			algos = append(algos, a)
		case a != "":
			return fmt.Errorf("quality: unknown algorithm %q (known: %s, agglomerative)", a, strings.Join(qualityAlgos, ", "))
		}
	}
	if err := ensurePeer(ctx); err != nil {
		return err
	}
	dataDir, err := shareddata.Locate()
	if err != nil {
		return err
	}
	bench := filepath.Join(dataDir, "bench")
	entries, err := benchdata.Index(bench)
	if err != nil {
		return err
	}
	if *sets != "" {
		entries = slices.DeleteFunc(entries, func(e benchdata.Entry) bool {
			return !slices.ContainsFunc(strings.Split(*sets, ","), func(w string) bool { return strings.Contains(e.ID(), w) })
		})
	}
	density, err := readDensitySettings("core/cluster/testdata/density_quality.json")
	if err != nil {
		return err
	}
	seedList := make([]int, *seeds)
	for i := range seedList {
		seedList[i] = i
	}

	// Plan: the cells and the peer's jobs, set by set.
	var cells []*qualityCell
	var jobs []peerJob
	peerOf := map[string]int{} // job key → index, so k-prototypes reuses k-means' peer
	addJob := func(e benchdata.Entry, algo string, params map[string]float64, seeds []int) int {
		key := fmt.Sprintf("%s %s %v %v", e.ID(), algo, params, seeds)
		if i, ok := peerOf[key]; ok {
			return i
		}
		jobs = append(jobs, peerJob{ID: len(jobs), Data: filepath.Join(bench, e.File), Labels: filepath.Join(bench, e.LabelsFile),
			K: e.K, Algo: algo, Params: params, Seeds: seeds})
		peerOf[key] = len(jobs) - 1
		return len(jobs) - 1
	}
	for _, e := range entries {
		ds, hasDensity := density[e.LabelsFile]
		for _, a := range algos {
			c := &qualityCell{entry: e, algo: a, peer: -1}
			switch a {
			case "kprototypes":
				if e.N > kprototypesMaxRows {
					// No pruning bounds: minutes per set at k = 100, and on
					// numeric data it is k-means, compared in its own table.
					c.oursErr = "skipped (see k-means)"
					break
				}
				c.peer = addJob(e, "kmeans", map[string]float64{"n_init": float64(*nInit)}, seedList)
			case "kmeans":
				c.peer = addJob(e, "kmeans", map[string]float64{"n_init": float64(*nInit)}, seedList)
			case "gmm":
				c.peer = addJob(e, "gmm", nil, seedList)
			case "dbscan":
				if !hasDensity {
					continue
				}
				c.settings = fmt.Sprintf("%g, %d", ds.DBSCAN.Eps, ds.DBSCAN.MinSamples)
				if ds.DBSCAN.Tuned {
					c.settings += " (tuned)"
				}
				c.peer = addJob(e, "dbscan", map[string]float64{"eps": ds.DBSCAN.Eps, "min_samples": float64(ds.DBSCAN.MinSamples)}, nil)
			case "meanshift":
				if !hasDensity {
					continue
				}
				c.settings = "estimated"
				if ds.MeanShift.Bandwidth > 0 {
					c.settings = fmt.Sprintf("%g", ds.MeanShift.Bandwidth)
				}
				c.peer = addJob(e, "meanshift", map[string]float64{"bandwidth": ds.MeanShift.Bandwidth}, nil)
			case "hdbscan":
				if !hasDensity {
					continue
				}
				c.settings = fmt.Sprintf("%d", ds.HDBSCAN.MinClusterSize)
			case "ward", "single", "complete", "average":
				limit := cluster.AgglomerativeMaxRows
				if a == "complete" || a == "average" {
					limit = cluster.AgglomerativeMaxMatrixRows
				}
				if e.N > limit {
					c.oursErr = fmt.Sprintf("above the %d-row bound", limit)
					break
				}
				c.peer = addJob(e, a, nil, nil)
			case "birch":
				thr := birchThresholds[e.Battery+"/"+e.Name]
				c.settings = "0.5"
				if thr > 0 {
					c.settings = fmt.Sprintf("%g", thr)
				}
				c.peer = addJob(e, "birch", map[string]float64{"threshold": thr}, nil)
			case "kmedoids":
				if e.N > cluster.MaxKMedoidsRows {
					c.oursErr = fmt.Sprintf("above the %d-row bound", cluster.MaxKMedoidsRows)
				}
			}
			cells = append(cells, c)
		}
	}

	// The peer works through its jobs while segkit fits; it is stopped if
	// segkit's side fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	peerDone := make(chan error, 1)
	results := make([]peerResult, len(jobs))
	cmd := exec.CommandContext(ctx, peerPython, "scripts/quality_peer.py")
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=2", "OPENBLAS_NUM_THREADS=2")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("scikit-learn peer: %w", err)
	}
	go func() {
		enc := json.NewEncoder(stdin)
		for _, j := range jobs {
			if enc.Encode(j) != nil {
				break
			}
		}
		stdin.Close()
	}()
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		n := 0
		for sc.Scan() {
			var r peerResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ID < 0 || r.ID >= len(results) {
				peerDone <- fmt.Errorf("scikit-learn peer printed %q: %v", sc.Text(), err)
				return
			}
			results[r.ID] = r
			n++
			total := 0.0
			for _, v := range r.Seconds {
				total += v
			}
			fmt.Printf("sklearn %-30s %-11s ARI %.4f %s (%.1fs)\n", filepath.Base(jobs[r.ID].Labels), jobs[r.ID].Algo, mean(r.ARI), r.Error, total)
		}
		if err := cmd.Wait(); err != nil {
			peerDone <- fmt.Errorf("scikit-learn peer: %w", err)
			return
		}
		if n != len(jobs) {
			peerDone <- fmt.Errorf("scikit-learn peer answered %d of %d jobs", n, len(jobs))
			return
		}
		peerDone <- nil
	}()

	start := time.Now()
	var x *matrix.Dense
	var truth []int
	loaded := ""
	for _, c := range cells {
		e := c.entry
		if c.oursErr != "" {
			continue
		}
		if loaded != e.LabelsFile {
			if x, err = benchdata.Points(filepath.Join(bench, e.File)); err != nil {
				return err
			}
			if truth, err = benchdata.Labels(filepath.Join(bench, e.LabelsFile)); err != nil {
				return err
			}
			loaded = e.LabelsFile
		}
		ds := density[e.LabelsFile]
		runs := []int{0}
		if c.algo == "kmeans" || c.algo == "gmm" || c.algo == "kprototypes" {
			runs = seedList
		}
		t0 := time.Now()
		for _, s := range runs {
			var f cluster.Fitter
			switch c.algo {
			case "kmeans":
				f = &cluster.KMeans{K: e.K, NInit: *nInit, Seed: uint64(s)}
			case "gmm":
				f = &cluster.GaussianMixture{K: e.K, Seed: uint64(s)}
			case "dbscan":
				f = &cluster.DBSCAN{Eps: ds.DBSCAN.Eps, MinSamples: ds.DBSCAN.MinSamples}
			case "meanshift":
				f = &cluster.MeanShift{Bandwidth: ds.MeanShift.Bandwidth}
			case "hdbscan":
				f = &cluster.HDBSCAN{MinClusterSize: ds.HDBSCAN.MinClusterSize}
			case "ward", "complete", "average", "single":
				f = &cluster.Agglomerative{K: e.K, Linkage: c.algo}
			case "birch":
				f = &cluster.Birch{K: e.K, Threshold: birchThresholds[e.Battery+"/"+e.Name]}
			case "kprototypes":
				f = &cluster.KPrototypes{K: e.K, NInit: *nInit, Seed: uint64(s)}
			case "kmedoids":
				f = &cluster.KMedoids{K: e.K}
			}
			m, err := f.Fit(ctx, x)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				c.oursErr = refusal(err)
				break
			}
			ari, err := eval.AdjustedRand(truth, m.Labels)
			if err != nil {
				return fmt.Errorf("%s %s: %w", e.ID(), c.algo, err)
			}
			c.ours = append(c.ours, ari)
		}
		fmt.Printf("segkit  %-30s %-11s ARI %.4f %s (%.1fs)\n", e.ID(), c.algo, mean(c.ours), c.oursErr, time.Since(t0).Seconds())
	}
	fmt.Printf("segkit done in %.0fs; waiting for scikit-learn\n", time.Since(start).Seconds())
	if err := <-peerDone; err != nil {
		return err
	}
	version := ""
	for _, c := range cells {
		if c.peer >= 0 {
			r := results[c.peer]
			c.theirs, version = r.ARI, r.Sklearn
			if r.Error != "" {
				c.peerErr = shortReason(r.Error)
			}
		}
	}
	doc := qualityDoc(cells, algos, *nInit, *seeds, version, time.Since(start))
	old, _ := os.ReadFile(*out)
	return os.WriteFile(*out, []byte(mergeQualityDoc(string(old), doc)), 0o644)
}

// refusal is the short reason a tool gives no labels: the first clause of
// its error, without the package prefix.
func refusal(err error) string {
	if errors.Is(err, cluster.ErrTooLarge) {
		return "refused: too large"
	}
	return shortReason(err.Error())
}

// shortReason keeps the first clause of an error message, on one line.
func shortReason(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, "cluster: "), "bad settings: ")
	for _, sep := range []string{";", " (", ". "} {
		if i := strings.Index(msg, sep); i > 0 {
			msg = msg[:i]
		}
	}
	return "error: " + strings.TrimSpace(msg)
}

func readDensitySettings(path string) (map[string]densitySettings, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []densitySettings
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]densitySettings{}
	for _, s := range list {
		out[s.Labels] = s
	}
	return out, nil
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
