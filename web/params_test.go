package main

import (
	"testing"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

func TestFitParams(t *testing.T) {
	choices := map[string]string{"covariance": "diag", "linkage": "average", "metric": "manhattan", "selection": "leaf"}
	tests := []struct {
		algo   string
		fields map[string]string
		want   protocol.FitParams
		code   string
	}{
		{"kmeans", map[string]string{"k": " 5 ", "n-init": "10"}, protocol.FitParams{Algorithm: "kmeans", K: 5, NInit: 10}, ""},
		{"kmeans", map[string]string{"k": "1", "n-init": "10"}, protocol.FitParams{}, protocol.CodeBadK},
		{"kmeans", map[string]string{"k": "five"}, protocol.FitParams{}, protocol.CodeBadK},
		{"kmeans", map[string]string{}, protocol.FitParams{}, protocol.CodeBadK},
		{"kmeans", map[string]string{"k": "3", "n-init": "0"}, protocol.FitParams{}, protocol.CodeBadSetting},
		{"gmm", map[string]string{"k": "4", "n-init": "1"}, protocol.FitParams{Algorithm: "gmm", K: 4, NInit: 1, Covariance: "diag"}, ""},
		{"dbscan", map[string]string{"eps": "0.3", "min-samples": "5"}, protocol.FitParams{Algorithm: "dbscan", Eps: 0.3, MinSamples: 5, Metric: "manhattan"}, ""},
		{"dbscan", map[string]string{"eps": "0", "min-samples": "5"}, protocol.FitParams{}, protocol.CodeBadSetting},
		{"dbscan", map[string]string{"eps": "-1"}, protocol.FitParams{}, protocol.CodeBadSetting},
		{"dbscan", map[string]string{"eps": "NaN"}, protocol.FitParams{}, protocol.CodeBadSetting},
		{"hdbscan", map[string]string{"min-cluster-size": "10", "min-samples": "0"}, protocol.FitParams{Algorithm: "hdbscan", MinClusterSize: 10, Selection: "leaf", Metric: "manhattan"}, ""},
		{"hdbscan", map[string]string{"min-cluster-size": "1"}, protocol.FitParams{}, protocol.CodeBadSetting},
		{"agglomerative", map[string]string{"k": "5"}, protocol.FitParams{Algorithm: "agglomerative", K: 5, Linkage: "average"}, ""},
		{"birch", map[string]string{"k": "5", "threshold": "0.5", "branching": "50"}, protocol.FitParams{Algorithm: "birch", K: 5, Threshold: 0.5, Branching: 50}, ""},
		{"meanshift", map[string]string{"bandwidth": "0"}, protocol.FitParams{Algorithm: "meanshift"}, ""},
		{"kprototypes", map[string]string{"k": "4", "n-init": "3", "gamma": "0.5"}, protocol.FitParams{Algorithm: "kprototypes", K: 4, NInit: 3, Gamma: 0.5}, ""},
	}
	for _, tt := range tests {
		p, err := fitParams(algo(tt.algo), tt.fields, choices)
		if tt.code != "" {
			if err == nil || err.Code != tt.code || err.Message == "" {
				t.Errorf("%s %v: error %+v, want code %s", tt.algo, tt.fields, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %v: %v", tt.algo, tt.fields, err)
			continue
		}
		if p.Algorithm != tt.want.Algorithm || p.K != tt.want.K || p.NInit != tt.want.NInit || p.Eps != tt.want.Eps ||
			p.MinSamples != tt.want.MinSamples || p.MinClusterSize != tt.want.MinClusterSize || p.Threshold != tt.want.Threshold ||
			p.Branching != tt.want.Branching || p.Gamma != tt.want.Gamma || p.Covariance != tt.want.Covariance ||
			p.Linkage != tt.want.Linkage || p.Metric != tt.want.Metric || p.Selection != tt.want.Selection {
			t.Errorf("%s %v: %+v, want %+v", tt.algo, tt.fields, *p, tt.want)
		}
	}
}
