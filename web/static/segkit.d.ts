// Types of segkit's browser API: segkit-api.js (Segkit.load, the engine from
// a program) and embed.js (Segkit.mount, the widget). Field names are the
// engine's JSON (wasm/engine/protocol), so they are snake_case.

export {};

declare global {
  interface Window {
    Segkit: SegkitGlobal;
  }
  const Segkit: SegkitGlobal;
}

/** What a program may pass as data: rows as objects by column name, a header and rows of arrays, CSV text, or a File/Blob. Rows become CSV text and are read as a file is (the page's typing rules). */
export type Data = Row[] | [string[], ...Cell[][]] | string | Blob;

/** One row: cells by column name. */
export type Row = Record<string, Cell>;

/** A cell: null, undefined and NaN are missing; Dates become 2024-05-01T12:00:00Z. */
export type Cell = string | number | bigint | boolean | Date | null | undefined;

/** The algorithms of the engine. */
export type Algorithm =
  | "kmeans" | "minibatch-kmeans" | "gmm" | "dbscan" | "hdbscan" | "agglomerative"
  | "birch" | "meanshift" | "kprototypes" | "kmedoids";

export type Scale = "standard" | "minmax" | "robust" | "none";

export interface SegkitGlobal {
  /** Starts an engine (segkit-api.js). */
  load(options?: LoadOptions): Promise<Engine>;
  /** Puts a widget into element (embed.js). Throws a TypeError for an unknown option or a wrong type. */
  mount(element: Element, options?: WidgetOptions): Widget;
  SegkitError: typeof SegkitError;
  Widget: { new (element: Element, options?: WidgetOptions): Widget };
}

export interface LoadOptions {
  /** The folder of segkit's files; default: the folder segkit-api.js came from. */
  base?: string;
  /** Milliseconds to wait for the engine to start; default 60000. */
  timeout?: number;
}

/** Every failure: a rejected promise with a stable code (bad_k, bad_column, bad_rows, bad_model, bad_record, parse_error, cancelled, closed, timeout, …). */
export declare class SegkitError extends Error {
  readonly name: "SegkitError";
  readonly code: string;
}

export interface ProgressOptions {
  /** Called with every progress report of the request (reading, parsing, fitting). */
  onProgress?: (p: Progress) => void;
}

export interface ClusterOptions extends ProgressOptions {
  /** Default "kmeans". */
  algo?: Algorithm;
  /** Number of segments, 2–50: needed by kmeans, minibatch-kmeans, gmm, agglomerative, kprototypes, kmedoids. */
  k?: number;
  /** Feature columns; default every integer and float column. */
  columns?: string[];
  scale?: Scale;
  /** Default 1: the same seed gives the same segments, natively and in the browser. */
  seed?: number;
  /** Restarts (k-means default 10). */
  nInit?: number;
  eps?: number;
  minSamples?: number;
  metric?: "euclidean" | "manhattan";
  minClusterSize?: number;
  selection?: "eom" | "leaf";
  linkage?: "ward" | "complete" | "average" | "single";
  threshold?: number;
  branching?: number;
  covariance?: "full" | "tied" | "diag" | "spherical";
  bandwidth?: number;
  gamma?: number;
  /** Include the label of every row (default true). */
  labels?: boolean;
}

export interface SuggestOptions extends ProgressOptions {
  kmin?: number;
  kmax?: number;
  columns?: string[];
  scale?: Scale;
  seed?: number;
  nInit?: number;
}

/** A started engine. Requests run one after another. */
export interface Engine extends EventTarget {
  /** Reads data (null: the data loaded last) and says how segkit sees it. */
  inspect(data: Data | null, options?: ProgressOptions): Promise<Inspection>;
  /** Segments data (null: the data loaded last). */
  cluster(data: Data | null, options?: ClusterOptions): Promise<ClusterResult>;
  /** Scores k = kmin…kmax with k-means and suggests one. */
  suggest(data: Data | null, options?: SuggestOptions): Promise<Suggestion>;
  /** The profiles of the last cluster() as long-form CSV: segment,name,column,category,statistic,value. */
  profile(): Promise<string>;
  /** Assigns one record, or many, with a model (a cluster() result's model, a downloaded model, or its JSON text). */
  assign(model: Model | string, record: Row): Promise<Assignment>;
  assign(model: Model | string, records: Row[]): Promise<Assignment[]>;
  /** Stops the running request; its promise rejects with code "cancelled". The data stays loaded. */
  cancel(): void;
  /** Stops the engine; pending requests reject with code "closed". */
  close(): void;
  addEventListener(type: "progress", listener: (e: CustomEvent<Progress>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

export interface Progress {
  /** "read", "parse", "fit" or "suggest". */
  phase: string;
  done?: number;
  total?: number;
  run?: number;
  runs?: number;
  iteration?: number;
  max_iter?: number;
  inertia?: number;
}

export interface Inspection {
  name: string;
  size: number;
  rows: number;
  skipped: number;
  format: { delimiter: string; header: boolean; encoding: string };
  columns: Column[];
  preview: string[][];
}

export interface Column {
  name: string;
  type: "integer" | "float" | "date" | "categorical" | "identifier" | "text" | "empty";
  missing: number;
  examples: string[];
  numeric: boolean;
  default: boolean;
}

export interface Segment {
  id: number;
  name: string;
  size: number;
  share: number;
  /** The centre in each numeric input column's own units. */
  centre?: { column: string; value: number }[];
  description?: string;
  features?: string[];
  rules?: string[];
  silhouette_mean: number;
}

export interface Metrics {
  inertia: number;
  silhouette: number;
  silhouette_sampled: boolean;
  calinski_harabasz: number;
  davies_bouldin: number;
  iterations: number;
  converged: boolean;
  seconds: number;
  indices: boolean;
}

export interface ProfileTable {
  columns: string[];
  population: number[];
  segments: { id: number; means: number[]; levels: ("high" | "low" | "")[] }[];
}

export interface FitResult {
  algorithm: string;
  k: number;
  rows: number;
  columns: string[];
  features: string[];
  logged: string[];
  scale: string;
  segments: Segment[];
  metrics: Metrics;
  model_id: string;
  /** One per row: the segment id; -1 noise; -2 a row left out (missing values). */
  labels?: number[];
  noise: number;
  profile?: ProfileTable;
  fidelity: number;
  rule_rows: number;
}

export interface ClusterResult extends FitResult {
  /** The model (as `segkit cluster --model` writes it), or null when the algorithm's model cannot be saved. */
  model: Model | null;
  modelError?: { code: string; message: string };
}

/** A segkit model: {format: "segkit-model", version: 1, id, algorithm, pipeline, centers, segments, …}. */
export interface Model {
  format: "segkit-model";
  version: number;
  id: string;
  algorithm: string;
  segments: { id: number; name: string; size: number; description?: string; features?: string[] }[];
  [field: string]: unknown;
}

export interface Assignment {
  /** The segment id; -1 noise (DBSCAN). */
  segment: number;
  name: string;
  /** In prepared units. */
  distance: number;
  /** Gaussian mixtures: the probability of every segment. */
  probabilities?: number[];
}

export interface Suggestion {
  suggested_k: number;
  elbow: number;
  reasons: string[];
  scores: { k: number; inertia: number; silhouette: number; calinski_harabasz: number; davies_bouldin: number; gap: number; stability: number }[];
  rows: number;
  sample_size: number;
  seconds: number;
  stability_threshold: number;
}

/** Steps a widget can hide. */
export type Step = "samples" | "goal" | "preview" | "settings" | "suggest" | "profile" | "charts" | "downloads";

export interface WidgetOptions {
  /** "full" (the studio, default) or "compact" (file → segments → download: hides samples, goal, preview, settings, suggest, profile, charts). */
  mode?: "full" | "compact";
  algo?: Algorithm;
  k?: number;
  /** Exactly these feature columns. */
  columns?: string[];
  hide?: Step[];
  /** CSS colours and a font-family list. */
  theme?: { accent?: string; ink?: string; muted?: string; background?: string; card?: string; line?: string; font?: string };
  /** Replacement strings, 1–200 characters. */
  text?: { title?: string; choose?: string; run?: string; results?: string; download?: string };
  scale?: Scale;
  seed?: number;
  /** Segment data as soon as it is read; default: when the settings are hidden (compact). */
  autorun?: boolean;
  /** A fixed height in pixels; default: the widget's own height. */
  height?: number;
  /** The folder of segkit's files; default: the folder embed.js came from. */
  base?: string;
  /** The iframe's title for assistive technology. */
  title?: string;
}

/** The result event: the fit (without its drawings) with the model and the profiles. */
export interface WidgetResult extends FitResult {
  labels: number[];
  model: Model | null;
  model_error?: { code: string; message: string };
  /** Long-form CSV: segment,name,column,category,statistic,value. */
  profiles_csv: string;
}

export interface WidgetEvents {
  ready: Record<string, never>;
  load: { name: string; rows: number; columns: number };
  progress: Progress;
  result: WidgetResult;
  /** Also bad_message for a malformed or forged message (ignored), bad_rows, bad_setting. */
  error: { code: string; message: string };
}

export interface Widget extends EventTarget {
  readonly frame: HTMLIFrameElement;
  readonly origin: string;
  /** Resolves once the widget has its options and its engine. */
  readonly ready: Promise<Widget>;
  /** Passes data to the widget (queued until ready). */
  setData(data: Data, name?: string): void;
  on<K extends keyof WidgetEvents>(type: K, listener: (detail: WidgetEvents[K]) => void): Widget;
  addEventListener<K extends keyof WidgetEvents>(type: K, listener: (e: CustomEvent<WidgetEvents[K]>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  destroy(): void;
}
