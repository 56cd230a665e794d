package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/explain"
	"github.com/segkit/segkit/core/groupby"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/core/profile"
)

// clusterOptions are the flags of `segkit cluster`.
type clusterOptions struct {
	file       string
	algo       *algoFlags
	algorithm  algorithm
	spec       prep.Spec
	labelsOnly bool
	out        string
	modelPath  string
	compact    bool
	asJSON     bool
	profile    bool
	explain    bool
}

// clusterSummary is what `segkit cluster --json` prints.
type clusterSummary struct {
	File       string               `json:"file"`
	Algorithm  string               `json:"algorithm"`
	K          int                  `json:"k"`
	Rows       int                  `json:"rows"`
	Clustered  int                  `json:"clustered_rows"`
	Features   []string             `json:"features"`
	Sizes      []int                `json:"sizes"`
	Inertia    float64              `json:"inertia"`
	Silhouette float64              `json:"silhouette"`
	SilSampled bool                 `json:"silhouette_sampled"`
	CH         float64              `json:"calinski_harabasz"`
	DB         float64              `json:"davies_bouldin"`
	Iterations int                  `json:"iterations"`
	Converged  bool                 `json:"converged"`
	Seconds    float64              `json:"seconds"`
	Prep       *prep.Report         `json:"preparation"`
	Centers    []map[string]float64 `json:"centers"` // in original units, by input column
	Skipped    int                  `json:"skipped_rows"`
	Issues     []rowIssueOut        `json:"skipped_examples,omitempty"`
	Profile    *profile.Profile     `json:"profile,omitempty"`
	Explain    *explain.Explanation `json:"explanation,omitempty"`
}

type rowIssueOut struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func parseClusterFlags(args []string, stderr io.Writer) (*clusterOptions, error) {
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	o := &clusterOptions{}
	o.algo = addAlgoFlags(fs)
	pf := addPrepFlags(fs)
	fs.BoolVar(&o.labelsOnly, "labels-only", false, "print one segment number per data row instead of the rows")
	fs.StringVar(&o.out, "out", "", "write the rows (or labels) to FILE instead of standard output")
	fs.StringVar(&o.modelPath, "model", "", "save the fitted model (preparation + what the algorithm's rule needs) as JSON to FILE")
	fs.BoolVar(&o.compact, "compact", false, "with --model: save only the segments' centroids (nearest-centroid rule, any algorithm, no training rows)")
	fs.BoolVar(&o.asJSON, "json", false, "print a JSON summary on standard output (rows go to --out, if given)")
	fs.BoolVar(&o.profile, "profile", false, "describe the segments: in the --json summary, else as text on standard error")
	fs.BoolVar(&o.explain, "explain", false, "state the segments as decision-tree rules: in the --json summary, else as text on standard error")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return nil, err
	}
	if len(pos) != 1 {
		return nil, usagef("cluster takes one FILE, got %d arguments", len(pos))
	}
	o.file = pos[0]
	if o.compact && o.modelPath == "" {
		return nil, usagef("--compact goes with --model")
	}
	a, err := o.algo.check()
	if err != nil {
		return nil, err
	}
	o.algorithm = a
	if o.compact && a.mixed {
		return nil, usagef("--compact summarises numeric segments by centroids; %s segments hold category codes", *o.algo.name)
	}
	if o.spec, err = pf.spec(); err != nil {
		return nil, err
	}
	// The mixed-data algorithms take categorical columns as codes.
	o.spec.Codes = a.mixed
	if *o.algo.metric == "haversine" {
		// Great-circle distances need the raw degrees.
		if len(o.spec.Columns) != 0 && len(o.spec.Columns) != 2 {
			return nil, usagef("--metric haversine takes two columns, latitude and longitude, got --cols %q", o.spec.Columns)
		}
		o.spec.Scale, o.spec.Log = prep.ScaleNone, prep.LogNone
	}
	return o, nil
}

func runCluster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseClusterFlags(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	spec := o.spec
	pr, err := prepareWith(o.file, func(t *dataset.Table) (prep.Spec, error) {
		if *o.algo.metric == "haversine" && len(spec.Columns) == 0 {
			// Geographic segmentation: find the latitude and longitude columns.
			lat, lon, err := groupby.LatLon(t)
			if err != nil {
				return spec, fmt.Errorf("%w; name them with --cols LAT,LON", err)
			}
			spec.Columns = []string{lat, lon}
		}
		return spec, nil
	})
	if err != nil {
		return err
	}
	t, pipe, x, rep := pr.table, pr.pipe, pr.x, pr.report
	m, err := o.algorithm.newFitter(o.algo, pipe.Categorical()).Fit(ctx, x)
	if err != nil {
		return err
	}
	seconds := time.Since(start).Seconds()
	rowLabels := labelsByRow(t.Rows, rep.Kept, m.Labels)

	var prof *profile.Profile
	if o.profile || o.modelPath != "" {
		// The profile names the segments from the columns they were found
		// on; the model carries the names.
		if prof, err = profile.Build(t, rowLabels, profile.Options{Columns: describable(t, pipe.InputColumns())}); err != nil {
			return err
		}
	}
	var expl *explain.Explanation
	if o.explain {
		if expl, err = explain.Tree(t, rowLabels, explain.Options{Columns: describable(t, pipe.InputColumns())}); err != nil {
			return err
		}
	}
	if o.modelPath != "" {
		newModel := func() (*model.Model, error) {
			return model.New(pipe, m, model.Params{Seed: *o.algo.seed, NInit: *o.algo.nInit})
		}
		if o.compact {
			newModel = func() (*model.Model, error) {
				return model.NewCompact(pipe, m, x, model.Params{Seed: *o.algo.seed, NInit: *o.algo.nInit})
			}
		}
		sm, err := newModel()
		if err != nil {
			return err
		}
		if err := sm.ApplyProfile(prof); err != nil {
			return err
		}
		if err := writeAtomic(o.modelPath, sm.Save); err != nil {
			return err
		}
	}
	emit := func(w io.Writer) error {
		if o.labelsOnly {
			return writeLabels(w, rowLabels)
		}
		return writeRows(w, o.file, rowLabels)
	}
	switch {
	case o.out != "":
		if err := writeAtomic(o.out, emit); err != nil {
			return err
		}
	case !o.asJSON:
		if err := emit(stdout); err != nil {
			return err
		}
	}
	if !o.asJSON {
		if o.profile {
			if err := prof.Text(stderr); err != nil {
				return err
			}
		}
		if o.explain {
			return expl.Text(stderr)
		}
		return nil
	}
	s, err := summarize(o, t, pipe, x, m, rep, seconds)
	if err != nil {
		return err
	}
	if o.profile {
		s.Profile = prof
	}
	s.Explain = expl
	return encodeJSON(stdout, s)
}

// describable keeps the columns a profile or tree can use (numeric and
// categorical; a date feature cannot be described).
func describable(t *dataset.Table, names []string) []string {
	var out []string
	for _, n := range names {
		if c := t.Column(n); c != nil && (c.Kind.IsNumeric() || c.Kind == dataset.KindCategorical) {
			out = append(out, n)
		}
	}
	return out
}

// labelsByRow spreads the labels of the clustered rows over all table rows;
// rows left out by preparation (missing values with --impute drop) get
// noLabel.
func labelsByRow(rows int, kept, labels []int) []int {
	if kept == nil {
		return labels
	}
	out := make([]int, rows)
	for i := range out {
		out[i] = noLabel
	}
	for i, r := range kept {
		out[r] = labels[i]
	}
	return out
}

// noLabel marks a row that was not clustered; it prints as an empty field.
const noLabel = -2

func labelText(l int) string {
	if l == noLabel {
		return ""
	}
	return strconv.Itoa(l)
}

func writeLabels(w io.Writer, labels []int) error {
	buf := make([]byte, 0, 8*len(labels))
	for _, l := range labels {
		buf = append(buf, labelText(l)...)
		buf = append(buf, '\n')
	}
	_, err := w.Write(buf)
	return err
}

// writeRows re-reads the input and writes every kept row as it was, decoded to
// UTF-8 and comma-separated, with a segment column appended.
func writeRows(w io.Writer, file string, labels []int) error {
	n := 0
	err := annotateRows(w, file, []string{"segment"}, func(_ *dataset.Reader, i int, _ []string) ([]string, error) {
		if i >= len(labels) {
			return nil, fmt.Errorf("%s changed while it was being read: more than %d rows now", file, len(labels))
		}
		n++
		return []string{labelText(labels[i])}, nil
	})
	if err == nil && n != len(labels) {
		err = fmt.Errorf("%s changed while it was being read: %d rows now, %d before", file, n, len(labels))
	}
	return err
}

// annotateRows streams the data rows of file to w as CSV (decoded to UTF-8,
// comma-separated), appending to each the fields that annotate returns for
// it; extra names the appended columns. Rows the reader skips (ragged) are
// skipped here too, so row i matches row i of the table read from the file.
func annotateRows(w io.Writer, file string, extra []string, annotate func(r *dataset.Reader, i int, fields []string) ([]string, error)) error {
	cw := csv.NewWriter(w)
	var rec []string
	header := func(h []string) error { return cw.Write(append(append([]string{}, h...), extra...)) }
	err := forEachRow(file, header, func(r *dataset.Reader, i int, fields []string) error {
		more, err := annotate(r, i, fields)
		if err != nil {
			return err
		}
		rec = append(append(rec[:0], fields...), more...)
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// forEachRow calls header (if not nil) with the column names of file, then
// fn (if not nil) with every data row, in order.
func forEachRow(file string, header func([]string) error, fn func(r *dataset.Reader, i int, fields []string) error) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := dataset.NewReader(f, dataset.Options{})
	if err != nil {
		return err
	}
	if header != nil {
		if err := header(r.Header()); err != nil {
			return err
		}
	}
	for i := 0; fn != nil; i++ {
		fields, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(r, i, fields); err != nil {
			return err
		}
	}
	return nil
}

func summarize(o *clusterOptions, t *dataset.Table, pipe *prep.Pipeline, x *matrix.Dense, m *cluster.Model, rep *prep.Report, seconds float64) (*clusterSummary, error) {
	var ev *eval.Summary
	if !o.algorithm.mixed {
		// Euclidean indices mean nothing on category codes: the mixed
		// algorithms report sizes and their own cost (inertia) only.
		var err error
		ev, err = eval.Summarize(x, m.Labels, m.Centers, eval.SummaryOptions{Seed: *o.algo.seed})
		if err != nil && !errors.Is(err, eval.ErrTooFewClusters) {
			return nil, err
		}
	}
	s := &clusterSummary{
		File: o.file, Algorithm: m.Algorithm, K: m.K, Rows: t.Rows, Clustered: x.Rows,
		Features: rep.Features, Inertia: m.Inertia, Iterations: m.Iterations, Converged: m.Converged,
		Seconds: seconds, Prep: rep, Skipped: t.SkippedCount,
	}
	if ev != nil {
		s.Sizes, s.Silhouette, s.SilSampled, s.CH, s.DB = ev.Sizes, ev.Silhouette, ev.SilhouetteSampled, ev.CalinskiHarabasz, ev.DaviesBouldin
	}
	if s.Sizes == nil {
		s.Sizes = make([]int, m.K)
		for _, l := range m.Labels {
			if l >= 0 {
				s.Sizes[l]++
			}
		}
	}
	if m.Centers != nil {
		for i := range m.Centers.Rows {
			s.Centers = append(s.Centers, pipe.Inverse(m.Centers.Row(i)))
		}
	}
	for _, is := range t.Skipped {
		s.Issues = append(s.Issues, rowIssueOut{is.Line, is.Reason})
	}
	return s, nil
}

// writeAtomic writes a file through a temporary file in the same folder and
// renames it into place, so a failure never leaves a half-written file.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private; the output is an ordinary file.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
