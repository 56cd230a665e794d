package prep

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/segkit/segkit/core/dataset"
)

// recordCell converts one field of a record for step s (see
// Pipeline.TransformRecord), or describes why it cannot.
func recordCell(s *Step, v any) (cell, string) {
	var x float64
	switch v := v.(type) {
	case nil:
		return cell{missing: true}, ""
	case string:
		if s.isCategorical() {
			c := dataset.CleanText(v) // as the reader stores a text cell
			return cell{cat: c, missing: c == ""}, ""
		}
		return parseNumeric(s, v)
	case bool:
		if s.isCategorical() {
			return cell{cat: strconv.FormatBool(v)}, ""
		}
		return cell{}, fmt.Sprintf("value %v is a boolean, expected a number", v)
	case json.Number:
		if s.isCategorical() {
			return cell{cat: string(v)}, ""
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return cell{}, fmt.Sprintf("value %s is not a finite number", v)
		}
		x = f
	case float64:
		x = v
	case float32:
		x = float64(v)
	case int:
		x = float64(v)
	case int8:
		x = float64(v)
	case int16:
		x = float64(v)
	case int32:
		x = float64(v)
	case int64:
		x = float64(v)
	case uint:
		x = float64(v)
	case uint8:
		x = float64(v)
	case uint16:
		x = float64(v)
	case uint32:
		x = float64(v)
	case uint64:
		x = float64(v)
	default:
		return cell{}, fmt.Sprintf("value of type %T, expected a string, number, bool or null", v)
	}
	if math.IsNaN(x) {
		return cell{missing: true}, ""
	}
	if s.isCategorical() {
		return cell{cat: formatNumber(x)}, ""
	}
	if s.isDate() {
		x /= secondsPerDay
	}
	return cell{x: x}, ""
}

// parseNumeric reads a string as the dataset reader reads a cell of an
// integer, float or date column.
func parseNumeric(s *Step, str string) (cell, string) {
	if dataset.IsMissingToken(str) {
		return cell{missing: true}, ""
	}
	if s.isDate() {
		if s.DateLayout == "" {
			return cell{}, fmt.Sprintf("value %q: no date layout was recorded for this column, send Unix seconds as a number", str)
		}
		sec, ok := dataset.ParseDate(str, s.DateLayout)
		if !ok {
			return cell{}, fmt.Sprintf("value %q is not a date in the layout %q", str, s.DateLayout)
		}
		return cell{x: sec / secondsPerDay}, ""
	}
	x, ok := dataset.ParseNumber(str)
	if !ok {
		return cell{}, fmt.Sprintf("value %q is not a number", str)
	}
	return cell{x: x}, ""
}

// formatNumber renders a number given for a categorical column as text, as
// the dataset reader renders numbers: the shortest decimal form, in
// exponent notation only when |v| ≥ 1e21 or < 1e-6.
func formatNumber(v float64) string {
	if a := math.Abs(v); a != 0 && (a >= 1e21 || a < 1e-6) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
