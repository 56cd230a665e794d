package edge

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/segkit/segkit/core/prep"
)

// TestAnswersAsEncodingJSON: every answer writes exactly the bytes
// encoding/json's Marshal writes for the same struct (its json tags, with
// omitempty), for ordinary and awkward values.
func TestAnswersAsEncodingJSON(t *testing.T) {
	odd := "<b>&\"\\\n\u2028\xff é"
	answers := []answer{
		{Segment: 2, Name: "Segment 3", Distance: 0.8301392316, Model: "ad7eb76b229db4a9", Ignored: []string{"Channel", "Region"}},
		{Segment: -1, Name: "Noise", Distance: 1e-7, Model: "m", Ignored: []string{}},
		{Segment: 0, Name: odd, Distance: 1e21, Probabilities: []float64{0.25, 0.75, 5e-324}, Model: odd, Ignored: nil},
		{Distance: math.Copysign(0, -1), Probabilities: []float64{}, Ignored: []string{odd, ""}},
	}
	values := []appender{
		&healthAnswer{"ok", "ad7eb76b229db4a9"}, &healthAnswer{odd, ""},
		&errorAnswer{&apiError{Code: CodeBadJSON, Message: "malformed JSON: invalid character '}' looking for beginning of object key string"}},
		&errorAnswer{&apiError{Code: CodeBadType, Message: odd, Field: "customers[3]." + odd}},
		&batchAnswer{Results: answers, Model: "m"}, &batchAnswer{Results: []answer{}, Model: ""}, &batchAnswer{},
		&info{ID: "x", Format: "segkit-model", Version: 1, Algorithm: "gmm", K: 2, Features: []string{"Age", odd},
			InputColumns: []string{}, Probabilities: true, Segments: []segmentInfo{
				{ID: 0, Name: "Young", Size: 30, Description: odd, Features: []string{"Age low: mean 23 vs 40"}},
				{ID: 1, Name: "Old", Size: 0, Features: []string{}},
			}},
		&info{},
	}
	for i := range answers {
		values = append(values, &answers[i])
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.appendJSON(nil)
		if err != nil || string(got) != string(want) {
			t.Errorf("%T %+v:\n got %s (%v)\nwant %s", v, v, got, err, want)
		}
	}
	// What encoding/json cannot write is an error here too.
	for _, v := range []appender{&answer{Distance: math.NaN()}, &answer{Distance: 1, Probabilities: []float64{math.Inf(1)}},
		&batchAnswer{Results: []answer{{}, {Distance: math.Inf(-1)}}}} {
		if _, err := json.Marshal(v); err == nil {
			t.Fatalf("%+v: json.Marshal accepts it", v)
		}
		if _, err := v.appendJSON(nil); err == nil {
			t.Errorf("%+v: encoded", v)
		}
	}
}

// TestModelInfoAsEncodingJSON: /v1/model's answer is what json.Marshal
// writes for the model's info.
func TestModelInfoAsEncodingJSON(t *testing.T) {
	fx := wholesaleModel(t)
	for _, h := range []*handler{newHandler(t, fx.m, Options{}), newHandler(t, mixedModel(t, prep.ImputeMedian), Options{})} {
		want, err := json.Marshal(modelInfo(h.m))
		if err != nil {
			t.Fatal(err)
		}
		if string(h.info) != string(want) {
			t.Errorf("info %s, want %s", h.info, want)
		}
	}
}
