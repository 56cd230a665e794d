package edge

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/internal/jsonval"
)

// Default limits, used when the matching Options field is zero.
const (
	DefaultMaxBodyBytes = 1 << 20 // 1 MiB
	DefaultMaxBatch     = 1000
)

// corsMaxAge is the Access-Control-Max-Age of a preflight answer, in seconds.
const corsMaxAge = "86400"

// Options configure the handler; the zero value is usable.
type Options struct {
	// AllowedOrigins are the origins (exact match, e.g.
	// "https://shop.example") allowed to call the endpoint from a browser;
	// "*" allows any origin. Empty means no CORS headers are ever sent.
	AllowedOrigins []string
	// BearerToken, if not empty, must be sent as "Authorization: Bearer
	// <token>" on every /v1/ request; it is compared in constant time.
	// /health and preflight requests need no token.
	BearerToken string
	// MaxBodyBytes limits a request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxBatch limits the customers of one batch request; 0 means
	// DefaultMaxBatch.
	MaxBatch int
}

// Error codes of the JSON error answers (see the package documentation).
const (
	CodeBadJSON       = "bad_json"
	CodeBadRequest    = "bad_request"
	CodeMissingField  = "missing_field"
	CodeBadType       = "bad_type"
	CodeBadValue      = "bad_value"
	CodeNotFinite     = "not_finite"
	CodeInvalidInput  = "invalid_input"
	CodeTooLarge      = "too_large"
	CodeBatchTooLarge = "batch_too_large"
	CodeUnauthorized  = "unauthorized"
	CodeNotFound      = "not_found"
	CodeMethod        = "method_not_allowed"
	CodeMediaType     = "unsupported_media_type"
	CodeInternal      = "internal"
)

// apiError is an error answer: its status and the body's error object.
type apiError struct {
	status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (e *apiError) Error() string { return "edge: " + e.Code + ": " + e.Message }

// handler is the http.Handler returned by New.
type handler struct {
	m         *model.Model
	opt       Options
	inputs    []string          // the model's input columns, in order
	kinds     map[string]string // input column → prep step kind
	anyOrigin bool
	origins   map[string]bool
	info      []byte // the /v1/model answer, encoded once
	// predict assigns one record; model.Predict unless a test injects
	// another (e.g. one that panics).
	predict func(rec map[string]any) (model.Result, error)
}

// New returns the edge endpoint's handler for m. It returns an error if m
// is nil, was not built by model.New, Load or Decode, or opt has negative
// limits.
func New(m *model.Model, opt Options) (http.Handler, error) {
	if m == nil || m.Pipeline == nil {
		return nil, errors.New("edge: nil model")
	}
	if opt.MaxBodyBytes < 0 || opt.MaxBatch < 0 {
		return nil, errors.New("edge: negative limit in Options")
	}
	if opt.MaxBodyBytes == 0 {
		opt.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opt.MaxBatch == 0 {
		opt.MaxBatch = DefaultMaxBatch
	}
	if err := m.Pipeline.Validate(); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	h := &handler{m: m, opt: opt, inputs: m.Pipeline.InputColumns(), kinds: map[string]string{},
		origins: map[string]bool{}, predict: m.Predict}
	for _, s := range m.Pipeline.Steps {
		h.kinds[s.Column] = s.Kind
	}
	for _, o := range opt.AllowedOrigins {
		if o == "*" {
			h.anyOrigin = true
		}
		h.origins[o] = true
	}
	in := modelInfo(m)
	info, err := in.appendJSON(nil)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	h.info = info
	return h, nil
}

// segmentInfo and info are the public description of a model: no centre,
// core point, covariance or any other number derived from training rows
// beyond segment sizes.
type segmentInfo struct {
	ID          int      `json:"id"`
	Name        string   `json:"name"`
	Size        int      `json:"size"`
	Description string   `json:"description,omitempty"`
	Features    []string `json:"features,omitempty"`
}

type info struct {
	ID            string        `json:"id"`
	Format        string        `json:"format"`
	Version       int           `json:"version"`
	Algorithm     string        `json:"algorithm"`
	K             int           `json:"k"`
	Features      []string      `json:"features"`
	InputColumns  []string      `json:"input_columns"`
	Segments      []segmentInfo `json:"segments"`
	Probabilities bool          `json:"probabilities"` // answers carry probabilities
}

func modelInfo(m *model.Model) info {
	in := info{ID: m.ID, Format: m.Format, Version: m.Version, Algorithm: m.Algorithm, K: len(m.Segments),
		Features: slices.Clone(m.Features), InputColumns: m.Pipeline.InputColumns(),
		Segments:      make([]segmentInfo, len(m.Segments)),
		Probabilities: m.Algorithm == "gmm" && !m.Compact}
	if in.Features == nil {
		in.Features = []string{}
	}
	for i, s := range m.Segments {
		in.Segments[i] = segmentInfo{ID: s.ID, Name: s.Name, Size: s.Size, Description: s.Description,
			Features: slices.Clone(s.Features)}
	}
	return in
}

// route describes one path: its methods and what serves it.
type route struct {
	allow string // the Allow header
	auth  bool   // needs the bearer token
	get   bool   // GET (and HEAD) rather than POST
	serve func(h *handler, w http.ResponseWriter, r *http.Request) (appender, *apiError)
}

var routes = map[string]route{
	"/health":          {allow: "GET, HEAD, OPTIONS", get: true, serve: (*handler).health},
	"/v1/model":        {allow: "GET, HEAD, OPTIONS", auth: true, get: true, serve: (*handler).model},
	"/v1/assign":       {allow: "POST, OPTIONS", auth: true, serve: (*handler).assign},
	"/v1/assign/batch": {allow: "POST, OPTIONS", auth: true, serve: (*handler).batch},
}

// ServeHTTP routes a request, after CORS and authentication; a panic
// anywhere becomes a 500 "internal" answer.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &trackingWriter{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if !tw.wrote {
				writeError(tw, &apiError{status: http.StatusInternalServerError, Code: CodeInternal,
					Message: "internal error"})
			}
		}
	}()
	h.serve(tw, r)
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	allowed := origin != "" && (h.anyOrigin || h.origins[origin])
	if len(h.origins) > 0 {
		w.Header().Add("Vary", "Origin")
	}
	if allowed {
		if h.anyOrigin {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		} else {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
	}
	rt, ok := routes[r.URL.Path]
	if !ok {
		writeError(w, &apiError{status: http.StatusNotFound, Code: CodeNotFound,
			Message: fmt.Sprintf("no endpoint %s; see /v1/assign, /v1/assign/batch, /v1/model, /health", r.URL.Path)})
		return
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", rt.allow)
		if allowed {
			methods := strings.TrimSuffix(rt.allow, ", OPTIONS")
			w.Header().Set("Access-Control-Allow-Methods", methods)
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
			w.Header().Set("Access-Control-Max-Age", corsMaxAge)
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if rt.auth && !h.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="segkit"`)
		writeError(w, &apiError{status: http.StatusUnauthorized, Code: CodeUnauthorized,
			Message: "missing or wrong bearer token"})
		return
	}
	if rt.get && r.Method != http.MethodGet && r.Method != http.MethodHead ||
		!rt.get && r.Method != http.MethodPost {
		w.Header().Set("Allow", rt.allow)
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, Code: CodeMethod,
			Message: fmt.Sprintf("method %s not allowed; allowed: %s", r.Method, rt.allow)})
		return
	}
	v, aerr := rt.serve(h, w, r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// authorized reports whether r carries the bearer token, if one is set.
func (h *handler) authorized(r *http.Request) bool {
	if h.opt.BearerToken == "" {
		return true
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(h.opt.BearerToken)) == 1
}

// healthAnswer is the answer of /health.
type healthAnswer struct {
	Status string `json:"status"`
	Model  string `json:"model"`
}

func (h *handler) health(w http.ResponseWriter, r *http.Request) (appender, *apiError) {
	return &healthAnswer{"ok", h.m.ID}, nil
}

func (h *handler) model(w http.ResponseWriter, r *http.Request) (appender, *apiError) {
	return rawJSON(h.info), nil
}

// answer is the result for one customer.
type answer struct {
	Segment       int       `json:"segment"`
	Name          string    `json:"name"`
	Distance      float64   `json:"distance"`
	Probabilities []float64 `json:"probabilities,omitempty"`
	Model         string    `json:"model"`
	Ignored       []string  `json:"ignored"`
}

// badRequest is a 400 bad_request answer.
func badRequest(field, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, Code: CodeBadRequest, Field: field, Message: msg}
}

func (h *handler) assign(w http.ResponseWriter, r *http.Request) (appender, *apiError) {
	body, aerr := h.readBody(w, r)
	if aerr != nil {
		return nil, aerr
	}
	v, ok := body["customer"]
	if !ok {
		return nil, badRequest("customer", `the body must be {"customer": {...}}`)
	}
	rec, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("customer", `"customer" must be an object of fields by column name`)
	}
	a, aerr := h.assignOne(rec, "customer")
	if aerr != nil {
		return nil, aerr
	}
	return &a, nil
}

// batchAnswer is the answer of /v1/assign/batch.
type batchAnswer struct {
	Results []answer `json:"results"`
	Model   string   `json:"model"`
}

func (h *handler) batch(w http.ResponseWriter, r *http.Request) (appender, *apiError) {
	body, aerr := h.readBody(w, r)
	if aerr != nil {
		return nil, aerr
	}
	list, ok := body["customers"].([]any)
	if !ok {
		return nil, badRequest("customers", `the body must be {"customers": [{...}, ...]}`)
	}
	if len(list) > h.opt.MaxBatch {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, Code: CodeBatchTooLarge, Field: "customers",
			Message: fmt.Sprintf("%d customers; at most %d per request", len(list), h.opt.MaxBatch)}
	}
	out := &batchAnswer{make([]answer, len(list)), h.m.ID}
	for i, c := range list {
		prefix := "customers[" + strconv.Itoa(i) + "]"
		rec, ok := c.(map[string]any)
		if !ok {
			return nil, badRequest(prefix, "each customer must be an object of fields by column name")
		}
		if out.Results[i], aerr = h.assignOne(rec, prefix); aerr != nil {
			return nil, aerr
		}
	}
	return out, nil
}

// readBody checks the content type, reads the body (at most MaxBodyBytes)
// and decodes it, which must be one JSON object and nothing after it, with
// numbers as json.Number (jsonval.Decode: the values encoding/json's
// Decoder with UseNumber gives).
func (h *handler) readBody(w http.ResponseWriter, r *http.Request) (map[string]any, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if cs, ok := params["charset"]; err != nil || mt != "application/json" || ok && !strings.EqualFold(cs, "utf-8") {
		return nil, &apiError{status: http.StatusUnsupportedMediaType, Code: CodeMediaType,
			Message: "send Content-Type: application/json (charset utf-8 if any)"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opt.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
				Message: fmt.Sprintf("the body is over %d bytes", h.opt.MaxBodyBytes)}
		}
		return nil, &apiError{status: http.StatusBadRequest, Code: CodeBadJSON, Message: "reading the body: " + err.Error()}
	}
	v, err := jsonval.Decode(body)
	if err != nil {
		return nil, decodeError(err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("", "the body must be a JSON object")
	}
	return obj, nil
}

// decodeError is the answer to a body jsonval.Decode refuses.
func decodeError(err error) *apiError {
	e := &apiError{status: http.StatusBadRequest, Code: CodeBadJSON}
	switch se, _ := errors.AsType[*jsonval.SyntaxError](err); {
	case errors.Is(err, jsonval.ErrEmpty):
		e.Message = "empty body"
	case errors.Is(err, jsonval.ErrTruncated):
		e.Message = "truncated JSON"
	case errors.Is(err, jsonval.ErrTrailing):
		e.Message = "data after the JSON object"
	case se != nil:
		e.Message = "malformed JSON: " + se.Msg
	default:
		e.Message = "malformed JSON"
	}
	return e
}

// assignOne checks the used fields of rec and predicts; prefix names rec
// in the error field ("customer", "customers[3]").
func (h *handler) assignOne(rec map[string]any, prefix string) (answer, *apiError) {
	for _, col := range h.inputs {
		if aerr := h.checkField(col, rec[col]); aerr != nil {
			aerr.Field = prefix + "." + col
			return answer{}, aerr
		}
	}
	res, err := h.predict(rec)
	if err != nil {
		return answer{}, predictError(err, prefix)
	}
	var ignored []string
	for k := range rec {
		if _, used := h.kinds[k]; !used {
			ignored = append(ignored, k)
		}
	}
	slices.Sort(ignored)
	if ignored == nil {
		ignored = []string{}
	}
	return answer{Segment: res.Segment, Name: res.Name, Distance: res.Distance, Probabilities: res.Probabilities,
		Model: h.m.ID, Ignored: ignored}, nil
}

// checkField rejects what prep would reject less precisely: objects and
// arrays (bad_type), booleans for a non-categorical column (bad_type) and
// numbers out of float64 range (not_finite).
func (h *handler) checkField(col string, v any) *apiError {
	cat := h.kinds[col] == "categorical"
	switch v := v.(type) {
	case map[string]any, []any:
		return &apiError{status: http.StatusUnprocessableEntity, Code: CodeBadType,
			Message: fmt.Sprintf("field %q: an object or array; expected a string, number, bool or null", col)}
	case bool:
		if !cat {
			return &apiError{status: http.StatusUnprocessableEntity, Code: CodeBadType,
				Message: fmt.Sprintf("field %q: a boolean; expected a number, a numeric string or null", col)}
		}
	case json.Number:
		if !cat {
			if f, err := strconv.ParseFloat(string(v), 64); err != nil || math.IsInf(f, 0) {
				return &apiError{status: http.StatusUnprocessableEntity, Code: CodeNotFinite,
					Message: fmt.Sprintf("field %q: %s is out of the range of a float64", col, v)}
			}
		}
	}
	return nil
}

// predictError maps an error of model.Predict to an answer.
func predictError(err error, prefix string) *apiError {
	field := ""
	msg := err.Error()
	if ve, ok := errors.AsType[*prep.ValueError](err); ok {
		field = prefix + "." + ve.Column
		msg = fmt.Sprintf("field %q: %s", ve.Column, ve.Detail)
	}
	e := &apiError{status: http.StatusUnprocessableEntity, Message: msg, Field: field}
	switch {
	case errors.Is(err, prep.ErrMissingValue):
		e.Code = CodeMissingField
	case errors.Is(err, prep.ErrNotFinite):
		e.Code = CodeNotFinite
	case errors.Is(err, prep.ErrBadValue):
		e.Code = CodeBadValue
	case errors.Is(err, cluster.ErrInvalidInput):
		e.Code = CodeInvalidInput
	default:
		return &apiError{status: http.StatusInternalServerError, Code: CodeInternal, Message: "internal error"}
	}
	return e
}

// trackingWriter records whether the header was written, so that a
// recovered panic writes an answer only when none has started.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, &errorAnswer{e})
}

// writeJSON encodes v before writing anything, so that an encoding failure
// (a non-finite distance) is still a well-formed 500 answer.
func writeJSON(w http.ResponseWriter, status int, v appender) {
	b, err := v.appendJSON(make([]byte, 0, 256))
	if err != nil {
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
		status = http.StatusInternalServerError
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Content-Length", strconv.Itoa(len(b)+1))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
