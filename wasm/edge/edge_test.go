package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/core/prep"
)

const wholesale = "../../testdata/wholesale-customers.csv"

// fixture is a fitted model with the labels of its training rows.
type fixture struct {
	m      *model.Model
	labels []int
}

var (
	wholesaleOnce sync.Once
	wholesaleFix  fixture
	wholesaleErr  error
)

// wholesaleModel fits k-means (K 3, Seed 1) on the UCI Wholesale customers
// file as `segkit cluster --k 3 --drop Channel,Region` does, once per test
// binary.
func wholesaleModel(tb testing.TB) fixture {
	tb.Helper()
	wholesaleOnce.Do(func() {
		tab, err := dataset.ReadFile(wholesale, dataset.Options{})
		if err != nil {
			wholesaleErr = err
			return
		}
		p, x, _, err := prep.Fit(tab, prep.Spec{Drop: []string{"Channel", "Region"}})
		if err != nil {
			wholesaleErr = err
			return
		}
		cm, err := (&cluster.KMeans{K: 3, Seed: 1}).Fit(context.Background(), x)
		if err != nil {
			wholesaleErr = err
			return
		}
		m, err := model.New(p, cm, model.Params{K: 3, Seed: 1})
		if err != nil {
			wholesaleErr = err
			return
		}
		wholesaleFix = fixture{m, cm.Labels}
	})
	if wholesaleErr != nil {
		tb.Fatal(wholesaleErr)
	}
	return wholesaleFix
}

// mallCSV is a small mixed table: a categorical column and two numeric
// ones, in two well separated groups.
func mallCSV() string {
	var b strings.Builder
	b.WriteString("CustomerID,Genre,Age,Income\n")
	for i := range 60 {
		g := []string{"Female", "Male"}[i%2]
		if i < 30 {
			fmt.Fprintf(&b, "%d,%s,%d,%d\n", i+1, g, 20+i%7, 15+(i*7)%11)
		} else {
			fmt.Fprintf(&b, "%d,%s,%d,%d\n", i+1, g, 50+i%9, 80+(i*5)%13)
		}
	}
	return b.String()
}

// mixedModel fits a Gaussian mixture (diag, K 2) on mallCSV with one-hot
// Genre; impute chooses the pipeline's imputation.
func mixedModel(tb testing.TB, impute prep.Impute) *model.Model {
	tb.Helper()
	tab, err := dataset.Read(strings.NewReader(mallCSV()), dataset.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	p, x, _, err := prep.Fit(tab, prep.Spec{Columns: []string{"Genre", "Age", "Income"}, OneHot: true, Impute: impute})
	if err != nil {
		tb.Fatal(err)
	}
	cm, err := (&cluster.GaussianMixture{K: 2, Covariance: "diag", Seed: 1}).Fit(context.Background(), x)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := model.New(p, cm, model.Params{K: 2, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func newHandler(tb testing.TB, m *model.Model, opt Options) *handler {
	tb.Helper()
	h, err := New(m, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return h.(*handler)
}

// do sends one request; body may be a string or a value to encode.
func do(h http.Handler, method, path string, body any, hdr ...string) *httptest.ResponseRecorder {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		r = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

type errBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

type assignBody struct {
	Segment       int       `json:"segment"`
	Name          string    `json:"name"`
	Distance      float64   `json:"distance"`
	Probabilities []float64 `json:"probabilities"`
	Model         string    `json:"model"`
	Ignored       []string  `json:"ignored"`
}

// batchBody is the answer of /v1/assign/batch.
type batchBody struct {
	Results []assignBody `json:"results"`
	Model   string       `json:"model"`
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	var v T
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %T: %v", v, err)
	}
	return v
}

// rawRecords returns every data row of a file as raw strings by column
// name, as the file holds them.
func rawRecords(t testing.TB, path string) []map[string]any {
	t.Helper()
	recs, err := dataset.ReadRecordsFile(path, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestAssignEveryWholesaleRow: every row of the file, as raw strings, gets
// its training label through the handler, and exactly model.Predict's
// answer on the same record (what `segkit assign` prints).
func TestAssignEveryWholesaleRow(t *testing.T) {
	fx := wholesaleModel(t)
	h := newHandler(t, fx.m, Options{})
	recs := rawRecords(t, wholesale)
	if len(recs) != len(fx.labels) {
		t.Fatalf("%d records, %d labels", len(recs), len(fx.labels))
	}
	for i, rec := range recs {
		w := do(h, "POST", "/v1/assign", map[string]any{"customer": rec})
		if w.Code != http.StatusOK {
			t.Fatalf("row %d: status %d: %s", i, w.Code, w.Body)
		}
		got := decode[assignBody](t, w)
		want, err := fx.m.Predict(rec)
		if err != nil {
			t.Fatal(err)
		}
		if got.Segment != fx.labels[i] || got.Segment != want.Segment || got.Name != want.Name ||
			got.Name != fx.m.Segments[fx.labels[i]].Name || got.Distance != want.Distance || got.Model != fx.m.ID {
			t.Fatalf("row %d: got %+v, want label %d and %+v", i, got, fx.labels[i], want)
		}
		if !slices.Equal(got.Ignored, []string{"Channel", "Region"}) {
			t.Fatalf("row %d: ignored %q", i, got.Ignored)
		}
	}
}

func TestBatch(t *testing.T) {
	fx := wholesaleModel(t)
	h := newHandler(t, fx.m, Options{})
	recs := rawRecords(t, wholesale)
	var batch []map[string]any
	for len(batch) < 1000 {
		batch = append(batch, recs...)
	}
	batch = batch[:1000]
	w := do(h, "POST", "/v1/assign/batch", map[string]any{"customers": batch})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %.300s", w.Code, w.Body)
	}
	got := decode[batchBody](t, w)
	if len(got.Results) != 1000 || got.Model != fx.m.ID {
		t.Fatalf("%d results, model %q", len(got.Results), got.Model)
	}
	for i, r := range got.Results {
		if want := fx.labels[i%len(recs)]; r.Segment != want || r.Model != fx.m.ID {
			t.Fatalf("result %d: %+v, want segment %d", i, r, want)
		}
	}

	w = do(h, "POST", "/v1/assign/batch", map[string]any{"customers": append(batch, recs[0])})
	if e := decode[errBody](t, w); w.Code != http.StatusRequestEntityTooLarge || e.Error.Code != CodeBatchTooLarge || e.Error.Field != "customers" {
		t.Fatalf("1,001 customers: %d %+v", w.Code, e)
	}

	// One bad customer fails the whole batch, naming it.
	bad := slices.Clone(batch[:5])
	bad[3] = map[string]any{"Fresh": "abc"}
	w = do(h, "POST", "/v1/assign/batch", map[string]any{"customers": bad})
	if e := decode[errBody](t, w); w.Code != http.StatusUnprocessableEntity || e.Error.Code != CodeBadValue || e.Error.Field != "customers[3].Fresh" {
		t.Fatalf("bad customer: %d %+v", w.Code, e)
	}

	w = do(h, "POST", "/v1/assign/batch", `{"customers": []}`)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"results":[]`) {
		t.Fatalf("empty batch: %d %s", w.Code, w.Body)
	}
}

func TestProbabilitiesAndFallback(t *testing.T) {
	m := mixedModel(t, prep.ImputeMedian)
	h := newHandler(t, m, Options{})
	for _, c := range []map[string]any{
		{"Genre": "Female", "Age": 22, "Income": 18, "CustomerID": 7, "email": "a@b.c"},
		{"Genre": "Male", "Age": "55", "Income": "85.5"},
		{"Genre": "Other", "Age": 55, "Income": 85},               // unseen category: all-zero one-hot
		{"Genre": nil, "Age": "NaN", "Income": json.Number("20")}, // missing: imputed
		{"Genre": true, "Age": 1e3, "Income": 12345678901234567890.0},
		{},
	} {
		w := do(h, "POST", "/v1/assign", map[string]any{"customer": c})
		if w.Code != http.StatusOK {
			t.Fatalf("%v: %d %s", c, w.Code, w.Body)
		}
		got := decode[assignBody](t, w)
		want, err := m.Predict(roundTrip(t, c))
		if err != nil {
			t.Fatal(err)
		}
		if got.Segment != want.Segment || got.Name != want.Name || got.Distance != want.Distance ||
			!slices.Equal(got.Probabilities, want.Probabilities) || len(got.Probabilities) != 2 {
			t.Errorf("%v: got %+v, want %+v", c, got, want)
		}
		var ign []string
		for k := range c {
			if k == "CustomerID" || k == "email" {
				ign = append(ign, k)
			}
		}
		slices.Sort(ign)
		if !slices.Equal(got.Ignored, ign) && !(len(ign) == 0 && got.Ignored != nil && len(got.Ignored) == 0) {
			t.Errorf("%v: ignored %q, want %q", c, got.Ignored, ign)
		}
	}
}

// roundTrip gives a record as the handler sees it: encoded, then decoded
// with UseNumber.
func roundTrip(t *testing.T, c map[string]any) map[string]any {
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestErrors(t *testing.T) {
	fx := wholesaleModel(t)
	h := newHandler(t, fx.m, Options{MaxBodyBytes: 4096})
	drop := newHandler(t, mixedModel(t, prep.ImputeDrop), Options{})
	big := `{"customer": {"Fresh": "` + strings.Repeat("1", 5000) + `"}}`
	for _, c := range []struct {
		name, method, path, body, ctype string
		h                               http.Handler
		status                          int
		code, field                     string
		allow                           string
	}{
		{"malformed", "POST", "/v1/assign", `{"customer": {`, "", nil, 400, CodeBadJSON, "", ""},
		{"syntax", "POST", "/v1/assign", `{"customer": {"Fresh": 1,}}`, "", nil, 400, CodeBadJSON, "", ""},
		{"empty", "POST", "/v1/assign", ``, "", nil, 400, CodeBadJSON, "", ""},
		{"trailing", "POST", "/v1/assign", `{"customer": {}} {}`, "", nil, 400, CodeBadJSON, "", ""},
		{"trailing junk", "POST", "/v1/assign", `{"customer": {}} x`, "", nil, 400, CodeBadJSON, "", ""},
		{"not object", "POST", "/v1/assign", `[1, 2]`, "", nil, 400, CodeBadRequest, "", ""},
		{"no customer", "POST", "/v1/assign", `{"customers": {}}`, "", nil, 400, CodeBadRequest, "customer", ""},
		{"customer not object", "POST", "/v1/assign", `{"customer": "x"}`, "", nil, 400, CodeBadRequest, "customer", ""},
		{"batch not array", "POST", "/v1/assign/batch", `{"customers": {}}`, "", nil, 400, CodeBadRequest, "customers", ""},
		{"batch element", "POST", "/v1/assign/batch", `{"customers": [{}, 3]}`, "", nil, 400, CodeBadRequest, "customers[1]", ""},
		{"object value", "POST", "/v1/assign", `{"customer": {"Milk": {"a": 1}}}`, "", nil, 422, CodeBadType, "customer.Milk", ""},
		{"array value", "POST", "/v1/assign", `{"customer": {"Milk": [1]}}`, "", nil, 422, CodeBadType, "customer.Milk", ""},
		{"bool for number", "POST", "/v1/assign", `{"customer": {"Milk": true}}`, "", nil, 422, CodeBadType, "customer.Milk", ""},
		{"not a number", "POST", "/v1/assign", `{"customer": {"Grocery": "lots"}}`, "", nil, 422, CodeBadValue, "customer.Grocery", ""},
		{"Inf string", "POST", "/v1/assign", `{"customer": {"Grocery": "Inf"}}`, "", nil, 422, CodeBadValue, "customer.Grocery", ""},
		{"1e400 string", "POST", "/v1/assign", `{"customer": {"Grocery": "1e400"}}`, "", nil, 422, CodeBadValue, "customer.Grocery", ""},
		{"batch bool", "POST", "/v1/assign/batch", `{"customers": [{}, {}, {"Milk": false}]}`, "", nil, 422, CodeBadType, "customers[2].Milk", ""},
		{"out of range", "POST", "/v1/assign", `{"customer": {"Frozen": 1e400}}`, "", nil, 422, CodeNotFinite, "customer.Frozen", ""},
		{"cannot be logged", "POST", "/v1/assign", `{"customer": {"Frozen": -5}}`, "", nil, 422, CodeNotFinite, "customer.Frozen", ""},
		{"missing, ImputeDrop", "POST", "/v1/assign", `{"customer": {"Genre": "Male", "Age": 30}}`, "", drop, 422, CodeMissingField, "customer.Income", ""},
		{"NaN, ImputeDrop", "POST", "/v1/assign", `{"customer": {"Genre": "Male", "Age": "NaN", "Income": 3}}`, "", drop, 422, CodeMissingField, "customer.Age", ""},
		{"too large", "POST", "/v1/assign", big, "", nil, 413, CodeTooLarge, "", ""},
		{"wrong method", "GET", "/v1/assign", ``, "", nil, 405, CodeMethod, "", "POST, OPTIONS"},
		{"wrong method get", "POST", "/health", `{}`, "", nil, 405, CodeMethod, "", "GET, HEAD, OPTIONS"},
		{"delete model", "DELETE", "/v1/model", ``, "", nil, 405, CodeMethod, "", "GET, HEAD, OPTIONS"},
		{"text/plain", "POST", "/v1/assign", `{"customer": {}}`, "text/plain", nil, 415, CodeMediaType, "", ""},
		{"no content type", "POST", "/v1/assign", `{"customer": {}}`, "-", nil, 415, CodeMediaType, "", ""},
		{"latin-1", "POST", "/v1/assign", `{"customer": {}}`, "application/json; charset=iso-8859-1", nil, 415, CodeMediaType, "", ""},
		{"unknown path", "GET", "/v2/assign", ``, "", nil, 404, CodeNotFound, "", ""},
		{"root", "GET", "/", ``, "", nil, 404, CodeNotFound, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			hh := http.Handler(h)
			if c.h != nil {
				hh = c.h
			}
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			switch c.ctype {
			case "":
				req.Header.Set("Content-Type", "application/json")
			case "-":
			default:
				req.Header.Set("Content-Type", c.ctype)
			}
			w := httptest.NewRecorder()
			hh.ServeHTTP(w, req)
			e := decode[errBody](t, w)
			if w.Code != c.status || e.Error.Code != c.code || e.Error.Field != c.field || e.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d %s field %q", w.Code, e, c.status, c.code, c.field)
			}
			if got := w.Header().Get("Allow"); got != c.allow {
				t.Errorf("Allow %q, want %q", got, c.allow)
			}
		})
	}
}

func TestAcceptedContentTypes(t *testing.T) {
	h := newHandler(t, wholesaleModel(t).m, Options{})
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON; charset=UTF-8"} {
		w := do(h, "POST", "/v1/assign", `{"customer": {}}`, "Content-Type", ct)
		if w.Code != http.StatusOK {
			t.Errorf("%q: %d %s", ct, w.Code, w.Body)
		}
	}
}

func TestModelInfo(t *testing.T) {
	fx := wholesaleModel(t)
	for _, m := range []*model.Model{fx.m, mixedModel(t, prep.ImputeMedian)} {
		h := newHandler(t, m, Options{})
		w := do(h, "GET", "/v1/model", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		var raw map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"centers", "core", "mixture", "pipeline", "training", "covariances", "weights"} {
			if _, ok := raw[k]; ok {
				t.Errorf("%s: /v1/model has %q", m.Algorithm, k)
			}
		}
		// No number of the fitted state appears anywhere (centres, scales,
		// fills).
		body := w.Body.String()
		for _, s := range m.Pipeline.Steps {
			if s.Numeric != nil {
				for _, v := range []float64{s.Numeric.Centre, s.Numeric.Scale} {
					if b, _ := json.Marshal(v); strings.Contains(body, string(b)) {
						t.Errorf("%s: /v1/model holds %s of %s", m.Algorithm, b, s.Column)
					}
				}
			}
		}
		got := decode[info](t, do(h, "GET", "/v1/model", nil))
		if got.ID != m.ID || got.Algorithm != m.Algorithm || got.Version != model.Version || got.K != len(m.Segments) ||
			!slices.Equal(got.Features, m.Features) || !slices.Equal(got.InputColumns, m.Pipeline.InputColumns()) ||
			len(got.Segments) != len(m.Segments) || got.Probabilities != (m.Algorithm == "gmm") {
			t.Errorf("%+v", got)
		}
		for i, s := range got.Segments {
			if s.Name != m.Segments[i].Name || s.Size != m.Segments[i].Size || s.ID != i {
				t.Errorf("segment %d: %+v", i, s)
			}
		}
	}
}

func TestCORS(t *testing.T) {
	m := wholesaleModel(t).m
	h := newHandler(t, m, Options{AllowedOrigins: []string{"https://shop.example"}, BearerToken: "s3cret"})
	star := newHandler(t, m, Options{AllowedOrigins: []string{"*"}})
	none := newHandler(t, m, Options{})
	for _, c := range []struct {
		name           string
		h              http.Handler
		method, origin string
		status         int
		allowOrigin    string
		preflight      bool
	}{
		{"preflight allowed", h, "OPTIONS", "https://shop.example", 204, "https://shop.example", true},
		{"preflight other", h, "OPTIONS", "https://evil.example", 204, "", false},
		{"preflight subdomain", h, "OPTIONS", "https://x.shop.example", 204, "", false},
		{"preflight star", star, "OPTIONS", "https://any.example", 204, "*", true},
		{"preflight no CORS", none, "OPTIONS", "https://shop.example", 204, "", false},
		{"actual allowed", h, "POST", "https://shop.example", 200, "https://shop.example", false},
		{"actual other", h, "POST", "https://evil.example", 200, "", false},
		{"actual star", star, "POST", "https://any.example", 200, "*", false},
		{"actual no CORS", none, "POST", "https://shop.example", 200, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			hdr := []string{"Origin", c.origin, "Authorization", "Bearer s3cret"}
			var body any
			if c.method == "POST" {
				body = `{"customer": {}}`
			} else {
				hdr = append(hdr, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,authorization")
			}
			w := do(c.h, c.method, "/v1/assign", body, hdr...)
			if w.Code != c.status {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			hd := w.Header()
			if got := hd.Get("Access-Control-Allow-Origin"); got != c.allowOrigin {
				t.Errorf("Allow-Origin %q, want %q", got, c.allowOrigin)
			}
			if c.preflight {
				if hd.Get("Access-Control-Allow-Methods") != "POST" || hd.Get("Access-Control-Allow-Headers") != "Content-Type, Authorization" ||
					hd.Get("Access-Control-Max-Age") == "" {
					t.Errorf("preflight headers %v", hd)
				}
			} else if hd.Get("Access-Control-Allow-Methods") != "" || hd.Get("Access-Control-Allow-Headers") != "" {
				t.Errorf("unexpected CORS headers %v", hd)
			}
			if c.h != none && hd.Get("Vary") != "Origin" {
				t.Errorf("Vary %q", hd.Get("Vary"))
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	h := newHandler(t, wholesaleModel(t).m, Options{BearerToken: "s3cret"})
	for _, c := range []struct {
		name, path, auth string
		status           int
	}{
		{"good", "/v1/assign", "Bearer s3cret", 200},
		{"scheme case", "/v1/assign", "bearer s3cret", 200},
		{"missing", "/v1/assign", "", 401},
		{"wrong", "/v1/assign", "Bearer s3cre", 401},
		{"longer", "/v1/assign", "Bearer s3cret2", 401},
		{"basic", "/v1/assign", "Basic s3cret", 401},
		{"bare token", "/v1/assign", "s3cret", 401},
		{"batch", "/v1/assign/batch", "Bearer nope", 401},
		{"model", "/v1/model", "", 401},
		{"model good", "/v1/model", "Bearer s3cret", 200},
		{"health is open", "/health", "", 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			method, body := "POST", any(`{"customer": {}, "customers": []}`)
			if c.path == "/v1/model" || c.path == "/health" {
				method, body = "GET", nil
			}
			w := do(h, method, c.path, body, "Authorization", c.auth)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if c.status == 401 {
				if e := decode[errBody](t, w); e.Error.Code != CodeUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("%+v %v", e, w.Header())
				}
			}
		})
	}
}

func TestPanicRecovered(t *testing.T) {
	h := newHandler(t, wholesaleModel(t).m, Options{})
	h.predict = func(map[string]any) (model.Result, error) { panic("boom") }
	for _, path := range []string{"/v1/assign", "/v1/assign/batch"} {
		w := do(h, "POST", path, `{"customer": {}, "customers": [{}]}`)
		if e := decode[errBody](t, w); w.Code != 500 || e.Error.Code != CodeInternal || strings.Contains(w.Body.String(), "boom") {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	// An unexpected error is internal too, without its text.
	h.predict = func(map[string]any) (model.Result, error) { return model.Result{}, errors.New("secret detail") }
	w := do(h, "POST", "/v1/assign", `{"customer": {}}`)
	if e := decode[errBody](t, w); w.Code != 500 || e.Error.Code != CodeInternal || strings.Contains(w.Body.String(), "secret") {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	// A non-finite distance cannot be encoded: 500, still JSON.
	h.predict = func(map[string]any) (model.Result, error) { return model.Result{Distance: 1 / zero()}, nil }
	w = do(h, "POST", "/v1/assign", `{"customer": {}}`)
	if e := decode[errBody](t, w); w.Code != 500 || e.Error.Code != CodeInternal {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

func zero() float64 { return 0 }

func TestNewErrors(t *testing.T) {
	if _, err := New(nil, Options{}); err == nil {
		t.Error("nil model accepted")
	}
	if _, err := New(wholesaleModel(t).m, Options{MaxBatch: -1}); err == nil {
		t.Error("negative MaxBatch accepted")
	}
}

func TestServer(t *testing.T) {
	// The handler behind a real server: HEAD, and keep-alive after an
	// over-limit body.
	srv := httptest.NewServer(newHandler(t, wholesaleModel(t).m, Options{MaxBodyBytes: 100}))
	defer srv.Close()
	res, err := http.Head(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("HEAD /health: %d", res.StatusCode)
	}
	res, err = http.Post(srv.URL+"/v1/assign", "application/json", strings.NewReader(`{"customer": {"Milk": "`+strings.Repeat("9", 200)+`"}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 413 || !strings.Contains(string(b), CodeTooLarge) {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
}

var knownStatus = map[int]bool{200: true, 400: true, 401: true, 404: true, 405: true, 413: true, 415: true, 422: true}

func FuzzHandler(f *testing.F) {
	for _, s := range []string{`{"customer": {"Fresh": "1", "Milk": 2}}`, `{"customer": {"Fresh": 1e400}}`, `{"customer": {"Fresh": [1]}}`,
		`{"customer": null}`, `[]`, `{`, `{"customer": {}} 1`, `{"customer": {"Genre": true, "Age": "NaN"}}`, `"x"`,
		`{"customer": {"Income": -1e308, "Age": 1e308}}`} {
		f.Add([]byte(s))
	}
	hs := []*handler{newHandler(f, wholesaleModel(f).m, Options{MaxBodyBytes: 1 << 12}), newHandler(f, mixedModel(f, prep.ImputeDrop), Options{})}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, h := range hs {
			for _, path := range []string{"/v1/assign", "/v1/assign/batch"} {
				w := do(h, "POST", path, string(body))
				if !knownStatus[w.Code] {
					t.Fatalf("%s %q: status %d: %s", path, body, w.Code, w.Body)
				}
				var v map[string]any
				if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
					t.Fatalf("%s %q: not JSON: %s", path, body, w.Body)
				}
				if w.Code != 200 {
					e, _ := v["error"].(map[string]any)
					if c, _ := e["code"].(string); c == "" {
						t.Fatalf("%s %q: no error code: %s", path, body, w.Body)
					}
				}
			}
		}
	})
}

func BenchmarkAssign(b *testing.B) {
	h := newHandler(b, wholesaleModel(b).m, Options{})
	body := []byte(`{"customer": {"Channel": "2", "Region": "3", "Fresh": "12669", "Milk": "9656", "Grocery": "7561", "Frozen": "214", "Detergents_Paper": "2674", "Delicassen": "1338"}}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/v1/assign", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Body)
		}
	}
}

var update = flag.Bool("update", false, "rewrite testdata/example-model.json")

// TestExampleModel keeps testdata/example-model.json, the model of the
// Example, and worker/model.json, the model the worker serves when no other
// is given, equal to the wholesale k-means model (rewrite them with
// -update; then regenerate worker/model_gen.go as internal/edgebuild's
// TestWorkerModelSource says).
func TestExampleModel(t *testing.T) {
	var buf bytes.Buffer
	if err := wholesaleModel(t).m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"testdata/example-model.json", "worker/model.json"} {
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s is stale; run go test -run TestExampleModel -update", path)
		}
	}
}
