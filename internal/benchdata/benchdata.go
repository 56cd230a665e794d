// Package benchdata loads the labelled clustering benchmark sets of the shared
// data folder (Gagolewski's benchmark suite, see shared/data/README.md):
// gzip'd whitespace-separated points and gzip'd reference labels, 1..k with 0
// for noise, listed in bench/index.csv.
package benchdata

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
)

// Entry is one row of bench/index.csv: one reference partition of one set.
type Entry struct {
	Battery, Name    string
	File, LabelsFile string // relative to the bench folder
	N, D, K          int
	Noise            int // points labelled 0 (noise) in this partition
}

// ID names the entry as battery/name/labelsN.
func (e Entry) ID() string {
	l := strings.TrimSuffix(filepath.Base(e.LabelsFile), ".gz")
	return e.Battery + "/" + e.Name + "/" + strings.TrimPrefix(l, e.Name+".")
}

// Index reads bench/index.csv from the bench folder dir.
func Index(dir string) ([]Entry, error) {
	f, err := os.Open(filepath.Join(dir, "index.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("benchdata: index.csv: %w", err)
	}
	var out []Entry
	for i, r := range recs {
		if i == 0 {
			continue
		}
		if len(r) < 8 {
			return nil, fmt.Errorf("benchdata: index.csv line %d: %d fields, want 9", i+1, len(r))
		}
		e := Entry{Battery: r[0], Name: r[1], File: r[2], LabelsFile: r[3]}
		for j, p := range []*int{&e.N, &e.D, &e.K, &e.Noise} {
			v, err := strconv.Atoi(r[4+j])
			if err != nil {
				return nil, fmt.Errorf("benchdata: index.csv line %d field %d: %w", i+1, 5+j, err)
			}
			*p = v
		}
		out = append(out, e)
	}
	return out, nil
}

// Points reads a gzip'd data file with the dataset reader (whitespace
// delimited, no header) into a matrix.
func Points(path string) (*matrix.Dense, error) {
	rc, err := openGzip(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	t, err := dataset.Read(rc, dataset.Options{Delimiter: ' ', Header: dataset.HeaderAbsent})
	if err != nil {
		return nil, fmt.Errorf("benchdata: %s: %w", path, err)
	}
	x := matrix.New(t.Rows, len(t.Columns))
	for j, c := range t.Columns {
		if !c.Kind.IsNumeric() || c.Missing > 0 {
			return nil, fmt.Errorf("benchdata: %s: column %d is %s with %d missing, want numbers", path, j+1, c.Kind, c.Missing)
		}
		for i, v := range c.Num {
			x.Set(i, j, v)
		}
	}
	return x, nil
}

// Labels reads a gzip'd labels file: one integer per line.
func Labels(path string) ([]int, error) {
	rc, err := openGzip(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	fields := strings.Fields(string(b))
	out := make([]int, len(fields))
	for i, f := range fields {
		if out[i], err = strconv.Atoi(f); err != nil {
			return nil, fmt.Errorf("benchdata: %s line %d: %w", path, i+1, err)
		}
	}
	return out, nil
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g gzipFile) Close() error {
	g.Reader.Close()
	return g.f.Close()
}

func openGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("benchdata: %s: %w", path, err)
	}
	return gzipFile{zr, f}, nil
}
