package eval

import (
	"context"
	"errors"
	"fmt"
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
	// with NInit runs: &cluster.KMeans{K: k, NInit: NInit, Seed: Seed}.
	// Fitters are used one at a time, never concurrently. A func cannot
	// cross to another process: work spread over Web Workers uses the
	// default fitter (see Plan).
	Fitter func(k int) cluster.Fitter
	// NInit is the number of runs of the default k-means fitter, the best
	// kept; 0 means 3. It has no effect when Fitter is set.
	NInit int
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
// pass to validate and sample them. It is NewPlan, Plan.Score for each k in
// increasing order, and Plan.Decide.
//
// The context is checked before every fit and passed to the fitter. Errors
// wrap ErrInvalidInput (bad data), ErrBadOptions, ErrTooFewClusters (a fit
// with fewer than two clusters), the fitter's error, or the context's error.
func Suggest(ctx context.Context, x *matrix.Dense, opt SuggestOptions) (*Suggestion, error) {
	p, err := NewPlan(x, opt)
	if err != nil {
		return nil, err
	}
	ks := p.Ks()
	done, total := 0, len(ks)*p.FitsPerK()
	fitted := func() {
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	res := make([]KResult, len(ks))
	for i, k := range ks {
		r, err := p.Score(ctx, k, fitted)
		if err != nil {
			return nil, err
		}
		res[i] = *r
	}
	return p.Decide(res)
}

// criterionNames are the voting criteria in the order they are reported.
var criterionNames = []string{"silhouette", "calinski_harabasz", "davies_bouldin", "elbow", "gap", "bic"}

// Decide combines the results of every k of the plan, one KResult per k in
// any order, whoever scored them, into the Suggestion by the documented
// rule. Errors wrap ErrInvalidInput: a k missing, repeated or outside the
// range, or a result whose gap or stability numbers do not match the plan.
func (p *Plan) Decide(results []KResult) (s *Suggestion, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("eval: suggest: %v: %w", r, ErrInvalidInput)
		}
	}()
	sc, gapOK, err := p.scores(results)
	if err != nil {
		return nil, err
	}
	return p.decide(sc, gapOK), nil
}

// scores turns the results of every k into the KScores, in increasing k,
// with the gap statistic (usable where gapOK) and the mean stability.
func (p *Plan) scores(results []KResult) (sc []KScore, gapOK []bool, err error) {
	nk := p.kmax - p.kmin + 1
	if len(results) != nk {
		return nil, nil, fmt.Errorf("eval: suggest: %d results for %d values of k: %w", len(results), nk, ErrInvalidInput)
	}
	byK := make([]*KResult, nk)
	for i := range results {
		r := &results[i]
		if r.K < p.kmin || r.K > p.kmax || byK[r.K-p.kmin] != nil || len(r.RefLogW) != p.refs || len(r.PairARI) != p.runs {
			return nil, nil, fmt.Errorf("eval: suggest: result %d (k = %d, %d gap references, %d stability pairs) does not fit a plan of k = %d…%d, %d and %d, each k once: %w",
				i+1, r.K, len(r.RefLogW), len(r.PairARI), p.kmin, p.kmax, p.refs, p.runs, ErrInvalidInput)
		}
		byK[r.K-p.kmin] = r
	}
	sc = make([]KScore, nk)
	for i, r := range byK {
		sc[i] = KScore{K: r.K, Inertia: r.Inertia, Silhouette: r.Silhouette, CalinskiHarabasz: r.CalinskiHarabasz,
			DaviesBouldin: r.DaviesBouldin, BIC: r.BIC, AIC: r.AIC}
	}
	if p.refs > 0 {
		logW := make([]float64, nk)
		refLogW := make([][]float64, p.refs)
		for b := range refLogW {
			refLogW[b] = make([]float64, nk)
		}
		for i, r := range byK {
			logW[i] = r.LogW
			for b, v := range r.RefLogW {
				refLogW[b][i] = v
			}
		}
		gap, se, ok := gapStats(logW, refLogW)
		for i := range sc {
			sc[i].Gap, sc[i].GapSE = gap[i], se[i]
		}
		gapOK = ok
	}
	if p.runs > 0 {
		for i, r := range byK {
			var sum float64
			for _, ari := range r.PairARI {
				sum += ari
			}
			sc[i].Stability = sum / float64(p.runs)
		}
	}
	return sc, gapOK, nil
}

// decide combines the scores into the suggestion by the documented rule.
func (p *Plan) decide(sc []KScore, gapOK []bool) *Suggestion {
	stabilityEnabled := p.runs > 0
	nk := len(sc)
	s := &Suggestion{
		Scores:           sc,
		Rows:             p.rows,
		SampleSize:       p.xs.Rows,
		SilhouetteSample: p.silSample,
		CheckSample:      checkRows(p.xc),
		GapReferences:    p.refs,
		StabilityRuns:    p.runs,
		StabilitySample:  p.stabilitySample,
		Votes:            map[string]int{},
	}

	// Stability veto: only ks whose fits reproduce are eligible.
	eligible := make([]bool, nk)
	var unstable []string
	for i := range sc {
		eligible[i] = !stabilityEnabled || sc[i].Stability >= StabilityThreshold
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

	if p.refs > 0 {
		if i, rising := gapChoice(gapOf(sc), gapSEOf(sc), gapOK, eligible); i >= 0 {
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
		count[k-p.kmin]++
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
	if stabilityEnabled {
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
	if stabilityEnabled {
		switch {
		case noneStable:
			s.Reasons = append(s.Reasons, fmt.Sprintf("no k reached stability %.2f, so none was ruled out; treat the choice with care", StabilityThreshold))
		case len(unstable) > 0:
			s.Reasons = append(s.Reasons, fmt.Sprintf("ruled out as unstable (mean ARI below %.2f): %s", StabilityThreshold, strings.Join(unstable, ", ")))
		}
	}
	s.Reasons = append(s.Reasons, p.sizes())
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
func (p *Plan) sizes() string {
	var b strings.Builder
	if p.xs.Rows < p.rows {
		fmt.Fprintf(&b, "fitted on a sample of %d of %d rows", p.xs.Rows, p.rows)
	} else {
		fmt.Fprintf(&b, "fitted on all %d rows", p.rows)
	}
	if p.silSample < p.xs.Rows {
		fmt.Fprintf(&b, "; silhouette on %d of them", p.silSample)
	}
	if p.xc != nil && p.xc != p.xs {
		fmt.Fprintf(&b, "; gap and stability on %d of them", p.xc.Rows)
	}
	if p.refs > 0 {
		fmt.Fprintf(&b, "; gap statistic from %d uniform reference sets", p.refs)
	}
	if p.runs > 0 {
		fmt.Fprintf(&b, "; stability from %d pairs of %d-row subsamples", p.runs, p.stabilitySample)
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
