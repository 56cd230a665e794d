package model

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/core/profile"
)

// FormatName is the value of the "format" field of every segkit model.
const FormatName = "segkit-model"

// Version is the model format version this package writes and reads.
const Version = 1

// MaxSize is the largest model Load reads, in bytes.
const MaxSize = 64 << 20

// NoiseName is the segment name of a customer that a density-based model
// assigns to no segment (segment -1).
const NoiseName = "Noise"

// ErrInvalidModel reports a model that cannot be used; the wrapped message
// says which field is wrong and what was expected.
var ErrInvalidModel = errors.New("model: invalid model")

// centreAlgorithms are the algorithms whose models predict by nearest centre:
// k-means' centres, Ward's cluster centroids, the other linkages' medoids
// (training rows), and mean-shift's modes (every point joins a mode, as with
// cluster_all).
var centreAlgorithms = []string{"kmeans", "minibatch-kmeans", "agglomerative-ward", "agglomerative-complete",
	"agglomerative-average", "agglomerative-single", "meanshift"}

// numericAlgorithms are the algorithms on numeric features only.
var numericAlgorithms = append(slices.Clone(centreAlgorithms), "gmm", "dbscan", "hdbscan", "birch")

// Algorithms lists every algorithm a model can hold: the centre-based ones,
// "gmm" (Gaussian mixture: highest posterior), "dbscan" (nearest core point
// within eps, else noise), "hdbscan" (the point inserted into the fitted
// hierarchy, see cluster.HDBSCANRule), "birch" (nearest subcluster's
// segment), "kprototypes" (cheapest prototype by Huang's cost) and
// "kmedoids" (nearest medoid by Gower distance).
var Algorithms = append(slices.Clone(numericAlgorithms), "kprototypes", "kmedoids")

// compactAlgorithms are the algorithms NewCompact can summarise: every
// clustering of the suite on numeric features (a centroid of category codes
// would mean nothing, so k-prototypes and k-medoids are not among them).
var compactAlgorithms = numericAlgorithms

// Model is a fitted segmentation ready to assign new customers.
type Model struct {
	Format    string         `json:"format"`
	Version   int            `json:"version"`
	ID        string         `json:"id"`
	Algorithm string         `json:"algorithm"`
	Params    Params         `json:"params"`
	Pipeline  *prep.Pipeline `json:"pipeline"`
	Features  []string       `json:"features"`
	Centers   [][]float64    `json:"centers"`
	Segments  []Segment      `json:"segments"`
	Training  Training       `json:"training"`
	// Mixture holds a Gaussian mixture's weights and covariances (its means
	// are Centers); only for "gmm".
	Mixture *Mixture `json:"mixture,omitempty"`
	// Core holds DBSCAN's core points, the training rows (in prepared units)
	// that the prediction rule needs; only for "dbscan", whose Centers is
	// empty.
	Core *CorePoints `json:"core,omitempty"`
	// HDBSCAN holds what HDBSCAN's rule needs: every training row (in
	// prepared units) with its core, exit and label, and per segment its
	// birth and densest distances; only for "hdbscan", whose Centers is
	// empty.
	HDBSCAN *HDBSCANTree `json:"hdbscan,omitempty"`
	// Subclusters holds BIRCH's leaf subcluster centroids with their
	// segments; only for "birch" (Centers holds the segments' centres).
	Subclusters *Subclusters `json:"subclusters,omitempty"`
	// Prototypes holds k-prototypes' cost (Centers holds the prototypes:
	// means of numeric features, modal codes of categorical ones); only for
	// "kprototypes".
	Prototypes *Prototypes `json:"prototypes,omitempty"`
	// Gower holds k-medoids' distance (Centers holds the medoids, training
	// rows in prepared units); only for "kmedoids".
	Gower *GowerDistance `json:"gower,omitempty"`
	// Compact marks a model made by NewCompact: whatever the algorithm, it
	// holds only the segments' centroids and assigns a new customer to the
	// nearest one (no noise, no probabilities).
	Compact bool `json:"compact,omitempty"`

	predictor cluster.Predictor
}

// Mixture is the part of a Gaussian mixture beyond its means.
type Mixture struct {
	Covariance  string    `json:"covariance"`  // "full", "tied", "diag" or "spherical"
	Weights     []float64 `json:"weights"`     // one per component
	Covariances []float64 `json:"covariances"` // row-major, as cluster.Mixture.Covariances
}

// CorePoints is what DBSCAN's prediction rule needs.
type CorePoints struct {
	Points [][]float64 `json:"points"` // one per core point, in prepared units (degrees for haversine)
	Labels []int       `json:"labels"` // the segment of each core point
	Eps    float64     `json:"eps"`
	Metric string      `json:"metric"` // "euclidean", "manhattan" or "haversine" (eps in km)
}

// HDBSCANTree is what HDBSCAN's prediction rule needs (see
// cluster.HDBSCANRule): all training rows, because a new customer's core
// distance is measured against them. Distances are in prepared units (km
// for haversine).
type HDBSCANTree struct {
	Points     [][]float64 `json:"points"`            // every training row, in prepared units (degrees for haversine)
	Labels     []int       `json:"labels"`            // each row's segment, -1 for noise
	Core       []float64   `json:"core_distances"`    // each row's distance to its min_samples-th nearest row (itself first)
	Exit       []float64   `json:"exit_distances"`    // the distance at which each row left the condensed tree
	Birth      []float64   `json:"birth_distances"`   // per segment: the distance at which it split from its parent
	Densest    []float64   `json:"densest_distances"` // per segment: the smallest distance at which a member left it
	MinSamples int         `json:"min_samples"`
	Metric     string      `json:"metric"` // "euclidean", "manhattan" or "haversine"
}

// Subclusters is what BIRCH's prediction rule needs.
type Subclusters struct {
	Centroids [][]float64 `json:"centroids"` // the leaf subclusters' centroids, in prepared units
	Labels    []int       `json:"labels"`    // the segment of each subcluster
}

// Prototypes is k-prototypes' cost beside its prototypes:
// Σ_numeric (x_j − c_j)² + gamma · (categorical mismatches).
type Prototypes struct {
	Categorical []bool  `json:"categorical"` // per feature: a category code (as the pipeline's codes)
	Gamma       float64 `json:"gamma"`       // the weight of one mismatch
}

// GowerDistance is k-medoids' distance: the weighted mean over features of
// |a_j − b_j| / range_j for numeric features and a 0/1 mismatch for
// categorical ones.
type GowerDistance struct {
	Categorical []bool    `json:"categorical"`       // per feature: a category code
	Ranges      []float64 `json:"ranges"`            // per feature: the training range (max − min) in prepared units; 0 for categorical
	Weights     []float64 `json:"weights,omitempty"` // per feature; absent: equal weights
}

// Params are the settings the model was fitted with.
type Params struct {
	K     int    `json:"k"`
	Seed  uint64 `json:"seed"`
	NInit int    `json:"n_init"` // 0 means the algorithm's default
}

// Segment describes one segment of the model.
type Segment struct {
	ID   int    `json:"id"`   // the label, 0..K-1
	Name string `json:"name"` // shown to people; "Segment 1" … until profiled or renamed
	Size int    `json:"size"` // training rows in the segment
	// Description and Features summarise the segment's profile (see
	// ApplyProfile): a one-line description and its distinguishing
	// features, e.g. "Annual Income (k$) high: mean 86.5 vs 60.6". Empty
	// until a profile is applied; aggregate statistics only, no rows.
	Description string   `json:"description,omitempty"`
	Features    []string `json:"features,omitempty"`
}

// Training summarises the fit, without any training row.
type Training struct {
	Rows    int     `json:"rows"`    // rows clustered
	Inertia float64 `json:"inertia"` // sum of squared distances to the centres
}

// Result is the answer for one customer.
type Result struct {
	Segment       int       `json:"segment"`
	Name          string    `json:"name"`
	Distance      float64   `json:"distance"`                // in prepared units: Euclidean to the centre (or BIRCH subcluster), Mahalanobis for gmm, to the core point or nearest training row (km for haversine) for dbscan and hdbscan, √cost for kprototypes, Gower for kmedoids
	Probabilities []float64 `json:"probabilities,omitempty"` // where the algorithm has them
}

// New builds a model from a fitted pipeline and clustering. Segments are
// named "Segment 1" … "Segment K".
func New(p *prep.Pipeline, m *cluster.Model, params Params) (*Model, error) {
	if p == nil || m == nil {
		return nil, fmt.Errorf("%w: nil pipeline or clustering", ErrInvalidModel)
	}
	if !slices.Contains(Algorithms, m.Algorithm) {
		return nil, fmt.Errorf("%w: algorithm %q cannot be saved yet (supported: %v)", ErrInvalidModel, m.Algorithm, Algorithms)
	}
	out := &Model{
		Format: FormatName, Version: Version, Algorithm: m.Algorithm, Params: params,
		Pipeline: p, Features: p.FeatureNames(),
		Training: Training{Rows: len(m.Labels), Inertia: m.Inertia},
	}
	if m.K <= 0 {
		return nil, fmt.Errorf("%w: the %s clustering found no segment (every row is noise)", ErrInvalidModel, m.Algorithm)
	}
	out.Params.K = m.K
	sizes := make([]int, m.K)
	for _, l := range m.Labels {
		if l >= 0 && l < m.K {
			sizes[l]++
		}
	}
	switch pr := m.Predictor.(type) {
	case *cluster.Mixture:
		out.Mixture = &Mixture{Covariance: pr.Covariance, Weights: slices.Clone(pr.Weights), Covariances: slices.Clone(pr.Covariances)}
	case *cluster.NearestCore:
		out.Core = &CorePoints{Labels: slices.Clone(pr.Labels), Eps: pr.Eps, Metric: string(pr.Metric)}
		out.Core.Points = rowsOf(pr.Points)
	case *cluster.HDBSCANRule:
		st := pr.State()
		out.HDBSCAN = &HDBSCANTree{Points: rowsOf(st.Points), Labels: slices.Clone(st.Labels),
			Core: slices.Clone(st.CoreDistances), Exit: slices.Clone(st.ExitDistances),
			Birth: slices.Clone(st.BirthDistances), Densest: slices.Clone(st.DensestDistances),
			MinSamples: st.MinSamples, Metric: string(st.Metric)}
	case *cluster.BirchPredictor:
		out.Subclusters = &Subclusters{Centroids: rowsOf(pr.Subclusters), Labels: slices.Clone(pr.SubclusterLabels)}
	case *cluster.PrototypePredictor:
		out.Prototypes = &Prototypes{Categorical: fullMask(pr.Categorical, len(out.Features)), Gamma: pr.Gamma}
	case *cluster.MedoidPredictor:
		out.Gower = &GowerDistance{Categorical: fullMask(pr.Gower.Categorical, len(out.Features)),
			Ranges: slices.Clone(pr.Gower.Ranges), Weights: slices.Clone(pr.Gower.Weights)}
	}
	if m.Centers != nil && out.Core == nil && out.HDBSCAN == nil {
		for i := range m.Centers.Rows {
			out.Centers = append(out.Centers, slices.Clone(m.Centers.Row(i)))
		}
	}
	for i := range m.K {
		out.Segments = append(out.Segments, Segment{ID: i, Name: fmt.Sprintf("Segment %d", i+1), Size: sizes[i]})
	}
	if err := out.validate(); err != nil {
		return nil, err
	}
	if err := out.rehash(); err != nil {
		return nil, err
	}
	return out, nil
}

// NewCompact builds the compact alternative to New for any clustering: the
// model holds only the K segment centroids — the means of each segment's
// training rows x in prepared units — and assigns a new customer to the
// nearest centroid. It never holds training rows (a DBSCAN model from New
// holds its core points) and is as small as a k-means model, at the price of
// the algorithm's own rule: no noise for density-based algorithms, no
// probabilities for mixtures, straight boundaries between segments.
func NewCompact(p *prep.Pipeline, m *cluster.Model, x *matrix.Dense, params Params) (*Model, error) {
	if p == nil || m == nil || x == nil {
		return nil, fmt.Errorf("%w: nil pipeline, clustering or data", ErrInvalidModel)
	}
	if !slices.Contains(compactAlgorithms, m.Algorithm) {
		return nil, fmt.Errorf("%w: algorithm %q cannot be summarised (known: %v)", ErrInvalidModel, m.Algorithm, compactAlgorithms)
	}
	if len(m.Labels) != x.Rows || m.K <= 0 {
		return nil, fmt.Errorf("%w: %d labels for %d rows, %d segments", ErrInvalidModel, len(m.Labels), x.Rows, m.K)
	}
	out := &Model{
		Format: FormatName, Version: Version, Algorithm: m.Algorithm, Params: params, Compact: true,
		Pipeline: p, Features: p.FeatureNames(),
		Training: Training{Rows: len(m.Labels)},
	}
	out.Params.K = m.K
	sums, sizes := make([][]float64, m.K), make([]int, m.K)
	for i := range sums {
		sums[i] = make([]float64, x.Cols)
	}
	for i, l := range m.Labels {
		if l < 0 || l >= m.K {
			continue
		}
		sizes[l]++
		for j, v := range x.Row(i) {
			sums[l][j] += v
		}
	}
	for i, s := range sums {
		if sizes[i] == 0 {
			return nil, fmt.Errorf("%w: segment %d has no training row", ErrInvalidModel, i)
		}
		for j := range s {
			s[j] /= float64(sizes[i])
		}
		out.Segments = append(out.Segments, Segment{ID: i, Name: fmt.Sprintf("Segment %d", i+1), Size: sizes[i]})
	}
	out.Centers = sums
	for i, l := range m.Labels {
		if l >= 0 && l < m.K {
			for j, v := range x.Row(i) {
				d := v - sums[l][j]
				out.Training.Inertia += d * d
			}
		}
	}
	if err := out.validate(); err != nil {
		return nil, err
	}
	if err := out.rehash(); err != nil {
		return nil, err
	}
	return out, nil
}

// Rename sets the name of segment id; names stay unique, and the model's ID
// changes with it.
func (m *Model) Rename(id int, name string) error {
	name = strings.TrimSpace(name)
	if id < 0 || id >= len(m.Segments) {
		return fmt.Errorf("model: no segment %d (the model has %d)", id, len(m.Segments))
	}
	if name == "" {
		return fmt.Errorf("model: segment %d: empty name", id)
	}
	for i, s := range m.Segments {
		if i != id && s.Name == name {
			return fmt.Errorf("model: segment %d is already named %q", i, name)
		}
	}
	m.Segments[id].Name = name
	return m.rehash()
}

// ApplyProfile takes each segment's name, description and distinguishing
// features from a profile of the training rows (profile.Build with the
// model's labels). Segments the profile lacks keep what they have.
func (m *Model) ApplyProfile(p *profile.Profile) error {
	if p == nil {
		return fmt.Errorf("model: nil profile")
	}
	for _, ps := range p.Segments {
		if ps.ID < 0 || ps.ID >= len(m.Segments) {
			return fmt.Errorf("model: the profile has segment %d; the model has %d segments", ps.ID, len(m.Segments))
		}
		s := &m.Segments[ps.ID]
		s.Name, s.Description, s.Features = ps.Name, ps.Description, nil
		for _, f := range ps.Distinguishing {
			s.Features = append(s.Features, f.Text)
		}
	}
	return m.rehash()
}

// rehash recomputes the ID after a change.
func (m *Model) rehash() error {
	d, err := m.digest()
	if err != nil {
		return err
	}
	m.ID = d
	return nil
}

// Save writes the model as indented JSON. It refuses, before writing
// anything, a model larger than MaxSize (which Load would refuse): an
// HDBSCAN or DBSCAN model of a very large file, whose rule needs training
// rows; NewCompact makes a small one.
func (m *Model) Save(w io.Writer) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("model: %w", err)
	}
	if len(b) > MaxSize {
		return fmt.Errorf("%w: %s model of %d training rows is %d MB, more than the %d MB a model may have; save the compact model (segments' centroids) instead",
			ErrInvalidModel, m.Algorithm, m.Training.Rows, len(b)>>20, MaxSize>>20)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Load reads and validates a model written by Save (at most MaxSize bytes).
func Load(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrInvalidModel, MaxSize)
	}
	return Decode(b)
}

// Decode parses and validates a model's JSON.
func Decode(b []byte) (*Model, error) {
	var head struct {
		Format  string `json:"format"`
		Version *int   `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrInvalidModel, err)
	}
	if err := checkHead(head.Format, head.Version); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	m := new(Model)
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidModel, err)
	}
	return FromFields(*m)
}

// FromFields checks a model whose exported fields were set directly — by
// Go source generated from a model file, as the edge worker embeds its
// model — exactly as Decode checks a decoded one, and returns it ready for
// Predict. It keeps m's slices and pipeline (no copy) and does not
// recompute the ID.
func FromFields(m Model) (*Model, error) {
	version := &m.Version
	if m.Version == 0 { // not set, as a file without "version"
		version = nil
	}
	if err := checkHead(m.Format, version); err != nil {
		return nil, err
	}
	if m.Pipeline == nil {
		return nil, fmt.Errorf("%w: no pipeline", ErrInvalidModel)
	}
	if err := m.Pipeline.Validate(); err != nil {
		return nil, fmt.Errorf("%w: pipeline: %w", ErrInvalidModel, err)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// checkHead checks a model's format name and version (nil: missing).
func checkHead(format string, version *int) error {
	if format != FormatName {
		return fmt.Errorf("%w: format %q, expected %q", ErrInvalidModel, format, FormatName)
	}
	if version == nil || *version != Version {
		v := "missing"
		if version != nil {
			v = fmt.Sprint(*version)
		}
		return fmt.Errorf("%w: version %s, this segkit reads version %d", ErrInvalidModel, v, Version)
	}
	return nil
}

// validate checks shapes and values and prepares the predictor.
func (m *Model) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidModel, fmt.Sprintf(format, args...))
	}
	want := m.Pipeline.FeatureNames()
	if !slices.Equal(m.Features, want) {
		return bad("features %q do not match the pipeline's %q", m.Features, want)
	}
	k, d := m.Params.K, len(want)
	if k <= 0 || len(m.Segments) != k {
		return bad("params.k is %d with %d segments", m.Params.K, len(m.Segments))
	}
	if m.Compact && !slices.Contains(compactAlgorithms, m.Algorithm) {
		return bad("unknown algorithm %q for a compact model (known: %v)", m.Algorithm, compactAlgorithms)
	}
	if !m.Compact && !slices.Contains(Algorithms, m.Algorithm) {
		return bad("unknown algorithm %q (known: %v)", m.Algorithm, Algorithms)
	}
	// Each algorithm's own state is present exactly for that algorithm.
	own := func(algo string) bool { return m.Algorithm == algo && !m.Compact }
	for _, st := range []struct {
		name, algo string
		has        bool
	}{
		{"mixture", "gmm", m.Mixture != nil}, {"core", "dbscan", m.Core != nil},
		{"hdbscan", "hdbscan", m.HDBSCAN != nil}, {"subclusters", "birch", m.Subclusters != nil},
		{"prototypes", "kprototypes", m.Prototypes != nil}, {"gower", "kmedoids", m.Gower != nil},
	} {
		if st.has != own(st.algo) {
			return bad("algorithm %q (compact %v) with %q present=%v", m.Algorithm, m.Compact, st.name, st.has)
		}
	}
	noCentres := own("dbscan") || own("hdbscan")
	if noCentres != (len(m.Centers) == 0) {
		return bad("params.k is %d but there are %d centres", k, len(m.Centers))
	}
	centres, err := denseRows(m.Centers, d, "centre", want)
	if err != nil {
		return bad("%v", err)
	}
	if !noCentres && centres.Rows != k {
		return bad("params.k is %d but there are %d centres", k, centres.Rows)
	}
	names := map[string]bool{}
	for i, s := range m.Segments {
		if s.ID != i {
			return bad("segment %d has id %d", i, s.ID)
		}
		if s.Name == "" {
			return bad("segment %d has no name", i)
		}
		if names[s.Name] {
			return bad("two segments are named %q", s.Name)
		}
		names[s.Name] = true
		if s.Size < 0 {
			return bad("segment %d has size %d", i, s.Size)
		}
	}
	if m.Training.Rows < 0 || math.IsNaN(m.Training.Inertia) || math.IsInf(m.Training.Inertia, 0) || m.Training.Inertia < 0 {
		return bad("training summary rows=%d inertia=%v", m.Training.Rows, m.Training.Inertia)
	}
	switch {
	case m.Mixture != nil:
		mix, err := cluster.NewMixture(m.Mixture.Covariance, m.Mixture.Weights, centres, m.Mixture.Covariances)
		if err != nil {
			return bad("mixture: %v", err)
		}
		m.predictor = mix
	case m.Core != nil:
		points, err := denseRows(m.Core.Points, d, "core point", want)
		if err != nil {
			return bad("%v", err)
		}
		if len(m.Core.Labels) != points.Rows || points.Rows == 0 {
			return bad("%d core points with %d labels", points.Rows, len(m.Core.Labels))
		}
		for i, l := range m.Core.Labels {
			if l < 0 || l >= k {
				return bad("core point %d has segment %d (the model has %d)", i, l, k)
			}
		}
		nc, err := cluster.NewNearestCore(points, m.Core.Labels, m.Core.Eps, cluster.Metric(m.Core.Metric))
		if err != nil {
			return bad("core points: %v", err)
		}
		m.predictor = nc
	case m.HDBSCAN != nil:
		m.predictor, err = m.hdbscanRule(d, want)
	case m.Subclusters != nil:
		m.predictor, err = m.birchRule(d, want)
	case m.Prototypes != nil:
		m.predictor, err = m.prototypeRule(centres)
	case m.Gower != nil:
		m.predictor, err = m.medoidRule(centres)
	default:
		m.predictor = cluster.NearestCenter{Centers: centres}
	}
	if err != nil {
		return bad("%v", err)
	}
	return nil
}

// hdbscanRule checks the HDBSCAN state and builds its rule.
func (m *Model) hdbscanRule(d int, names []string) (cluster.Predictor, error) {
	h, k := m.HDBSCAN, m.Params.K
	points, err := denseRows(h.Points, d, "hdbscan point", names)
	if err != nil {
		return nil, err
	}
	if points.Rows == 0 {
		return nil, fmt.Errorf("hdbscan: no training rows")
	}
	if len(h.Birth) != k || len(h.Densest) != k {
		return nil, fmt.Errorf("hdbscan: %d birth and %d densest distances for %d segments", len(h.Birth), len(h.Densest), k)
	}
	if len(h.Labels) != points.Rows || len(h.Core) != points.Rows || len(h.Exit) != points.Rows {
		return nil, fmt.Errorf("hdbscan: %d points with %d labels, %d core and %d exit distances",
			points.Rows, len(h.Labels), len(h.Core), len(h.Exit))
	}
	for i, l := range h.Labels {
		if l < -1 || l >= k {
			return nil, fmt.Errorf("hdbscan: point %d has segment %d (the model has %d)", i, l, k)
		}
	}
	rule, err := cluster.NewHDBSCANRule(cluster.HDBSCANState{Points: points, Labels: h.Labels,
		CoreDistances: h.Core, ExitDistances: h.Exit, BirthDistances: h.Birth, DensestDistances: h.Densest,
		MinSamples: h.MinSamples, Metric: cluster.Metric(h.Metric)})
	if err != nil {
		return nil, fmt.Errorf("hdbscan: %v", err)
	}
	return rule, nil
}

// birchRule checks BIRCH's subclusters and builds its rule.
func (m *Model) birchRule(d int, names []string) (cluster.Predictor, error) {
	s := m.Subclusters
	cents, err := denseRows(s.Centroids, d, "subcluster", names)
	if err != nil {
		return nil, err
	}
	if cents.Rows == 0 || len(s.Labels) != cents.Rows {
		return nil, fmt.Errorf("%d subclusters with %d labels", cents.Rows, len(s.Labels))
	}
	for i, l := range s.Labels {
		if l < 0 || l >= m.Params.K {
			return nil, fmt.Errorf("subcluster %d has segment %d (the model has %d)", i, l, m.Params.K)
		}
	}
	return &cluster.BirchPredictor{Subclusters: cents, SubclusterLabels: s.Labels}, nil
}

// prototypeRule checks k-prototypes' cost and builds its rule.
func (m *Model) prototypeRule(centres *matrix.Dense) (cluster.Predictor, error) {
	p := m.Prototypes
	if err := m.checkMask(p.Categorical, centres); err != nil {
		return nil, err
	}
	if p.Gamma < 0 || math.IsNaN(p.Gamma) || math.IsInf(p.Gamma, 0) {
		return nil, fmt.Errorf("prototypes: gamma %v, want a finite value >= 0", p.Gamma)
	}
	return &cluster.PrototypePredictor{Centers: centres, Categorical: p.Categorical, Gamma: p.Gamma}, nil
}

// medoidRule checks k-medoids' Gower distance and builds its rule.
func (m *Model) medoidRule(centres *matrix.Dense) (cluster.Predictor, error) {
	g := m.Gower
	if err := m.checkMask(g.Categorical, centres); err != nil {
		return nil, err
	}
	d := len(m.Features)
	if len(g.Ranges) != d {
		return nil, fmt.Errorf("gower: %d ranges for %d features", len(g.Ranges), d)
	}
	for j, r := range g.Ranges {
		if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("gower: range of feature %q is %v", m.Features[j], r)
		}
	}
	if g.Weights != nil {
		if len(g.Weights) != d {
			return nil, fmt.Errorf("gower: %d weights for %d features", len(g.Weights), d)
		}
		total := 0.0
		for j, w := range g.Weights {
			if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("gower: weight of feature %q is %v", m.Features[j], w)
			}
			total += w
		}
		if total == 0 {
			return nil, fmt.Errorf("gower: every weight is 0")
		}
	}
	return &cluster.MedoidPredictor{Gower: cluster.Gower{Categorical: g.Categorical, Ranges: g.Ranges, Weights: g.Weights}, Medoids: centres}, nil
}

// checkMask checks a categorical mask against the pipeline's codes and the
// centres' categorical values (whole codes >= 0).
func (m *Model) checkMask(mask []bool, centres *matrix.Dense) error {
	if want := m.Pipeline.Categorical(); !slices.Equal(mask, want) {
		return fmt.Errorf("categorical %v does not match the pipeline's category codes %v", mask, want)
	}
	for i := range centres.Rows {
		for j, v := range centres.Row(i) {
			if mask[j] && (v < 0 || v != math.Trunc(v)) {
				return fmt.Errorf("centre %d, feature %q is %v, not a category code", i, m.Features[j], v)
			}
		}
	}
	return nil
}

// rowsOf copies the rows of a matrix.
func rowsOf(x *matrix.Dense) [][]float64 {
	out := make([][]float64, x.Rows)
	for i := range out {
		out[i] = slices.Clone(x.Row(i))
	}
	return out
}

// fullMask returns mask, or all false when it is nil.
func fullMask(mask []bool, d int) []bool {
	if mask == nil {
		return make([]bool, d)
	}
	return slices.Clone(mask)
}

// denseRows checks that every row has d finite values and packs them.
func denseRows(rows [][]float64, d int, what string, names []string) (*matrix.Dense, error) {
	out := matrix.New(len(rows), d)
	for i, r := range rows {
		if len(r) != d {
			return nil, fmt.Errorf("%s %d has %d values, expected %d (one per feature)", what, i, len(r), d)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s %d, feature %q is %v", what, i, names[j], v)
			}
		}
		copy(out.Row(i), r)
	}
	return out, nil
}

// digest is the model's content hash with the ID left empty: the first 64
// bits of its JSON's FNV-1a 128-bit hash. It names a model, it does not
// sign it (nothing trusts it), so a cryptographic hash is not needed — and
// crypto/sha256 would bring Go's FIPS module (about 160 KB of wasm) into
// every binary that handles models.
func (m *Model) digest() (string, error) {
	c := *m
	c.ID = ""
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("model: %w", err)
	}
	h := fnv.New128a()
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// Predict assigns one raw customer record, by column name as in the original
// file (strings, numbers, nil for missing), to a segment. Fields the pipeline
// does not use are ignored; missing fields are imputed as in training (see
// prep.Pipeline.TransformRecord).
func (m *Model) Predict(rec map[string]any) (Result, error) {
	x, err := m.Pipeline.TransformRecord(rec)
	if err != nil {
		return Result{}, err
	}
	return m.PredictFeatures(x)
}

// PredictFeatures assigns an already prepared feature vector.
func (m *Model) PredictFeatures(x []float64) (Result, error) {
	if m.predictor == nil {
		return Result{}, fmt.Errorf("%w: not built by New, Load or Decode", ErrInvalidModel)
	}
	a, err := m.predictor.Predict(x)
	if err != nil {
		return Result{}, err
	}
	if a.Label < 0 {
		return Result{Segment: a.Label, Name: NoiseName, Distance: a.Distance}, nil
	}
	return Result{Segment: a.Label, Name: m.Segments[a.Label].Name, Distance: a.Distance, Probabilities: a.Probabilities}, nil
}
