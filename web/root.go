package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"
)

// The built-in samples, served beside index.html.
const (
	sampleFile = "wholesale-customers.csv"  // customers, one row each
	retailFile = "online-retail-sample.csv" // a transaction log, for RFM
)

// The goals (Root.Goal); the demographic and geographic ones are in goals.go.
const (
	goalColumns = "columns" // segment the file's rows on its columns
	goalRFM     = "rfm"     // segment customers on RFM from a transaction log
)

// Error steps: where an error is shown.
const (
	stepData     = "data"
	stepFit      = "fit"
	stepDownload = "download"
	stepGoal     = "goal"
	stepSuggest  = "suggest" // a task, shown with the fit step's errors
)

// Root is the page: the state every card shares, and the work behind the
// cards' buttons. Its methods that talk to the engine block, so handlers run
// them in goroutines; they change the state only through update.
type Root struct {
	env    vugu.EventEnv
	eng    *engineClient
	widget *widget // nil on the page; set when embedded (embed.js)

	EngineReady bool
	EngineErr   string
	Status      string // one line for screen readers and people: what just happened

	// Step 1: the file.
	Loading   bool
	LoadPhase string
	LoadDone  int64
	LoadTotal int64
	// Source is the loaded file as the engine read it, Inspect the table
	// segmented: the same, or the RFM table made from Source.
	Source   *protocol.Inspection
	Inspect  *protocol.Inspection
	file     js.Value // the Blob loaded, kept to reload it into a fresh engine after a cancel
	fileName string

	// The goal: the file's columns, or RFM from transactions (RFMSpec names
	// the columns; RFM is the summary once the RFM table is built).
	Goal    string
	RFMSpec protocol.RFMParams
	RFM     *protocol.RFMSummary
	// GroupColumn and GroupPrefix are the rule of the region goal: group
	// by the column's values, or by their first GroupPrefix characters.
	GroupColumn string
	GroupPrefix int

	// Step 2: the settings.
	Algorithm string            // one of protocol.Algorithms
	Choices   map[string]string // select settings: covariance, metric, selection, linkage
	Selected  map[string]bool
	Scale     string
	K         int
	NInit     int // k-means restarts
	Seed      uint64

	// Step 3: the run: a fit or a suggestion of k (Task "fit" or "suggest").
	Running  bool
	Task     string
	Progress protocol.Progress
	// Suggestion is the evidence for the number of segments, when asked for.
	Suggestion *protocol.Suggestion
	Result     *protocol.FitResult
	lastURL    string // the Blob URL of the last download, revoked at the next

	Err     *protocol.Error
	ErrStep string
}

// newRoot returns the page with its defaults.
func newRoot(env vugu.EventEnv) *Root {
	r := &Root{env: env, Algorithm: "kmeans", Scale: "standard", K: 5, NInit: 10, Seed: 1, Selected: map[string]bool{},
		Choices: map[string]string{"covariance": "full", "metric": "euclidean", "selection": "eom", "linkage": "ward"}}
	r.eng = &engineClient{OnProgress: r.onProgress}
	return r
}

// update changes the state under the event lock and asks for a render.
func (r *Root) update(f func()) {
	r.env.Lock()
	f()
	r.env.UnlockRender()
}

func (r *Root) fail(step string, err error) {
	var pe *protocol.Error
	if !errors.As(err, &pe) {
		pe = &protocol.Error{Code: protocol.CodeInternal, Message: err.Error()}
	}
	r.Err, r.ErrStep = pe, step
	r.widget.emit("error", pe)
}

// start starts the engine worker.
func (r *Root) start() {
	err := r.eng.start()
	r.update(func() {
		if err != nil {
			r.EngineErr = err.Error()
			r.fail(stepData, err)
			return
		}
		r.EngineReady = true
		js.Global().Get("performance").Call("mark", "segkit-engine-ready")
		r.announce()
	})
}

func (r *Root) onProgress(_ int, p protocol.Progress) {
	r.widget.emit("progress", p)
	r.update(func() {
		switch p.Phase {
		case "fit", "suggest":
			if r.Running {
				r.Progress = p
			}
		default:
			r.LoadPhase, r.LoadDone, r.LoadTotal = p.Phase, p.Done, p.Total
		}
	})
}

// load sends a file (a Blob) to the engine and shows what it found.
func (r *Root) load(file js.Value, name string) {
	autorun := false
	r.update(func() {
		r.Loading, r.LoadPhase, r.LoadDone, r.LoadTotal = true, "read", 0, int64(file.Get("size").Float())
		r.Source, r.Inspect, r.Result, r.Suggestion, r.RFM, r.Err, r.ErrStep = nil, nil, nil, nil, nil, nil, ""
		r.Status = "Reading " + name + "…"
	})
	resp, err := r.eng.request(protocol.Request{Op: protocol.OpLoad, Load: &protocol.Load{Name: name}}, file)
	r.update(func() {
		r.Loading = false
		if err != nil {
			r.Status = ""
			r.fail(stepData, err)
			return
		}
		r.file, r.fileName = file, name
		r.Source, r.Goal, r.RFMSpec = resp.Inspect, goalColumns, protocol.RFMParams{Cancellations: "ignore"}
		if g := resp.Inspect.RFM; g != nil && r.shown("goal") {
			// A transaction log: RFM is the goal that makes sense.
			r.Goal, r.RFMSpec = goalRFM, *g
		}
		r.useTable(resp.Inspect)
		r.leaveLocation()
		r.Status = fmt.Sprintf("Read %s: %d rows, %d columns.", name, r.Inspect.Rows, len(r.Inspect.Columns))
		numeric := 0
		for _, c := range r.Inspect.Columns {
			if c.Numeric {
				numeric++
			}
		}
		if numeric == 0 {
			r.fail(stepData, &protocol.Error{Code: protocol.CodeNoNumericColumns,
				Message: name + " has no column of numbers, so there is nothing to segment on. segkit needs numbers such as spend, visits or age."})
		}
		r.widget.emit("load", struct {
			Name    string `json:"name"`
			Rows    int    `json:"rows"`
			Columns int    `json:"columns"`
		}{name, r.Inspect.Rows, len(r.Inspect.Columns)})
		autorun = r.Err == nil && r.widget.autorun()
	})
	if autorun {
		r.run(r.presetFields())
	}
}

// useTable makes in the table segmented, with its default columns chosen.
func (r *Root) useTable(in *protocol.Inspection) {
	r.Inspect, r.Result, r.Suggestion = in, nil, nil
	r.Selected = map[string]bool{}
	if w := r.widget; w != nil && w.opts != nil && len(w.opts.Columns) > 0 {
		// The host's columns, exactly.
		for _, name := range w.opts.Columns {
			if !slices.ContainsFunc(in.Columns, func(c protocol.Column) bool { return c.Name == name }) {
				r.fail(stepData, &protocol.Error{Code: protocol.CodeBadColumn, Message: fmt.Sprintf("The data has no column %q (the widget's columns option).", name)})
			}
			r.Selected[name] = true
		}
		return
	}
	for _, c := range in.Columns {
		r.Selected[c.Name] = c.Default
	}
}

// buildRFM turns the loaded transaction log into one row per customer (the
// goal RFM), or goes back to the file's own rows (the goal columns).
func (r *Root) buildRFM(goal string) {
	var spec protocol.RFMParams
	r.update(func() {
		r.Goal, r.Loading, r.Err, r.ErrStep = goal, true, nil, ""
		if goal == goalRFM {
			spec = r.RFMSpec
			r.Status = "Computing recency, frequency and monetary value per customer…"
		}
	})
	resp, err := r.eng.request(protocol.Request{Op: protocol.OpRFM, RFM: &spec}, js.Undefined())
	r.update(func() {
		r.Loading = false
		if err != nil {
			r.Status = ""
			r.fail(stepGoal, err)
			return
		}
		r.useTable(resp.Inspect)
		if goal != goalRFM {
			r.applyGoal(goal)
		}
		r.RFM = resp.RFM
		if r.RFM != nil {
			r.Status = fmt.Sprintf("RFM table: %d customers from %d transactions.", r.RFM.Customers, r.RFM.Used)
		} else {
			r.Status = fmt.Sprintf("Back to the rows of %s.", r.fileName)
		}
	})
}

// loadSample fetches a built-in sample (a same-origin static file) and loads it.
func (r *Root) loadSample(sample string) {
	resp, err := await(js.Global().Call("fetch", sample))
	if err == nil && !resp.Get("ok").Bool() {
		err = fmt.Errorf("HTTP %d", resp.Get("status").Int())
	}
	var blob js.Value
	if err == nil {
		blob, err = await(resp.Call("blob"))
	}
	if err != nil {
		r.update(func() { r.fail(stepData, fmt.Errorf("The sample could not be loaded: %v", err)) })
		return
	}
	r.load(blob, sample)
}

// canUse reports whether column c can be a feature of the algorithm:
// numbers always, categories for the mixed algorithms and for comparing
// groups (never the column grouped by).
func (r *Root) canUse(c protocol.Column) bool {
	if r.Goal == goalRegion && c.Name == r.GroupColumn {
		return false
	}
	return c.Numeric || r.info().Mixed && c.Type == "categorical"
}

// columns returns the chosen columns in file order.
func (r *Root) columns() []string {
	var cols []string
	if r.Inspect == nil {
		return nil
	}
	for _, c := range r.Inspect.Columns {
		if r.canUse(c) && r.Selected[c.Name] {
			cols = append(cols, c.Name)
		}
	}
	return cols
}

// run segments the loaded file with the current settings; fields are the
// algorithm's number fields as typed, by element id.
func (r *Root) run(fields map[string]string) {
	var req protocol.Request
	ok := true
	r.update(func() {
		a := r.info()
		p, perr := fitParams(a, fields, r.Choices)
		if perr != nil {
			r.fail(stepFit, perr)
			ok = false
			return
		}
		if a.K {
			r.K = p.K
		}
		if a.NInit {
			r.NInit = p.NInit
		}
		p.Columns, p.Scale, p.Seed = r.columns(), r.Scale, r.Seed
		p.Labels = r.widget != nil // the host gets every row's label
		if r.Goal == goalRegion {
			p.Groups = []protocol.GroupRule{{Column: r.GroupColumn, Prefix: r.GroupPrefix}}
		}
		if len(p.Columns) == 0 {
			r.fail(stepFit, &protocol.Error{Code: protocol.CodeNoNumericColumns, Message: "Choose at least one column to segment on."})
			ok = false
			return
		}
		r.Running, r.Task, r.Progress, r.Result, r.Err, r.ErrStep = true, stepFit, protocol.Progress{}, nil, nil, ""
		switch {
		case r.Goal == goalRegion:
			r.Status = fmt.Sprintf("Grouping the rows by %s…", r.GroupColumn)
		case a.K:
			r.Status = fmt.Sprintf("Finding %d segments with %s…", p.K, a.Label)
		default:
			r.Status = fmt.Sprintf("Finding segments with %s…", a.Label)
		}
		req = protocol.Request{Op: protocol.OpFit, Fit: p}
	})
	if !ok {
		return
	}
	resp, err := r.eng.request(req, js.Undefined())
	r.update(func() {
		r.Running = false
		var pe *protocol.Error
		switch {
		case errors.As(err, &pe) && pe.Code == protocol.CodeCancelled:
			r.Status = "Cancelled: the segmentation was stopped."
		case err != nil:
			r.Status = ""
			r.fail(stepFit, err)
		default:
			r.Result = resp.Fit
			r.Status = fmt.Sprintf("Found %d segments in %d rows.", resp.Fit.K, resp.Fit.Rows)
		}
	})
	if err == nil && r.widget != nil {
		r.emitResult(resp.Fit)
	}
}

// suggest scores every k from 2 to 10 on the chosen columns and shows the
// evidence and the suggested k.
func (r *Root) suggest() {
	var req protocol.Request
	ok := true
	r.update(func() {
		cols := r.columns()
		if len(cols) == 0 {
			r.fail(stepFit, &protocol.Error{Code: protocol.CodeNoNumericColumns, Message: "Choose at least one column to segment on."})
			ok = false
			return
		}
		r.Running, r.Task, r.Progress, r.Suggestion, r.Err, r.ErrStep = true, stepSuggest, protocol.Progress{}, nil, nil, ""
		r.Status = "Trying 2 to 10 segments…"
		req = protocol.Request{Op: protocol.OpSuggest, Suggest: &protocol.SuggestParams{Columns: cols, Scale: r.Scale, Seed: r.Seed}}
	})
	if !ok {
		return
	}
	resp, err := r.eng.request(req, js.Undefined())
	r.update(func() {
		r.Running = false
		var pe *protocol.Error
		switch {
		case errors.As(err, &pe) && pe.Code == protocol.CodeCancelled:
			r.Status = "Cancelled: the suggestion was stopped."
		case err != nil:
			r.Status = ""
			r.fail(stepFit, err)
		default:
			r.Suggestion = resp.Suggest
			r.Status = fmt.Sprintf("Suggested number of segments: %d.", resp.Suggest.SuggestedK)
		}
	})
}

// useK sets the number of segments (the "Use k = N" button).
func (r *Root) useK(k int) {
	r.K = k
	r.Status = fmt.Sprintf("Number of segments set to %d.", k)
}

// cancel stops a run at once: the engine worker is terminated and a fresh
// one started, which gets the file again.
func (r *Root) cancel() {
	stopped := "Cancelled: the segmentation was stopped."
	r.update(func() {
		r.Status, r.EngineReady = "Stopping…", false
		if r.Task == stepSuggest {
			stopped = "Cancelled: the suggestion was stopped."
		}
	})
	err := r.eng.restart()
	if err != nil {
		r.update(func() { r.EngineReady = false; r.fail(stepFit, err) })
		return
	}
	var file js.Value
	var name string
	r.update(func() {
		// The fresh engine holds no fit: the results shown would no longer
		// download.
		r.Running, r.EngineReady, r.Result = false, true, nil
		file, name = r.file, r.fileName
		if file.Truthy() {
			r.Loading = true
		}
	})
	if !file.Truthy() {
		return
	}
	_, err = r.eng.request(protocol.Request{Op: protocol.OpLoad, Load: &protocol.Load{Name: name}}, file)
	var rfmSpec *protocol.RFMParams
	r.update(func() {
		if err == nil && r.RFM != nil {
			spec := r.RFMSpec
			rfmSpec = &spec
		}
	})
	if rfmSpec != nil {
		// The fresh engine has the transaction log again: rebuild the RFM
		// table the page was working on.
		_, err = r.eng.request(protocol.Request{Op: protocol.OpRFM, RFM: rfmSpec}, js.Undefined())
	}
	r.update(func() {
		r.Loading = false
		r.Status = stopped
		if err != nil {
			r.fail(stepData, err)
		}
	})
}

// download asks the engine for a file (op labelled or model) and saves it
// through a Blob URL: the bytes never leave the browser.
func (r *Root) download(op string) {
	resp, err := r.eng.request(protocol.Request{Op: op}, js.Undefined())
	if err != nil {
		r.update(func() { r.fail(stepDownload, err) })
		return
	}
	r.save(resp.File.Name, resp.File.Type, resp.data, resp.File.Size)
}

// save offers bytes (a Uint8Array or a string) as a download through a Blob
// URL: nothing leaves the browser. Call it from a goroutine.
func (r *Root) save(name, mime string, data js.Value, size int) {
	g := js.Global()
	parts := g.Get("Array").New(data)
	opts := g.Get("Object").New()
	opts.Set("type", mime)
	url := g.Get("URL").Call("createObjectURL", g.Get("Blob").New(parts, opts)).String()
	a := g.Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Call("click")
	r.update(func() {
		if r.lastURL != "" {
			g.Get("URL").Call("revokeObjectURL", r.lastURL)
		}
		r.lastURL = url
		r.Err, r.ErrStep = nil, ""
		r.Status = fmt.Sprintf("Saved %s (%s).", name, byteSize(int64(size)))
	})
}

// DownloadChart saves the chart whose svg element has the given id as an
// SVG file. The chart carries its colours and fonts as attributes, so the
// file looks as it does on the page.
func (r *Root) DownloadChart(id string) {
	svg := jsDocument().Call("getElementById", id)
	if !svg.Truthy() {
		return
	}
	text := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + js.Global().Get("XMLSerializer").New().Call("serializeToString", svg).String()
	name := r.stem() + "-" + strings.TrimPrefix(id, "chart-") + ".svg"
	go r.save(name, "image/svg+xml", js.ValueOf(text), len(text))
}

// stem is the loaded file's name without its extension, for downloads.
func (r *Root) stem() string {
	s := r.fileName
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	if s == "" {
		return "segkit"
	}
	return s
}

// rename gives segment id a new name in the engine, so that every download
// carries it; a refused name is shown as an error and the old one kept.
func (r *Root) rename(id int, name string) {
	resp, err := r.eng.request(protocol.Request{Op: protocol.OpRename, Rename: &protocol.Rename{ID: id, Name: name}}, js.Undefined())
	r.update(func() {
		if r.Result == nil {
			return
		}
		if err != nil {
			r.fail(stepDownload, err)
			// Re-render with the old name (the field still shows the typed one).
			r.Result.Segments = append([]protocol.Segment(nil), r.Result.Segments...)
			return
		}
		r.Err, r.ErrStep = nil, ""
		for i := range r.Result.Segments {
			if r.Result.Segments[i].ID == resp.Renamed.ID {
				r.Result.Segments[i].Name = resp.Renamed.Name
			}
		}
		r.Result.ModelID = resp.Renamed.ModelID
		r.Status = fmt.Sprintf("Segment %d is now called %s.", id+1, resp.Renamed.Name)
	})
}

// segmentNames returns the name of every segment of the result, by ID.
func (r *Root) segmentNames() []string {
	if r.Result == nil {
		return nil
	}
	names := make([]string, len(r.Result.Segments))
	for _, s := range r.Result.Segments {
		if s.ID >= 0 && s.ID < len(names) {
			names[s.ID] = s.Name
		}
	}
	return names
}

// engineState is "starting", "ready", "busy" or "failed", for tests and styles.
func (r *Root) engineState() string {
	switch {
	case r.EngineErr != "":
		return "failed"
	case !r.EngineReady:
		return "starting"
	case r.Loading || r.Running:
		return "busy"
	}
	return "ready"
}
