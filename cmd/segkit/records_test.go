package main

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

// readRecords returns every data row of a file as raw strings by column name.
func readRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := dataset.NewReader(f, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for {
		fields, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		rec := map[string]any{}
		for i, h := range r.Header() {
			rec[h] = fields[i]
		}
		out = append(out, rec)
	}
}
