import { createHash } from 'node:crypto';

export type QueryRunner = <T = Record<string, unknown>>(text: string, values: unknown[]) => Promise<T[]>;

export interface ChainProblem {
  readonly seq: number;
  readonly kind: 'edited' | 'gap' | 'broken-link' | 'truncated';
  readonly message: string;
}

export interface ChainReport {
  readonly checked: number;
  readonly lastSeq: number;
  readonly problems: readonly ChainProblem[];
}

interface Row {
  seq: string;
  at: string;
  user_id: string | null;
  roles: string[];
  site: string | null;
  action: string;
  outcome: string;
  door: string;
  resource_type: string;
  resource_id: string | null;
  patients: string[];
  studies: string[];
  reason: string | null;
  client_address: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

/** The canonical form the insert trigger hashes (audit_event_canonical), rebuilt here independently. */
export function canonicalAuditRow(r: Omit<Row, 'prev_hash' | 'hash'>): string {
  return JSON.stringify([Number(r.seq), r.at, r.user_id, r.roles, r.site, r.action, r.outcome, r.door, r.resource_type, r.resource_id, r.patients, r.studies, r.reason, r.client_address, r.detail]);
}

const PAGE = 5000;

/**
 * Walks the whole trail in order and recomputes every hash: an edited row fails its hash, a
 * removed row leaves a gap in `seq` and a broken link, a removed tail leaves the chain head ahead.
 */
export async function verifyAuditChain(query: QueryRunner, onProgress?: (checked: number) => void): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  let prevSeq = 0;
  let prevHash = GENESIS;
  let checked = 0;
  // The head first: records committed while the walk runs (the spool drains all the time) lie
  // beyond it and are left to the next run, instead of looking like a truncated tail.
  const [head] = await query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM audit_chain_head WHERE id = 1', []);
  const until = head ? Number(head.seq) : Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await query<Row>(
      `SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, user_id, roles, site, action, outcome, door,
              resource_type, resource_id, patients, studies, reason, client_address, detail::text AS detail, prev_hash, hash
         FROM audit_event WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`,
      [prevSeq, PAGE, until],
    );
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== prevSeq + 1) problems.push({ seq, kind: 'gap', message: `records ${prevSeq + 1}..${seq - 1} are missing` });
      if (r.prev_hash !== prevHash) problems.push({ seq, kind: 'broken-link', message: `record ${seq} does not follow the hash of record ${prevSeq}` });
      const expected = createHash('sha256')
        .update(r.prev_hash + canonicalAuditRow(r), 'utf8')
        .digest('hex');
      if (expected !== r.hash) problems.push({ seq, kind: 'edited', message: `record ${seq} does not match its hash (edited)` });
      prevSeq = seq;
      prevHash = r.hash;
      checked++;
    }
    onProgress?.(checked);
  }
  if (!head) problems.push({ seq: prevSeq, kind: 'truncated', message: 'the chain head is missing' });
  else if (Number(head.seq) !== prevSeq || head.hash !== prevHash) {
    problems.push({ seq: Number(head.seq), kind: 'truncated', message: `the chain head is at record ${head.seq} but the trail ends at ${prevSeq}` });
  }
  return { checked, lastSeq: prevSeq, problems };
}
