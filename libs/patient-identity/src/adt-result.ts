/** What one merge (one PID/MRG pair of an A40) changed. */
export interface MergeResult {
  /** `issuer|value` of MRG-1 (and `INS|…` for a prior INS). */
  readonly prior: readonly string[];
  readonly requests: readonly string[];
  readonly worklistItems: number;
  readonly studies: readonly string[];
  readonly doseRows: number;
  /** What became of the catalogue's prior patient row(s). */
  readonly priorPatients: readonly { readonly key: string; readonly fate: 'deleted' | 'kept'; readonly survivor: string }[];
}

export type AdtResult =
  | { readonly outcome: 'updated' | 'unchanged' | 'unknown patient'; readonly requests: readonly string[]; readonly worklistItems: number; readonly catalogPatients: number }
  | { readonly outcome: 'merged' | 'nothing to merge'; readonly merges: readonly MergeResult[] };
