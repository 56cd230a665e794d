package eval

import (
	"math"

	"github.com/segkit/segkit/core/matrix"
)

// CalinskiHarabasz returns the Calinski–Harabasz index (variance ratio
// criterion) of the non-noise rows of x, as scikit-learn's
// calinski_harabasz_score: the between-cluster dispersion over the
// within-cluster dispersion, each divided by its degrees of freedom, so
// higher is better. It is 1 when every cluster is a single repeated point.
// Rows with a negative label are noise and are left out. It needs
// 2 <= k <= m-1 clusters among the m non-noise rows.
func CalinskiHarabasz(x *matrix.Dense, labels []int) (float64, error) {
	c, err := prepareK(x, labels)
	if err != nil {
		return 0, err
	}
	return c.calinskiHarabasz(), nil
}

func (c *clustering) calinskiHarabasz() float64 {
	d := c.x.Cols
	cent, mu := c.centroids()
	var extra, intra float64
	for code, n := range c.sizes {
		extra += float64(n) * sqDist(cent[code*d:code*d+d], mu)
	}
	for i, code := range c.codes {
		if code >= 0 {
			intra += sqDist(c.x.Row(i), cent[int(code)*d:])
		}
	}
	if intra == 0 {
		return 1
	}
	k := float64(c.k())
	return extra * (float64(c.m) - k) / (intra * (k - 1))
}

// DaviesBouldin returns the Davies–Bouldin index of the non-noise rows of x,
// as scikit-learn's davies_bouldin_score: the mean, over clusters, of the
// largest ratio (s_i + s_j) / d(c_i, c_j), where s is a cluster's mean
// distance to its centroid c; lower is better, 0 is the minimum. Pairs of
// clusters with the same centroid are skipped, and the index is 0 when all
// s or all centroid distances are within 1e-8 of zero. Rows with a negative
// label are noise and are left out. It needs 2 <= k <= m-1 clusters among
// the m non-noise rows.
func DaviesBouldin(x *matrix.Dense, labels []int) (float64, error) {
	c, err := prepareK(x, labels)
	if err != nil {
		return 0, err
	}
	return c.daviesBouldin(), nil
}

// closeToZero is numpy.allclose's default absolute tolerance, which
// scikit-learn uses to detect degenerate inputs.
const closeToZero = 1e-8

func (c *clustering) daviesBouldin() float64 {
	d, k := c.x.Cols, c.k()
	cent, _ := c.centroids()
	spread := make([]float64, k)
	for i, code := range c.codes {
		if code >= 0 {
			spread[code] += math.Sqrt(sqDist(c.x.Row(i), cent[int(code)*d:]))
		}
	}
	allSmall := true
	for code, n := range c.sizes {
		spread[code] /= float64(n)
		allSmall = allSmall && math.Abs(spread[code]) <= closeToZero
	}
	dist := make([]float64, k*k)
	allNear := true
	for i := range k {
		for j := range k {
			dist[i*k+j] = math.Sqrt(sqDist(cent[i*d:i*d+d], cent[j*d:]))
			allNear = allNear && dist[i*k+j] <= closeToZero
		}
	}
	if allSmall || allNear {
		return 0
	}
	var total float64
	for i := range k {
		worst := 0.0
		for j := range k {
			if dij := dist[i*k+j]; dij != 0 {
				worst = max(worst, (spread[i]+spread[j])/dij)
			}
		}
		total += worst
	}
	return total / float64(k)
}
