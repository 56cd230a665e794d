package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/segkit/segkit/core/matrix"
)

// GaussianMixture fits a mixture of K Gaussians by expectation-maximisation,
// following scikit-learn 1.2's GaussianMixture: the same defaults, the same
// parameter estimates (responsibilities from log-sum-exp in log space,
// precisions through the Cholesky factor of each covariance, RegCovar added
// to every covariance's diagonal), the same stopping rule (the change of the
// mean log-likelihood lower bound per row below Tol) and the same BIC and
// AIC.
//
// Each run starts from hard responsibilities: the labels of k-means
// (KMeans{K, NInit: InitNInit, Seed} derived from Seed; scikit-learn's
// init_params="kmeans" is the same with a single k-means run) or InitLabels. Of NInit runs the one with the
// highest final lower bound is kept (the earliest on ties), and the labels
// are the component of highest posterior under its parameters.
//
// One pass over the rows per iteration computes the responsibilities and,
// at the same time, each component's weighted sums of the rows' offsets from
// the component's current mean and of their outer products; the new means
// and covariances follow exactly from these (the scatter about the new mean
// is the scatter about the old one corrected by the mean's shift), so the
// responsibilities are never stored.
//
// Time per iteration: O(n·K·d²) for "full" and "tied", O(n·K·d) for "diag"
// and "spherical", plus O(K·d³) for the Cholesky factors. Memory beyond the
// input: one label per row (8 bytes), the parameters (K·d² covariances and
// K·d(d+1)/2 Cholesky values for "full", K·d for "diag"), and
// K·(1+d+d(d+1)/2) sums ("diag"/"spherical": K·(1+2d)) per chunk of 4096
// rows, for at most 32 chunks at a time (fewer when the sums are large, so
// they take at most 128 MiB). The largest input: K·(1+d+d(d+1)/2) at most
// 2²⁴ (for example d = 256 with K = 500, or d = 1024 with K = 31), which
// also keeps the parameters under 256 MiB; beyond it Fit refuses with
// ErrTooLarge before allocating and suggests Covariance "diag".
type GaussianMixture struct {
	// K is the number of components; required, > 0 and at most the number
	// of rows.
	K int
	// Covariance is the form of the covariance matrices: "full" (each
	// component its own general covariance; "" means "full"), "tied" (one
	// general covariance shared by all components), "diag" (each component
	// its own diagonal covariance) or "spherical" (each component a single
	// variance).
	Covariance string
	// Tol stops a run when the mean log-likelihood lower bound per row
	// changes by less than Tol between iterations; 0 means 1e-3
	// (scikit-learn's default). It must not be negative.
	Tol float64
	// RegCovar is added to the diagonal of every covariance so that they
	// stay positive definite; 0 means 1e-6 (scikit-learn's default). It
	// must not be negative.
	RegCovar float64
	// MaxIter limits the EM iterations of each run; 0 means 100.
	MaxIter int
	// NInit is the number of runs; 0 means 1 (scikit-learn's default).
	NInit int
	// Init is how runs start when InitLabels is nil: "kmeans" ("" means
	// "kmeans"), the labels of k-means (greedy k-means++, as KMeans) seeded
	// from Seed and the run number.
	Init string
	// InitNInit is the number of k-means restarts of each run's start, the
	// one of lowest inertia kept; 0 means 3. scikit-learn starts from a
	// single k-means run (KMeans(n_init=1)); one run falls into a poor
	// local minimum more often (uci/ionosphere, mean ARI over 30 seeds:
	// 0.332 from one run, 0.394 from the best of three, scikit-learn
	// 0.383), and two more k-means runs cost little beside EM (see
	// docs/quality.md). 1 gives scikit-learn's start.
	InitNInit int
	// InitLabels, if not nil, gives every run the same start: one label in
	// 0..K-1 per row, turned into hard responsibilities. With it, Fit makes
	// exactly the computation of scikit-learn's GaussianMixture started from
	// the same responsibilities.
	InitLabels []int
	// Seed makes the result reproducible: the same data, settings and Seed
	// give identical results natively and in the browser.
	Seed uint64
	// Workers is the number of goroutines sharing the work; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called once per EM iteration, from the
	// goroutine that called Fit. Its Inertia is the negated mean
	// log-likelihood lower bound per row (lower is better, as for k-means).
	Progress func(Progress)
}

// Covariance forms of a GaussianMixture.
const (
	CovFull      = "full"
	CovTied      = "tied"
	CovDiag      = "diag"
	CovSpherical = "spherical"
)

// ErrNotPositiveDefinite reports that a covariance stayed singular even after
// RegCovar was added to its diagonal.
var ErrNotPositiveDefinite = errors.New("cluster: covariance is not positive definite")

// gmmMaxStats is the largest number of sums per chunk a fit accepts.
const gmmMaxStats = 1 << 24

// gmmRoundBudget caps the floats of sums held at once (128 MiB).
const gmmRoundBudget = 1 << 24

// Mixture is a fitted Gaussian mixture: the Predictor of the Model a
// GaussianMixture returns, reachable as m.Predictor.(*Mixture). Its fields
// must not be changed while it is in use; build one from saved parameters
// with NewMixture.
type Mixture struct {
	// Covariance is the covariance form: "full", "tied", "diag" or
	// "spherical".
	Covariance string
	// Weights holds the K mixing weights, summing to 1.
	Weights []float64
	// Means is the K×d matrix of component means.
	Means *matrix.Dense
	// Covariances holds the covariances, RegCovar included, row-major:
	// K·d·d values (K d×d matrices) for "full", d·d for "tied", K·d (the
	// diagonals) for "diag" and K variances for "spherical".
	Covariances []float64
	// LowerBound is the mean log-likelihood per row of the last iteration
	// of the kept run, computed (as scikit-learn's lower_bound_) with the
	// parameters before that iteration's update.
	LowerBound float64
	// Converged reports whether the kept run met Tol before MaxIter.
	Converged bool
	// Iterations is the number of EM iterations of the kept run.
	Iterations int
	// N is the number of training rows (0 for a mixture built by
	// NewMixture).
	N int
	// LogLikelihood is the mean log-likelihood per training row under the
	// final parameters (scikit-learn's score(X) on the training data). With
	// N it gives the BIC and AIC of the training data without the data; see
	// GMMCriterion.
	LogLikelihood float64

	k, d    int
	linv    []float64 // full: K packed lower-triangular inverses of the Cholesky factors; tied: one
	prec    []float64 // diag: K×d, spherical: K inverse standard deviations
	logDet  []float64 // K: log-determinant of the precision Cholesky factor
	logW    []float64 // K: log weights
	norm    float64   // d·log(2π)
	tri     int       // d(d+1)/2
	covType int
}

const (
	covFull = iota
	covTied
	covDiag
	covSpherical
)

func parseCov(s string) (int, error) {
	switch s {
	case "", CovFull:
		return covFull, nil
	case CovTied:
		return covTied, nil
	case CovDiag:
		return covDiag, nil
	case CovSpherical:
		return covSpherical, nil
	}
	return 0, fmt.Errorf("%w: Covariance = %q, want \"full\", \"tied\", \"diag\" or \"spherical\"", ErrBadSettings, s)
}

var covNames = [...]string{CovFull, CovTied, CovDiag, CovSpherical}

// gmmStatsPerComponent returns the number of sums one component needs.
func gmmStatsPerComponent(covType, d int) int {
	if covType == covFull || covType == covTied {
		return 1 + d + d*(d+1)/2
	}
	return 1 + 2*d
}

// Fit fits the mixture to the rows of x. It returns an error wrapping
// ErrBadSettings, ErrInvalidInput (with the row and column of a NaN or
// infinite value), ErrTooFewPoints (fewer rows than K), ErrTooLarge (see
// the bound above), ErrNotPositiveDefinite (a covariance singular even with
// RegCovar: the message names the component and suggests a larger RegCovar
// or Covariance "diag" or "spherical"), or the context's error if ctx is
// cancelled; the context is checked between iterations.
//
// The Model's Labels are the components of highest posterior, Centers the
// means, Inertia the sum of squared Euclidean distances of the rows to the
// mean of their component, Iterations and Converged those of the kept run,
// and Predictor the fitted *Mixture.
func (g *GaussianMixture) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if g == nil {
		return nil, fmt.Errorf("%w: nil GaussianMixture", ErrBadSettings)
	}
	covType, err := parseCov(g.Covariance)
	if err != nil {
		return nil, err
	}
	switch {
	case g.K <= 0:
		return nil, fmt.Errorf("%w: K = %d, want > 0", ErrBadSettings, g.K)
	case g.Tol < 0 || math.IsNaN(g.Tol) || math.IsInf(g.Tol, 0):
		return nil, fmt.Errorf("%w: Tol = %v, want a finite value >= 0", ErrBadSettings, g.Tol)
	case g.RegCovar < 0 || math.IsNaN(g.RegCovar) || math.IsInf(g.RegCovar, 0):
		return nil, fmt.Errorf("%w: RegCovar = %v, want a finite value >= 0", ErrBadSettings, g.RegCovar)
	case g.MaxIter < 0:
		return nil, fmt.Errorf("%w: MaxIter = %d, want >= 0", ErrBadSettings, g.MaxIter)
	case g.NInit < 0:
		return nil, fmt.Errorf("%w: NInit = %d, want >= 0", ErrBadSettings, g.NInit)
	case g.Workers < 0:
		return nil, fmt.Errorf("%w: Workers = %d, want >= 0", ErrBadSettings, g.Workers)
	case g.InitNInit < 0:
		return nil, fmt.Errorf("%w: InitNInit = %d, want >= 0", ErrBadSettings, g.InitNInit)
	case g.Init != "" && g.Init != "kmeans":
		return nil, fmt.Errorf("%w: Init = %q, want \"kmeans\"", ErrBadSettings, g.Init)
	}
	if x != nil && x.Cols > 0 {
		if s := gmmStatsPerComponent(covType, x.Cols); g.K > gmmMaxStats/s {
			return nil, fmt.Errorf("%w: a Gaussian mixture with %s covariances of %d components in %d dimensions needs %d·%d sums per chunk, more than %d; use Covariance \"diag\" or fewer columns",
				ErrTooLarge, covNames[covType], g.K, x.Cols, g.K, s, gmmMaxStats)
		}
	}
	workers := resolveWorkers(g.Workers)
	if _, err := checkMatrix(x, g.K, workers); err != nil {
		return nil, err
	}
	if g.InitLabels != nil {
		if len(g.InitLabels) != x.Rows {
			return nil, fmt.Errorf("%w: InitLabels has %d labels for %d rows", ErrBadSettings, len(g.InitLabels), x.Rows)
		}
		for i, l := range g.InitLabels {
			if l < 0 || l >= g.K {
				return nil, fmt.Errorf("%w: InitLabels[%d] = %d, want 0..%d", ErrBadSettings, i, l, g.K-1)
			}
		}
	}
	tol := g.Tol
	if tol == 0 {
		tol = 1e-3
	}
	reg := g.RegCovar
	if reg == 0 {
		reg = 1e-6
	}
	maxIter := cmp0(g.MaxIter, 100)
	nInit := cmp0(g.NInit, 1)

	st := newGMMState(x, g.K, covType, reg, workers)
	var best *Mixture
	for run := range nInit {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: gmm cancelled before run %d: %w", run+1, err)
		}
		labels := g.InitLabels
		if labels == nil {
			seed := rand.New(rand.NewPCG(g.Seed, uint64(run))).Uint64()
			km, err := (&KMeans{K: g.K, NInit: cmp0(g.InitNInit, 3), Seed: seed, Workers: g.Workers}).Fit(ctx, x)
			if err != nil {
				return nil, fmt.Errorf("cluster: gmm run %d: k-means initialisation: %w", run+1, err)
			}
			labels = km.Labels
		}
		var progress func(iter int, lb float64)
		if g.Progress != nil {
			progress = func(iter int, lb float64) {
				g.Progress(Progress{Algorithm: "gmm", Run: run + 1, Runs: nInit,
					Iteration: iter, MaxIter: maxIter, Inertia: -lb})
			}
		}
		mix, err := st.run(ctx, labels, maxIter, tol, progress)
		if err != nil {
			return nil, fmt.Errorf("cluster: gmm run %d: %w", run+1, err)
		}
		if best == nil || mix.LowerBound > best.LowerBound {
			best = mix
		}
	}
	labels := make([]int, st.n)
	ll, inertia := st.finalPass(best, labels)
	best.N = st.n
	best.LogLikelihood = ll / float64(st.n)
	return &Model{
		Algorithm:  "gmm",
		K:          g.K,
		Labels:     labels,
		Centers:    best.Means,
		Inertia:    inertia,
		Iterations: best.Iterations,
		Converged:  best.Converged,
		Predictor:  best,
	}, nil
}

// gmmState holds the data and buffers of a fit.
type gmmState struct {
	x               []float64
	n, d, k         int
	covType         int
	reg             float64
	workers, chunks int
	per             int       // sums per component
	round           int       // chunks per round
	part            []float64 // round×k×per partial sums
	pll             []float64 // round: partial log-likelihoods
	total           []float64 // k×per sums
	tri             int
}

func newGMMState(x *matrix.Dense, k, covType int, reg float64, workers int) *gmmState {
	n, d := x.Rows, x.Cols
	per := gmmStatsPerComponent(covType, d)
	chunks := numChunks(n)
	round := max(1, min(32, chunks, gmmRoundBudget/(k*per)))
	return &gmmState{
		x: x.Data[:n*d], n: n, d: d, k: k, covType: covType, reg: reg,
		workers: workers, chunks: chunks, per: per, round: round,
		part: make([]float64, round*k*per), pll: make([]float64, round),
		total: make([]float64, k*per), tri: d * (d + 1) / 2,
	}
}

// run makes one EM run from hard labels and returns its mixture.
func (st *gmmState) run(ctx context.Context, labels []int, maxIter int, tol float64, progress func(int, float64)) (*Mixture, error) {
	mix, err := st.initFromLabels(labels)
	if err != nil {
		return nil, err
	}
	lb := math.Inf(-1)
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cancelled at iteration %d: %w", it, err)
		}
		prev := lb
		ll := st.accumulate(mix, nil)
		lb = ll / float64(st.n)
		if math.IsNaN(lb) {
			return nil, fmt.Errorf("%w: the log-likelihood is NaN at iteration %d; increase RegCovar or use Covariance \"diag\" or \"spherical\"", ErrNotPositiveDefinite, it)
		}
		if err := st.mStep(mix, false); err != nil {
			return nil, err
		}
		mix.Iterations = it
		mix.LowerBound = lb
		if progress != nil {
			progress(it, lb)
		}
		if math.Abs(lb-prev) < tol {
			mix.Converged = true
			break
		}
	}
	return mix, nil
}

// initFromLabels estimates the parameters from hard responsibilities, as
// scikit-learn's _initialize: two passes (means, then the scatter about
// them), weights = counts / n.
func (st *gmmState) initFromLabels(labels []int) (*Mixture, error) {
	k, d := st.k, st.d
	mix := &Mixture{k: k, d: d, covType: st.covType, Covariance: covNames[st.covType],
		Weights: make([]float64, k), Means: matrix.New(k, d), tri: st.tri,
		norm: float64(d) * gmmLog(2*math.Pi), logDet: make([]float64, k), logW: make([]float64, k)}
	// The first pass finds the means; the second sums about them.
	st.accumulate(mix, labels)
	const eps10 = 10 * 2.220446049250313e-16
	for c := range k {
		sums := st.total[c*st.per : (c+1)*st.per]
		for j, v := range sums[1 : 1+d] {
			mix.Means.Data[c*d+j] = v / (sums[0] + eps10)
		}
	}
	st.accumulate(mix, labels)
	if err := st.mStep(mix, true); err != nil {
		return nil, err
	}
	return mix, nil
}

// accumulate computes, for every component c, the sums over rows of the
// responsibility r, of r·(x − μc) and of r·(x − μc)(x − μc)ᵀ (packed lower
// triangle; "diag"/"spherical": its diagonal) into st.total, with μc the
// current means. The responsibilities are the posteriors under mix, or, when
// labels is not nil, 1 for the labelled component and 0 otherwise. It
// returns the sum over rows of the log-likelihood (0 with labels).
func (st *gmmState) accumulate(mix *Mixture, labels []int) float64 {
	k, d, per := st.k, st.d, st.per
	clear(st.total)
	ll := 0.0
	for base := 0; base < st.chunks; base += st.round {
		nc := min(st.round, st.chunks-base)
		forEachChunk(st.workers, nc, func(c int) {
			part := st.part[c*k*per : (c+1)*k*per]
			clear(part)
			lo, hi := chunkBounds(base+c, st.n)
			diffs := make([]float64, k*d)
			lp := make([]float64, k)
			post := make([]float64, k)
			s := 0.0
			for i := lo; i < hi; i++ {
				xi := st.x[i*d : i*d+d]
				if labels != nil {
					l := labels[i]
					df := diffs[:d]
					mu := mix.Means.Data[l*d : l*d+d]
					for j, v := range xi {
						df[j] = v - mu[j]
					}
					st.addRow(part[l*per:(l+1)*per], df, 1)
					continue
				}
				s += mix.logProbs(xi, diffs, lp, nil, post)
				for c, r := range post {
					if r == 0 {
						continue
					}
					st.addRow(part[c*per:(c+1)*per], diffs[c*d:c*d+d], r)
				}
			}
			st.pll[c] = s
		})
		for c := range nc {
			for j, v := range st.part[c*k*per : (c+1)*k*per] {
				st.total[j] += v
			}
			ll += st.pll[c]
		}
	}
	return ll
}

// addRow adds the row offset df with responsibility r to one component's
// sums.
func (st *gmmState) addRow(sums, df []float64, r float64) {
	d := st.d
	sums[0] += r
	a := sums[1 : 1+d]
	for j, v := range df {
		a[j] += float64(r * v)
	}
	s := sums[1+d:]
	if st.covType == covFull || st.covType == covTied {
		off := 0
		for j, v := range df {
			rv := float64(r * v)
			row := s[off : off+j+1]
			for i := range row {
				row[i] += float64(rv * df[i])
			}
			off += j + 1
		}
		return
	}
	for j, v := range df {
		s[j] += float64(float64(r*v) * v)
	}
}

// mStep updates mix from st.total, as scikit-learn's
// _estimate_gaussian_parameters: nk = Σr + 10ε, means = Σr·x / nk,
// covariances = scatter about the new means / nk + RegCovar on the
// diagonal. Weights are nk / n at initialisation and nk / Σnk otherwise.
func (st *gmmState) mStep(mix *Mixture, init bool) error {
	k, d, per := st.k, st.d, st.per
	const eps10 = 10 * 2.220446049250313e-16
	nks := make([]float64, k)
	sumNk := 0.0
	delta := make([]float64, d)
	full := st.covType == covFull || st.covType == covTied
	var cov []float64
	switch st.covType {
	case covFull:
		cov = make([]float64, k*d*d)
	case covTied:
		cov = make([]float64, d*d)
	case covDiag:
		cov = make([]float64, k*d)
	case covSpherical:
		cov = make([]float64, k)
	}
	for c := range k {
		sums := st.total[c*per : (c+1)*per]
		rs := sums[0]
		a := sums[1 : 1+d]
		s := sums[1+d:]
		nk := rs + eps10
		nks[c] = nk
		sumNk += nk
		mu := mix.Means.Data[c*d : c*d+d]
		for j := range d {
			newMu := (a[j] + float64(rs*mu[j])) / nk
			delta[j] = newMu - mu[j]
			mu[j] = newMu
		}
		// Scatter about the new mean: S − δaᵀ − aδᵀ + Σr·δδᵀ.
		if full {
			var dst []float64
			if st.covType == covFull {
				dst = cov[c*d*d : (c+1)*d*d]
			} else {
				dst = cov
			}
			off := 0
			for j := range d {
				for i := 0; i <= j; i++ {
					v := s[off+i] - float64(delta[j]*a[i]) - float64(a[j]*delta[i]) + float64(float64(rs*delta[j])*delta[i])
					if st.covType == covFull {
						v /= nk
						dst[j*d+i] = v
						dst[i*d+j] = v
					} else {
						dst[j*d+i] += v
					}
				}
				off += j + 1
			}
			continue
		}
		if st.covType == covDiag {
			for j := range d {
				cov[c*d+j] = (s[j]-float64(2*delta[j]*a[j])+float64(float64(rs*delta[j])*delta[j]))/nk + st.reg
			}
			continue
		}
		v := 0.0
		for j := range d {
			v += (s[j]-float64(2*delta[j]*a[j])+float64(float64(rs*delta[j])*delta[j]))/nk + st.reg
		}
		cov[c] = v / float64(d)
	}
	switch st.covType {
	case covFull:
		for c := range k {
			for j := range d {
				cov[c*d*d+j*d+j] += st.reg
			}
		}
	case covTied:
		for j := range d {
			for i := 0; i <= j; i++ {
				v := cov[j*d+i] / sumNk
				cov[j*d+i] = v
				cov[i*d+j] = v
			}
			cov[j*d+j] += st.reg
		}
	}
	for c := range k {
		if init {
			mix.Weights[c] = nks[c] / float64(st.n)
		} else {
			mix.Weights[c] = nks[c] / sumNk
		}
	}
	mix.Covariances = cov
	return mix.prepare()
}

// prepare computes the Cholesky factors of the precisions, their
// log-determinants and the log weights from Weights and Covariances.
func (mix *Mixture) prepare() error {
	k, d := mix.k, mix.d
	for c, w := range mix.Weights {
		mix.logW[c] = gmmLog(w)
	}
	switch mix.covType {
	case covFull, covTied:
		nm := k
		if mix.covType == covTied {
			nm = 1
		}
		if len(mix.linv) != nm*mix.tri {
			mix.linv = make([]float64, nm*mix.tri)
		}
		l := make([]float64, d*d)
		for c := range nm {
			ld, ok := invCholesky(mix.Covariances[c*d*d:(c+1)*d*d], d, l, mix.linv[c*mix.tri:(c+1)*mix.tri])
			if !ok {
				return notPD(c, mix.covType)
			}
			if mix.covType == covTied {
				for i := range k {
					mix.logDet[i] = ld
				}
			} else {
				mix.logDet[c] = ld
			}
		}
	case covDiag, covSpherical:
		if len(mix.prec) != len(mix.Covariances) {
			mix.prec = make([]float64, len(mix.Covariances))
		}
		per := d
		if mix.covType == covSpherical {
			per = 1
		}
		for c := range k {
			ld := 0.0
			for j := range per {
				v := mix.Covariances[c*per+j]
				if !(v > 0) || math.IsInf(v, 0) {
					return notPD(c, mix.covType)
				}
				p := 1 / math.Sqrt(v)
				mix.prec[c*per+j] = p
				ld += gmmLog(p)
			}
			if mix.covType == covSpherical {
				ld *= float64(d)
			}
			mix.logDet[c] = ld
		}
	}
	return nil
}

func notPD(c, covType int) error {
	if covType == covTied {
		return fmt.Errorf("%w: the tied covariance is singular even with RegCovar added; increase RegCovar or use Covariance \"diag\" or \"spherical\"", ErrNotPositiveDefinite)
	}
	if covType == covFull {
		return fmt.Errorf("%w: the covariance of component %d is singular even with RegCovar added (too few or duplicate rows in it); increase RegCovar or use Covariance \"diag\" or \"spherical\"", ErrNotPositiveDefinite, c)
	}
	return fmt.Errorf("%w: a variance of component %d is zero or not finite even with RegCovar added; increase RegCovar", ErrNotPositiveDefinite, c)
}

// invCholesky factors the d×d matrix a (row-major) as L·Lᵀ into l and writes
// L⁻¹ into linv as a packed lower triangle (row j holds j+1 values). It
// returns the log-determinant of L⁻¹ and false if a is not positive
// definite.
func invCholesky(a []float64, d int, l, linv []float64) (float64, bool) {
	for i := range d {
		for j := 0; j <= i; j++ {
			s := a[i*d+j]
			for p := range j {
				s -= float64(l[i*d+p] * l[j*d+p])
			}
			if i == j {
				if !(s > 0) || math.IsInf(s, 0) {
					return 0, false
				}
				l[i*d+i] = math.Sqrt(s)
			} else {
				l[i*d+j] = s / l[j*d+j]
			}
		}
	}
	// Forward substitution column by column: L·(L⁻¹) = I.
	ld := 0.0
	off := 0
	for i := range d {
		// Row i of L⁻¹: inv[i][j] for j <= i.
		row := linv[off : off+i+1]
		inv := 1 / l[i*d+i]
		row[i] = inv
		ld += gmmLog(inv)
		for j := 0; j < i; j++ {
			// inv[i][j] = −(Σ_{p=j}^{i−1} L[i][p]·inv[p][j]) / L[i][i]
			s := 0.0
			for p := j; p < i; p++ {
				s += float64(l[i*d+p] * linv[p*(p+1)/2+j])
			}
			row[j] = -s * inv
		}
		off += i + 1
	}
	return ld, true
}

// logProbs sets lp[c] to log(w_c) + log N(x | μc, Σc) for every component,
// leaves x − μc in diffs[c·d:], optionally the squared Mahalanobis
// distances in maha, and returns log Σ exp(lp). If post is not nil it
// receives the posteriors exp(lp − max)/Σ exp(lp − max); terms below
// exp(−700) (under 1e-304 of the largest) are taken as 0.
func (mix *Mixture) logProbs(x, diffs, lp, maha, post []float64) float64 {
	k, d := mix.k, mix.d
	mu := mix.Means.Data
	for c := range k {
		df := diffs[c*d : c*d+d]
		m := mu[c*d : c*d+d]
		for j, v := range x {
			df[j] = v - m[j]
		}
		q := 0.0
		switch mix.covType {
		case covFull, covTied:
			li := mix.linv
			if mix.covType == covFull {
				li = li[c*mix.tri : (c+1)*mix.tri]
			}
			off := 0
			for j := range d {
				row := li[off : off+j+1]
				s := 0.0
				for i, v := range row {
					s += float64(v * df[i])
				}
				q += float64(s * s)
				off += j + 1
			}
		case covDiag:
			p := mix.prec[c*d : c*d+d]
			for j, v := range df {
				y := float64(v * p[j])
				q += float64(y * y)
			}
		case covSpherical:
			s := 0.0
			for _, v := range df {
				s += float64(v * v)
			}
			p := mix.prec[c]
			q = float64(s * float64(p*p))
		}
		if maha != nil {
			maha[c] = q
		}
		lp[c] = float64(-0.5*(mix.norm+q)) + mix.logDet[c] + mix.logW[c]
	}
	mx := math.Inf(-1)
	for _, v := range lp {
		mx = max(mx, v)
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	s := 0.0
	if post == nil {
		for _, v := range lp {
			if v-mx > -700 {
				s += gmmExp(v - mx)
			}
		}
		return mx + gmmLog(s)
	}
	for c, v := range lp {
		e := 0.0
		if v-mx > -700 {
			e = gmmExp(v - mx)
		}
		post[c] = e
		s += e
	}
	inv := 1 / s
	for c := range post {
		post[c] *= inv
	}
	return mx + gmmLog(s)
}

// finalPass labels the rows with their component of highest posterior and
// returns the summed log-likelihood and the inertia (squared Euclidean
// distances to the chosen means), both summed in chunk order.
func (st *gmmState) finalPass(mix *Mixture, labels []int) (ll, inertia float64) {
	k, d := st.k, st.d
	pll := make([]float64, st.chunks)
	pin := make([]float64, st.chunks)
	forEachChunk(st.workers, st.chunks, func(c int) {
		lo, hi := chunkBounds(c, st.n)
		diffs := make([]float64, k*d)
		lp := make([]float64, k)
		var s, in float64
		for i := lo; i < hi; i++ {
			s += mix.logProbs(st.x[i*d:i*d+d], diffs, lp, nil, nil)
			b := argmax(lp)
			labels[i] = b
			for _, v := range diffs[b*d : b*d+d] {
				in += float64(v * v)
			}
		}
		pll[c], pin[c] = s, in
	})
	for c := range st.chunks {
		ll += pll[c]
		inertia += pin[c]
	}
	return ll, inertia
}

// argmax returns the index of the largest value (the lowest on ties).
func argmax(v []float64) int {
	b := 0
	for i, x := range v {
		if x > v[b] {
			b = i
		}
	}
	return b
}

// NewMixture rebuilds a fitted mixture from its parameters (for example
// from a saved model): covType as in GaussianMixture.Covariance, K weights,
// the K×d means and the covariances in the layout of Mixture.Covariances.
// It returns an error wrapping ErrInvalidInput for inconsistent shapes or
// non-finite values and ErrNotPositiveDefinite for a singular covariance.
func NewMixture(covType string, weights []float64, means *matrix.Dense, covariances []float64) (*Mixture, error) {
	ct, err := parseCov(covType)
	if err != nil {
		return nil, err
	}
	if means == nil || means.Rows <= 0 || means.Cols <= 0 || len(means.Data) < means.Rows*means.Cols {
		return nil, fmt.Errorf("%w: mixture needs a K×d matrix of means", ErrInvalidInput)
	}
	k, d := means.Rows, means.Cols
	want := map[int]int{covFull: k * d * d, covTied: d * d, covDiag: k * d, covSpherical: k}[ct]
	if len(weights) != k || len(covariances) != want {
		return nil, fmt.Errorf("%w: mixture of %d components in %d dimensions needs %d weights and %d %s covariance values, got %d and %d",
			ErrInvalidInput, k, d, k, want, covNames[ct], len(weights), len(covariances))
	}
	for _, vs := range [][]float64{weights, means.Data[:k*d], covariances} {
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: mixture parameter %v", ErrInvalidInput, v)
			}
		}
	}
	mix := &Mixture{k: k, d: d, covType: ct, Covariance: covNames[ct],
		Weights: append([]float64(nil), weights...), Means: &matrix.Dense{Rows: k, Cols: d, Data: append([]float64(nil), means.Data[:k*d]...)},
		Covariances: append([]float64(nil), covariances...), tri: d * (d + 1) / 2,
		norm: float64(d) * gmmLog(2*math.Pi), logDet: make([]float64, k), logW: make([]float64, k)}
	if err := mix.prepare(); err != nil {
		return nil, err
	}
	return mix, nil
}

// Dim returns the number of values a point must have.
func (mix *Mixture) Dim() int { return mix.d }

// K returns the number of components.
func (mix *Mixture) K() int { return mix.k }

// Predict assigns x to the component of highest posterior probability (the
// lowest index on ties). Probabilities holds the posterior of every
// component (scikit-learn's predict_proba) and Distance the Mahalanobis
// distance from x to the chosen component's mean under its covariance,
// √((x−μ)ᵀΣ⁻¹(x−μ)).
func (mix *Mixture) Predict(x []float64) (Assignment, error) {
	if mix == nil || mix.Means == nil || mix.k == 0 {
		return Assignment{}, fmt.Errorf("%w: empty mixture", ErrNotInductive)
	}
	if err := checkPoint(x, mix.d); err != nil {
		return Assignment{}, err
	}
	k := mix.k
	diffs := make([]float64, k*mix.d)
	lp := make([]float64, k)
	maha := make([]float64, k)
	post := make([]float64, k)
	mix.logProbs(x, diffs, lp, maha, post)
	b := argmax(lp)
	return Assignment{Label: b, Distance: math.Sqrt(maha[b]), Probabilities: post}, nil
}

// checkRows validates a matrix of points for the mixture.
func (mix *Mixture) checkRows(x *matrix.Dense) error {
	if mix == nil || mix.Means == nil || mix.k == 0 {
		return fmt.Errorf("%w: empty mixture", ErrNotInductive)
	}
	if x == nil || x.Rows < 0 || len(x.Data) < x.Rows*x.Cols {
		return fmt.Errorf("%w: malformed matrix", ErrInvalidInput)
	}
	if x.Cols != mix.d {
		return fmt.Errorf("%w: points have %d values, the model expects %d", ErrInvalidInput, x.Cols, mix.d)
	}
	for i, v := range x.Data[:x.Rows*x.Cols] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &InputError{Row: i / x.Cols, Column: i % x.Cols, Value: v}
		}
	}
	return nil
}

// ScoreSamples returns the log-likelihood log p(x) of each row of x under
// the mixture (scikit-learn's score_samples).
func (mix *Mixture) ScoreSamples(x *matrix.Dense) ([]float64, error) {
	if err := mix.checkRows(x); err != nil {
		return nil, err
	}
	k, d := mix.k, mix.d
	out := make([]float64, x.Rows)
	diffs := make([]float64, k*d)
	lp := make([]float64, k)
	for i := range out {
		out[i] = mix.logProbs(x.Data[i*d:i*d+d], diffs, lp, nil, nil)
	}
	return out, nil
}

// Score returns the mean log-likelihood per row of x (scikit-learn's
// score); x must have at least one row.
func (mix *Mixture) Score(x *matrix.Dense) (float64, error) {
	s, err := mix.ScoreSamples(x)
	if err != nil {
		return 0, err
	}
	if len(s) == 0 {
		return 0, fmt.Errorf("%w: no rows", ErrTooFewPoints)
	}
	t := 0.0
	for _, v := range s {
		t += v
	}
	return t / float64(len(s)), nil
}

// PredictProba returns the n×K matrix of the posterior probabilities of the
// components for the rows of x (scikit-learn's predict_proba).
func (mix *Mixture) PredictProba(x *matrix.Dense) (*matrix.Dense, error) {
	if err := mix.checkRows(x); err != nil {
		return nil, err
	}
	k, d := mix.k, mix.d
	out := matrix.New(x.Rows, k)
	diffs := make([]float64, k*d)
	lp := make([]float64, k)
	for i := range x.Rows {
		mix.logProbs(x.Data[i*d:i*d+d], diffs, lp, nil, out.Data[i*k:i*k+k])
	}
	return out, nil
}

// NumParameters returns the number of free parameters of the mixture, as
// scikit-learn counts them: K·d means, K−1 weights and the covariances
// (full: K·d(d+1)/2, tied: d(d+1)/2, diag: K·d, spherical: K).
func (mix *Mixture) NumParameters() int {
	k, d := mix.k, mix.d
	var cov int
	switch mix.covType {
	case covFull:
		cov = k * d * (d + 1) / 2
	case covTied:
		cov = d * (d + 1) / 2
	case covDiag:
		cov = k * d
	case covSpherical:
		cov = k
	}
	return cov + k*d + k - 1
}

// BIC returns the Bayesian information criterion of the mixture on x,
// −2·Σ log p(x) + p·ln n with p = NumParameters (lower is better).
func (mix *Mixture) BIC(x *matrix.Dense) (float64, error) {
	s, err := mix.Score(x)
	if err != nil {
		return 0, err
	}
	n := float64(x.Rows)
	return float64(-2*s*n) + float64(float64(mix.NumParameters())*gmmLog(n)), nil
}

// AIC returns the Akaike information criterion of the mixture on x,
// −2·Σ log p(x) + 2p with p = NumParameters (lower is better).
func (mix *Mixture) AIC(x *matrix.Dense) (float64, error) {
	s, err := mix.Score(x)
	if err != nil {
		return 0, err
	}
	return float64(-2*s*float64(x.Rows)) + 2*float64(mix.NumParameters()), nil
}

// GMMCriterion returns the BIC and AIC of a Gaussian mixture model on its
// own training data, from the training log-likelihood and row count stored
// in its *Mixture (Mixture.LogLikelihood and N), so the data is not needed;
// they equal Mixture.BIC and AIC of the training matrix. ok is false when m
// is not a fitted Gaussian mixture.
func GMMCriterion(m *Model) (bic, aic float64, ok bool) {
	if m == nil {
		return 0, 0, false
	}
	mix, isMix := m.Predictor.(*Mixture)
	if !isMix || mix == nil || mix.N <= 0 {
		return 0, 0, false
	}
	n := float64(mix.N)
	nll := -2 * mix.LogLikelihood * n
	p := float64(mix.NumParameters())
	return nll + float64(p*gmmLog(n)), nll + 2*p, true
}
