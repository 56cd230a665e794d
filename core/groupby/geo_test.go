package groupby

import (
	"errors"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

func TestLatLon(t *testing.T) {
	tests := []struct {
		name, csv     string
		lat, lon, err string
	}{
		{"plain", "id,Latitude,Longitude\n1,51.5,-0.12\n2,48.85,2.35\n", "Latitude", "Longitude", ""},
		{"short and camel", "storeLat,storeLng,sales\n51.5,-0.12,3\n40.4,-3.7,5\n", "storeLat", "storeLng", ""},
		{"snake", "customer_lat,customer_long\n1,2\n3,4\n", "customer_lat", "customer_long", ""},
		{"out of range latitude", "lat,lon\n95,10\n10,10\n", "", "", "no latitude"},
		{"no longitude", "lat,x\n10,10\n20,20\n", "", "", "no longitude"},
		{"words only, not substrings", "platform,salon\n1,2\n3,4\n", "", "", "no numeric column"},
		{"text column", "lat,lon\nnorth,east\nsouth,west\n", "", "", "no numeric column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := dataset.Read(strings.NewReader(tt.csv), dataset.Options{})
			if err != nil {
				t.Fatal(err)
			}
			lat, lon, err := LatLon(tab)
			if tt.err != "" {
				if !errors.Is(err, ErrNoCoordinates) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want ErrNoCoordinates mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil || lat != tt.lat || lon != tt.lon {
				t.Fatalf("LatLon = %q, %q, %v; want %q, %q", lat, lon, err, tt.lat, tt.lon)
			}
		})
	}
}
