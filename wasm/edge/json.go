package edge

import (
	"strconv"

	"github.com/segkit/segkit/internal/jsonval"
)

// appender is an answer that writes itself as JSON, byte for byte what
// encoding/json's Marshal writes for it (json_test.go checks each), so that
// the worker needs no encoding/json.
type appender interface {
	appendJSON(b []byte) ([]byte, error)
}

// rawJSON is an answer encoded beforehand (/v1/model's).
type rawJSON []byte

func (r rawJSON) appendJSON(b []byte) ([]byte, error) { return append(b, r...), nil }

// errorAnswer is the body of every error answer.
type errorAnswer struct {
	Error *apiError `json:"error"`
}

func (e *errorAnswer) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"error":{"code":`...)
	b = jsonval.AppendString(b, e.Error.Code)
	b = append(b, `,"message":`...)
	b = jsonval.AppendString(b, e.Error.Message)
	if e.Error.Field != "" {
		b = append(b, `,"field":`...)
		b = jsonval.AppendString(b, e.Error.Field)
	}
	return append(b, "}}"...), nil
}

func (a *healthAnswer) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"status":`...)
	b = jsonval.AppendString(b, a.Status)
	b = append(b, `,"model":`...)
	b = jsonval.AppendString(b, a.Model)
	return append(b, '}'), nil
}

func (a *answer) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"segment":`...)
	b = strconv.AppendInt(b, int64(a.Segment), 10)
	b = append(b, `,"name":`...)
	b = jsonval.AppendString(b, a.Name)
	b = append(b, `,"distance":`...)
	b, err := jsonval.AppendFloat(b, a.Distance)
	if err != nil {
		return b, err
	}
	if len(a.Probabilities) > 0 {
		b = append(b, `,"probabilities":`...)
		if b, err = jsonval.AppendFloats(b, a.Probabilities); err != nil {
			return b, err
		}
	}
	b = append(b, `,"model":`...)
	b = jsonval.AppendString(b, a.Model)
	b = append(b, `,"ignored":`...)
	b = jsonval.AppendStrings(b, a.Ignored)
	return append(b, '}'), nil
}

func (a *batchAnswer) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"results":`...)
	if a.Results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range a.Results {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = a.Results[i].appendJSON(b); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"model":`...)
	b = jsonval.AppendString(b, a.Model)
	return append(b, '}'), nil
}

func (in *info) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = jsonval.AppendString(b, in.ID)
	b = append(b, `,"format":`...)
	b = jsonval.AppendString(b, in.Format)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(in.Version), 10)
	b = append(b, `,"algorithm":`...)
	b = jsonval.AppendString(b, in.Algorithm)
	b = append(b, `,"k":`...)
	b = strconv.AppendInt(b, int64(in.K), 10)
	b = append(b, `,"features":`...)
	b = jsonval.AppendStrings(b, in.Features)
	b = append(b, `,"input_columns":`...)
	b = jsonval.AppendStrings(b, in.InputColumns)
	b = append(b, `,"segments":`...)
	if in.Segments == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range in.Segments {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = strconv.AppendInt(b, int64(s.ID), 10)
			b = append(b, `,"name":`...)
			b = jsonval.AppendString(b, s.Name)
			b = append(b, `,"size":`...)
			b = strconv.AppendInt(b, int64(s.Size), 10)
			if s.Description != "" {
				b = append(b, `,"description":`...)
				b = jsonval.AppendString(b, s.Description)
			}
			if len(s.Features) > 0 {
				b = append(b, `,"features":`...)
				b = jsonval.AppendStrings(b, s.Features)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"probabilities":`...)
	b = strconv.AppendBool(b, in.Probabilities)
	return append(b, '}'), nil
}
