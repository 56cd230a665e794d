package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/segkit/segkit/wasm/engine/protocol"
	"github.com/vugu/vugu/js"
)

// Steps a widget can hide (options.hide), by name.
var widgetSteps = []string{"samples", "goal", "preview", "settings", "suggest", "profile", "charts", "downloads"}

// compactHidden are the steps a compact widget hides: it keeps file →
// segments → download.
var compactHidden = []string{"samples", "goal", "preview", "settings", "suggest", "profile", "charts"}

// widgetTexts are the strings a host may replace (options.text), with the
// page's own wording.
var widgetTexts = map[string]string{
	"title":    "Bring your customer file",
	"choose":   "Choose a CSV, TSV or semicolon-separated file, or drop it here:",
	"run":      "Find segments",
	"results":  "Your segments",
	"download": "Download the rows with their segment (CSV)",
}

// maxTextLength is the longest replacement string, in characters.
const maxTextLength = 200

// widgetOptions are the options of an embedded widget as widget.js passes
// them on from the host (checked there, and again here: the host is not
// trusted to send them well formed).
type widgetOptions struct {
	Mode    string            `json:"mode"`    // "full" (default) or "compact"
	Algo    string            `json:"algo"`    // one of protocol.Algorithms
	K       int               `json:"k"`       // 0: the page's default
	Columns []string          `json:"columns"` // the feature columns; empty: the defaults
	Hide    []string          `json:"hide"`    // steps of widgetSteps
	Text    map[string]string `json:"text"`    // keys of widgetTexts
	Scale   string            `json:"scale"`
	Seed    *uint64           `json:"seed"`
	// Autorun segments every file or rows as soon as they are read; nil
	// means so when the settings are hidden (compact).
	Autorun *bool `json:"autorun"`
}

// parseWidgetOptions decodes and checks the options; an error names the
// option.
func parseWidgetOptions(b []byte) (*widgetOptions, error) {
	var o widgetOptions
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("widget options: %v", err)
	}
	switch {
	case o.Mode != "" && o.Mode != "full" && o.Mode != "compact":
		return nil, fmt.Errorf("widget options: mode %q: use full or compact", o.Mode)
	case o.Algo != "" && !slices.Contains(protocol.Algorithms, o.Algo):
		return nil, fmt.Errorf("widget options: algo %q: use one of %s", o.Algo, strings.Join(protocol.Algorithms, ", "))
	case o.K != 0 && (o.K < 2 || o.K > protocol.MaxK):
		return nil, fmt.Errorf("widget options: k %d: use 2 to %d", o.K, protocol.MaxK)
	case o.Scale != "" && !slices.Contains([]string{"standard", "minmax", "robust", "none"}, o.Scale):
		return nil, fmt.Errorf("widget options: scale %q: use standard, minmax, robust or none", o.Scale)
	}
	for _, h := range o.Hide {
		if !slices.Contains(widgetSteps, h) {
			return nil, fmt.Errorf("widget options: hide %q: the steps are %s", h, strings.Join(widgetSteps, ", "))
		}
	}
	for k, v := range o.Text {
		if _, ok := widgetTexts[k]; !ok {
			return nil, fmt.Errorf("widget options: text %q: the strings are title, choose, run, results, download", k)
		}
		if len([]rune(v)) > maxTextLength || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("widget options: text %q must have 1 to %d characters", k, maxTextLength)
		}
	}
	for _, c := range o.Columns {
		if strings.TrimSpace(c) == "" {
			return nil, fmt.Errorf("widget options: columns: an empty column name")
		}
	}
	return &o, nil
}

// widget is the page running inside embed.js's iframe: the host's options
// and widget.js, which talks to the host (window.segkitWidget).
type widget struct {
	bridge    js.Value
	opts      *widgetOptions // nil until the host's options arrive
	hidden    map[string]bool
	announced bool // "ready" was sent
}

// hides reports whether the widget hides a step.
func (w *widget) hides(step string) bool { return w != nil && w.hidden[step] }

// autorun reports whether a file is segmented as soon as it is read.
func (w *widget) autorun() bool {
	if w == nil || w.opts == nil {
		return false
	}
	if w.opts.Autorun != nil {
		return *w.opts.Autorun
	}
	return w.hidden["settings"]
}

// emit sends an event to the host through widget.js.
func (w *widget) emit(kind string, v any) {
	if w == nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(&protocol.Error{Code: protocol.CodeInternal, Message: err.Error()})
		kind = "error"
	}
	w.bridge.Call("emit", kind, string(b))
}

// shown reports whether a step is shown (always on the page).
func (r *Root) shown(step string) bool { return !r.widget.hides(step) }

// text is the host's replacement for one of widgetTexts, or the page's own.
func (r *Root) text(key string) string {
	if r.widget != nil && r.widget.opts != nil {
		if s, ok := r.widget.opts.Text[key]; ok {
			return s
		}
	}
	return widgetTexts[key]
}

// connectWidget makes the page a widget: it registers with widget.js for
// the host's options and data.
func (r *Root) connectWidget(bridge js.Value) {
	r.widget = &widget{bridge: bridge, hidden: map[string]bool{}}
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 {
			return nil
		}
		switch args[0].String() {
		case "init":
			text := args[1].String()
			go r.initWidget(text)
		case "data":
			blob, name := args[1], "rows.csv"
			if len(args) > 2 && args[2].Type() == js.TypeString {
				name = args[2].String()
			}
			go r.load(blob, name)
		}
		return nil
	})
	bridge.Call("connect", handler)
}

// initWidget applies the host's options.
func (r *Root) initWidget(text string) {
	o, err := parseWidgetOptions([]byte(text))
	r.update(func() {
		if err != nil {
			r.widget.emit("error", &protocol.Error{Code: protocol.CodeBadSetting, Message: err.Error()})
			o = &widgetOptions{}
		}
		w := r.widget
		w.opts = o
		if o.Mode == "compact" {
			for _, s := range compactHidden {
				w.hidden[s] = true
			}
		}
		for _, s := range o.Hide {
			w.hidden[s] = true
		}
		if o.Algo != "" {
			r.Algorithm = o.Algo
		}
		if o.K != 0 {
			r.K = o.K
		}
		if o.Scale != "" {
			r.Scale = o.Scale
		}
		if o.Seed != nil {
			r.Seed = *o.Seed
		}
		r.announce()
	})
}

// announce tells the host, once, that the widget has its options and its
// engine. Call it under the lock.
func (r *Root) announce() {
	w := r.widget
	if w == nil || w.opts == nil || !r.EngineReady || w.announced {
		return
	}
	w.announced = true
	w.emit("ready", struct{}{})
}

// presetFields are the number fields of a fit that the widget runs by
// itself (no settings shown): the chosen k and restarts, and the other
// settings' defaults as the settings card shows them.
func (r *Root) presetFields() map[string]string {
	a := algo(r.Algorithm)
	f := map[string]string{}
	if a.K {
		f["k"] = strconv.Itoa(r.K)
	}
	if a.NInit {
		f["n-init"] = strconv.Itoa(r.NInit)
	}
	for _, p := range numbers(a, false) {
		f[p.ID] = p.Default
	}
	return f
}

// widgetResult is what the host receives after a fit: the fit without its
// drawings (scatter, dendrogram, silhouette values), with the label of
// every row, the model JSON (null when the algorithm's model cannot be
// saved, ModelError says why) and the profiles as long-form CSV.
type widgetResult struct {
	*protocol.FitResult
	Model       json.RawMessage `json:"model"`
	ModelError  *protocol.Error `json:"model_error,omitempty"`
	ProfilesCSV string          `json:"profiles_csv"`
}

// emitResult sends the result of the fit just made to the host. Call it
// from a goroutine: it asks the engine for the model and profiles.
func (r *Root) emitResult(fit *protocol.FitResult) {
	res := *fit
	res.Scatter, res.Dendrogram = nil, nil
	res.Segments = slices.Clone(fit.Segments)
	for i := range res.Segments {
		res.Segments[i].Silhouette = nil
	}
	out := widgetResult{FitResult: &res, Model: json.RawMessage("null")}
	if m, err := r.eng.request(protocol.Request{Op: protocol.OpModel}, js.Undefined()); err != nil {
		out.ModelError = asProtocolError(err)
	} else {
		out.Model = json.RawMessage(bytesOf(m.data))
	}
	if p, err := r.eng.request(protocol.Request{Op: protocol.OpProfiles}, js.Undefined()); err == nil {
		out.ProfilesCSV = string(bytesOf(p.data))
	}
	r.widget.emit("result", out)
}

// asProtocolError returns err as a *protocol.Error.
func asProtocolError(err error) *protocol.Error {
	if pe, ok := err.(*protocol.Error); ok {
		return pe
	}
	return &protocol.Error{Code: protocol.CodeInternal, Message: err.Error()}
}

// bytesOf copies a Uint8Array into Go.
func bytesOf(u8 js.Value) []byte {
	b := make([]byte, u8.Get("length").Int())
	js.CopyBytesToGo(b, u8)
	return b
}
