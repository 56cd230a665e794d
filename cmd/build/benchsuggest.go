package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/internal/synth"
)

// The suggestion of the browser benchmark: the rows of core/eval's
// BenchmarkSuggest100k, synth.Blobs(1e5, 8, 8, 1.5, 1), rounded to the six
// decimals of their CSV, with eval.Suggest's defaults (k = 2…10, 3
// restarts, a 20,000-row fit sample, gap and stability on 5,000) and seed 1.
const (
	suggestN, suggestSeed = 100_000, 1
	suggestFile           = "suggest.csv"
)

// suggestReport is the suggestion measured in the page, by the engine alone
// and with its helpers in turn, and natively in this process.
type suggestReport struct {
	Rows          int          `json:"rows"`
	Cols          int          `json:"cols"`
	SuggestedK    int          `json:"suggested_k"`
	NativeSeconds []float64    `json:"native_seconds"` // eval.Suggest in this process
	Runs          []suggestRun `json:"runs"`
	Alone         stat         `json:"alone_seconds"`   // the engine's seconds, alone
	Helpers       stat         `json:"helpers_seconds"` // the engine's seconds, with its helpers
	Speedup       float64      `json:"speedup"`         // median alone / median with helpers
}

// suggestRun is one suggestion in the page.
type suggestRun struct {
	Helpers     bool      `json:"helpers"`
	Seconds     float64   `json:"seconds"` // as the engine reports it
	WallSeconds float64   `json:"wall_seconds"`
	Workers     int       `json:"workers"`
	SuggestedK  int       `json:"suggested_k"`
	SampleSize  int       `json:"sample_size"`
	Silhouettes []float64 `json:"silhouettes"`
}

// measureSuggest writes the suggestion's rows into the bench folder, times
// eval.Suggest natively, then reps rounds of the suggestion in the page:
// a fresh engine alone and a fresh engine with its helpers, in turn (the
// order turning round every round), each loading the CSV first (not timed).
// Every answer must be the native one: the same k and silhouettes.
func measureSuggest(ctx, tctx context.Context, dir string, reps int) (suggestReport, error) {
	x, _ := synth.Blobs(suggestN, benchD, benchK, 1.5, suggestSeed)
	roundTo6(x)
	rep := suggestReport{Rows: x.Rows, Cols: x.Cols}
	if err := writeData(filepath.Join(dir, suggestFile), x, synth.WriteCSV); err != nil {
		return rep, err
	}
	var want *eval.Suggestion
	for range reps {
		start := time.Now()
		s, err := eval.Suggest(ctx, x, eval.SuggestOptions{Seed: suggestSeed})
		if err != nil {
			return rep, err
		}
		rep.NativeSeconds = append(rep.NativeSeconds, time.Since(start).Seconds())
		want = s
	}
	rep.SuggestedK = want.SuggestedK
	fmt.Printf("  suggest natively (%d×%d, k = 2…10): k = %d in %.3f s median\n", x.Rows, x.Cols, want.SuggestedK, median(rep.NativeSeconds))
	cols := make([]string, x.Cols)
	for j := range cols {
		cols[j] = fmt.Sprintf("x%d", j+1)
	}
	params, _ := json.Marshal(map[string]any{"columns": cols, "scale": "none", "seed": suggestSeed})
	for r := range reps {
		order := []bool{false, true}
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, helpers := range order {
			if _, err := pageCall[json.RawMessage](tctx, fmt.Sprintf(`segkitBench.startEngine('../engine-worker.js', %v)`, helpers)); err != nil {
				return rep, err
			}
			if _, err := pageCall[loadRun](tctx, `segkitBench.load('`+suggestFile+`')`); err != nil {
				return rep, err
			}
			run, err := pageCall[suggestRun](tctx, "segkitBench.suggest("+string(params)+")")
			if err != nil {
				return rep, err
			}
			run.Helpers = helpers
			if run.SuggestedK != want.SuggestedK || len(run.Silhouettes) != len(want.Scores) {
				return rep, fmt.Errorf("suggest in the page: k = %d with %d scores, natively k = %d with %d", run.SuggestedK, len(run.Silhouettes), want.SuggestedK, len(want.Scores))
			}
			for i, s := range run.Silhouettes {
				if s != want.Scores[i].Silhouette {
					return rep, fmt.Errorf("suggest in the page: silhouette at k = %d is %v, natively %v", want.Scores[i].K, s, want.Scores[i].Silhouette)
				}
			}
			if !helpers && run.Workers != 1 {
				return rep, fmt.Errorf("suggest in the engine alone: %d workers", run.Workers)
			}
			fmt.Printf("  suggest round %d, %s: %.3f s (wall %.3f s) on %d worker(s)\n", r+1, map[bool]string{false: "engine alone", true: "with helpers"}[helpers],
				run.Seconds, run.WallSeconds, run.Workers)
			rep.Runs = append(rep.Runs, run)
		}
	}
	var alone, with []float64
	for _, run := range rep.Runs {
		if run.Helpers {
			with = append(with, run.Seconds)
		} else {
			alone = append(alone, run.Seconds)
		}
	}
	rep.Alone, rep.Helpers = statOf(alone), statOf(with)
	rep.Speedup = rep.Alone.Median / rep.Helpers.Median
	return rep, nil
}

// print writes the suggestion's summary line.
func (r suggestReport) print() {
	workers := 1
	for _, run := range r.Runs {
		workers = max(workers, run.Workers)
	}
	fmt.Printf("  suggest %d×%d, k = 2…10 (medians of %d): native %.3f s; engine alone %.3f s (%.3f–%.3f), with helpers (%d workers) %.3f s (%.3f–%.3f): %.2f× faster\n",
		r.Rows, r.Cols, r.Alone.N, median(r.NativeSeconds), r.Alone.Median, r.Alone.Min, r.Alone.Max, workers, r.Helpers.Median, r.Helpers.Min, r.Helpers.Max, r.Speedup)
}
