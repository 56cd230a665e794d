package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/core/profile"
	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/segkit/segkit/wasm/engine/shards"
)

// noiseName is the segment name of noise rows in the labelled download.
const noiseName = "Noise"

// pageSilhouetteSample is the number of rows the page's silhouette is
// computed on when a fit has more.
const pageSilhouetteSample = 5000

// progressEvery is the least time between two progress reports of one request.
const progressEvery = 50 * time.Millisecond

// Handler serves requests about one file. The zero value is ready to use.
type Handler struct {
	mu sync.Mutex // serialises requests (except cancel) and guards the state below

	name  string
	size  int64 // announced size of the file being received
	data  []byte
	table *dataset.Table
	orig  *source // the loaded file while the RFM table made from it is in use

	readWorkers int // the workers that parsed the loaded file

	fit       *protocol.FitResult
	model     *model.Model
	rowLabels []int // per table row: -1 noise, profile.NotClustered for a row left out
	profile   *profile.Profile
	names     []string // segment names by id, as the user sees them
	noModel   string   // why there is no model (h.model nil after a fit)

	assigner assigner // the model of the last assign request, decoded

	runMu   sync.Mutex
	running map[int]context.CancelFunc

	// Shards, if not nil, spreads the parsing of large files and the
	// k-means fits of files large enough to be worth it over helper
	// workers (set up by the worker's main on OpPool); the result is the
	// same as in this worker alone.
	Shards *shards.Client
}

// Handle serves one request. emit, if not nil, receives progress reports
// (Op "progress") before Handle returns the final response. Handle never
// panics: a bug becomes an error with code "internal".
func (h *Handler) Handle(ctx context.Context, req protocol.Request, emit func(protocol.Response)) (resp protocol.Response) {
	if emit == nil {
		emit = func(protocol.Response) {}
	}
	defer func() {
		if p := recover(); p != nil {
			resp = fail(req, protocol.CodeInternal, fmt.Sprintf("segkit hit a bug (%v); please report it", p))
		}
	}()
	if req.Op == protocol.OpCancel {
		return h.cancel(req)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h.runMu.Lock()
	if h.running == nil {
		h.running = map[int]context.CancelFunc{}
	}
	h.running[req.ID] = cancel
	h.runMu.Unlock()
	defer func() {
		h.runMu.Lock()
		delete(h.running, req.ID)
		h.runMu.Unlock()
	}()

	h.mu.Lock()
	defer h.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return fail(req, protocol.CodeCancelled, "Cancelled.")
	}
	switch req.Op {
	case protocol.OpLoad:
		return h.load(ctx, req, emit)
	case protocol.OpInspect:
		if h.table == nil {
			return fail(req, protocol.CodeNoData, "No file is loaded yet.")
		}
		return protocol.Response{ID: req.ID, Op: req.Op, Inspect: h.inspection()}
	case protocol.OpFit:
		return h.fitRequest(ctx, req, emit)
	case protocol.OpLabelled:
		return h.labelled(req)
	case protocol.OpModel:
		return h.modelFile(req)
	case protocol.OpSuggest:
		return h.suggest(ctx, req, emit)
	case protocol.OpRename:
		return h.rename(req)
	case protocol.OpProfiles:
		return h.profilesFile(req)
	case protocol.OpRFM:
		return h.rfmRequest(req)
	case protocol.OpAssign:
		return h.assign(req)
	}
	return fail(req, protocol.CodeBadRequest, fmt.Sprintf("unknown operation %q", req.Op))
}

func (h *Handler) cancel(req protocol.Request) protocol.Response {
	h.runMu.Lock()
	c := h.running[req.Target]
	h.runMu.Unlock()
	if c != nil {
		c()
	}
	return protocol.Response{ID: req.ID, Op: req.Op}
}

func fail(req protocol.Request, code, msg string) protocol.Response {
	return protocol.Response{ID: req.ID, Op: req.Op, Error: &protocol.Error{Code: code, Message: msg}}
}

func (h *Handler) reset() {
	h.name, h.size, h.data, h.table, h.orig, h.readWorkers = "", 0, nil, nil, nil, 0
	h.fit, h.model, h.rowLabels, h.profile, h.names, h.noModel = nil, nil, nil, nil, nil, ""
}

func (h *Handler) load(ctx context.Context, req protocol.Request, emit func(protocol.Response)) protocol.Response {
	l := req.Load
	if l == nil {
		return fail(req, protocol.CodeBadRequest, "load: the request has no load part")
	}
	if l.Offset == 0 {
		h.reset()
		h.name, h.size = path.Base(strings.ReplaceAll(l.Name, `\`, "/")), l.Size
	}
	switch {
	case l.Size < 0 || l.Offset < 0:
		return fail(req, protocol.CodeBadRequest, "load: negative size or offset")
	case l.Offset != int64(len(h.data)):
		return fail(req, protocol.CodeBadRequest, fmt.Sprintf("load: chunk at byte %d, expected byte %d", l.Offset, len(h.data)))
	case l.Size > protocol.MaxFileSize || int64(len(h.data))+int64(len(l.Chunk)) > protocol.MaxFileSize:
		h.reset()
		return fail(req, protocol.CodeTooLarge, fmt.Sprintf("The file is larger than %d MB, the most this page can segment.", protocol.MaxFileSize>>20))
	}
	if h.data == nil && l.Size > 0 {
		h.data = make([]byte, 0, l.Size)
	}
	h.data = append(h.data, l.Chunk...)
	if !l.Final {
		return protocol.Response{ID: req.ID, Op: req.Op, Loaded: &protocol.LoadedChunk{Bytes: int64(len(h.data))}}
	}
	total := int64(len(h.data))
	var last time.Time
	opt := dataset.Options{Progress: func(n int64) {
		if now := time.Now(); now.Sub(last) >= progressEvery {
			last = now
			emit(protocol.Response{ID: req.ID, Op: protocol.OpProgress, Progress: &protocol.Progress{Phase: "parse", Done: min(n, total), Total: total}})
		}
	}}
	var t *dataset.Table
	var err error
	workers := 1
	if h.Shards != nil && h.Shards.Helpers() > 0 {
		// The helpers parse all but the first part of the file meanwhile.
		t, workers, err = dataset.ReadSplit(h.data, opt, h.Shards.Helpers()+1, h.Shards.Parts(ctx))
	} else {
		t, err = dataset.Read(bytes.NewReader(h.data), opt)
	}
	if err != nil {
		name := h.name
		h.reset()
		code, msg := readError(err)
		return fail(req, code, fmt.Sprintf("%s: %s", name, msg))
	}
	h.table, h.readWorkers = t, workers
	return protocol.Response{ID: req.ID, Op: req.Op, Inspect: h.inspection()}
}

// readError maps a dataset error to a code and a message for people.
func readError(err error) (code, msg string) {
	switch {
	case errors.Is(err, dataset.ErrEmpty):
		return protocol.CodeEmptyFile, "the file is empty: it has no rows to segment."
	case errors.Is(err, dataset.ErrBinary):
		return protocol.CodeBinaryFile, "this is not a text file. segkit reads CSV, TSV and other delimited text; save a spreadsheet (.xlsx) as CSV first."
	case errors.Is(err, dataset.ErrHeaderOnly):
		return protocol.CodeHeaderOnly, "the file has a header row but no data rows."
	}
	msg = strings.TrimPrefix(err.Error(), "dataset: ")
	return protocol.CodeParse, msg
}

func (h *Handler) inspection() *protocol.Inspection {
	t := h.table
	in := &protocol.Inspection{
		Name: h.name, Size: int64(len(h.data)), Rows: t.Rows, Skipped: t.SkippedCount, Workers: max(h.readWorkers, 1),
		Format: protocol.Format{Delimiter: string(t.Format.Delimiter), Header: t.Format.Header, Encoding: t.Format.Encoding},
	}
	for _, c := range t.Columns {
		col := protocol.Column{Name: c.Name, Type: c.Kind.String(), Missing: c.Missing, Numeric: c.Kind.IsNumeric(), Examples: []string{}}
		col.Default = col.Numeric
		for i := 0; i < c.Len() && len(col.Examples) < 3; i++ {
			if s := c.Text(i); s != "" && !slices.Contains(col.Examples, s) {
				col.Examples = append(col.Examples, s)
			}
		}
		in.Columns = append(in.Columns, col)
	}
	if h.orig == nil {
		in.RFM = guessRFM(t)
		in.Goals = guessGoals(t)
	}
	for i := 0; i < t.Rows && i < protocol.PreviewRows; i++ {
		row := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			row[j] = c.Text(i)
		}
		in.Preview = append(in.Preview, row)
	}
	return in
}

func (h *Handler) fitRequest(ctx context.Context, req protocol.Request, emit func(protocol.Response)) protocol.Response {
	p := req.Fit
	if p == nil {
		return fail(req, protocol.CodeBadRequest, "fit: the request has no fit part")
	}
	if h.table == nil {
		return fail(req, protocol.CodeNoData, "Load a file before segmenting.")
	}
	res, err := h.fitTable(ctx, p, func(pr protocol.Progress) {
		emit(protocol.Response{ID: req.ID, Op: protocol.OpProgress, Progress: &pr})
	})
	if err != nil {
		var pe *protocol.Error
		if errors.As(err, &pe) {
			return fail(req, pe.Code, pe.Message)
		}
		return fail(req, protocol.CodeInternal, err.Error())
	}
	return protocol.Response{ID: req.ID, Op: req.Op, Fit: res}
}

func perr(code, format string, args ...any) error {
	return &protocol.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// prepared is the loaded table turned into features.
type prepared struct {
	pipe  *prep.Pipeline
	x     *matrix.Dense
	rep   *prep.Report
	scale prep.Scale
}

// encoding is how prepare turns categorical columns into features.
type encoding uint8

const (
	encodeNone   encoding = iota // a categorical column is refused
	encodeCodes                  // one code per category (the mixed algorithms)
	encodeOneHot                 // one 0/1 indicator per category (the suggestion of k)
)

// prepare checks the columns and scaling of a request and prepares the
// features, categorical columns as enc says; errors are *protocol.Error.
func (h *Handler) prepare(cols []string, scaleName string, enc encoding) (*prepared, error) {
	t := h.table
	scale := prep.ScaleStandard
	if scaleName != "" {
		s, err := prep.ParseScale(scaleName)
		if err != nil {
			return nil, perr(protocol.CodeBadSetting, "Unknown scaling %q: choose standard, minmax, robust or none.", scaleName)
		}
		scale = s
	}
	if len(cols) == 0 {
		for _, c := range t.Columns {
			if c.Kind.IsNumeric() {
				cols = append(cols, c.Name)
			}
		}
		if len(cols) == 0 {
			return nil, perr(protocol.CodeNoNumericColumns, "The file has no numeric column to segment on: segkit needs at least one column of numbers (such as spend or age).")
		}
	}
	for _, name := range cols {
		c := t.Column(name)
		if c == nil {
			return nil, perr(protocol.CodeBadColumn, "The file has no column %q.", name)
		}
		if !c.Kind.IsNumeric() && c.Kind != dataset.KindDate && !(enc != encodeNone && c.Kind == dataset.KindCategorical) {
			return nil, perr(protocol.CodeBadColumn, "Column %q holds %s values, not numbers: it cannot be a feature.", name, c.Kind)
		}
	}
	pipe, x, rep, err := prep.Fit(t, prep.Spec{Columns: cols, Scale: scale, Codes: enc == encodeCodes, OneHot: enc == encodeOneHot})
	switch {
	case errors.Is(err, prep.ErrUnknownColumn), errors.Is(err, prep.ErrNotFeature):
		return nil, perr(protocol.CodeBadColumn, "%s", strings.TrimPrefix(err.Error(), "prep: "))
	case errors.Is(err, prep.ErrNoFeatures):
		return nil, perr(protocol.CodeNoNumericColumns, "Choose at least one column to segment on.")
	case err != nil:
		return nil, perr(protocol.CodeBadValue, "%s", strings.TrimPrefix(err.Error(), "prep: "))
	}
	return &prepared{pipe: pipe, x: x, rep: rep, scale: scale}, nil
}

func (h *Handler) fitTable(ctx context.Context, p *protocol.FitParams, progress func(protocol.Progress)) (*protocol.FitResult, error) {
	t := h.table
	name := p.Algorithm
	if name == "" {
		name = "kmeans"
	}
	if name == protocol.AlgorithmGroups {
		return h.fitGroups(p) // rule-based groups, no clustering (groups.go)
	}
	a, ok := algorithms[name]
	if !ok {
		return nil, perr(protocol.CodeBadSetting, "Unknown algorithm %q: this page offers %s.", p.Algorithm, strings.Join(protocol.Algorithms, ", "))
	}
	if err := checkSettings(name, p); err != nil {
		return nil, err
	}
	prepare := h.prepare
	if p.Metric == string(cluster.Haversine) {
		prepare = h.prepareGeo // raw degrees, latitude first (geo.go)
	}
	enc := encodeNone
	if a.mixed {
		enc = encodeCodes
	}
	pr, err := prepare(p.Columns, p.Scale, enc)
	if err != nil {
		return nil, err
	}
	pipe, x, rep, scale := pr.pipe, pr.x, pr.rep, pr.scale
	if (a.needsK || a.usesK) && p.K >= x.Rows {
		return nil, perr(protocol.CodeBadK, "%d segments need more than %d rows; the file has %d.", p.K, p.K, x.Rows)
	}
	var last time.Time
	fitter := a.fitter(p, pipe.Categorical(), func(pr cluster.Progress) {
		if now := time.Now(); now.Sub(last) >= progressEvery || pr.Iteration == 1 {
			last = now
			progress(protocol.Progress{Phase: "fit", Run: pr.Run, Runs: pr.Runs, Iteration: pr.Iteration, MaxIter: pr.MaxIter, Inertia: pr.Inertia})
		}
	})
	start := time.Now()
	var m *cluster.Model
	var tree *cluster.Dendrogram
	workers := 1
	if ag, ok := fitter.(*cluster.Agglomerative); ok {
		m, tree, err = ag.FitTree(ctx, x)
	} else if km, ok := fitter.(*cluster.KMeans); ok && h.Shards != nil && len(h.Shards.Split(x.Rows)) > 1 {
		workers = len(h.Shards.Split(x.Rows))
		m, err = fitSharded(ctx, h.Shards, km, x)
	} else {
		m, err = fitter.Fit(ctx, x)
	}
	switch {
	case ctx.Err() != nil:
		return nil, perr(protocol.CodeCancelled, "Cancelled.")
	case errors.Is(err, cluster.ErrTooLarge):
		return nil, perr(protocol.CodeTooLargeForAlgo, "%s", strings.TrimPrefix(err.Error(), "cluster: "))
	case errors.Is(err, cluster.ErrTooFewPoints):
		return nil, perr(protocol.CodeBadK, "%s", strings.TrimPrefix(err.Error(), "cluster: "))
	case errors.Is(err, cluster.ErrBadSettings):
		return nil, perr(protocol.CodeBadSetting, "%s", strings.TrimPrefix(err.Error(), "cluster: "))
	case err != nil:
		return nil, perr(protocol.CodeBadValue, "%s", strings.TrimPrefix(err.Error(), "cluster: "))
	case m.K < 2:
		return nil, perr(protocol.CodeNoSegments, "%s found %d segment%s in these rows, so there is nothing to compare. %s", name, m.K, plural(m.K), fewSegmentsHint(name, m.K))
	}
	seconds := time.Since(start).Seconds()
	res := &protocol.FitResult{
		Algorithm: m.Algorithm, K: m.K, Rows: x.Rows, Columns: pipe.InputColumns(), Features: rep.Features,
		Logged: rep.Logged, Scale: scale.String(),
		Metrics: protocol.Metrics{Inertia: m.Inertia, Iterations: m.Iterations, Converged: m.Converged, Seconds: seconds, Workers: workers},
	}
	if !a.mixed {
		// Euclidean indices mean nothing on category codes.
		// The silhouette takes a sample's pairs: 5,000 rows (as the
		// suggestion of k) keep it near a second in the browser, where
		// 10,000 — the CLI's default — took several.
		sum, err := eval.Summarize(x, m.Labels, m.Centers, eval.SummaryOptions{Seed: p.Seed, SilhouetteSampleSize: pageSilhouetteSample})
		if err != nil && !errors.Is(err, eval.ErrTooFewClusters) {
			return nil, err
		}
		if sum != nil {
			res.Metrics.Silhouette, res.Metrics.SilhouetteSampled = sum.Silhouette, sum.SilhouetteSampled
			res.Metrics.CalinskiHarabasz, res.Metrics.DaviesBouldin = sum.CalinskiHarabasz, sum.DaviesBouldin
			res.Metrics.Indices = true
		}
	}
	sizes := make([]int, m.K)
	for _, l := range m.Labels {
		if l >= 0 {
			sizes[l]++
		} else {
			res.Noise++
		}
	}
	// rowLabels: one per table row; rows that preparation left out are
	// not clustered.
	rowLabels := m.Labels
	if rep.Kept != nil {
		rowLabels = make([]int, t.Rows)
		for i := range rowLabels {
			rowLabels[i] = profile.NotClustered
		}
		for i, r := range rep.Kept {
			rowLabels[r] = m.Labels[i]
		}
	}
	inputs := pipe.InputColumns()
	for id := range m.K {
		seg := protocol.Segment{ID: id, Name: fmt.Sprintf("Segment %d", id+1), Size: sizes[id], Share: float64(sizes[id]) / float64(x.Rows)}
		if m.Centers != nil && !a.mixed {
			orig := pipe.Inverse(m.Centers.Row(id))
			for _, c := range inputs {
				if v, ok := orig[c]; ok {
					seg.Centre = append(seg.Centre, protocol.Value{Column: c, Value: v})
				}
			}
		}
		res.Segments = append(res.Segments, seg)
	}
	params := model.Params{K: p.K, Seed: p.Seed, NInit: p.NInit}
	mod, noModel, err := newModel(res, func(compact bool) (*model.Model, error) {
		if compact {
			return model.NewCompact(pipe, m, x, params)
		}
		return model.New(pipe, m, params)
	}, a.mixed)
	if err != nil {
		return nil, err
	}
	// The profile on the input columns names the segments ("High income ·
	// Low spending"); the model, and so every download, carries the names.
	prof, err := describe(res, t, inputs, rowLabels, p.Seed)
	if err != nil {
		return nil, err
	}
	if mod != nil {
		if prof != nil {
			if err := mod.ApplyProfile(prof); err != nil {
				return nil, err
			}
		}
		res.ModelID = mod.ID
	}
	if !a.mixed {
		if res.SilhouetteRows, err = silhouettes(res, x, m.Labels, p.Seed); err != nil {
			return nil, err
		}
		if res.Scatter, err = scatter(t, x, m.Labels, rep.Kept, inputs, p.Seed); err != nil {
			return nil, err
		}
	}
	if tree != nil {
		res.Dendrogram = dendrogram(tree, m.Labels, m.K)
	}
	if p.Labels {
		res.Labels = slices.Clone(rowLabels)
	}
	names := make([]string, m.K)
	for _, s := range res.Segments {
		names[s.ID] = s.Name
	}
	h.fit, h.model, h.noModel, h.rowLabels, h.profile, h.names = res, mod, noModel, rowLabels, prof, names
	return res, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// fewSegmentsHint says which setting to change when an algorithm that finds
// the number of segments itself found k < 2: none (every row is noise) or
// one.
func fewSegmentsHint(name string, k int) string {
	switch {
	case name == "dbscan" && k == 0:
		return "Every row is noise: try a larger radius (eps) or fewer neighbours (min samples)."
	case name == "dbscan":
		return "Try a smaller radius (eps)."
	case name == "hdbscan":
		return "Try a smaller minimum segment size."
	case name == "meanshift":
		return "Try a smaller bandwidth."
	case name == "birch":
		return "Try a smaller threshold, or set the number of segments."
	}
	return ""
}

// stem is the file name without its extension, for naming downloads.
func (h *Handler) stem() string {
	s := strings.TrimSuffix(h.name, path.Ext(h.name))
	if s == "" || s == "." {
		return "segkit"
	}
	return s
}

func (h *Handler) labelled(req protocol.Request) protocol.Response {
	if h.fit == nil {
		return fail(req, protocol.CodeNoFit, "Segment the file before downloading the labelled rows.")
	}
	var buf bytes.Buffer
	if err := writeLabelled(&buf, h.data, h.rowLabels, h.names); err != nil {
		return fail(req, protocol.CodeInternal, err.Error())
	}
	return protocol.Response{ID: req.ID, Op: req.Op, File: &protocol.File{
		Name: h.stem() + "-segments.csv", Type: "text/csv;charset=utf-8", Size: buf.Len(), Data: buf.Bytes()}}
}

// writeLabelled re-reads the original rows and writes them as CSV (UTF-8,
// comma-separated) with the segment id and name appended (names by id);
// noise is segment -1, named "Noise", and a row left out of the
// segmentation gets empty cells.
func writeLabelled(w io.Writer, data []byte, labels []int, names []string) error {
	r, err := dataset.NewReader(bytes.NewReader(data), dataset.Options{})
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := append(slices.Clone(r.Header()), "segment", "segment_name")
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, 0, len(header))
	for i := 0; ; i++ {
		fields, err := r.Next()
		if errors.Is(err, io.EOF) {
			if i != len(labels) {
				return fmt.Errorf("engine: %d rows re-read, %d segmented", i, len(labels))
			}
			break
		}
		if err != nil {
			return err
		}
		if i >= len(labels) {
			return fmt.Errorf("engine: more rows re-read than the %d segmented", len(labels))
		}
		id, name := "", ""
		switch l := labels[i]; {
		case l >= 0:
			id, name = strconv.Itoa(l), names[l]
		case l == profile.Noise:
			id, name = "-1", noiseName
		}
		rec = append(append(rec[:0], fields...), id, name)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// profilesFile writes the profile of every segment, in the input columns'
// own units, as long-form CSV (profile.Profile.CSV).
func (h *Handler) profilesFile(req protocol.Request) protocol.Response {
	switch {
	case h.fit == nil:
		return fail(req, protocol.CodeNoFit, "Segment the file before downloading the profiles.")
	case h.profile == nil:
		return fail(req, protocol.CodeNoFit, "These segments have no profile: none of their columns can be described (dates only).")
	}
	var buf bytes.Buffer
	if err := h.profile.CSV(&buf); err != nil {
		return fail(req, protocol.CodeInternal, err.Error())
	}
	return protocol.Response{ID: req.ID, Op: req.Op, File: &protocol.File{
		Name: h.stem() + "-profiles.csv", Type: "text/csv;charset=utf-8", Size: buf.Len(), Data: buf.Bytes()}}
}

func (h *Handler) modelFile(req protocol.Request) protocol.Response {
	switch {
	case h.fit == nil:
		return fail(req, protocol.CodeNoFit, "Segment the file before downloading the model.")
	case h.model == nil:
		return fail(req, protocol.CodeNoModel, h.noModel)
	}
	var buf bytes.Buffer
	if err := h.model.Save(&buf); err != nil {
		return fail(req, protocol.CodeInternal, err.Error())
	}
	return protocol.Response{ID: req.ID, Op: req.Op, File: &protocol.File{
		Name: h.stem() + "-model.json", Type: "application/json", Size: buf.Len(), Data: buf.Bytes()}}
}

// fitSharded fits k-means with the rows of x spread over the helper workers
// of c (the first share stays in this worker).
func fitSharded(ctx context.Context, c *shards.Client, km *cluster.KMeans, x *matrix.Dense) (*cluster.Model, error) {
	rows, err := c.Load(ctx, x, km.K)
	if err != nil {
		return nil, err
	}
	return km.FitSharded(ctx, c, rows, x.Cols)
}
