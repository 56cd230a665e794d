package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// Defaults of a suggestion.
const (
	defaultKMin        = 2
	defaultKMax        = 10
	defaultSuggestInit = 3
)

// suggest scores k-means for every k of a range on the loaded file and
// suggests one (eval.Suggest), reporting each fit as progress.
func (h *Handler) suggest(ctx context.Context, req protocol.Request, emit func(protocol.Response)) protocol.Response {
	p := req.Suggest
	if p == nil {
		return fail(req, protocol.CodeBadRequest, "suggest: the request has no suggest part")
	}
	if h.table == nil {
		return fail(req, protocol.CodeNoData, "Load a file before asking how many segments it has.")
	}
	res, err := h.suggestTable(ctx, p, func(done, total int) {
		emit(protocol.Response{ID: req.ID, Op: protocol.OpProgress, Progress: &protocol.Progress{Phase: "suggest", Done: int64(done), Total: int64(total)}})
	})
	if err != nil {
		var pe *protocol.Error
		if errors.As(err, &pe) {
			return fail(req, pe.Code, pe.Message)
		}
		return fail(req, protocol.CodeInternal, err.Error())
	}
	return protocol.Response{ID: req.ID, Op: req.Op, Suggest: res}
}

func (h *Handler) suggestTable(ctx context.Context, p *protocol.SuggestParams, progress func(done, total int)) (*protocol.Suggestion, error) {
	kmin, kmax, nInit := p.KMin, p.KMax, p.NInit
	if kmin == 0 {
		kmin = defaultKMin
	}
	if kmax == 0 {
		kmax = defaultKMax
	}
	if nInit == 0 {
		nInit = defaultSuggestInit
	}
	switch {
	case kmin < 2 || kmax > protocol.MaxK || kmax < kmin:
		return nil, perr(protocol.CodeBadK, "The range of segments to try must lie between 2 and %d, smallest first (got %d to %d).", protocol.MaxK, kmin, kmax)
	case nInit < 0 || nInit > protocol.MaxNInit:
		return nil, perr(protocol.CodeBadSetting, "Restarts must be between 1 and %d.", protocol.MaxNInit)
	}
	// Every k is scored with k-means, which needs numbers: categorical
	// columns (chosen for k-prototypes or k-medoids) take part as one 0/1
	// indicator per category.
	pr, err := h.prepare(p.Columns, p.Scale, encodeOneHot)
	if err != nil {
		return nil, err
	}
	var cats []string
	for _, name := range p.Columns {
		if c := h.table.Column(name); c != nil && c.Kind == dataset.KindCategorical {
			cats = append(cats, fmt.Sprintf("%q", name))
		}
	}
	if kmax >= pr.x.Rows {
		return nil, perr(protocol.CodeBadK, "Trying up to %d segments needs more than %d rows; the file has %d.", kmax, kmax, pr.x.Rows)
	}
	start := time.Now()
	var last time.Time
	opt := eval.SuggestOptions{
		KMin: kmin, KMax: kmax, Seed: p.Seed, NInit: nInit, // k-means: &cluster.KMeans{K: k, NInit: nInit, Seed: p.Seed}
		Progress: func(done, total int) {
			if now := time.Now(); now.Sub(last) >= progressEvery || done == total {
				last = now
				progress(done, total)
			}
		},
	}
	// With helper workers the ks are shared out (the same result).
	var s *eval.Suggestion
	workers := 1
	if h.Shards != nil {
		s, workers, err = h.Shards.Suggest(ctx, pr.x, opt)
	} else {
		s, err = eval.Suggest(ctx, pr.x, opt)
	}
	switch {
	case ctx.Err() != nil:
		return nil, perr(protocol.CodeCancelled, "Cancelled.")
	case errors.Is(err, eval.ErrBadOptions), errors.Is(err, eval.ErrTooFewClusters):
		return nil, perr(protocol.CodeBadK, "%s", strings.TrimPrefix(err.Error(), "eval: "))
	case err != nil:
		return nil, perr(protocol.CodeBadValue, "%s", strings.TrimPrefix(err.Error(), "eval: "))
	}
	reasons := s.Reasons
	switch {
	case len(cats) == 1:
		reasons = append(reasons, fmt.Sprintf("The category column %s counts here as one 0/1 indicator per category, since every k is scored with k-means.", cats[0]))
	case len(cats) > 1:
		reasons = append(reasons, fmt.Sprintf("The category columns %s count here as one 0/1 indicator per category, since every k is scored with k-means.", strings.Join(cats, ", ")))
	}
	out := &protocol.Suggestion{
		SuggestedK: s.SuggestedK, Elbow: s.Elbow, Reasons: reasons, Rows: s.Rows, SampleSize: s.SampleSize,
		Seconds: time.Since(start).Seconds(), StabilityThreshold: eval.StabilityThreshold, Workers: workers,
	}
	for _, k := range s.Scores {
		out.Scores = append(out.Scores, protocol.KScore{K: k.K, Inertia: k.Inertia, Silhouette: k.Silhouette,
			CalinskiHarabasz: k.CalinskiHarabasz, DaviesBouldin: k.DaviesBouldin, Gap: k.Gap, Stability: k.Stability})
	}
	return out, nil
}
