package eval

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

// ErrBadOptions reports SuggestOptions that cannot be used, such as
// KMax < KMin or a range of k too large for the number of rows.
var ErrBadOptions = errors.New("eval: bad options")

// Defaults of SuggestOptions.
const (
	defaultKMin             = 2
	defaultKMax             = 10
	defaultSuggestNInit     = 3
	defaultSuggestSample    = 20000
	defaultSuggestSilSample = 5000
	defaultGapReferences    = 5
	defaultCheckSample      = 5000
	defaultStabilityRuns    = 5
)

// SuggestOptions are the settings of Suggest. The zero value is usable.
type SuggestOptions struct {
	// KMin and KMax bound the numbers of clusters tried, inclusive; 0 means
	// 2 and 10. KMin must be at least 2 and KMax at least KMin.
	KMin, KMax int
	// Fitter returns the algorithm fitted for k clusters. nil means k-means
	// with three runs: &cluster.KMeans{K: k, NInit: 3, Seed: Seed}. Fitters
	// are used one at a time, never concurrently.
	Fitter func(k int) cluster.Fitter
	// Seed makes the result reproducible: it drives the default fitter, the
	// fit sample, the silhouette sample, the gap reference sets and the
	// stability subsamples, so the same data, options and Seed give the same
	// Suggestion natively and in the browser.
	Seed uint64
	// SampleSize is the number of rows every k is fitted and scored on. 0
	// means all rows when there are at most 20000, else a seeded uniform
	// sample of 20000 rows; a positive value caps the sample the same way;
	// a negative value means all rows. Suggestion.SampleSize states the
	// size used.
	SampleSize int
	// SilhouetteSample is the number of rows of the fit sample the
	// silhouette is computed on (the same rows for every k). 0 means 5000; a
	// negative value, or one at least the fit sample, means all of it.
	SilhouetteSample int
	// CheckSample is the number of rows of the fit sample (a seeded
	// subsample of it) that the gap statistic and stability are computed
	// on, since they need many more fits than the other scores. 0 means
	// 5000; a negative value, or one at least the fit sample, means all of
	// it. Suggestion.CheckSample states the size used.
	CheckSample int
	// GapReferences is the number B of reference sets of the gap statistic,
	// drawn uniformly in the bounding box of the check sample with as many
	// rows as it. 0 means 5; a negative value disables the gap statistic.
	GapReferences int
	// StabilityRuns is the number of pairs of independent 80 % subsamples of
	// the check sample used to measure stability: the adjusted Rand index
	// of the two fits on the rows the subsamples share, averaged over the
	// pairs. 0 means 5; a negative value disables stability (and its veto).
	StabilityRuns int
	// Criterion, if not nil, returns the BIC and AIC of a fitted model (lower
	// is better), with ok = false when the model has none; it is meant for
	// mixture models. nil means no BIC or AIC.
	Criterion func(m *cluster.Model) (bic, aic float64, ok bool)
	// Progress, if not nil, is called after every fit with the number of
	// fits done and the total, from the goroutine that called Suggest.
	Progress func(done, total int)
}

// KScore holds the scores of one k, computed on the fit sample.
type KScore struct {
	// K is the number of clusters asked of the fitter.
	K int `json:"k"`
	// Inertia is the within-cluster sum of squares about the cluster means.
	Inertia float64 `json:"inertia"`
	// Silhouette is the mean silhouette over the silhouette sample (higher
	// is better).
	Silhouette float64 `json:"silhouette"`
	// CalinskiHarabasz is the variance ratio criterion (higher is better).
	CalinskiHarabasz float64 `json:"calinski_harabasz"`
	// DaviesBouldin is the Davies–Bouldin index (lower is better).
	DaviesBouldin float64 `json:"davies_bouldin"`
	// Gap is the gap statistic and GapSE its standard error s_k, from the
	// check sample; both 0 when the gap statistic is disabled.
	Gap   float64 `json:"gap"`
	GapSE float64 `json:"gap_se"`
	// Stability is the mean adjusted Rand index between fits on pairs of
	// subsamples of the check sample (1 is perfectly reproducible); 0 when
	// disabled.
	Stability float64 `json:"stability"`
	// BIC and AIC come from SuggestOptions.Criterion; nil without one.
	BIC *float64 `json:"bic,omitempty"`
	AIC *float64 `json:"aic,omitempty"`
}

// Suggestion is the outcome of Suggest: the suggested number of clusters,
// the reasons in words, and every score behind them.
type Suggestion struct {
	// SuggestedK is the number of clusters suggested.
	SuggestedK int `json:"suggested_k"`
	// Reasons explains the choice in sentences that name the numbers; the
	// first one summarises it.
	Reasons []string `json:"reasons"`
	// Elbow is the k at the knee of the inertia curve (Kneedle), 0 when the
	// curve has none.
	Elbow int `json:"elbow"`
	// Scores holds one KScore per k, in increasing k.
	Scores []KScore `json:"scores"`
	// Rows is the number of rows of the input.
	Rows int `json:"rows"`
	// SampleSize is the number of rows every k was fitted and scored on.
	SampleSize int `json:"sample_size"`
	// SilhouetteSample is the number of rows the silhouette was computed on.
	SilhouetteSample int `json:"silhouette_sample"`
	// CheckSample is the number of rows the gap statistic and stability
	// were computed on (0 when both are disabled).
	CheckSample int `json:"check_sample"`
	// GapReferences is the number of reference sets of the gap statistic,
	// 0 when disabled.
	GapReferences int `json:"gap_references"`
	// StabilityRuns is the number of subsample pairs behind Stability, 0
	// when disabled; StabilitySample is the size of each subsample.
	StabilityRuns   int `json:"stability_runs"`
	StabilitySample int `json:"stability_sample"`
	// Votes maps each criterion that voted to the k it chose: "silhouette",
	// "calinski_harabasz", "davies_bouldin", "elbow", "gap" and "bic".
	Votes map[string]int `json:"votes"`
}

// Suggest fits the rows of x for every k from KMin to KMax, scores each
// clustering and combines the scores into one suggested k with its reasons,
// by the rule in the package documentation ("Choosing the number of
// clusters"). Large inputs are sampled (see SuggestOptions.SampleSize), so
// the cost depends on the sample sizes, not on the number of rows beyond one
// pass to validate and sample them.
//
// The context is checked before every fit and passed to the fitter. Errors
// wrap ErrInvalidInput (bad data), ErrBadOptions, ErrTooFewClusters (a fit
// with fewer than two clusters), the fitter's error, or the context's error.
func Suggest(ctx context.Context, x *matrix.Dense, opt SuggestOptions) (s *Suggestion, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("eval: suggest: %v: %w", r, ErrInvalidInput)
		}
	}()
	if err := checkMatrix(x, "data"); err != nil {
		return nil, err
	}
	st, err := newSuggester(x, opt)
	if err != nil {
		return nil, err
	}
	if err := st.run(ctx); err != nil {
		return nil, err
	}
	return st.decide(), nil
}

// suggester holds the state of one Suggest call.
type suggester struct {
	opt              SuggestOptions
	rows             int
	xs               *matrix.Dense // the fit sample
	xc               *matrix.Dense // the check sample (gap, stability); nil when both are off
	kmin, kmax       int
	silSample        int
	refs, runs       int
	stabilitySample  int
	fitter           func(k int) cluster.Fitter
	scores           []KScore
	gapOK            []bool
	done, totalFits  int
	stabilityEnabled bool
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

func newSuggester(x *matrix.Dense, opt SuggestOptions) (*suggester, error) {
	st := &suggester{opt: opt, rows: x.Rows, kmin: opt.KMin, kmax: opt.KMax}
	if st.kmin == 0 {
		st.kmin = defaultKMin
	}
	if st.kmax == 0 {
		st.kmax = max(defaultKMax, st.kmin)
	}
	if st.kmin < 2 || st.kmax < st.kmin {
		return nil, fmt.Errorf("eval: k from %d to %d, want 2 <= KMin <= KMax: %w", st.kmin, st.kmax, ErrBadOptions)
	}
	if x.Rows > maxLabelled {
		return nil, fmt.Errorf("eval: %d rows, at most %d supported: %w", x.Rows, maxLabelled, ErrInvalidInput)
	}
	n := sampleSize(opt.SampleSize, defaultSuggestSample, x.Rows)
	if n < st.kmax+1 {
		return nil, fmt.Errorf("eval: k up to %d needs at least %d rows, have %d: %w", st.kmax, st.kmax+1, n, ErrBadOptions)
	}
	st.refs = pickCount(opt.GapReferences, defaultGapReferences)
	st.runs = pickCount(opt.StabilityRuns, defaultStabilityRuns)
	st.stabilityEnabled = st.runs > 0
	nc := 0
	if st.refs > 0 || st.runs > 0 {
		nc = sampleSize(opt.CheckSample, defaultCheckSample, n)
		if nc < st.kmax+1 {
			return nil, fmt.Errorf("eval: k up to %d needs a check sample of at least %d rows, have %d: %w", st.kmax, st.kmax+1, nc, ErrBadOptions)
		}
	}
	if st.runs > 0 {
		st.stabilitySample = int(stabilityFraction * float64(nc))
		if st.stabilitySample < st.kmax+1 {
			return nil, fmt.Errorf("eval: k up to %d needs %d rows in each stability subsample, have %d of a check sample of %d rows "+
				"(lower KMax or disable stability with StabilityRuns < 0): %w", st.kmax, st.kmax+1, st.stabilitySample, nc, ErrBadOptions)
		}
	}
	st.xs = x
	if n < x.Rows {
		st.xs = gather(x, sampleRows(x.Rows, n, rand.New(rand.NewPCG(opt.Seed, fitSampleStream))))
	}
	switch {
	case nc == n:
		st.xc = st.xs
	case nc > 0:
		st.xc = gather(st.xs, sampleRows(n, nc, rand.New(rand.NewPCG(opt.Seed, checkSampleStream))))
	}
	st.silSample = sampleSize(opt.SilhouetteSample, defaultSuggestSilSample, n)
	st.fitter = opt.Fitter
	if st.fitter == nil {
		seed := opt.Seed
		st.fitter = func(k int) cluster.Fitter {
			return &cluster.KMeans{K: k, NInit: defaultSuggestNInit, Seed: seed}
		}
	}
	nk := st.kmax - st.kmin + 1
	st.totalFits = nk * (1 + st.refs + 2*st.runs)
	if st.refs > 0 && st.xc != st.xs {
		st.totalFits += nk // the check sample itself, for W_k
	}
	st.scores = make([]KScore, nk)
	for i := range st.scores {
		st.scores[i].K = st.kmin + i
	}
	return st, nil
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

// fit fits k clusters to x and returns the labels, checking the context
// first and reporting progress after.
func (st *suggester) fit(ctx context.Context, x *matrix.Dense, k int, what string) (*cluster.Model, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("eval: suggest cancelled before fit %d of %d: %w", st.done+1, st.totalFits, err)
	}
	f := st.fitter(k)
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
	st.done++
	if st.opt.Progress != nil {
		st.opt.Progress(st.done, st.totalFits)
	}
	return m, nil
}

// run fits and scores every k: on the fit sample, on the gap reference sets
// and on the stability subsamples.
func (st *suggester) run(ctx context.Context) error {
	for i := range st.scores {
		sc := &st.scores[i]
		m, err := st.fit(ctx, st.xs, sc.K, "sample")
		if err != nil {
			return err
		}
		c, err := prepareK(st.xs, m.Labels)
		if err != nil {
			return fmt.Errorf("eval: suggest: k = %d: %w", sc.K, err)
		}
		if sc.Inertia, err = c.inertia(m.Labels, nil); err != nil {
			return err
		}
		if sc.Silhouette, _, err = c.silhouetteSampled(st.silSample, st.opt.Seed); err != nil {
			return fmt.Errorf("eval: suggest: k = %d: %w", sc.K, err)
		}
		sc.CalinskiHarabasz = c.calinskiHarabasz()
		sc.DaviesBouldin = c.daviesBouldin()
		if st.opt.Criterion != nil {
			if bic, aic, ok := st.opt.Criterion(m); ok && finite(bic) && finite(aic) {
				sc.BIC, sc.AIC = &bic, &aic
			}
		}
	}
	if err := st.runGap(ctx); err != nil {
		return err
	}
	return st.runStability(ctx)
}

// runGap computes the gap statistic of every k from B uniform reference sets
// in the bounding box of the fit sample, each clustered for every k.
func (st *suggester) runGap(ctx context.Context) error {
	if st.refs == 0 {
		return nil
	}
	nk := len(st.scores)
	logW := make([]float64, nk)
	for i, sc := range st.scores {
		w := sc.Inertia
		if st.xc != st.xs {
			m, err := st.fit(ctx, st.xc, sc.K, "check sample")
			if err != nil {
				return err
			}
			if w, err = Inertia(st.xc, m.Labels, nil); err != nil {
				return err
			}
		}
		logW[i] = logDispersion(w)
	}
	lo, hi := boundingBox(st.xc)
	ref := matrix.New(st.xc.Rows, st.xc.Cols)
	rng := rand.New(rand.NewPCG(st.opt.Seed, gapStream))
	refLogW := make([][]float64, st.refs)
	for b := range refLogW {
		uniformReference(ref, lo, hi, rng)
		refLogW[b] = make([]float64, nk)
		for i, sc := range st.scores {
			m, err := st.fit(ctx, ref, sc.K, fmt.Sprintf("gap reference %d", b+1))
			if err != nil {
				return err
			}
			w, err := Inertia(ref, m.Labels, nil)
			if err != nil {
				return err
			}
			refLogW[b][i] = logDispersion(w)
		}
	}
	gap, se, ok := gapStats(logW, refLogW)
	for i := range st.scores {
		st.scores[i].Gap, st.scores[i].GapSE = gap[i], se[i]
	}
	st.gapOK = ok
	return nil
}

// runStability fits every k on pairs of subsamples and records the mean
// adjusted Rand index on their common rows. The same pairs serve every k.
func (st *suggester) runStability(ctx context.Context) error {
	if st.runs == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(st.opt.Seed, stabilityStream))
	sum := make([]float64, len(st.scores))
	for r := range st.runs {
		p := newStabilityPair(st.xc, rng)
		for i, sc := range st.scores {
			what := fmt.Sprintf("stability pair %d", r+1)
			ma, err := st.fit(ctx, p.a, sc.K, what)
			if err != nil {
				return err
			}
			mb, err := st.fit(ctx, p.b, sc.K, what)
			if err != nil {
				return err
			}
			ari, err := p.agreement(ma.Labels, mb.Labels)
			if err != nil {
				return err
			}
			sum[i] += ari
		}
	}
	for i := range st.scores {
		st.scores[i].Stability = sum[i] / float64(st.runs)
	}
	return nil
}

// criterionNames are the voting criteria in the order they are reported.
var criterionNames = []string{"silhouette", "calinski_harabasz", "davies_bouldin", "elbow", "gap", "bic"}

// decide combines the scores into the suggestion by the documented rule.
func (st *suggester) decide() *Suggestion {
	sc := st.scores
	nk := len(sc)
	s := &Suggestion{
		Scores:           sc,
		Rows:             st.rows,
		SampleSize:       st.xs.Rows,
		SilhouetteSample: st.silSample,
		CheckSample:      checkRows(st.xc),
		GapReferences:    st.refs,
		StabilityRuns:    st.runs,
		StabilitySample:  st.stabilitySample,
		Votes:            map[string]int{},
	}

	// Stability veto: only ks whose fits reproduce are eligible.
	eligible := make([]bool, nk)
	var unstable []string
	for i := range sc {
		eligible[i] = !st.stabilityEnabled || sc[i].Stability >= StabilityThreshold
		if !eligible[i] {
			unstable = append(unstable, fmt.Sprintf("%d (%.2f)", sc[i].K, sc[i].Stability))
		}
	}
	noneStable := !slices.Contains(eligible, true)
	if noneStable {
		for i := range eligible {
			eligible[i] = true
		}
	}

	why := map[string]string{} // criterion → phrase for the reasons
	vote := func(name string, i int, phrase string) {
		s.Votes[name] = sc[i].K
		why[name] = phrase
	}
	best := func(better func(a, b int) bool) int {
		b := -1
		for i := range sc {
			if eligible[i] && (b < 0 || better(i, b)) {
				b = i
			}
		}
		return b
	}
	if i := best(func(a, b int) bool { return sc[a].Silhouette > sc[b].Silhouette }); i >= 0 {
		vote("silhouette", i, fmt.Sprintf("highest silhouette %.3f", sc[i].Silhouette))
	}
	if i := best(func(a, b int) bool { return sc[a].CalinskiHarabasz > sc[b].CalinskiHarabasz }); i >= 0 {
		vote("calinski_harabasz", i, fmt.Sprintf("highest Calinski–Harabasz %.4g", sc[i].CalinskiHarabasz))
	}
	if i := best(func(a, b int) bool { return sc[a].DaviesBouldin < sc[b].DaviesBouldin }); i >= 0 {
		vote("davies_bouldin", i, fmt.Sprintf("lowest Davies–Bouldin %.3f", sc[i].DaviesBouldin))
	}

	ks := make([]float64, nk)
	inertia := make([]float64, nk)
	for i := range sc {
		ks[i], inertia[i] = float64(sc[i].K), sc[i].Inertia
	}
	elbowNote := ""
	if i, ok := Kneedle(ks, inertia, true, true); ok {
		s.Elbow = sc[i].K
		if eligible[i] {
			vote("elbow", i, fmt.Sprintf("elbow of the inertia curve at %d", sc[i].K))
		} else {
			elbowNote = fmt.Sprintf("the elbow of the inertia curve at %d is unstable and does not vote", sc[i].K)
		}
	}

	if st.refs > 0 {
		if i, rising := gapChoice(gapOf(sc), gapSEOf(sc), st.gapOK, eligible); i >= 0 {
			if rising {
				vote("gap", i, fmt.Sprintf("gap statistic still rising at %d (%.3f)", sc[i].K, sc[i].Gap))
			} else {
				vote("gap", i, fmt.Sprintf("gap statistic %.3f ≥ gap(%d) − s = %.3f",
					sc[i].Gap, sc[i+1].K, sc[i+1].Gap-sc[i+1].GapSE))
			}
		}
	}

	if i := best(func(a, b int) bool {
		return sc[a].BIC != nil && (sc[b].BIC == nil || *sc[a].BIC < *sc[b].BIC)
	}); i >= 0 && sc[i].BIC != nil {
		vote("bic", i, fmt.Sprintf("lowest BIC %.6g", *sc[i].BIC))
	}

	// Plurality; ties go to the higher silhouette, then the smaller k.
	count := make([]int, nk)
	for _, k := range s.Votes {
		count[k-st.kmin]++
	}
	win := -1
	for i := range sc {
		if !eligible[i] {
			continue
		}
		if win < 0 || count[i] > count[win] || (count[i] == count[win] && sc[i].Silhouette > sc[win].Silhouette) {
			win = i
		}
	}
	s.SuggestedK = sc[win].K

	// Reasons: the headline, the count, the dissent, the veto, the sizes.
	var agree, dissent []string
	for _, name := range criterionNames {
		k, ok := s.Votes[name]
		if !ok {
			continue
		}
		if k == s.SuggestedK {
			agree = append(agree, why[name])
		} else {
			dissent = append(dissent, fmt.Sprintf("%s prefers %d (%s)", criterionLabel[name], k, why[name]))
		}
	}
	head := append([]string(nil), agree...)
	if st.stabilityEnabled {
		head = append(head, fmt.Sprintf("stability %.2f", sc[win].Stability))
	}
	if len(agree) == 0 {
		head = append([]string{fmt.Sprintf("no criterion's favourite is eligible; highest silhouette among the eligible %.3f",
			sc[win].Silhouette)}, head...)
	}
	s.Reasons = append(s.Reasons, fmt.Sprintf("k = %d: %s", s.SuggestedK, strings.Join(head, ", ")))
	s.Reasons = append(s.Reasons, fmt.Sprintf("%d of %d criteria chose %d", count[win], len(s.Votes), s.SuggestedK))
	tied := 0
	for i := range sc {
		if eligible[i] && count[i] == count[win] {
			tied++
		}
	}
	if tied > 1 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("a tie of %d votes was broken by the silhouette (%.3f)", count[win], sc[win].Silhouette))
	}
	s.Reasons = append(s.Reasons, dissent...)
	if elbowNote != "" {
		s.Reasons = append(s.Reasons, elbowNote)
	}
	if st.stabilityEnabled {
		switch {
		case noneStable:
			s.Reasons = append(s.Reasons, fmt.Sprintf("no k reached stability %.2f, so none was ruled out; treat the choice with care", StabilityThreshold))
		case len(unstable) > 0:
			s.Reasons = append(s.Reasons, fmt.Sprintf("ruled out as unstable (mean ARI below %.2f): %s", StabilityThreshold, strings.Join(unstable, ", ")))
		}
	}
	s.Reasons = append(s.Reasons, st.sizes())
	return s
}

// criterionLabel names each criterion in the reasons.
var criterionLabel = map[string]string{
	"silhouette":        "silhouette",
	"calinski_harabasz": "Calinski–Harabasz",
	"davies_bouldin":    "Davies–Bouldin",
	"elbow":             "elbow",
	"gap":               "gap statistic",
	"bic":               "BIC",
}

// sizes states the sample sizes behind the scores.
func (st *suggester) sizes() string {
	var b strings.Builder
	if st.xs.Rows < st.rows {
		fmt.Fprintf(&b, "fitted on a sample of %d of %d rows", st.xs.Rows, st.rows)
	} else {
		fmt.Fprintf(&b, "fitted on all %d rows", st.rows)
	}
	if st.silSample < st.xs.Rows {
		fmt.Fprintf(&b, "; silhouette on %d of them", st.silSample)
	}
	if st.xc != nil && st.xc != st.xs {
		fmt.Fprintf(&b, "; gap and stability on %d of them", st.xc.Rows)
	}
	if st.refs > 0 {
		fmt.Fprintf(&b, "; gap statistic from %d uniform reference sets", st.refs)
	}
	if st.runs > 0 {
		fmt.Fprintf(&b, "; stability from %d pairs of %d-row subsamples", st.runs, st.stabilitySample)
	}
	return b.String()
}

// checkRows is the number of rows of the check sample, 0 without one.
func checkRows(xc *matrix.Dense) int {
	if xc == nil {
		return 0
	}
	return xc.Rows
}

func gapOf(sc []KScore) []float64 {
	g := make([]float64, len(sc))
	for i := range sc {
		g[i] = sc[i].Gap
	}
	return g
}

func gapSEOf(sc []KScore) []float64 {
	g := make([]float64, len(sc))
	for i := range sc {
		g[i] = sc[i].GapSE
	}
	return g
}
