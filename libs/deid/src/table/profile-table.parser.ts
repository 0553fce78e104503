import { XMLParser } from 'fast-xml-parser';
import { DeidOption, PRIVATE_TAG, PROFILE_ACTIONS, ProfileAction, ProfileRow, SafePrivateRow } from './profile-table';

/** The table that PS3.15 Annex E calls "Application Level Confidentiality Profile Attributes". */
const PROFILE_TABLE_ID = 'table_E.1-1';
/** "Safe Private Attributes" of the Retain Safe Private Option (E.3.10). */
const SAFE_PRIVATE_TABLE_ID = 'table_E.3.10-1';

/**
 * Column headings of Table E.1-1 as printed in the 2023b DocBook source, mapped to our names; the
 * "(from PS3.x)" of two headings is an olink whose position the parser does not keep, so it is dropped.
 */
const HEADINGS: Record<string, keyof Omit<ProfileRow, 'options'> | DeidOption> = {
  'Attribute Name': 'name',
  Tag: 'tag',
  'Retd.': 'retired',
  'In Std. Comp. IOD': 'inStandardIod',
  'Basic Prof.': 'basic',
  'Rtn. Safe Priv. Opt.': 'retainSafePrivate',
  'Rtn. UIDs Opt.': 'retainUids',
  'Rtn. Dev. Id. Opt.': 'retainDeviceIdentity',
  'Rtn. Inst. Id. Opt.': 'retainInstitutionIdentity',
  'Rtn. Pat. Chars. Opt.': 'retainPatientCharacteristics',
  'Rtn. Long. Full Dates Opt.': 'retainLongitudinalFullDates',
  'Rtn. Long. Modif. Dates Opt.': 'retainLongitudinalModifiedDates',
  'Clean Desc. Opt.': 'cleanDescriptors',
  'Clean Struct. Cont. Opt.': 'cleanStructuredContent',
  'Clean Graph. Opt.': 'cleanGraphics',
};

/** A cell or heading whose content the parser could not map; carries where it was found. */
export class ProfileTableError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly cell?: string,
  ) {
    super(message);
    this.name = 'ProfileTableError';
  }
}

type Node = Record<string, unknown>;

/** All the text under a DocBook node, in document order; olinks count by their target ("PS3.6"). */
function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  const n = node as Node;
  if (n['@_targetdoc'] !== undefined) return String(n['@_targetdoc']);
  return Object.entries(n)
    .filter(([k]) => !k.startsWith('@_'))
    .map(([, v]) => textOf(v))
    .join(' ');
}

const squash = (s: string) => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

function findTable(node: unknown, id: string): Node | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findTable(child, id);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Node;
  if (n['@_xml:id'] === id) return n;
  for (const [key, value] of Object.entries(n)) {
    if (key.startsWith('@_')) continue;
    const found = findTable(value, id);
    if (found) return found;
  }
  return undefined;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export interface AnnexETables {
  readonly profile: ProfileRow[];
  readonly safePrivate: SafePrivateRow[];
}

/**
 * Table E.3.10-1: private elements the standard lists as safe, keyed by private creator and the
 * element's low byte (the "xx" of "(7053,xx00)" is the block the creator reserved).
 */
function parseSafePrivateTable(doc: unknown): SafePrivateRow[] {
  const table = tableById(doc, SAFE_PRIVATE_TABLE_ID);
  const rows = asArray(asArray(table.tbody as Node | Node[])[0]?.tr as Node[]);
  return rows.map((tr, index) => {
    const [element, creator, vr] = asArray(tr.td as Node[]).map((td) => squash(textOf(td.para)));
    const m = /^\(([0-9A-Fa-f]{4}),xx([0-9A-Fa-f]{2})\)$/.exec(element ?? '');
    if (!m) throw new ProfileTableError(`safe private row ${index} has element "${element}"`, index, element);
    return { group: m[1].toUpperCase(), element: m[2].toUpperCase(), creator, vr };
  });
}

/**
 * Parses Table E.1-1 out of the DocBook XML of PS3.15 with fast-xml-parser, so that the profile
 * is the standard's own table rather than a retyped copy. The column order is taken from the
 * headings, not assumed, and every cell must be empty or an action code of Table E.1-1a.
 */
export function parseAnnexE(xml: string): AnnexETables {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    // Keep each tr/td/th as an array even when there is one, so columns stay positional.
    isArray: (name) => ['tr', 'td', 'th', 'para', 'table'].includes(name),
  });
  const doc = parser.parse(xml);
  return { profile: parseProfileTable(doc), safePrivate: parseSafePrivateTable(doc) };
}

function tableById(doc: unknown, id: string): Node {
  const table = findTable(doc, id);
  if (!table) throw new ProfileTableError(`no table with xml:id ${id} in the XML`);
  return table;
}

function parseProfileTable(doc: unknown): ProfileRow[] {
  const table = tableById(doc, PROFILE_TABLE_ID);
  const thead = asArray(table.thead as Node | Node[])[0];
  const headRow = asArray(thead?.tr as Node[])[0];
  const columns = asArray(headRow?.th as Node[]).map((th) => {
    const heading = squash(textOf(th).replace(/PS3\.\d+|\(from\s*\)|\(\s*from\s*\)/g, ''))
      .replace(/\(from\)/, '')
      .trim();
    const key = HEADINGS[heading];
    if (!key) throw new ProfileTableError(`unknown column heading "${heading}"`);
    return key;
  });
  const rows = asArray(asArray(table.tbody as Node | Node[])[0]?.tr as Node[]);
  return rows.map((tr, index) => rowOf(asArray(tr.td as unknown[]), columns, index));
}

function rowOf(cells: unknown[], columns: string[], index: number): ProfileRow {
  if (cells.length !== columns.length) throw new ProfileTableError(`row ${index} has ${cells.length} cells for ${columns.length} columns`, index);
  const values = new Map<string, string>();
  cells.forEach((cell, i) => values.set(columns[i], squash(textOf(typeof cell === 'object' && cell ? (cell as Node).para : cell))));
  const name = squash(textOf(asArray((cells[columns.indexOf('name')] as Node)?.para as unknown[])[0]));
  // The private-attributes row prints its tag as a sentence; it becomes the PRIVATE_TAG pattern.
  const printed = values.get('tag') ?? '';
  const tag = /^\(gggg,eeee\) where gggg is odd$/.test(printed) ? PRIVATE_TAG : printed;
  if (tag !== PRIVATE_TAG && !/^\([0-9A-Fa-fx]{4},[0-9A-Fa-fx]{4}\)$/.test(tag)) throw new ProfileTableError(`row ${index} has tag "${tag}"`, index, tag);
  const options: Partial<Record<DeidOption, ProfileAction>> = {};
  for (const column of columns) {
    if (['name', 'tag', 'retired', 'inStandardIod', 'basic'].includes(column)) continue;
    const cell = values.get(column) ?? '';
    if (cell !== '') options[column as DeidOption] = action(cell, index);
  }
  return {
    name,
    tag: tag === PRIVATE_TAG ? tag : tag.toUpperCase().replace(/X/g, 'x'),
    retired: values.get('retired') === 'Y',
    inStandardIod: values.get('inStandardIod') === 'Y',
    basic: action(values.get('basic') ?? '', index),
    options,
  };
}

function action(cell: string, row: number): ProfileAction {
  const code = cell.replace(/\s+/g, '');
  if (!(PROFILE_ACTIONS as readonly string[]).includes(code)) throw new ProfileTableError(`row ${row} has action "${cell}"`, row, cell);
  return code as ProfileAction;
}
