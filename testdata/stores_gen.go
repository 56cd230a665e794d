//go:build ignore

// stores_gen writes testdata/stores.csv, a made-up file of stores whose
// geographic segments are known by construction: go run
// testdata/stores_gen.go > testdata/stores.csv
//
// London has 30 stores, Paris 20 and Madrid 12, each city's stores spread
// over a disc of 2 km radius (a golden-angle spiral), so any two stores of
// a city are less than 4 km apart; five more stand alone in Reykjavik,
// Rome, Warsaw, Lisbon and Dublin, hundreds of kilometres from any other.
// DBSCAN on latitude and longitude with the haversine metric, eps 5 km and
// 5 neighbours therefore finds exactly three segments of 30, 20 and 12
// stores and 5 noise points.
package main

import (
	"fmt"
	"math"
)

type city struct {
	name     string
	lat, lon float64
	stores   int
}

func main() {
	cities := []city{
		{"London", 51.5074, -0.1278, 30}, {"Paris", 48.8566, 2.3522, 20}, {"Madrid", 40.4168, -3.7038, 12},
		{"Reykjavik", 64.1466, -21.9426, 1}, {"Rome", 41.9028, 12.4964, 1}, {"Warsaw", 52.2297, 21.0122, 1},
		{"Lisbon", 38.7223, -9.1393, 1}, {"Dublin", 53.3498, -6.2603, 1},
	}
	const kmPerDegree = 6371.0088 * math.Pi / 180 // the mean Earth radius of core/cluster
	const radiusKm = 2.0
	golden := math.Pi * (3 - math.Sqrt(5))
	fmt.Println("store,city,latitude,longitude,sales")
	id := 0
	// Round-robin over the cities, so that the rows of one city are not
	// all together.
	for i := 0; ; i++ {
		wrote := false
		for _, c := range cities {
			if i >= c.stores {
				continue
			}
			wrote = true
			id++
			r := radiusKm * math.Sqrt((float64(i)+0.5)/float64(c.stores))
			if c.stores == 1 {
				r = 0
			}
			dy, dx := r*math.Sin(float64(i)*golden), r*math.Cos(float64(i)*golden)
			lat := c.lat + dy/kmPerDegree
			lon := c.lon + dx/(kmPerDegree*math.Cos(c.lat*math.Pi/180))
			fmt.Printf("S%03d,%s,%.5f,%.5f,%d\n", id, c.name, lat, lon, 100+(id*37)%200)
		}
		if !wrote {
			return
		}
	}
}
