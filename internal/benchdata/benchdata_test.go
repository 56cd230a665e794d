package benchdata

import (
	"path/filepath"
	"testing"

	"github.com/segkit/segkit/internal/shareddata"
)

func TestIndexAndLoadAgree(t *testing.T) {
	dir := shareddata.Path(t, "bench")
	entries, err := Index(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 29 {
		t.Fatalf("index has %d partitions, the README lists 29", len(entries))
	}
	for _, e := range entries {
		if e.N > 20000 {
			continue // the large sets are read by the quality table
		}
		t.Run(e.ID(), func(t *testing.T) {
			x, err := Points(filepath.Join(dir, e.File))
			if err != nil {
				t.Fatal(err)
			}
			y, err := Labels(filepath.Join(dir, e.LabelsFile))
			if err != nil {
				t.Fatal(err)
			}
			if x.Rows != e.N || x.Cols != e.D || len(y) != e.N {
				t.Fatalf("read %d×%d with %d labels, index says %d×%d", x.Rows, x.Cols, len(y), e.N, e.D)
			}
			ks, noise := map[int]bool{}, 0
			for _, l := range y {
				if l == 0 {
					noise++
				} else {
					ks[l] = true
				}
			}
			if len(ks) != e.K || noise != e.Noise {
				t.Fatalf("labels have k=%d, %d noise; index says k=%d, %d noise", len(ks), noise, e.K, e.Noise)
			}
		})
	}
}
