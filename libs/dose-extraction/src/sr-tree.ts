import { CodedConcept, ConceptDef, matches } from './codes';
import { NaturalDataset, items, num, nums, str } from './dataset-values';

/**
 * A read-only view of an SR content tree, built once from the dcmjs data set so the template
 * parsers walk plain objects instead of DICOM attribute names. Values are kept as the report
 * states them; units are converted later, by the caller that knows which quantity it expects.
 */
export interface SrNumeric {
  /** The stated number; null when the item is empty, qualified, or multi-valued. */
  readonly value: number | null;
  /** Every number of a multi-valued NumericValue (some vendors send one per pulse). */
  readonly values: readonly number[];
  readonly unit: CodedConcept | null;
  /** Numeric Value Qualifier, e.g. 114010 "Value unknown"; its presence means "no value". */
  readonly qualifier: CodedConcept | null;
}

export interface SrNode {
  readonly valueType: string;
  readonly relationship: string | null;
  readonly concept: CodedConcept | null;
  /** CODE items: the coded answer. */
  readonly code: CodedConcept | null;
  /**
   * The string value of TEXT, UIDREF, DATETIME, DATE, TIME and PNAME items. Kept in one field
   * because vendors swap these types (GE sends Device Observer UID as TEXT).
   */
  readonly text: string | null;
  /** NUM items only. */
  readonly numeric: SrNumeric | null;
  readonly children: readonly SrNode[];
}

export function codedConcept(sequence: unknown): CodedConcept | null {
  const item = items(sequence)[0];
  if (!item) return null;
  // Long and URN code values (CP-1031) stand in for CodeValue when it is over 16 characters.
  const value = str(item.CodeValue) ?? str(item.LongCodeValue) ?? str(item.URNCodeValue);
  const scheme = str(item.CodingSchemeDesignator) ?? '';
  if (!value) return null;
  return { value, scheme, meaning: str(item.CodeMeaning) ?? undefined };
}

/** Builds the tree rooted at the document itself (the data set is the root content item). */
export function buildSrTree(dataset: NaturalDataset): SrNode {
  return toNode(dataset);
}

function toNode(item: NaturalDataset): SrNode {
  const valueType = str(item.ValueType) ?? 'UNKNOWN';
  return {
    valueType,
    relationship: str(item.RelationshipType),
    concept: codedConcept(item.ConceptNameCodeSequence),
    code: valueType === 'CODE' ? codedConcept(item.ConceptCodeSequence) : null,
    text: textValue(item),
    numeric: valueType === 'NUM' ? numericValue(item) : null,
    children: items(item.ContentSequence).map(toNode),
  };
}

function textValue(item: NaturalDataset): string | null {
  return str(item.TextValue) ?? str(item.UID) ?? str(item.DateTime) ?? str(item.Date) ?? str(item.Time) ?? str(item.PersonName);
}

function numericValue(item: NaturalDataset): SrNumeric {
  const measured = items(item.MeasuredValueSequence)[0];
  const qualifier = codedConcept(item.NumericValueQualifierCodeSequence) ?? (measured ? codedConcept(measured.NumericValueQualifierCodeSequence) : null);
  if (!measured) return { value: null, values: [], unit: null, qualifier };
  // FloatingPointValue, when sent, is the unrounded form of the same decimal string.
  const floating = num(measured.FloatingPointValue);
  const all = floating !== null ? [floating] : nums(measured.NumericValue);
  return {
    value: qualifier || all.length !== 1 ? null : all[0],
    values: all,
    unit: codedConcept(measured.MeasurementUnitsCodeSequence),
    qualifier,
  };
}

/** Direct children with the given concept name. */
export function childrenOf(node: SrNode, concept: ConceptDef): SrNode[] {
  return node.children.filter((c) => matches(c.concept, concept));
}

/** The first direct child with the given concept name, or null. */
export function childOf(node: SrNode, concept: ConceptDef): SrNode | null {
  return node.children.find((c) => matches(c.concept, concept)) ?? null;
}

/**
 * Every descendant (depth first, document order) with the given concept name. Used where vendors
 * nest an item one level deeper than the template says; the recursion stops at a match so a
 * container is not searched inside itself.
 */
export function descendantsOf(node: SrNode, concept: ConceptDef): SrNode[] {
  const found: SrNode[] = [];
  const walk = (n: SrNode) => {
    for (const c of n.children) {
      if (matches(c.concept, concept)) found.push(c);
      else walk(c);
    }
  };
  walk(node);
  return found;
}
