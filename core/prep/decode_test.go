package prep

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins the JSON form of a pipeline fitted on the Mall sample;
// run with -update after an intended change of format.
func TestGolden(t *testing.T) {
	p, _, _ := mustFit(t, mall(), Spec{OneHot: true, Scale: ScaleRobust})
	got, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/mall_pipeline.golden.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("pipeline JSON differs from %s (run go test -update):\n%s", golden, got)
	}
	q, err := Decode(want)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("Decode(golden) = %+v, want %+v", q, p)
	}
}

func TestDecodeInvalid(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{
			"version": 1, "impute": "median", "log": "auto", "scale": "standard",
			"steps": []any{
				map[string]any{"column": "Age", "kind": "integer", "numeric": map[string]any{"fill": 30, "log": false, "centre": 38.5, "scale": 13.9}},
				map[string]any{"column": "Genre", "kind": "categorical", "one_hot": map[string]any{"categories": []any{"Female", "Male"}, "fill": "Female"}},
			},
		}
	}
	step := func(m map[string]any, i int) map[string]any { return m["steps"].([]any)[i].(map[string]any) }
	tests := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string
		substr string
	}{
		{"valid", func(map[string]any) {}, "", ""},
		{"not json", nil, "{", "unexpected end"},
		{"not an object", nil, "[1]", "cannot unmarshal"},
		{"null", nil, "null", "no version"},
		{"trailing data", nil, "", "after top-level value"},
		{"no version", func(m map[string]any) { delete(m, "version") }, "", "no version"},
		{"future version", func(m map[string]any) { m["version"] = 2 }, "", "version 2, expected 1"},
		{"unknown field", func(m map[string]any) { m["extra"] = 1 }, "", `unknown field "extra"`},
		{"unknown scale", func(m map[string]any) { m["scale"] = "zscore" }, "", `unknown scaling "zscore"`},
		{"no steps", func(m map[string]any) { m["steps"] = []any{} }, "", "no steps"},
		{"no column", func(m map[string]any) { step(m, 0)["column"] = "" }, "", "step 0 has no column name"},
		{"duplicate column", func(m map[string]any) { step(m, 1)["column"] = "Age" }, "", `column "Age" appears twice`},
		{"unknown kind", func(m map[string]any) { step(m, 0)["kind"] = "number" }, "", `unknown kind "number"`},
		{"identifier kind", func(m map[string]any) { step(m, 0)["kind"] = "identifier" }, "", "cannot be a feature"},
		{"numeric without step", func(m map[string]any) { delete(step(m, 0), "numeric") }, "", "needs a numeric step"},
		{"both steps", func(m map[string]any) { step(m, 1)["numeric"] = step(m, 0)["numeric"] }, "", "needs a one_hot step and no numeric"},
		{"zero scale", func(m map[string]any) { step(m, 0)["numeric"].(map[string]any)["scale"] = 0 }, "", "scale 0, expected > 0"},
		{"negative scale", func(m map[string]any) { step(m, 0)["numeric"].(map[string]any)["scale"] = -1 }, "", "scale -1, expected > 0"},
		{"huge number", nil, strings.Replace(`{"version":1,"steps":[{"column":"A","kind":"float","numeric":{"fill":0,"log":false,"centre":1e999,"scale":1}}]}`, "", "", 1), "cannot unmarshal"},
		{"date logged", func(m map[string]any) {
			step(m, 0)["kind"] = "date"
			step(m, 0)["numeric"].(map[string]any)["log"] = true
		}, "", "date column cannot be logged"},
		{"layout on a number", func(m map[string]any) { step(m, 0)["date_layout"] = "2006" }, "", "date layout on a integer column"},
		{"no categories", func(m map[string]any) { step(m, 1)["one_hot"] = map[string]any{"categories": []any{}} }, "", "no categories"},
		{"empty category", func(m map[string]any) { step(m, 1)["one_hot"].(map[string]any)["categories"] = []any{"", "a"} }, "", "empty category"},
		{"unsorted", func(m map[string]any) { step(m, 1)["one_hot"].(map[string]any)["categories"] = []any{"Male", "Female"} }, "", "sorted and distinct"},
		{"repeated", func(m map[string]any) { step(m, 1)["one_hot"].(map[string]any)["categories"] = []any{"Male", "Male"} }, "", "sorted and distinct"},
		{"unknown fill", func(m map[string]any) { step(m, 1)["one_hot"].(map[string]any)["fill"] = "Other" }, "", `fill "Other" is not one of`},
		{"no fill needed with drop", func(m map[string]any) {
			m["impute"] = "drop"
			delete(step(m, 1)["one_hot"].(map[string]any), "fill")
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.raw)
			if tt.edit != nil {
				m := valid()
				tt.edit(m)
				var err error
				if b, err = json.Marshal(m); err != nil {
					t.Fatal(err)
				}
			}
			if tt.name == "trailing data" {
				b, _ = json.Marshal(valid())
				b = append(b, " {}"...)
			}
			p, err := Decode(b)
			if tt.substr == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if _, err := p.TransformRecord(map[string]any{"Age": 40, "Genre": "Male"}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error for %s", b)
			}
			if !errors.Is(err, ErrInvalidPipeline) || !strings.HasPrefix(err.Error(), "prep: invalid pipeline: ") || !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("err = %v, want ErrInvalidPipeline containing %q", err, tt.substr)
			}
		})
	}
}

// FuzzDecode checks that Decode never panics, that whatever it accepts
// survives a JSON round trip unchanged, and that an accepted pipeline
// transforms records without panicking or returning non-finite features.
func FuzzDecode(f *testing.F) {
	for _, spec := range []Spec{{}, {OneHot: true, Scale: ScaleRobust}, {Impute: ImputeDrop, Scale: ScaleMinMax, OneHot: true}} {
		p, _, _, err := Fit(mall(), spec)
		if err != nil {
			f.Fatal(err)
		}
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Add([]byte(`{"version":1,"impute":"mean","log":"none","scale":"none","steps":[{"column":"D","kind":"date","date_layout":"2006-01-02","numeric":{"fill":1,"log":false,"centre":0,"scale":1e-300}}]}`))
	f.Add([]byte(`{"version":1,"steps":[{"column":"A","kind":"float","numeric":{"fill":-5,"log":true,"centre":0,"scale":1}}]}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`null`))
	records := []map[string]any{
		nil,
		{"Age": 40, "Genre": "Male", "Annual Income (k$)": "1,000.5", "Spending Score (1-100)": -0.5, "D": "2020-02-03", "A": 1e308},
		{"Age": "x", "Genre": 3.5, "D": 1e300},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Decode(b)
		if err != nil {
			if p != nil || !errors.Is(err, ErrInvalidPipeline) {
				t.Fatalf("Decode error %v with pipeline %v", err, p)
			}
			return
		}
		again, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal of a decoded pipeline: %v", err)
		}
		q, err := Decode(again)
		if err != nil {
			t.Fatalf("Decode(Marshal(Decode(b))): %v\n%s", err, again)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the pipeline:\n%+v\n%+v", p, q)
		}
		if n := len(p.FeatureNames()); n != p.NumFeatures() || len(p.InputColumns()) != len(p.Steps) {
			t.Fatalf("%d feature names for %d features", n, p.NumFeatures())
		}
		for _, rec := range records {
			out, err := p.TransformRecord(rec)
			if err != nil {
				continue
			}
			for _, v := range out {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("TransformRecord(%v) = %v", rec, out)
				}
			}
			_ = p.Inverse(out)
		}
	})
}
