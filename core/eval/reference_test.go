package eval

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

// reference is testdata/reference.json, written by testdata/reference.py
// from scikit-learn 1.2.1.
type reference struct {
	Origin struct {
		Tool           string `json:"tool"`
		SklearnVersion string `json:"sklearn_version"`
		Script         string `json:"script"`
	} `json:"origin"`
	Cases []struct {
		Name              string      `json:"name"`
		X                 [][]float64 `json:"x"`
		Labels            []int       `json:"labels"`
		Centers           [][]float64 `json:"centers"`
		Truth             []int       `json:"truth"`
		Silhouette        float64     `json:"silhouette"`
		SilhouetteSamples []float64   `json:"silhouette_samples"`
		CalinskiHarabasz  float64     `json:"calinski_harabasz"`
		DaviesBouldin     float64     `json:"davies_bouldin"`
		Inertia           *float64    `json:"inertia"`
		InertiaCentroids  float64     `json:"inertia_centroids"`
		ARI               *float64    `json:"ari"`
		NMI               *float64    `json:"nmi"`
	} `json:"cases"`
	LabelCases []struct {
		Name  string  `json:"name"`
		Truth []int   `json:"truth"`
		Pred  []int   `json:"pred"`
		ARI   float64 `json:"ari"`
		NMI   float64 `json:"nmi"`
	} `json:"label_cases"`
}

func loadReference(t testing.TB) *reference {
	t.Helper()
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Origin.Tool != "scikit-learn" || ref.Origin.SklearnVersion == "" || len(ref.Cases) == 0 || len(ref.LabelCases) == 0 {
		t.Fatalf("testdata/reference.json: unexpected origin %+v or no cases", ref.Origin)
	}
	return &ref
}

// near reports whether got is within 1e-9 of want, relative to |want|
// (absolute near zero).
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*max(1, math.Abs(want))
}

func mustRows(t testing.TB, rows [][]float64) *matrix.Dense {
	t.Helper()
	if rows == nil {
		return nil
	}
	m, err := matrix.FromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReferenceInternal(t *testing.T) {
	ref := loadReference(t)
	for _, tc := range ref.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			x := mustRows(t, tc.X)
			check := func(name string, got float64, err error, want float64) {
				t.Helper()
				if err != nil {
					t.Errorf("%s: %v", name, err)
				} else if !near(got, want) {
					t.Errorf("%s = %.17g, sklearn %.17g", name, got, want)
				}
			}
			s, err := Silhouette(x, tc.Labels)
			check("Silhouette", s, err, tc.Silhouette)
			s, err = SilhouetteSampled(x, tc.Labels, len(tc.Labels), 1)
			check("SilhouetteSampled(n)", s, err, tc.Silhouette)
			ch, err := CalinskiHarabasz(x, tc.Labels)
			check("CalinskiHarabasz", ch, err, tc.CalinskiHarabasz)
			db, err := DaviesBouldin(x, tc.Labels)
			check("DaviesBouldin", db, err, tc.DaviesBouldin)
			in, err := Inertia(x, tc.Labels, nil)
			check("Inertia(centroids)", in, err, tc.InertiaCentroids)
			if tc.Inertia != nil {
				in, err := Inertia(x, tc.Labels, mustRows(t, tc.Centers))
				check("Inertia(centers)", in, err, *tc.Inertia)
			}
			if tc.ARI != nil {
				a, err := AdjustedRand(tc.Truth, tc.Labels)
				check("AdjustedRand", a, err, *tc.ARI)
				m, err := NormalizedMutualInfo(tc.Truth, tc.Labels)
				check("NormalizedMutualInfo", m, err, *tc.NMI)
			}
			samples, err := SilhouetteSamples(x, tc.Labels)
			if err != nil {
				t.Fatalf("SilhouetteSamples: %v", err)
			}
			if len(samples) != len(tc.SilhouetteSamples) {
				t.Fatalf("SilhouetteSamples: %d values, want %d", len(samples), len(tc.SilhouetteSamples))
			}
			for i, want := range tc.SilhouetteSamples {
				if !near(samples[i], want) {
					t.Errorf("SilhouetteSamples[%d] = %.17g, sklearn %.17g", i, samples[i], want)
				}
			}
			sum, err := Summarize(x, tc.Labels, mustRows(t, tc.Centers), SummaryOptions{})
			if err != nil {
				t.Fatalf("Summarize: %v", err)
			}
			if sum.SilhouetteSampled {
				t.Errorf("Summarize sampled a small input")
			}
			check("Summary.Silhouette", sum.Silhouette, nil, tc.Silhouette)
			check("Summary.CalinskiHarabasz", sum.CalinskiHarabasz, nil, tc.CalinskiHarabasz)
			check("Summary.DaviesBouldin", sum.DaviesBouldin, nil, tc.DaviesBouldin)
			wantInertia := tc.InertiaCentroids
			if tc.Inertia != nil {
				wantInertia = *tc.Inertia
			}
			check("Summary.Inertia", sum.Inertia, nil, wantInertia)
		})
	}
}

func TestReferenceExternal(t *testing.T) {
	ref := loadReference(t)
	for _, tc := range ref.LabelCases {
		t.Run(tc.Name, func(t *testing.T) {
			a, err := AdjustedRand(tc.Truth, tc.Pred)
			if err != nil || !near(a, tc.ARI) {
				t.Errorf("AdjustedRand = %.17g, %v; sklearn %.17g", a, err, tc.ARI)
			}
			m, err := NormalizedMutualInfo(tc.Truth, tc.Pred)
			if err != nil || !near(m, tc.NMI) {
				t.Errorf("NormalizedMutualInfo = %.17g, %v; sklearn %.17g", m, err, tc.NMI)
			}
		})
	}
}
