package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/internal/edgebuild"
	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/internal/workerd"
)

// edgeWorker is the edge worker built once for the test binary, for a
// k-means model (k 5) that `segkit cluster` writes for Mall_Customers.csv.
type edgeWorker struct {
	dir     string // the folder edgebuild.Build wrote
	model   *model.Model
	records []map[string]any // Mall_Customers.csv, raw fields by column name
	workerd string           // the workerd binary
	// wasmGzip is the size of build/app.wasm gzipped, as the build
	// reported it.
	wasmGzip int64
}

var (
	edgeOnce  sync.Once
	edgeBuilt edgeWorker
	edgeErr   error
)

// builtWorker builds the worker through cmd/build worker's code path. It
// fails (never skips) when workerd or the data is missing.
func builtWorker(t *testing.T) edgeWorker {
	t.Helper()
	edgeOnce.Do(func() { edgeBuilt, edgeErr = buildWorker() })
	if edgeErr != nil {
		t.Fatal(edgeErr)
	}
	return edgeBuilt
}

func buildWorker() (edgeWorker, error) {
	bin, err := workerd.Binary("..")
	if err != nil {
		return edgeWorker{}, err
	}
	data, err := shareddata.Locate()
	if err != nil {
		return edgeWorker{}, err
	}
	mall := filepath.Join(data, "Mall_Customers.csv")
	dir, err := os.MkdirTemp("", "segkit-e2e-edge-")
	if err != nil {
		return edgeWorker{}, err
	}
	atExit = append(atExit, func() { os.RemoveAll(dir) })
	modelPath := filepath.Join(dir, "mall-k5.json")
	cmd := exec.Command("go", "run", "./cmd/segkit", "cluster", mall, "--k", "5", "--model", modelPath,
		"--labels-only", "--out", filepath.Join(dir, "labels.txt"))
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return edgeWorker{}, fmt.Errorf("segkit cluster: %v\n%s", err, out)
	}
	res, err := edgebuild.Build(context.Background(), edgebuild.Options{Model: modelPath,
		Out: filepath.Join(dir, "worker"), Root: ".."})
	if err != nil {
		return edgeWorker{}, err
	}
	f, err := os.Open(modelPath)
	if err != nil {
		return edgeWorker{}, err
	}
	defer f.Close()
	m, err := model.Load(f)
	if err != nil {
		return edgeWorker{}, err
	}
	recs, err := dataset.ReadRecordsFile(mall, dataset.Options{})
	if err != nil {
		return edgeWorker{}, err
	}
	return edgeWorker{dir: res.Dir, model: m, records: recs, workerd: bin, wasmGzip: res.WasmGzip}, nil
}

// startWorker runs the built worker in workerd with the given settings
// (Worker vars and secrets) until the test ends.
func startWorker(t *testing.T, w edgeWorker, vars map[string]string) *workerd.Server {
	t.Helper()
	config := filepath.Join(w.dir, "workerd.capnp")
	if len(vars) > 0 {
		config = filepath.Join(w.dir, strings.ReplaceAll(t.Name(), "/", "_")+".capnp")
		if err := os.WriteFile(config, []byte(edgebuild.WorkerdConfig(edgebuild.LocalAddr, vars)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := workerd.Start(context.Background(), w.workerd, config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		if log := srv.Log(); strings.Contains(log, "Uncaught") || strings.Contains(log, "panic:") ||
			strings.Contains(log, "fatal error") {
			t.Errorf("workerd log:\n%s", log)
		}
	})
	return srv
}

// edgeAnswer is an answer of the worker: status, headers and body.
type edgeAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a edgeAnswer) String() string { return fmt.Sprintf("%d %s", a.status, a.body) }

// send sends one request; hdr are name, value pairs.
func send(t *testing.T, method, url string, body []byte, hdr ...string) edgeAnswer {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return edgeAnswer{resp.StatusCode, resp.Header, b}
}

// edgeWasmBudget is the most app.wasm may weigh gzipped at level 9, in
// bytes (issue #6: the worker bundle ≤ 1.7 MB gzip, decimal).
const edgeWasmBudget = 1_700_000

// TestEdgeWorkerSize: the worker's app.wasm, gzipped at level 9 here (not
// by the build's own count, which must agree), is within the budget.
func TestEdgeWorkerSize(t *testing.T) {
	w := builtWorker(t)
	raw, err := os.ReadFile(filepath.Join(w.dir, "build", "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if int64(buf.Len()) != w.wasmGzip {
		t.Errorf("app.wasm is %d bytes gzipped; the build reported %d", buf.Len(), w.wasmGzip)
	}
	if buf.Len() > edgeWasmBudget {
		t.Errorf("app.wasm is %d bytes gzipped (%d raw), over the budget of %d (see docs/performance.md, \"The edge worker\")",
			buf.Len(), len(raw), edgeWasmBudget)
	}
	t.Logf("app.wasm: %d bytes, %d gzipped (-9); budget %d", len(raw), buf.Len(), edgeWasmBudget)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type edgeResult struct {
	Segment  int      `json:"segment"`
	Name     string   `json:"name"`
	Distance float64  `json:"distance"`
	Model    string   `json:"model"`
	Ignored  []string `json:"ignored"`
}

// checkResult compares an answer with model.Predict's on the same record,
// natively.
func checkResult(t *testing.T, m *model.Model, i int, rec map[string]any, got edgeResult) {
	t.Helper()
	if err := mismatch(m, i, rec, got); err != nil {
		t.Fatal(err)
	}
}

// mismatch says how an answer differs from model.Predict's, or nil.
func mismatch(m *model.Model, i int, rec map[string]any, got edgeResult) error {
	want, err := m.Predict(rec)
	if err != nil {
		return err
	}
	if got.Segment != want.Segment || got.Name != want.Name || got.Distance != want.Distance || got.Model != m.ID ||
		!slices.Equal(got.Ignored, []string{"CustomerID", "Genre"}) {
		return fmt.Errorf("customer %d: worker %+v, model.Predict %+v (model %s)", i, got, want, m.ID)
	}
	return nil
}

// TestEdgeAssignsMallCustomers: every Mall customer, one by one and as one
// batch, gets from the worker in workerd exactly model.Predict's answer.
func TestEdgeAssignsMallCustomers(t *testing.T) {
	w := builtWorker(t)
	srv := startWorker(t, w, nil)
	for i, rec := range w.records {
		a := send(t, "POST", srv.URL+"/v1/assign", mustJSON(t, map[string]any{"customer": rec}), "Content-Type", "application/json")
		if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("customer %d: %v (Content-Type %q)", i, a, a.header.Get("Content-Type"))
		}
		var got edgeResult
		if err := json.Unmarshal(a.body, &got); err != nil {
			t.Fatal(err)
		}
		checkResult(t, w.model, i, rec, got)
	}
	a := send(t, "POST", srv.URL+"/v1/assign/batch", mustJSON(t, map[string]any{"customers": w.records}),
		"Content-Type", "application/json; charset=utf-8")
	var batch struct {
		Results []edgeResult `json:"results"`
		Model   string       `json:"model"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.body, &batch) != nil || len(batch.Results) != len(w.records) {
		t.Fatalf("batch of %d: %.300v", len(w.records), a)
	}
	for i, got := range batch.Results {
		checkResult(t, w.model, i, w.records[i], got)
	}

	// Four clients at once: the one Go runtime serves interleaved requests,
	// each with its own answer.
	bodies := make([][]byte, len(w.records))
	for i, rec := range w.records {
		bodies[i] = mustJSON(t, map[string]any{"customer": rec})
	}
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range w.records {
				i := (k*7 + c*50) % len(w.records)
				resp, err := http.Post(srv.URL+"/v1/assign", "application/json", bytes.NewReader(bodies[i]))
				if err != nil {
					t.Error(err)
					return
				}
				var got edgeResult
				err = json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				if err == nil {
					err = mismatch(w.model, i, w.records[i], got)
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("client %d, customer %d: status %d: %v", c, i, resp.StatusCode, err)
					return
				}
			}
		}()
	}
	wg.Wait()

	var info struct {
		ID           string   `json:"id"`
		K            int      `json:"k"`
		InputColumns []string `json:"input_columns"`
	}
	a = send(t, "GET", srv.URL+"/v1/model", nil)
	if a.status != http.StatusOK || json.Unmarshal(a.body, &info) != nil || info.ID != w.model.ID || info.K != 5 ||
		!slices.Equal(info.InputColumns, []string{"Age", "Annual Income (k$)", "Spending Score (1-100)"}) {
		t.Fatalf("/v1/model: %v", a)
	}
	a = send(t, "GET", srv.URL+"/health", nil)
	if want := `{"status":"ok","model":"` + w.model.ID + `"}` + "\n"; a.status != http.StatusOK || string(a.body) != want {
		t.Fatalf("/health: %v, want 200 %s", a, want)
	}
	a = send(t, "HEAD", srv.URL+"/health", nil)
	if a.status != http.StatusOK || len(a.body) != 0 || a.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("HEAD /health: %v, %q", a, a.header)
	}
}

// TestEdgeErrors: bad requests get the documented status and JSON error
// from the worker in workerd, and the isolate keeps serving.
func TestEdgeErrors(t *testing.T) {
	w := builtWorker(t)
	srv := startWorker(t, w, nil)
	big := []byte(`{"customer": {"Age": 30, "pad": "` + strings.Repeat("x", 1<<20) + `"}}`)
	var tooMany []map[string]any
	for len(tooMany) <= 1000 {
		tooMany = append(tooMany, w.records...)
	}
	ctJSON := "application/json"
	cases := []struct {
		name, method, path string
		body               []byte
		contentType        string
		status             int
		code, field        string
		allow              string
	}{
		{"malformed JSON", "POST", "/v1/assign", []byte(`{"customer": {"Age": 30,`), ctJSON, 400, "bad_json", "", ""},
		{"empty body", "POST", "/v1/assign", []byte{}, ctJSON, 400, "bad_json", "", ""},
		{"not an object", "POST", "/v1/assign", []byte(`[1, 2]`), ctJSON, 400, "bad_request", "", ""},
		{"no customer", "POST", "/v1/assign", []byte(`{"client": {}}`), ctJSON, 400, "bad_request", "customer", ""},
		{"wrong method", "GET", "/v1/assign", nil, "", 405, "method_not_allowed", "", "POST, OPTIONS"},
		{"wrong method on model", "POST", "/v1/model", []byte(`{}`), ctJSON, 405, "method_not_allowed", "", "GET, HEAD, OPTIONS"},
		{"wrong content type", "POST", "/v1/assign", []byte(`{"customer": {}}`), "text/plain", 415, "unsupported_media_type", "", ""},
		{"form content type", "POST", "/v1/assign", []byte(`customer=1`), "application/x-www-form-urlencoded", 415, "unsupported_media_type", "", ""},
		{"body over 1 MiB", "POST", "/v1/assign", big, ctJSON, 413, "too_large", "", ""},
		{"batch over 1,000", "POST", "/v1/assign/batch", mustJSON(t, map[string]any{"customers": tooMany}), ctJSON, 413, "batch_too_large", "customers", ""},
		{"not a number", "POST", "/v1/assign", []byte(`{"customer": {"Age": "thirty", "Annual Income (k$)": 70, "Spending Score (1-100)": 40}}`), ctJSON, 422, "bad_value", "customer.Age", ""},
		{"wrong type", "POST", "/v1/assign", []byte(`{"customer": {"Age": [30]}}`), ctJSON, 422, "bad_type", "customer.Age", ""},
		{"out of range", "POST", "/v1/assign", []byte(`{"customer": {"Age": 1e999}}`), ctJSON, 422, "not_finite", "customer.Age", ""},
		{"bad batch element", "POST", "/v1/assign/batch", []byte(`{"customers": [{"Age": 30}, {"Age": true}]}`), ctJSON, 422, "bad_type", "customers[1].Age", ""},
		{"unknown path", "GET", "/v2/assign", nil, "", 404, "not_found", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.contentType != "" {
				hdr = []string{"Content-Type", c.contentType}
			}
			a := send(t, c.method, srv.URL+c.path, c.body, hdr...)
			var e struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
					Field   string `json:"field"`
				} `json:"error"`
			}
			if err := json.Unmarshal(a.body, &e); err != nil || a.status != c.status || e.Error.Code != c.code ||
				e.Error.Field != c.field || e.Error.Message == "" || a.header.Get("Allow") != c.allow {
				t.Fatalf("got %.300v (Allow %q), want %d %s field %q Allow %q", a, a.header.Get("Allow"), c.status, c.code, c.field, c.allow)
			}
		})
	}
	// A missing field is filled with its training median (the documented
	// fallback), so a customer with only an age is still assigned.
	rec := map[string]any{"Age": 31}
	a := send(t, "POST", srv.URL+"/v1/assign", mustJSON(t, map[string]any{"customer": rec}), "Content-Type", ctJSON)
	var got edgeResult
	if a.status != http.StatusOK || json.Unmarshal(a.body, &got) != nil {
		t.Fatalf("missing fields: %v", a)
	}
	want, err := w.model.Predict(rec)
	if err != nil || got.Segment != want.Segment || got.Distance != want.Distance {
		t.Fatalf("missing fields: worker %+v, model.Predict %+v %v", got, want, err)
	}
}

// TestEdgeCORSAndToken: with SEGKIT_ALLOWED_ORIGINS and SEGKIT_BEARER_TOKEN
// set as Worker bindings, preflights and answers carry CORS headers for the
// allowed origin only, and /v1/ needs the token.
func TestEdgeCORSAndToken(t *testing.T) {
	w := builtWorker(t)
	srv := startWorker(t, w, map[string]string{
		edgebuild.EnvAllowedOrigins: "https://shop.example, https://www.shop.example",
		edgebuild.EnvBearerToken:    "s3cret-token",
	})
	body := mustJSON(t, map[string]any{"customer": w.records[0]})
	ct := "application/json"
	cases := []struct {
		name, method, path string
		body               []byte
		hdr                []string
		status             int
		allowOrigin        string
		allowMethods       string
	}{
		{"preflight, allowed origin", "OPTIONS", "/v1/assign", nil,
			[]string{"Origin", "https://www.shop.example", "Access-Control-Request-Method", "POST"}, 204, "https://www.shop.example", "POST"},
		{"preflight, other origin", "OPTIONS", "/v1/assign", nil,
			[]string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"}, 204, "", ""},
		{"no token", "POST", "/v1/assign", body, []string{"Content-Type", ct, "Origin", "https://shop.example"}, 401, "https://shop.example", ""},
		{"wrong token", "POST", "/v1/assign", body, []string{"Content-Type", ct, "Authorization", "Bearer s3cret"}, 401, "", ""},
		{"token", "POST", "/v1/assign", body, []string{"Content-Type", ct, "Authorization", "Bearer s3cret-token", "Origin", "https://shop.example"}, 200, "https://shop.example", ""},
		{"token, other origin", "POST", "/v1/assign", body, []string{"Content-Type", ct, "Authorization", "Bearer s3cret-token", "Origin", "https://evil.example"}, 200, "", ""},
		{"model needs the token", "GET", "/v1/model", nil, nil, 401, "", ""},
		{"health needs none", "GET", "/health", nil, nil, 200, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := send(t, c.method, srv.URL+c.path, c.body, c.hdr...)
			if a.status != c.status || a.header.Get("Access-Control-Allow-Origin") != c.allowOrigin ||
				a.header.Get("Access-Control-Allow-Methods") != c.allowMethods {
				t.Fatalf("got %.200v with Access-Control-Allow-Origin %q, -Methods %q; want %d, %q, %q", a,
					a.header.Get("Access-Control-Allow-Origin"), a.header.Get("Access-Control-Allow-Methods"),
					c.status, c.allowOrigin, c.allowMethods)
			}
			if c.status == 401 && a.header.Get("WWW-Authenticate") == "" {
				t.Fatalf("401 without WWW-Authenticate")
			}
			if c.status == 200 && c.path == "/v1/assign" {
				var got edgeResult
				if err := json.Unmarshal(a.body, &got); err != nil {
					t.Fatal(err)
				}
				checkResult(t, w.model, 0, w.records[0], got)
			}
		})
	}
}
