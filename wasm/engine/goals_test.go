package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoals: the inspection names the columns of the demographic and
// geographic goals, on files whose columns are documented.
func TestGoals(t *testing.T) {
	tests := []struct {
		name        string
		data        func(t *testing.T) []byte
		demographic []string
		places      []string
		lat, lon    string
		noLocation  string
	}{
		{"wholesale", wholesale, nil, []string{"Region"}, "", "", "No latitude and longitude columns: no numeric column named like lat"},
		{"stores", func(t *testing.T) []byte { return readFile(t, "../../testdata/stores.csv") }, nil, []string{"city"}, "latitude", "longitude", ""},
		{"mall", func(t *testing.T) []byte { return readFile(t, shareddata.Path(t, "Mall_Customers.csv")) },
			[]string{"Genre", "Age", "Annual Income (k$)"}, nil, "", "", "No latitude"},
		{"marketing campaign", func(t *testing.T) []byte { return readFile(t, shareddata.Path(t, "marketing_campaign.csv")) },
			[]string{"Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"}, nil, "", "", "No latitude"},
		{"telco", func(t *testing.T) []byte {
			return readFile(t, shareddata.Path(t, "WA_Fn-UseC_-Telco-Customer-Churn.csv"))
		},
			[]string{"gender", "SeniorCitizen", "Partner", "Dependents"}, nil, "", "", "No latitude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			resp := load(t, &h, tt.name+".csv", tt.data(t), 1<<20)
			if resp.Error != nil {
				t.Fatal(resp.Error)
			}
			g := resp.Inspect.Goals
			if g == nil {
				t.Fatal("no goals in the inspection")
			}
			if !slices.Equal(g.Demographic, tt.demographic) || !slices.Equal(g.Places, tt.places) || g.Latitude != tt.lat || g.Longitude != tt.lon {
				t.Errorf("goals %+v, want demographic %q places %q lat %q lon %q", g, tt.demographic, tt.places, tt.lat, tt.lon)
			}
			if !strings.HasPrefix(g.NoLocation, tt.noLocation) || (tt.noLocation == "") != (g.NoLocation == "") {
				t.Errorf("no location %q, want it to start with %q", g.NoLocation, tt.noLocation)
			}
		})
	}
}

// TestGroups: the Wholesale customers by Region, the UCI's documented
// counts — Lisbon (1) 77, Oporto (2) 47, Other region (3) 316 — and by
// Channel (1 Horeca 298, 2 Retail 142); the labelled rows carry the group
// names, the profile compares the other columns, and there is no model.
func TestGroups(t *testing.T) {
	tests := []struct {
		column string
		names  []string
		sizes  []int
	}{
		{"Region", []string{"Region 3", "Region 1", "Region 2"}, []int{316, 77, 47}},
		{"Channel", []string{"Channel 1", "Channel 2"}, []int{298, 142}},
	}
	for _, tt := range tests {
		t.Run(tt.column, func(t *testing.T) {
			var h Handler
			if resp := load(t, &h, "wholesale-customers.csv", wholesale(t), 4096); resp.Error != nil {
				t.Fatal(resp.Error)
			}
			resp := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{
				Algorithm: protocol.AlgorithmGroups, Groups: []protocol.GroupRule{{Column: tt.column}}, Labels: true}}, nil)
			if resp.Error != nil {
				t.Fatal(resp.Error)
			}
			f := resp.Fit
			var names []string
			var sizes []int
			for _, s := range f.Segments {
				names, sizes = append(names, s.Name), append(sizes, s.Size)
			}
			if !slices.Equal(names, tt.names) || !slices.Equal(sizes, tt.sizes) || f.K != len(tt.names) || f.Rows != 440 {
				t.Errorf("groups %q sizes %v (k %d, rows %d), want %q %v", names, sizes, f.K, f.Rows, tt.names, tt.sizes)
			}
			if f.Profile == nil || slices.Contains(f.Profile.Columns, tt.column) || !slices.Contains(f.Profile.Columns, "Fresh") {
				t.Errorf("profile columns %v: want the other columns, not %s", f.Profile, tt.column)
			}
			if f.Segments[0].Description == "" && f.Segments[1].Description == "" {
				t.Error("no group is described")
			}
			lab := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpLabelled}, nil)
			if lab.Error != nil {
				t.Fatal(lab.Error)
			}
			recs, err := csv.NewReader(bytes.NewReader(lab.File.Data)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := slices.Index(recs[0], tt.column)
			count := map[string]int{}
			for _, r := range recs[1:] {
				if r[len(r)-1] != tt.column+" "+r[col] {
					t.Fatalf("row %q: segment_name %q, want %q", r, r[len(r)-1], tt.column+" "+r[col])
				}
				count[r[len(r)-1]]++
			}
			for i, n := range tt.names {
				if count[n] != tt.sizes[i] {
					t.Errorf("labelled rows: %d in %s, want %d", count[n], n, tt.sizes[i])
				}
			}
			prof := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpProfiles}, nil)
			if prof.Error != nil || !bytes.Contains(prof.File.Data, []byte(tt.names[1])) {
				t.Errorf("profiles download: %v, without %q", prof.Error, tt.names[1])
			}
			mod := h.Handle(context.Background(), protocol.Request{ID: 5, Op: protocol.OpModel}, nil)
			if code(mod) != protocol.CodeNoModel || !strings.Contains(mod.Error.Message, "no clustering model") {
				t.Errorf("model download: %+v, want %s explaining there is no clustering model", mod.Error, protocol.CodeNoModel)
			}
			ren := h.Handle(context.Background(), protocol.Request{ID: 6, Op: protocol.OpRename, Rename: &protocol.Rename{ID: 1, Name: "Lisbon"}}, nil)
			if ren.Error != nil {
				t.Fatal(ren.Error)
			}
		})
	}
}

// TestGroupsByPrefixAndBands: a hand-made file whose groups are known:
// postal codes by their first three characters, ages by the standard bands,
// and a row without a value in no group.
func TestGroupsByPrefixAndBands(t *testing.T) {
	data := []byte("id,Postcode,Age,Spend\n1,SW1A 1AA,23,10\n2,sw1a 2bb,34,20\n3,EC1 4XY,35,30\n4,EC1 9ZZ,70,40\n5,,41,50\n6,SW1P 3CC,19,60\n")
	tests := []struct {
		rule  protocol.GroupRule
		names []string
		sizes []int
		rows  int
	}{
		{protocol.GroupRule{Column: "Postcode", Prefix: 3}, []string{"Postcode SW1…", "Postcode EC1…"}, []int{3, 2}, 5},
		{protocol.GroupRule{Column: "Age"}, []string{"Age 18–24", "Age 25–34", "Age 35–44", "Age 65+"}, []int{2, 1, 2, 1}, 6},
		{protocol.GroupRule{Column: "Spend", Bands: []float64{35}}, []string{"Spend under 35", "Spend 35+"}, []int{3, 3}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.rule.Column, func(t *testing.T) {
			var h Handler
			if resp := load(t, &h, "people.csv", data, 1<<10); resp.Error != nil {
				t.Fatal(resp.Error)
			}
			resp := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{
				Algorithm: protocol.AlgorithmGroups, Groups: []protocol.GroupRule{tt.rule}}}, nil)
			if resp.Error != nil {
				t.Fatal(resp.Error)
			}
			var names []string
			var sizes []int
			for _, s := range resp.Fit.Segments {
				names, sizes = append(names, s.Name), append(sizes, s.Size)
			}
			if !slices.Equal(names, tt.names) || !slices.Equal(sizes, tt.sizes) || resp.Fit.Rows != tt.rows {
				t.Errorf("groups %q sizes %v rows %d, want %q %v %d", names, sizes, resp.Fit.Rows, tt.names, tt.sizes, tt.rows)
			}
		})
	}
}

// storeSizes are the segments of testdata/stores.csv by construction (see
// testdata/stores_gen.go): London 30, Paris 20, Madrid 12, and 5 stores
// alone.
var storeSizes = []int{30, 20, 12}

// TestLocation: DBSCAN and HDBSCAN on latitude and longitude with the
// haversine metric find the three cities of testdata/stores.csv and the
// five isolated stores as noise — with the columns named, found by name, or given in the
// wrong order — in raw degrees; the model assigns a store near Paris to
// Paris's segment.
func TestLocation(t *testing.T) {
	stores := readFile(t, "../../testdata/stores.csv")
	alone := []string{"Reykjavik", "Rome", "Warsaw", "Lisbon", "Dublin"}
	tests := []struct {
		name  string
		fit   protocol.FitParams
		sizes []int
		noise []string // the cities whose lone store is noise
	}{
		{"found by name", protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5}, storeSizes, alone},
		{"named", protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5, MinSamples: 5, Columns: []string{"latitude", "longitude"}}, storeSizes, alone},
		{"longitude first, scaling asked", protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5, Scale: "standard", Columns: []string{"longitude", "latitude"}}, storeSizes, alone},
		// HDBSCAN needs no radius. Its hierarchy by construction: Madrid
		// parts from London and Paris at about 1,050 km, London from Paris
		// at 344 km. Lisbon's store meets Madrid's at 503 km, after Madrid's
		// segment was born, so it belongs to it (with a low probability);
		// Dublin's meets London's at 464 km, before London's segment parts
		// from Paris's, and Rome, Warsaw and Reykjavik are farther still:
		// noise.
		{"hdbscan", protocol.FitParams{Algorithm: "hdbscan", Metric: "haversine", MinClusterSize: 5}, []int{30, 20, 13},
			[]string{"Reykjavik", "Rome", "Warsaw", "Dublin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			if resp := load(t, &h, "stores.csv", stores, 1<<10); resp.Error != nil {
				t.Fatal(resp.Error)
			}
			resp := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &tt.fit}, nil)
			if resp.Error != nil {
				t.Fatal(resp.Error)
			}
			f := resp.Fit
			var sizes []int
			for _, s := range f.Segments {
				sizes = append(sizes, s.Size)
			}
			slices.Sort(sizes) // segment numbers differ between the algorithms
			if !slices.Equal(sizes, slices.Sorted(slices.Values(tt.sizes))) || f.Noise != len(tt.noise) || f.Rows != 67 {
				t.Errorf("sizes %v noise %d rows %d, want %v, %d noise, 67 rows", sizes, f.Noise, f.Rows, tt.sizes, len(tt.noise))
			}
			if !slices.Equal(f.Features, []string{"latitude", "longitude"}) || f.Scale != "none" || len(f.Logged) != 0 {
				t.Errorf("features %q scale %q logged %q, want raw latitude, longitude", f.Features, f.Scale, f.Logged)
			}
			lab := h.Handle(context.Background(), protocol.Request{ID: 3, Op: protocol.OpLabelled}, nil)
			recs, err := csv.NewReader(bytes.NewReader(lab.File.Data)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			// Every store of a city shares one segment; the lone ones are
			// noise, or in their city's segment.
			seg := map[string]string{}
			for _, r := range recs[1:] {
				city, s := r[1], r[len(r)-2]
				switch {
				case slices.Contains(tt.noise, city):
					if s != "-1" {
						t.Errorf("the store in %s is in segment %s, want noise", city, s)
					}
				case seg[city] == "":
					seg[city] = s
				case seg[city] != s:
					t.Errorf("%s's stores are in segments %s and %s", city, seg[city], s)
				}
			}
			if tt.fit.Algorithm == "hdbscan" && seg["Lisbon"] != seg["Madrid"] {
				t.Errorf("Lisbon's store in segment %s, Madrid's in %s", seg["Lisbon"], seg["Madrid"])
			}
			mod := h.Handle(context.Background(), protocol.Request{ID: 4, Op: protocol.OpModel}, nil)
			if mod.Error != nil {
				t.Fatal(mod.Error)
			}
			as := h.Handle(context.Background(), protocol.Request{ID: 5, Op: protocol.OpAssign, Assign: &protocol.AssignParams{
				Model: mod.File.Data, Records: []map[string]any{{"latitude": 48.86, "longitude": 2.35}, {"latitude": 45.76, "longitude": 4.84}}}}, nil)
			if as.Error != nil {
				t.Fatal(as.Error)
			}
			if got := as.Assigned.Results; got[0].Segment < 0 || seg["Paris"] != strconv.Itoa(got[0].Segment) || got[1].Segment != -1 {
				t.Errorf("a store in Paris got segment %d (Paris is %s), one in Lyon %d (want noise)", got[0].Segment, seg["Paris"], got[1].Segment)
			}
		})
	}
}

// TestGoalErrors: bad settings of the demographic and geographic goals
// answer clear errors naming the column or setting.
func TestGoalErrors(t *testing.T) {
	stores := readFile(t, "../../testdata/stores.csv")
	tests := []struct {
		name string
		data []byte
		fit  protocol.FitParams
		code string
		msg  string
	}{
		{"region column missing", wholesale(t), protocol.FitParams{Algorithm: protocol.AlgorithmGroups, Groups: []protocol.GroupRule{{Column: "Country"}}}, protocol.CodeBadColumn, `no column "Country"`},
		{"no rule", wholesale(t), protocol.FitParams{Algorithm: protocol.AlgorithmGroups}, protocol.CodeBadSetting, "Choose the column to group by"},
		{"negative prefix", wholesale(t), protocol.FitParams{Algorithm: protocol.AlgorithmGroups, Groups: []protocol.GroupRule{{Column: "Region", Prefix: -1}}}, protocol.CodeBadSetting, `"Region"`},
		{"one group", []byte("Country,Spend\nUK,1\nUK,2\nUK,3\n"), protocol.FitParams{Algorithm: protocol.AlgorithmGroups, Groups: []protocol.GroupRule{{Column: "Country"}}}, protocol.CodeNoSegments, "only one group"},
		{"latitude out of range", []byte("store,lat,lon\nA,51.5,-0.1\nB,95.2,2.3\nC,48.8,2.3\n"), protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5, Columns: []string{"lat", "lon"}}, protocol.CodeBadValue, `Column "lat" (the latitude) has 95.2 in row 2`},
		{"longitude out of range", []byte("store,lat,lon\nA,51.5,-0.1\nB,52.2,-190\nC,48.8,2.3\n"), protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5, Columns: []string{"lat", "lon"}}, protocol.CodeBadValue, `Column "lon" (the longitude) has -190 in row 2`},
		{"no coordinates", wholesale(t), protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5}, protocol.CodeBadColumn, "No latitude and longitude columns"},
		{"three columns", stores, protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: 5, Columns: []string{"latitude", "longitude", "sales"}}, protocol.CodeBadColumn, "3 are chosen"},
		{"eps zero", stores, protocol.FitParams{Algorithm: "dbscan", Metric: "haversine"}, protocol.CodeBadSetting, "radius in kilometres"},
		{"eps negative", stores, protocol.FitParams{Algorithm: "dbscan", Metric: "haversine", Eps: -1}, protocol.CodeBadSetting, "must not be negative"},
		{"haversine for k-means", stores, protocol.FitParams{K: 3, Metric: "haversine"}, protocol.CodeBadSetting, "DBSCAN and HDBSCAN"},
		{"unknown metric", stores, protocol.FitParams{Algorithm: "dbscan", Metric: "vincenty", Eps: 5}, protocol.CodeBadSetting, "vincenty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			if resp := load(t, &h, "f.csv", tt.data, 1<<20); resp.Error != nil {
				t.Fatal(resp.Error)
			}
			resp := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &tt.fit}, nil)
			if code(resp) != tt.code || !strings.Contains(resp.Error.Message, tt.msg) {
				t.Errorf("got %+v, want code %s with %q", resp.Error, tt.code, tt.msg)
			}
		})
	}
}
