package groupby

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/segkit/segkit/core/dataset"
)

// ErrNoCoordinates reports that a table has no latitude/longitude pair.
var ErrNoCoordinates = errors.New("groupby: no latitude and longitude columns")

var (
	latitudeWords  = []string{"lat", "latitude"}
	longitudeWords = []string{"lon", "lng", "long", "longitude"}
)

// LatLon finds the latitude and longitude columns of a table, for
// geographic segmentation (DBSCAN with the haversine metric). A column
// qualifies when its name has a word lat or latitude (lon, lng, long or
// longitude for the longitude; "store_lat", "Latitude", "geoLng"), it is
// numeric, and every value lies in [-90, 90] (latitude) or [-180, 180]
// (longitude). The first qualifying column of each kind is returned, in
// table order; when one is missing the error wraps ErrNoCoordinates and says
// which.
func LatLon(t *dataset.Table) (lat, lon string, err error) {
	if t == nil {
		return "", "", fmt.Errorf("%w: nil table", ErrNoCoordinates)
	}
	for _, c := range t.Columns {
		words := dataset.NameWords(c.Name)
		switch {
		case lat == "" && hasAny(words, latitudeWords) && inRange(c, 90):
			lat = c.Name
		case lon == "" && hasAny(words, longitudeWords) && inRange(c, 180):
			lon = c.Name
		}
	}
	switch {
	case lat == "" && lon == "":
		return "", "", fmt.Errorf("%w: no numeric column named like lat/latitude or lon/lng/longitude with values in range", ErrNoCoordinates)
	case lat == "":
		return "", "", fmt.Errorf("%w: found longitude %q but no latitude column (named lat or latitude, values in [-90, 90])", ErrNoCoordinates, lon)
	case lon == "":
		return "", "", fmt.Errorf("%w: found latitude %q but no longitude column (named lon, lng or longitude, values in [-180, 180])", ErrNoCoordinates, lat)
	}
	return lat, lon, nil
}

func hasAny(words, want []string) bool {
	for _, w := range want {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// inRange reports whether a numeric column has at least one value and every
// value within [-limit, limit].
func inRange(c *dataset.Column, limit float64) bool {
	if !c.Kind.IsNumeric() || c.Missing == len(c.Num) {
		return false
	}
	for _, v := range c.Num {
		if !math.IsNaN(v) && math.Abs(v) > limit {
			return false
		}
	}
	return true
}
