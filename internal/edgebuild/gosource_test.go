package edgebuild

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/model"
)

var update = flag.Bool("update", false, "rewrite "+WorkerModelFile+" from "+ExampleModel)

// loadModel decodes a model file.
func loadModel(t *testing.T, path string) *model.Model {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// TestWorkerModelSource keeps the committed source of the example model
// equal to what ModelSource writes for its JSON (rewrite it with -update).
func TestWorkerModelSource(t *testing.T) {
	src, err := ModelSource(loadModel(t, filepath.Join("../..", ExampleModel)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("../..", WorkerModelFile)
	if *update {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, want) {
		t.Errorf("%s is stale; run go test ./internal/edgebuild -run TestWorkerModelSource -update", WorkerModelFile)
	}
}

// roundTripModels are the models TestModelSourceRoundTrip compiles: every
// golden model of core/model (one per kind), the worker's example model,
// and a k-means model with a -0 and a subnormal centre coordinate.
func roundTripModels(t *testing.T) (names []string, models []*model.Model) {
	files, err := filepath.Glob("../../core/model/testdata/*.golden.json")
	if err != nil || len(files) < 13 {
		t.Fatalf("golden models: %v %v", files, err)
	}
	files = append(files, filepath.Join("../..", ExampleModel))
	for _, f := range files {
		names = append(names, filepath.Base(f))
		models = append(models, loadModel(t, f))
	}
	special := loadModel(t, "../../core/model/testdata/kmeans.golden.json")
	special.Centers[0][0] = math.Copysign(0, -1)
	special.Centers[1][1] = math.SmallestNonzeroFloat64
	b, err := json.Marshal(special)
	if err != nil {
		t.Fatal(err)
	}
	if special, err = model.Decode(b); err != nil {
		t.Fatal(err)
	}
	return append(names, "-0 and subnormal"), append(models, special)
}

// records makes n customers for m: each input column takes values in
// turn from a list around and beyond its training range, with missing,
// malformed and unseen values.
func records(m *model.Model, n int) []map[string]any {
	numbers := []any{json.Number("0"), json.Number("-3"), json.Number("23"), json.Number("61.5"), "80", json.Number("1e6"),
		json.Number("15"), nil, "NA", "abc", json.Number("2.5e-7"), "64", json.Number("-0")}
	var out []map[string]any
	for i := range n {
		rec := map[string]any{"id": json.Number(fmt.Sprint(i))}
		for j, s := range m.Pipeline.Steps {
			k := i*(j+2) + j
			if s.OneHot != nil {
				cats := append([]any{nil, "unseen-category", true}, anySlice(s.OneHot.Categories)...)
				rec[s.Column] = cats[k%len(cats)]
			} else {
				rec[s.Column] = numbers[k%len(numbers)]
			}
		}
		out = append(out, rec)
	}
	return out
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// roundTripDriver is the program TestModelSourceRoundTrip compiles with the
// generated sources: it rebuilds each model with model.FromFields and
// prints its fields and its answers for the records read from stdin.
const roundTripDriver = `package main

import (
	"encoding/json"
	"os"

	"github.com/segkit/segkit/core/model"
)

func main() {
	var recs [][]map[string]any
	dec := json.NewDecoder(os.Stdin)
	dec.UseNumber()
	if err := dec.Decode(&recs); err != nil {
		panic(err)
	}
	out := json.NewEncoder(os.Stdout)
	for i, f := range models {
		m, err := model.FromFields(f)
		if err != nil {
			panic(err)
		}
		var answers []string
		for _, r := range recs[i] {
			answers = append(answers, answer(m.Predict(r)))
		}
		out.Encode(struct {
			Fields  *model.Model
			Answers []string
		}{m, answers})
	}
}

func answer(res model.Result, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	b, _ := json.Marshal(res)
	return string(b)
}
`

// TestModelSourceRoundTrip compiles the Go source of every kind of model
// with the Go toolchain (natively) and checks that the compiled model has
// the same fields as the decoded one and gives the same answer — segment,
// name, distance and probabilities to the last bit, or the same error — on
// the same customers.
func TestModelSourceRoundTrip(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	names, models := roundTripModels(t)
	tmp := t.TempDir()
	// The program lives in a folder that exists only in the overlay.
	pkgDir := filepath.Join(root, "internal", "edgebuild", "testdata", "roundtrip")
	replace := map[string]string{}
	addFile := func(name string, src []byte) {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(pkgDir, name)] = p
	}
	var list strings.Builder
	list.WriteString("package main\n\nimport \"github.com/segkit/segkit/core/model\"\n\nvar models = []model.Model{")
	var recs [][]map[string]any
	for i, m := range models {
		src, err := goSource(m, "", "main", fmt.Sprintf("model%d", i), "")
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		addFile(fmt.Sprintf("model%d.go", i), src)
		fmt.Fprintf(&list, "model%d, ", i)
		recs = append(recs, records(m, 60))
	}
	list.WriteString("}\n")
	addFile("models.go", []byte(list.String()))
	addFile("main.go", []byte(roundTripDriver))
	ov, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), ov, 0o644); err != nil {
		t.Fatal(err)
	}
	input, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(context.Background(), "go", "run", "-overlay", filepath.Join(tmp, "overlay.json"), "./internal/edgebuild/testdata/roundtrip")
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for i, m := range models {
		var got struct {
			Fields  json.RawMessage
			Answers []string
		}
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%s: the program's output: %v", names[i], err)
		}
		wantFields, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Fields, wantFields) {
			t.Errorf("%s: compiled fields\n%s\nwant\n%s", names[i], got.Fields, wantFields)
		}
		if len(got.Answers) != len(recs[i]) {
			t.Fatalf("%s: %d answers for %d records", names[i], len(got.Answers), len(recs[i]))
		}
		failed := 0
		for j, rec := range recs[i] {
			res, err := m.Predict(rec)
			want := ""
			if err != nil {
				want = "error: " + err.Error()
				failed++
			} else {
				b, _ := json.Marshal(res)
				want = string(b)
			}
			if got.Answers[j] != want {
				t.Errorf("%s, record %v: compiled model %s, decoded model %s", names[i], rec, got.Answers[j], want)
			}
		}
		if failed == len(recs[i]) {
			t.Errorf("%s: every record is an error; the test compares no answer", names[i])
		}
	}
}

// TestModelSourceRefuses: values a model cannot hold are errors naming the
// field, not Go source that would not compile or would differ.
func TestModelSourceRefuses(t *testing.T) {
	m := loadModel(t, "../../core/model/testdata/kmeans.golden.json")
	cases := []struct {
		name string
		edit func(m *model.Model)
		want string
	}{
		{"NaN centre", func(m *model.Model) { m.Centers[1][0] = math.NaN() }, "model.Centers[1][0] is NaN"},
		{"infinite inertia", func(m *model.Model) { m.Training.Inertia = math.Inf(1) }, "model.Training.Inertia is +Inf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cp := *m
			cp.Centers = [][]float64{append([]float64(nil), m.Centers[0]...), append([]float64(nil), m.Centers[1]...)}
			c.edit(&cp)
			_, err := ModelSource(&cp)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
		})
	}
}
