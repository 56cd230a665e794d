package eval

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

// Plan is Suggest in two steps, so that the ks can be scored in several
// processes: NewPlan validates the options and draws the samples, Score fits
// and scores one k, and Decide combines the results of every k into the
// Suggestion. Suggest is exactly NewPlan, Score for each k, and Decide.
//
// The result of a k depends only on the data, the options, the Seed and k —
// not on which other ks a process scores, nor in what order — since the gap
// reference sets and the stability pairs are drawn from their own seeded
// streams and are the same for every k. So a plan made in another process
// from Portable's sample and options scores any k exactly as p does, bit for
// bit, and Decide gives the same Suggestion whoever scored each k.
//
// A Plan holds the fit and check samples and, from the first Score on, the
// B gap reference sets (each the size of the check sample) and the R
// stability pairs (two 80 % subsamples each), drawn once for every k. It is
// used by one goroutine at a time.
type Plan struct {
	opt             SuggestOptions
	rows            int
	xs              *matrix.Dense // the fit sample
	xc              *matrix.Dense // the check sample (gap, stability); nil when both are off
	kmin, kmax      int
	nInit           int
	silSample       int
	refs, runs      int
	stabilitySample int
	fitter          func(k int) cluster.Fitter

	// Drawn on the first Score that needs them, then kept: the same for
	// every k.
	refSets []*matrix.Dense
	pairs   []*stabilityPair
}

// KResult holds what Plan.Score measures for one k before the ks are
// combined: the scores of the fit on the fit sample and the raw numbers
// behind the gap statistic and stability. Plan.Decide turns the KResults of
// every k into the Suggestion. MarshalBinary and UnmarshalBinary carry it
// between processes with every float64 bit for bit.
type KResult struct {
	// K is the number of clusters asked of the fitter.
	K int
	// Inertia, Silhouette, CalinskiHarabasz and DaviesBouldin are as in
	// KScore.
	Inertia, Silhouette, CalinskiHarabasz, DaviesBouldin float64
	// BIC and AIC come from SuggestOptions.Criterion; nil without one, or
	// when it gave none for this fit.
	BIC, AIC *float64
	// LogW is log W_k, the log within-cluster sum of squares of the fit on
	// the check sample (−Inf when it is 0); 0 when the gap statistic is off.
	LogW float64
	// RefLogW holds log W_k of the fit on each gap reference set, in the
	// order the sets are drawn; empty when the gap statistic is off.
	RefLogW []float64
	// PairARI holds the adjusted Rand index of the two fits of each
	// stability pair, in the order the pairs are drawn; empty when stability
	// is off.
	PairARI []float64
}

// NewPlan validates x and the options and draws the fit, check and
// silhouette samples, as Suggest does before its first fit. Errors wrap
// ErrInvalidInput (bad data) or ErrBadOptions.
func NewPlan(x *matrix.Dense, opt SuggestOptions) (p *Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("eval: suggest: %v: %w", r, ErrInvalidInput)
		}
	}()
	if err := checkMatrix(x, "data"); err != nil {
		return nil, err
	}
	p = &Plan{opt: opt, rows: x.Rows, kmin: opt.KMin, kmax: opt.KMax, nInit: opt.NInit}
	if p.kmin == 0 {
		p.kmin = defaultKMin
	}
	if p.kmax == 0 {
		p.kmax = max(defaultKMax, p.kmin)
	}
	if p.nInit == 0 {
		p.nInit = defaultSuggestNInit
	}
	if p.kmin < 2 || p.kmax < p.kmin {
		return nil, fmt.Errorf("eval: k from %d to %d, want 2 <= KMin <= KMax: %w", p.kmin, p.kmax, ErrBadOptions)
	}
	if x.Rows > maxLabelled {
		return nil, fmt.Errorf("eval: %d rows, at most %d supported: %w", x.Rows, maxLabelled, ErrInvalidInput)
	}
	n := sampleSize(opt.SampleSize, defaultSuggestSample, x.Rows)
	if n < p.kmax+1 {
		return nil, fmt.Errorf("eval: k up to %d needs at least %d rows, have %d: %w", p.kmax, p.kmax+1, n, ErrBadOptions)
	}
	p.refs = pickCount(opt.GapReferences, defaultGapReferences)
	p.runs = pickCount(opt.StabilityRuns, defaultStabilityRuns)
	nc := 0
	if p.refs > 0 || p.runs > 0 {
		nc = sampleSize(opt.CheckSample, defaultCheckSample, n)
		if nc < p.kmax+1 {
			return nil, fmt.Errorf("eval: k up to %d needs a check sample of at least %d rows, have %d: %w", p.kmax, p.kmax+1, nc, ErrBadOptions)
		}
	}
	if p.runs > 0 {
		p.stabilitySample = int(stabilityFraction * float64(nc))
		if p.stabilitySample < p.kmax+1 {
			return nil, fmt.Errorf("eval: k up to %d needs %d rows in each stability subsample, have %d of a check sample of %d rows "+
				"(lower KMax or disable stability with StabilityRuns < 0): %w", p.kmax, p.kmax+1, p.stabilitySample, nc, ErrBadOptions)
		}
	}
	p.xs = x
	if n < x.Rows {
		p.xs = gather(x, sampleRows(x.Rows, n, rand.New(rand.NewPCG(opt.Seed, fitSampleStream))))
	}
	switch {
	case nc == n:
		p.xc = p.xs
	case nc > 0:
		p.xc = gather(p.xs, sampleRows(n, nc, rand.New(rand.NewPCG(opt.Seed, checkSampleStream))))
	}
	p.silSample = sampleSize(opt.SilhouetteSample, defaultSuggestSilSample, n)
	p.fitter = opt.Fitter
	if p.fitter == nil {
		seed, nInit := opt.Seed, p.nInit
		p.fitter = func(k int) cluster.Fitter {
			return &cluster.KMeans{K: k, NInit: nInit, Seed: seed}
		}
	}
	return p, nil
}

// sampleSize resolves a sample-size option for n rows: 0 means min(def, n),
// a negative value n, a positive one min(v, n).
func sampleSize(v, def, n int) int {
	switch {
	case v == 0:
		return min(def, n)
	case v < 0:
		return n
	}
	return min(v, n)
}

// pickCount resolves a count option: 0 means def, negative means none.
func pickCount(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// Ks returns the numbers of clusters to score, KMin to KMax in increasing
// order.
func (p *Plan) Ks() []int {
	ks := make([]int, p.kmax-p.kmin+1)
	for i := range ks {
		ks[i] = p.kmin + i
	}
	return ks
}

// FitsPerK is the number of fits Score makes for one k: one on the fit
// sample, one on the check sample when it differs and the gap statistic is
// on, one per gap reference set and two per stability pair.
func (p *Plan) FitsPerK() int {
	n := 1 + p.refs + 2*p.runs
	if p.refs > 0 && p.xc != p.xs {
		n++
	}
	return n
}

// Portable returns the fit sample and the options with which NewPlan, in
// this process or another, makes a plan that scores every k exactly as p
// does: p's options with every size resolved, SampleSize −1 (the sample is
// all of it) and NInit set. The sample is p's own; do not modify it.
// Fitter, Criterion and Progress are carried over as they are; a process
// that cannot receive them (a Web Worker) uses the default fitter, which
// NInit and Seed describe, and no Criterion.
func (p *Plan) Portable() (*matrix.Dense, SuggestOptions) {
	opt := p.opt
	opt.KMin, opt.KMax, opt.NInit = p.kmin, p.kmax, p.nInit
	opt.SampleSize = -1
	opt.SilhouetteSample = p.silSample
	opt.CheckSample = checkRows(p.xc)
	opt.GapReferences, opt.StabilityRuns = p.refs, p.runs
	if p.refs == 0 {
		opt.GapReferences = -1
	}
	if p.runs == 0 {
		opt.StabilityRuns = -1
	}
	return p.xs, opt
}

// Score fits and scores k clusters: on the fit sample, then on the check
// sample and each gap reference set, then on each stability pair. fitted,
// if not nil, is called after every fit (Score does not call
// SuggestOptions.Progress). The context is checked before every fit and
// passed to the fitter. Errors wrap ErrBadOptions (k outside the range, a
// nil fitter), ErrTooFewClusters, ErrLengthMismatch, ErrInvalidInput, the
// fitter's error or the context's error.
func (p *Plan) Score(ctx context.Context, k int, fitted func()) (r *KResult, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			r, err = nil, fmt.Errorf("eval: suggest: k = %d: %v: %w", k, rec, ErrInvalidInput)
		}
	}()
	if k < p.kmin || k > p.kmax {
		return nil, fmt.Errorf("eval: k = %d outside the plan's %d to %d: %w", k, p.kmin, p.kmax, ErrBadOptions)
	}
	fit := func(x *matrix.Dense, what string) (*cluster.Model, error) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("eval: suggest cancelled before fitting k = %d (%s): %w", k, what, err)
		}
		f := p.fitter(k)
		if f == nil {
			return nil, fmt.Errorf("eval: Fitter(%d) returned nil: %w", k, ErrBadOptions)
		}
		m, err := f.Fit(ctx, x)
		if err != nil {
			return nil, fmt.Errorf("eval: suggest: fitting k = %d (%s): %w", k, what, err)
		}
		if m == nil || len(m.Labels) != x.Rows {
			return nil, fmt.Errorf("eval: suggest: fitting k = %d (%s): model without one label per row: %w", k, what, ErrLengthMismatch)
		}
		if fitted != nil {
			fitted()
		}
		return m, nil
	}

	r = &KResult{K: k}
	m, err := fit(p.xs, "sample")
	if err != nil {
		return nil, err
	}
	c, err := prepareK(p.xs, m.Labels)
	if err != nil {
		return nil, fmt.Errorf("eval: suggest: k = %d: %w", k, err)
	}
	if r.Inertia, err = c.inertia(m.Labels, nil); err != nil {
		return nil, err
	}
	if r.Silhouette, _, err = c.silhouetteSampled(p.silSample, p.opt.Seed); err != nil {
		return nil, fmt.Errorf("eval: suggest: k = %d: %w", k, err)
	}
	r.CalinskiHarabasz = c.calinskiHarabasz()
	r.DaviesBouldin = c.daviesBouldin()
	if p.opt.Criterion != nil {
		if bic, aic, ok := p.opt.Criterion(m); ok && finite(bic) && finite(aic) {
			r.BIC, r.AIC = &bic, &aic
		}
	}

	if p.refs > 0 {
		w := r.Inertia
		if p.xc != p.xs {
			m, err := fit(p.xc, "check sample")
			if err != nil {
				return nil, err
			}
			if w, err = Inertia(p.xc, m.Labels, nil); err != nil {
				return nil, err
			}
		}
		r.LogW = logDispersion(w)
		r.RefLogW = make([]float64, p.refs)
		for b, ref := range p.references() {
			m, err := fit(ref, fmt.Sprintf("gap reference %d", b+1))
			if err != nil {
				return nil, err
			}
			w, err := Inertia(ref, m.Labels, nil)
			if err != nil {
				return nil, err
			}
			r.RefLogW[b] = logDispersion(w)
		}
	}

	if p.runs > 0 {
		r.PairARI = make([]float64, p.runs)
		for i, pair := range p.stabilityPairs() {
			what := fmt.Sprintf("stability pair %d", i+1)
			ma, err := fit(pair.a, what)
			if err != nil {
				return nil, err
			}
			mb, err := fit(pair.b, what)
			if err != nil {
				return nil, err
			}
			if r.PairARI[i], err = pair.agreement(ma.Labels, mb.Labels); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// references returns the B uniform reference sets of the gap statistic in
// the bounding box of the check sample, drawn in order from one stream on
// first use.
func (p *Plan) references() []*matrix.Dense {
	if p.refSets == nil {
		lo, hi := boundingBox(p.xc)
		rng := rand.New(rand.NewPCG(p.opt.Seed, gapStream))
		p.refSets = make([]*matrix.Dense, p.refs)
		for b := range p.refSets {
			p.refSets[b] = matrix.New(p.xc.Rows, p.xc.Cols)
			uniformReference(p.refSets[b], lo, hi, rng)
		}
	}
	return p.refSets
}

// stabilityPairs returns the pairs of subsamples of the check sample behind
// stability, drawn in order from one stream on first use.
func (p *Plan) stabilityPairs() []*stabilityPair {
	if p.pairs == nil {
		rng := rand.New(rand.NewPCG(p.opt.Seed, stabilityStream))
		p.pairs = make([]*stabilityPair, p.runs)
		for i := range p.pairs {
			p.pairs[i] = newStabilityPair(p.xc, rng)
		}
	}
	return p.pairs
}
