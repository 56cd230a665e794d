package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/model"
)

// runAssign assigns every row of a data file to a segment of a saved model.
func runAssign(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("assign", flag.ContinueOnError)
	modelPath := fs.String("model", "", "the model JSON written by 'segkit cluster --model' or the page (required)")
	labelsOnly := fs.Bool("labels-only", false, "print one segment number per data row instead of the rows")
	out := fs.String("out", "", "write the result to FILE instead of standard output")
	pos, err := parseArgs(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("assign takes one DATAFILE, got %d arguments", len(pos))
	}
	if *modelPath == "" {
		return usagef("assign needs --model FILE")
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	file := pos[0]
	// Check the file's columns against the model before writing anything.
	if err := checkColumns(file, m); err != nil {
		return err
	}
	emit := func(w io.Writer) error {
		if *labelsOnly {
			return assignLabels(w, file, m)
		}
		return assignRows(w, file, m)
	}
	if *out != "" {
		return writeAtomic(*out, emit)
	}
	return emit(stdout)
}

func loadModel(path string) (*model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := model.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// checkColumns fails when the file lacks a column the model's preparation
// reads, naming the missing and the available columns.
func checkColumns(file string, m *model.Model) error {
	return forEachRow(file, func(header []string) error {
		have := map[string]bool{}
		for _, h := range header {
			have[h] = true
		}
		var missing []string
		for _, c := range m.Pipeline.InputColumns() {
			if !have[c] {
				missing = append(missing, strconv.Quote(c))
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s lacks the model's column(s) %v; it has %q", file, missing, header)
		}
		return nil
	}, nil)
}

// predictRow assigns one raw row, naming the line on failure.
func predictRow(r *dataset.Reader, m *model.Model, rec map[string]any, fields []string) (model.Result, error) {
	clear(rec)
	for i, h := range r.Header() {
		if i < len(fields) {
			rec[h] = fields[i]
		}
	}
	res, err := m.Predict(rec)
	if err != nil {
		return res, fmt.Errorf("line %d: %w", r.Line(), err)
	}
	return res, nil
}

func assignLabels(w io.Writer, file string, m *model.Model) error {
	rec := map[string]any{}
	var labels []int
	err := forEachRow(file, nil, func(r *dataset.Reader, _ int, fields []string) error {
		res, err := predictRow(r, m, rec, fields)
		labels = append(labels, res.Segment)
		return err
	})
	if err != nil {
		return err
	}
	return writeLabels(w, labels)
}

func assignRows(w io.Writer, file string, m *model.Model) error {
	rec := map[string]any{}
	return annotateRows(w, file, []string{"segment", "segment_name", "distance"}, func(r *dataset.Reader, _ int, fields []string) ([]string, error) {
		res, err := predictRow(r, m, rec, fields)
		if err != nil {
			return nil, err
		}
		return []string{strconv.Itoa(res.Segment), res.Name, strconv.FormatFloat(res.Distance, 'g', 6, 64)}, nil
	})
}
