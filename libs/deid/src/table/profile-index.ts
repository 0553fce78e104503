import annexE from './annex-e.2023b.json';
import { AnnexETables } from './profile-table.parser';
import { PRIVATE_TAG, ProfileRow, SafePrivateRow } from './profile-table';

/**
 * Table E.1-1 indexed for the walk: an exact map by 8-hex-digit tag ("00100010"), and the few
 * repeating-group patterns ("(50xx,xxxx)", "(60xx,3000)") tried when the exact lookup misses.
 */
export class ProfileIndex {
  private readonly exact = new Map<string, ProfileRow>();
  private readonly patterns: { re: RegExp; row: ProfileRow }[] = [];
  readonly privateRow: ProfileRow;
  private readonly safePrivate = new Set<string>();

  constructor(readonly tables: AnnexETables) {
    let privateRow: ProfileRow | undefined;
    for (const row of tables.profile) {
      if (row.tag === PRIVATE_TAG) privateRow = row;
      else if (row.tag.includes('x')) {
        const hex = row.tag.slice(1, -1).replace(',', '').replace(/x/g, '[0-9A-F]');
        this.patterns.push({ re: new RegExp(`^${hex}$`), row });
      } else this.exact.set(row.tag.slice(1, -1).replace(',', ''), row);
    }
    if (!privateRow) throw new Error('Table E.1-1 has no private attributes row');
    this.privateRow = privateRow;
    for (const s of tables.safePrivate) this.safePrivate.add(safeKey(s.group, s.creator, s.element));
  }

  /** The row for a public tag ("0010ABCD", upper-case), or undefined where the table is silent. */
  row(tag: string): ProfileRow | undefined {
    const row = this.exact.get(tag);
    if (row) return row;
    // The only repeating groups in the table are curves (50xx) and overlays (60xx).
    if (tag[0] !== '5' && tag[0] !== '6') return undefined;
    for (const p of this.patterns) if (p.re.test(tag)) return p.row;
    return undefined;
  }

  /** Whether Table E.3.10-1 (or a project's addition to it) lists this private element as safe. */
  isSafePrivate(group: string, creator: string, elementLowByte: string): boolean {
    return this.safePrivate.has(safeKey(group, creator, elementLowByte));
  }

  /** A copy that also trusts the project's own safe private elements. */
  withSafePrivate(extra: readonly SafePrivateRow[]): ProfileIndex {
    if (extra.length === 0) return this;
    return new ProfileIndex({ profile: this.tables.profile, safePrivate: [...this.tables.safePrivate, ...extra] });
  }
}

function safeKey(group: string, creator: string, element: string): string {
  return `${group.toUpperCase()}|${creator.trim().toUpperCase()}|${element.toUpperCase()}`;
}

let standard: ProfileIndex | undefined;
/** The index of the checked-in 2023b tables (generated from the standard's XML by `npm run deid:table`). */
export function standardProfile(): ProfileIndex {
  return (standard ??= new ProfileIndex(annexE as AnnexETables));
}
