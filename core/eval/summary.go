package eval

import (
	"github.com/segkit/segkit/core/matrix"
)

// Summary gathers the internal indices of one clustering. Noise rows
// (negative labels) are excluded from all of them.
type Summary struct {
	// K is the number of clusters, noise excluded.
	K int `json:"k"`
	// Sizes holds the number of rows in each cluster, in ascending order of
	// label value.
	Sizes []int `json:"sizes"`
	// Inertia is the sum of squared distances to the cluster centres.
	Inertia float64 `json:"inertia"`
	// Silhouette is the mean silhouette, exact or over a sample.
	Silhouette float64 `json:"silhouette"`
	// CalinskiHarabasz is the variance ratio criterion (higher is better).
	CalinskiHarabasz float64 `json:"calinski_harabasz"`
	// DaviesBouldin is the Davies–Bouldin index (lower is better).
	DaviesBouldin float64 `json:"davies_bouldin"`
	// SilhouetteSampled reports whether Silhouette was computed on a sample.
	SilhouetteSampled bool `json:"silhouette_sampled"`
	// SilhouetteSample is the number of rows Silhouette was computed on: the
	// sample size when sampled, else the number of non-noise rows.
	SilhouetteSample int `json:"silhouette_sample"`
}

// SummaryOptions are the settings of Summarize.
type SummaryOptions struct {
	// SilhouetteSampleSize is the number of rows the silhouette is computed
	// on. Zero means exact when there are at most 10000 non-noise rows and a
	// sample of 10000 rows otherwise;
	// a negative value means always exact; a positive value at least the
	// number of non-noise rows also means exact.
	SilhouetteSampleSize int
	// Seed drives the silhouette sample (see SilhouetteSampled).
	Seed uint64
}

// defaultSilhouetteSample is the sample size Summarize uses for the
// silhouette of large inputs when SummaryOptions.SilhouetteSampleSize is 0,
// and the largest input it computes exactly then.
const defaultSilhouetteSample = 10000

// Summarize computes every internal index of a clustering in one call. Rows
// with a negative label are noise and are excluded from every index. Centers,
// if not nil, gives the centre of label l as its row l, for the inertia (see
// Inertia); if nil, the centroids of the labels are used. It needs
// 2 <= k <= m-1 clusters among the m non-noise rows, else the error wraps
// ErrTooFewClusters.
func Summarize(x *matrix.Dense, labels []int, centers *matrix.Dense, opt SummaryOptions) (*Summary, error) {
	c, err := prepareK(x, labels)
	if err != nil {
		return nil, err
	}
	inertia, err := c.inertia(labels, centers)
	if err != nil {
		return nil, err
	}
	size := opt.SilhouetteSampleSize
	switch {
	case size < 0:
		size = 0
	case size == 0 && c.m > defaultSilhouetteSample:
		size = defaultSilhouetteSample
	}
	sil, used, err := c.silhouetteSampled(size, opt.Seed)
	if err != nil {
		return nil, err
	}
	return &Summary{
		K:                 c.k(),
		Sizes:             c.sizes,
		Inertia:           inertia,
		Silhouette:        sil,
		CalinskiHarabasz:  c.calinskiHarabasz(),
		DaviesBouldin:     c.daviesBouldin(),
		SilhouetteSampled: used < c.m,
		SilhouetteSample:  used,
	}, nil
}
