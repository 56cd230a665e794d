package model

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// strictFields decodes a model's JSON into its exported fields without
// checking them, as a Go literal of those fields would set them; ok is
// false when the text is not one model object with known fields only.
func strictFields(text string) (Model, bool) {
	var m Model
	if !json.Valid([]byte(text)) {
		return m, false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, false
	}
	return m, true
}

// TestFromFieldsMatchesDecode: every golden model, set field by field,
// becomes the model Decode makes of its file — the same fields and the same
// prepared rule — and predicts the same.
func TestFromFieldsMatchesDecode(t *testing.T) {
	files, err := filepath.Glob("testdata/*.golden.json")
	if err != nil || len(files) < 13 {
		t.Fatalf("golden models: %v, %v", files, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			f, ok := strictFields(string(b))
			if !ok {
				t.Fatal("the golden file does not decode strictly")
			}
			got, err := FromFields(f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("FromFields:\n%+v\nDecode:\n%+v", got, want)
			}
			for _, x := range [][]float64{{0, 0}, {-1, 1}, {1.5, -0.5}, {40, -40}, {0, 1}, {1, 2}} {
				if len(x) != len(want.Features) {
					x = append(x, 0)[:len(want.Features)]
				}
				g, gerr := got.PredictFeatures(x)
				w, werr := want.PredictFeatures(x)
				if !reflect.DeepEqual(g, w) || (gerr == nil) != (werr == nil) {
					t.Fatalf("%v: FromFields' model %+v (%v), Decode's %+v (%v)", x, g, gerr, w, werr)
				}
			}
		})
	}
}

func TestFromFieldsRejectsWhatDecodeRejects(t *testing.T) {
	b, err := os.ReadFile("testdata/kmeans.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	good, ok := strictFields(string(b))
	if !ok {
		t.Fatal("the golden file does not decode strictly")
	}
	for _, c := range []struct {
		name string
		edit func(m *Model)
		want string
	}{
		{"other format", func(m *Model) { m.Format = "other" }, `format "other"`},
		{"newer version", func(m *Model) { m.Version = 2 }, "version 2, this segkit reads version 1"},
		{"no pipeline", func(m *Model) { m.Pipeline = nil }, "no pipeline"},
		{"pipeline version", func(m *Model) { p := *m.Pipeline; p.Version = 9; m.Pipeline = &p }, "pipeline: prep: invalid pipeline: version 9"},
		{"short centre", func(m *Model) { m.Centers = [][]float64{m.Centers[0], {1}} }, "centre 1 has 1 values"},
		{"unknown algorithm", func(m *Model) { m.Algorithm = "magic" }, `unknown algorithm "magic"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := good
			c.edit(&m)
			_, err := FromFields(m)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}
