package main

import (
	"strings"
	"testing"
)

func TestParseWidgetOptions(t *testing.T) {
	tests := []struct {
		name string
		json string
		err  string // a part of the error, "" for none
	}{
		{"empty", `{}`, ""},
		{"compact k-means k=5", `{"mode":"compact","algo":"kmeans","k":5,"columns":["Annual Income (k$)","Spending Score (1-100)"]}`, ""},
		{"everything", `{"mode":"full","algo":"gmm","k":3,"hide":["suggest","charts"],"text":{"title":"Your customers","run":"Go"},"scale":"robust","seed":7,"autorun":true}`, ""},
		{"unknown option", `{"colour":"red"}`, `unknown field "colour"`},
		{"bad mode", `{"mode":"tiny"}`, `mode "tiny"`},
		{"bad algo", `{"algo":"spectral"}`, `algo "spectral"`},
		{"k too small", `{"k":1}`, "k 1"},
		{"k too large", `{"k":51}`, "k 51"},
		{"k not a number", `{"k":"5"}`, "k"},
		{"bad step", `{"hide":["everything"]}`, `hide "everything"`},
		{"bad text key", `{"text":{"footer":"x"}}`, `text "footer"`},
		{"empty text", `{"text":{"run":"  "}}`, `text "run"`},
		{"long text", `{"text":{"run":"` + strings.Repeat("é", maxTextLength+1) + `"}}`, `text "run"`},
		{"bad scale", `{"scale":"log"}`, `scale "log"`},
		{"empty column", `{"columns":["a",""]}`, "empty column"},
		{"not an object", `[1]`, "widget options"},
		{"negative seed", `{"seed":-1}`, "seed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseWidgetOptions([]byte(tt.json))
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want one with %q", err, tt.err)
			case tt.err == "" && o == nil:
				t.Fatal("no options")
			}
		})
	}
}

func FuzzParseWidgetOptions(f *testing.F) {
	f.Add(`{"mode":"compact","algo":"kmeans","k":5}`)
	f.Add(`{"text":{"run":"Go"},"hide":["charts"]}`)
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parseWidgetOptions([]byte(s))
		if err != nil {
			return
		}
		if o.K != 0 && (o.K < 2 || o.K > 50) {
			t.Fatalf("k %d accepted", o.K)
		}
		for k, v := range o.Text {
			if _, ok := widgetTexts[k]; !ok || len([]rune(v)) > maxTextLength {
				t.Fatalf("text %q=%q accepted", k, v)
			}
		}
	})
}

func TestPresetFields(t *testing.T) {
	tests := []struct {
		algo string
		want map[string]string
	}{
		{"kmeans", map[string]string{"k": "4", "n-init": "10"}},
		{"dbscan", map[string]string{"eps": "0.5", "min-samples": "5"}},
		{"hdbscan", map[string]string{"min-cluster-size": "5", "min-samples": "0"}},
		{"agglomerative", map[string]string{"k": "4"}},
		{"birch", map[string]string{"k": "4", "threshold": "0.5", "branching": "50"}},
	}
	for _, tt := range tests {
		t.Run(tt.algo, func(t *testing.T) {
			r := &Root{Algorithm: tt.algo, K: 4, NInit: 10}
			got := r.presetFields()
			if len(got) != len(tt.want) {
				t.Fatalf("%v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			// The fields make a valid fit for the algorithm.
			if _, err := fitParams(algo(tt.algo), got, map[string]string{"linkage": "ward"}); err != nil {
				t.Errorf("fitParams: %v", err)
			}
		})
	}
}
