// Package protocol holds the messages that the page and the engine exchange.
// They are plain structs with JSON tags, shared by the engine (which imports
// the core) and the UI (which must not, to stay small), so both sides agree
// on every field.
//
// A conversation is a series of Requests, each with an ID chosen by the page;
// the engine answers each with exactly one final Response carrying the same
// ID, and may send Responses with Op "progress" before it. Errors are
// Responses whose Error is set, with a stable Code.
package protocol

import "encoding/json"

// Operations.
const (
	OpLoad     = "load"     // receive a file, in chunks; the last chunk parses it and answers with the inspection
	OpInspect  = "inspect"  // describe the loaded file again
	OpFit      = "fit"      // segment the loaded file
	OpLabelled = "labelled" // the loaded rows with segment and segment_name columns, as CSV
	OpModel    = "model"    // the fitted model as JSON
	OpSuggest  = "suggest"  // score every k of a range and suggest one, with the evidence
	OpRename   = "rename"   // rename a segment of the fit: the name flows into every download
	OpProfiles = "profiles" // the segments' profiles as CSV (long form: segment, name, column, category, statistic, value)
	OpRFM      = "rfm"      // turn the loaded transaction log into one row per customer (recency, frequency, monetary); an empty Customer goes back to the file's rows
	OpAssign   = "assign"   // assign records to the segments of a saved model (core/model.Predict); needs no loaded file
	OpCancel   = "cancel"   // cancel the request whose ID is Target
	OpProgress = "progress" // (responses only) a progress report for request ID
	OpReady    = "ready"    // (responses only) the worker is started and its network APIs are disabled
	// OpPool comes with MessagePorts (the message's "ports") to helper
	// workers: the engine then spreads k-means fits of many rows over them
	// (wasm/engine/shards). OpShardHelper comes with one MessagePort (the
	// message's "port") and makes a worker a helper that holds a shard of
	// the rows and answers on that port. Neither is answered.
	OpPool        = "pool"
	OpShardHelper = "shard-helper"
)

// Error codes. They are stable: the UI and tests match on them.
const (
	CodeBadRequest       = "bad_request"             // a malformed or unknown request
	CodeTooLarge         = "too_large"               // the file exceeds MaxFileSize
	CodeEmptyFile        = "empty_file"              // no bytes, or only blank lines
	CodeBinaryFile       = "binary_file"             // not delimited text (xlsx, pdf, gzip, UTF-16, ...)
	CodeHeaderOnly       = "header_only"             // a header but no data rows
	CodeParse            = "parse_error"             // a problem at a known line (unterminated quote, ...)
	CodeNoData           = "no_data"                 // fit or download before a file was loaded
	CodeNoNumericColumns = "no_numeric_columns"      // nothing in the file can be a feature
	CodeBadColumn        = "bad_column"              // a chosen column is unknown or cannot be a feature
	CodeBadK             = "bad_k"                   // k outside 2..MaxK or not below the number of rows
	CodeNoSegments       = "no_segments"             // the algorithm found fewer than two segments
	CodeTooLargeForAlgo  = "too_large_for_algorithm" // the file is beyond the algorithm's memory bound; the message names one that fits
	CodeNoModel          = "no_model"                // the algorithm's model cannot be saved
	CodeBadSetting       = "bad_setting"             // an unknown algorithm or scaling, a negative n_init
	CodeBadValue         = "bad_value"               // a value that cannot be used (not finite, ...)
	CodeNoFit            = "no_fit"                  // a download of results before a fit
	CodeBadName          = "bad_name"                // a segment name that is empty, too long or another segment's
	CodeBadModel         = "bad_model"               // assign: the model is not a valid segkit model
	CodeBadRecord        = "bad_record"              // assign: a record cannot be assigned (the message names the record and field)
	CodeCancelled        = "cancelled"               // the request was cancelled
	CodeInternal         = "internal"                // a bug: please report it
)

// Limits.
const (
	// MaxFileSize is the largest file the engine accepts, in bytes.
	MaxFileSize = 1 << 30
	// MaxK is the largest number of segments.
	MaxK = 50
	// MaxNInit is the largest number of restarts.
	MaxNInit = 1000
	// PreviewRows is the number of rows shown in the preview.
	PreviewRows = 8
	// MaxNameLength is the longest segment name, in characters.
	MaxNameLength = 80
	// MaxAssignRecords is the most records one assign request holds.
	MaxAssignRecords = 100000
)

// Request is one message from the page to the engine.
type Request struct {
	ID      int            `json:"id"`
	Op      string         `json:"op"`
	Load    *Load          `json:"load,omitempty"`
	Fit     *FitParams     `json:"fit,omitempty"`
	Suggest *SuggestParams `json:"suggest,omitempty"`
	Rename  *Rename        `json:"rename,omitempty"`
	RFM     *RFMParams     `json:"rfm,omitempty"`
	Assign  *AssignParams  `json:"assign,omitempty"`
	Target  int            `json:"target,omitempty"` // OpCancel: the request to cancel
}

// AssignParams are a saved model (the JSON of `segkit cluster --model` or
// the page's model download, as is) and the records to assign: each one
// customer's raw fields by column name, as in the original file (strings,
// numbers, booleans for category columns, null for missing); fields the
// model does not use are ignored.
type AssignParams struct {
	Model   json.RawMessage  `json:"model"`
	Records []map[string]any `json:"records"`
}

// Assignment is the segment of one record: its id (-1 noise), name, the
// distance to it in prepared units and, for Gaussian mixtures, the
// probability of every segment.
type Assignment struct {
	Segment       int       `json:"segment"`
	Name          string    `json:"name"`
	Distance      float64   `json:"distance"`
	Probabilities []float64 `json:"probabilities,omitempty"`
}

// Assigned answers an assign request: one Assignment per record, in order,
// and the model's id.
type Assigned struct {
	ModelID string       `json:"model_id"`
	Results []Assignment `json:"results"`
}

// Rename gives segment ID a name chosen by the user. In a response it
// carries the name as stored (trimmed) and the model's new ID.
type Rename struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	ModelID string `json:"model_id,omitempty"`
}

// Load is one chunk of a file. A chunk at Offset 0 starts a new file and
// forgets the previous one (and its fit); chunks must arrive in order.
type Load struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`   // total size of the file in bytes, if known (for progress and the size limit)
	Offset int64  `json:"offset"` // position of Chunk in the file
	Chunk  []byte `json:"chunk"`
	Final  bool   `json:"final"` // the last chunk: parse the file and answer with its Inspection
}

// Algorithms are the algorithms a fit can use (FitParams.Algorithm).
var Algorithms = []string{"kmeans", "minibatch-kmeans", "gmm", "dbscan", "hdbscan", "agglomerative", "birch", "meanshift", "kprototypes", "kmedoids"}

// AlgorithmGroups is the FitParams.Algorithm of rule-based groups
// (core/groupby): one segment per value of FitParams.Groups' column (region,
// country, channel), per prefix (postal codes) or per band (age), profiled
// on FitParams.Columns. It is not clustering: the result has no model (the
// model download answers CodeNoModel, saying why) and no quality indices.
const AlgorithmGroups = "groups"

// Distances are the metrics of dbscan and hdbscan (FitParams.Metric).
var Distances = []string{"euclidean", "manhattan", "haversine"}

// MixedAlgorithms take categorical columns as features (as category codes).
var MixedAlgorithms = []string{"kprototypes", "kmedoids"}

// FitParams are the settings of a segmentation. Settings that do not apply
// to the algorithm are ignored; a zero value means the algorithm's default
// (as the CLI's flags of the same names).
type FitParams struct {
	// Algorithm is one of Algorithms; "" means "kmeans".
	Algorithm string `json:"algorithm,omitempty"`
	// K is the number of segments, 2..MaxK and below the number of rows:
	// required for kmeans, minibatch-kmeans, gmm, agglomerative,
	// kprototypes and kmedoids; birch's global step (0: one segment per
	// subcluster); ignored by dbscan, hdbscan and meanshift.
	K       int      `json:"k"`
	Columns []string `json:"columns,omitempty"` // feature columns; empty: every integer and float column
	// Eps and MinSamples: dbscan's radius (scaled units; 0 means 0.5) and
	// core size (0 means 5); MinSamples is also hdbscan's (0: MinClusterSize).
	Eps        float64 `json:"eps,omitempty"`
	MinSamples int     `json:"min_samples,omitempty"`
	// Metric is dbscan's and hdbscan's distance: "euclidean" (default),
	// "manhattan" or "haversine": the great-circle distance between two
	// columns, latitude then longitude in degrees (Columns empty: found by
	// name, core/groupby.LatLon), used raw — Scale is ignored, nothing is
	// logged, a row with a missing coordinate is left out — with Eps in
	// kilometres (required for dbscan, > 0).
	Metric string `json:"metric,omitempty"`
	// Groups are the rules of AlgorithmGroups, combined when several (core/groupby.Segment).
	Groups []GroupRule `json:"groups,omitempty"`
	// MinClusterSize and Selection ("eom" or "leaf") are hdbscan's.
	MinClusterSize int    `json:"min_cluster_size,omitempty"`
	Selection      string `json:"selection,omitempty"`
	// Linkage is agglomerative's: "ward" (default), "complete", "average", "single".
	Linkage string `json:"linkage,omitempty"`
	// Threshold (0 means 0.5) and Branching (0 means 50) are birch's.
	Threshold float64 `json:"threshold,omitempty"`
	Branching int     `json:"branching,omitempty"`
	// Covariance is gmm's: "full" (default), "tied", "diag", "spherical".
	Covariance string `json:"covariance,omitempty"`
	// Bandwidth is meanshift's kernel radius; 0 means estimated.
	Bandwidth float64 `json:"bandwidth,omitempty"`
	// Gamma is kprototypes' weight of a category mismatch; 0 means half the
	// mean standard deviation of the numeric features.
	Gamma  float64 `json:"gamma,omitempty"`
	Scale  string  `json:"scale,omitempty"` // "standard" (default), "minmax", "robust", "none"
	Seed   uint64  `json:"seed"`
	NInit  int     `json:"n_init,omitempty"` // restarts; 0 means the algorithm's default (10 for k-means)
	Labels bool    `json:"labels,omitempty"` // include the label of every row in the result
}

// GroupRule is one rule of AlgorithmGroups: the column, and how its values
// form groups — by value (Prefix 0, no Bands; a numeric column named like
// an age gets the standard age bands), by their first Prefix characters
// (postal codes), or by numeric Bands (increasing edges).
type GroupRule struct {
	Column string    `json:"column"`
	Prefix int       `json:"prefix,omitempty"`
	Bands  []float64 `json:"bands,omitempty"`
}

// Response is one message from the engine to the page.
type Response struct {
	ID       int          `json:"id"`
	Op       string       `json:"op"`
	Error    *Error       `json:"error,omitempty"`
	Progress *Progress    `json:"progress,omitempty"`
	Inspect  *Inspection  `json:"inspect,omitempty"`
	Fit      *FitResult   `json:"fit,omitempty"`
	File     *File        `json:"file,omitempty"`
	Loaded   *LoadedChunk `json:"loaded,omitempty"`
	Suggest  *Suggestion  `json:"suggest,omitempty"`
	Renamed  *Rename      `json:"renamed,omitempty"`
	RFM      *RFMSummary  `json:"rfm,omitempty"`
	Assigned *Assigned    `json:"assigned,omitempty"`
}

// RFMParams name the columns of a transaction log (see core/rfm.Spec):
// Customer, Date, and either Amount or both Quantity and Price; Invoice is
// optional. Cancellations is "ignore" (the default here: cancelled lines are
// left out, so monetary is never negative and can be logged) or "netoff".
type RFMParams struct {
	Customer      string `json:"customer"`
	Date          string `json:"date"`
	Amount        string `json:"amount,omitempty"`
	Quantity      string `json:"quantity,omitempty"`
	Price         string `json:"price,omitempty"`
	Invoice       string `json:"invoice,omitempty"`
	Cancellations string `json:"cancellations,omitempty"`
}

// RFMSummary says what the RFM table was made from, with the customers of
// each named RFM segment (Champions, Loyal Customers, …).
type RFMSummary struct {
	Customers     int          `json:"customers"`
	Rows          int          `json:"rows"`          // rows of the log
	Used          int          `json:"used"`          // rows that counted
	NoCustomer    int          `json:"no_customer"`   // rows without a customer id
	BadRows       int          `json:"bad_rows"`      // rows with a date or amount missing or unreadable
	Cancellations int          `json:"cancellations"` // cancellation lines
	Reference     string       `json:"reference"`     // YYYY-MM-DD, recency is counted from it
	Segments      []RFMSegment `json:"segments"`      // the named segments, in their fixed order
	Source        string       `json:"source"`        // the transaction log's file name
}

// RFMSegment is a named RFM segment and its customers.
type RFMSegment struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// Error is a failure with a stable Code and a message for people.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// LoadedChunk acknowledges a chunk that was not the last.
type LoadedChunk struct {
	Bytes int64 `json:"bytes"` // received so far
}

// Progress reports how far a request has got.
type Progress struct {
	Phase     string  `json:"phase"`               // "read", "parse", "fit" or "suggest"
	Done      int64   `json:"done,omitempty"`      // read, parse: bytes so far; suggest: fits done
	Total     int64   `json:"total,omitempty"`     // read, parse: bytes in all; suggest: fits in all
	Run       int     `json:"run,omitempty"`       // fit: restart, from 1
	Runs      int     `json:"runs,omitempty"`      // fit: restarts in all
	Iteration int     `json:"iteration,omitempty"` // fit: iteration of the current restart, from 1
	MaxIter   int     `json:"max_iter,omitempty"`
	Inertia   float64 `json:"inertia,omitempty"`
}

// Inspection describes a loaded file.
type Inspection struct {
	Name    string     `json:"name"`
	Size    int64      `json:"size"`
	Rows    int        `json:"rows"`
	Skipped int        `json:"skipped"` // ragged rows left out
	Format  Format     `json:"format"`
	Columns []Column   `json:"columns"`
	Preview [][]string `json:"preview"` // the first PreviewRows rows, one string per column
	// Workers is the number of workers that parsed the file: the engine
	// and its helpers, each a part (1 when the engine read it alone).
	Workers int `json:"workers"`
	// RFM is the guess of the columns of a transaction log (core/rfm.Detect),
	// when the file has a customer and a date column and an amount or a
	// quantity and a price; nil otherwise, and for an RFM table.
	RFM *RFMParams `json:"rfm,omitempty"`
	// Goals says which goals the file offers beyond its columns (nil for
	// an RFM table).
	Goals *Goals `json:"goals,omitempty"`
}

// Goals are the columns found for the demographic and geographic goals.
type Goals struct {
	// Demographic are the demographic columns, by name (age, gender,
	// income, education, marital status, children, year of birth,
	// household, occupation: core/groupby.Demographic), in file order.
	Demographic []string `json:"demographic,omitempty"`
	// Places are the columns named like a place (region, country, state,
	// city, postal code: core/groupby.Places), to group by.
	Places []string `json:"places,omitempty"`
	// Latitude and Longitude are the coordinate columns (core/groupby.LatLon),
	// both empty when the file has none; NoLocation then says why.
	Latitude   string `json:"latitude,omitempty"`
	Longitude  string `json:"longitude,omitempty"`
	NoLocation string `json:"no_location,omitempty"`
}

// Format is how the file is laid out.
type Format struct {
	Delimiter string `json:"delimiter"` // ",", ";", "\t", "|" or " " (runs of spaces)
	Header    bool   `json:"header"`
	Encoding  string `json:"encoding"`
}

// Column describes one column of a loaded file.
type Column struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"` // integer, float, date, categorical, identifier, text, empty
	Missing  int      `json:"missing"`
	Examples []string `json:"examples"`
	Numeric  bool     `json:"numeric"` // integer or float: may be a feature
	Default  bool     `json:"default"` // chosen as a feature by default
}

// FitResult is a segmentation.
type FitResult struct {
	Algorithm string    `json:"algorithm"`
	K         int       `json:"k"`
	Rows      int       `json:"rows"`     // rows segmented
	Columns   []string  `json:"columns"`  // input columns used
	Features  []string  `json:"features"` // prepared features, in model order
	Logged    []string  `json:"logged"`   // columns transformed with log1p
	Scale     string    `json:"scale"`
	Segments  []Segment `json:"segments"`
	Metrics   Metrics   `json:"metrics"`
	ModelID   string    `json:"model_id"`
	Labels    []int     `json:"labels,omitempty"` // per table row; -1 noise, -2 a row left out (missing values)
	Noise     int       `json:"noise"`            // rows in no segment (dbscan, hdbscan)
	// Scatter is a 2-D view of (a sample of) the segmented rows.
	Scatter *Scatter `json:"scatter,omitempty"`
	// Profile is the mean per column per segment, with high and low marked.
	Profile *ProfileTable `json:"profile,omitempty"`
	// Fidelity is the share of rows whose rule (Segment.Rules) names their
	// segment, among the RuleRows rows the rules were found on (a seeded
	// sample of at most 50,000 segmented rows).
	Fidelity float64 `json:"fidelity"`
	RuleRows int     `json:"rule_rows"`
	// SilhouetteRows is the number of rows the silhouette plot was
	// computed on.
	SilhouetteRows int `json:"silhouette_rows"`
	// Dendrogram is the top of the merge tree (agglomerative only).
	Dendrogram *Dendrogram `json:"dendrogram,omitempty"`
}

// MaxScatterPoints is the most points a Scatter holds: larger files are
// sampled (seeded, uniform).
const MaxScatterPoints = 5000

// Scatter is the segmented rows projected on their first two principal
// components (PCA of the prepared features), sampled to at most
// MaxScatterPoints points.
type Scatter struct {
	X      []float64 `json:"x"`
	Y      []float64 `json:"y"` // all 0 when there is one feature
	Labels []int     `json:"labels"`
	// Text describes each point for its hover note: the table row (from 1)
	// and its values in the input columns' own units.
	Text []string `json:"text"`
	// Variance is the share of the features' variance each axis explains.
	Variance [2]float64 `json:"variance"`
	Rows     int        `json:"rows"` // rows segmented; len(X) < Rows when sampled
}

// Segment is one segment of a FitResult. Further fields (a profile, a
// readable name) are added here as the core gains them.
type Segment struct {
	ID     int     `json:"id"` // the label, 0..K-1
	Name   string  `json:"name"`
	Size   int     `json:"size"`
	Share  float64 `json:"share"`  // Size / rows segmented
	Centre []Value `json:"centre"` // the centre in the original units of each numeric input column
	// Description is one line on what sets the segment apart, and Features
	// its distinguishing features ("Annual Income (k$) high: mean 86.5 vs
	// 60.6"), from the segment's profile on the input columns.
	Description string   `json:"description,omitempty"`
	Features    []string `json:"features,omitempty"`
	// Rules describe the segment as conditions on the original columns,
	// from a small decision tree fitted to the segments (core/explain):
	// "Annual Income (k$) > 69.5 and Spending Score (1-100) ≤ 40 (38 of 39
	// customers)".
	Rules []string `json:"rules,omitempty"`
	// Silhouette holds the silhouette of the segment's rows in a sample of
	// the segmented rows, sorted from highest to lowest, and
	// SilhouetteMean their mean.
	Silhouette     []float64 `json:"silhouette,omitempty"`
	SilhouetteMean float64   `json:"silhouette_mean"`
}

// MaxSilhouettePoints is the most rows the silhouette plot is computed on
// (it costs O(m²) distances).
const MaxSilhouettePoints = 2000

// ProfileTable is the mean of each numeric input column per segment, in the
// column's own units, with the population's mean beside it.
type ProfileTable struct {
	Columns    []string     `json:"columns"`
	Population []float64    `json:"population"` // mean of everyone, one per column
	Segments   []ProfileRow `json:"segments"`   // in segment order
}

// ProfileRow is one segment of a ProfileTable.
type ProfileRow struct {
	ID    int       `json:"id"`
	Means []float64 `json:"means"` // one per column
	// Levels marks each mean "high" or "low" when the segment differs from
	// the rest by a medium effect or more (|Cohen's d| ≥ 0.5), else "".
	Levels []string `json:"levels"`
}

// Value is a named number.
type Value struct {
	Column string  `json:"column"`
	Value  float64 `json:"value"`
}

// Metrics are the quality indices of a segmentation.
type Metrics struct {
	Inertia           float64 `json:"inertia"`
	Silhouette        float64 `json:"silhouette"`
	SilhouetteSampled bool    `json:"silhouette_sampled"`
	CalinskiHarabasz  float64 `json:"calinski_harabasz"`
	DaviesBouldin     float64 `json:"davies_bouldin"`
	Iterations        int     `json:"iterations"`
	Converged         bool    `json:"converged"`
	Seconds           float64 `json:"seconds"`
	// Workers is the number of Web Workers the fit ran on (1: the engine
	// alone; more for a k-means fit spread over helper workers).
	Workers int `json:"workers,omitempty"`
	// Indices reports whether the silhouette, Calinski–Harabasz and
	// Davies–Bouldin indices were computed (not for the mixed algorithms,
	// whose category codes have no Euclidean meaning).
	Indices bool `json:"indices"`
}

// File is a download made by the engine. In the worker, Data travels beside
// the JSON as a transferred ArrayBuffer, not inside it.
type File struct {
	Name string `json:"name"`
	Type string `json:"type"` // MIME type
	Size int    `json:"size"`
	Data []byte `json:"-"`
}

// SuggestParams are the settings of a suggestion of the number of segments:
// k-means is fitted for every k from KMin to KMax on the columns and scaling
// a fit would use.
type SuggestParams struct {
	KMin    int      `json:"kmin,omitempty"`    // 0 means 2
	KMax    int      `json:"kmax,omitempty"`    // 0 means 10; at most MaxK
	Columns []string `json:"columns,omitempty"` // as FitParams.Columns
	Scale   string   `json:"scale,omitempty"`   // as FitParams.Scale
	Seed    uint64   `json:"seed"`
	NInit   int      `json:"n_init,omitempty"` // restarts per k; 0 means 3
}

// Suggestion is the suggested number of segments with the evidence behind
// it (core/eval.Suggest).
type Suggestion struct {
	SuggestedK int      `json:"suggested_k"`
	Elbow      int      `json:"elbow"`   // the knee of the inertia curve, 0 when it has none
	Reasons    []string `json:"reasons"` // sentences naming the numbers; the first summarises
	Scores     []KScore `json:"scores"`  // one per k, increasing
	Rows       int      `json:"rows"`
	SampleSize int      `json:"sample_size"` // rows every k was fitted on
	Seconds    float64  `json:"seconds"`
	// StabilityThreshold is the stability below which a k cannot win.
	StabilityThreshold float64 `json:"stability_threshold"`
	// Workers is the number of Web Workers that scored ks (1: the engine
	// alone; more when its helpers took part).
	Workers int `json:"workers,omitempty"`
}

// KScore holds the scores of one k.
type KScore struct {
	K                int     `json:"k"`
	Inertia          float64 `json:"inertia"`
	Silhouette       float64 `json:"silhouette"`
	CalinskiHarabasz float64 `json:"calinski_harabasz"`
	DaviesBouldin    float64 `json:"davies_bouldin"`
	Gap              float64 `json:"gap"`
	Stability        float64 `json:"stability"`
}

// MaxDendrogramLeaves is the most leaves a Dendrogram draws: the tree is
// shown from the merge that left that many clusters (scipy's
// truncate_mode="lastp").
const MaxDendrogramLeaves = 40

// Dendrogram is the top of an agglomerative merge tree: Leaves are the
// clusters that existed before the drawn Merges (single rows on small
// files), each inside one segment.
type Dendrogram struct {
	Leaves []DendrogramLeaf `json:"leaves"`
	// Merges are in order of height; ids 0..len(Leaves)-1 are leaves and
	// len(Leaves)+i is the cluster made by merge i.
	Merges []Merge `json:"merges"`
	// Cut is a height between the merges kept and those undone to get the
	// segments.
	Cut  float64 `json:"cut"`
	Rows int     `json:"rows"`
}

// DendrogramLeaf is a cluster at the bottom of a drawn Dendrogram.
type DendrogramLeaf struct {
	Size    int `json:"size"`
	Segment int `json:"segment"`
}

// Merge joins clusters A and B at Height into a cluster of Size rows.
type Merge struct {
	A      int     `json:"a"`
	B      int     `json:"b"`
	Height float64 `json:"height"`
	Size   int     `json:"size"`
}
