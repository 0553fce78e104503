import { ConceptDef } from './codes';
import { SrNode, childOf, descendantsOf } from './sr-tree';
import { CANONICAL_UNIT, Quantity, toCanonical } from './units';

/**
 * Collects the problems met while reading one report. Extraction never throws on a doubtful
 * value: it leaves the field null and says why here, so one odd item does not cost the hub the
 * rest of the patient's dose record.
 */
export class Diagnostics {
  readonly warnings: string[] = [];

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}

/** A NUM item's value in the quantity's canonical unit; null when empty, qualified or unknown. */
export function quantityOf(node: SrNode | null, quantity: Quantity, diag: Diagnostics): number | null {
  const numeric = node?.numeric;
  if (!node || !numeric) return null;
  const name = node.concept?.meaning ?? node.concept?.value ?? 'NUM';
  if (numeric.value === null) {
    if (!numeric.qualifier && numeric.values.length > 1) {
      diag.warn(`${name}: ${numeric.values.length} values where one was expected; left empty`);
    }
    return null;
  }
  // A count without its "{events}" unit is still a count; any other quantity needs its unit.
  if (!numeric.unit && quantity === 'count') return numeric.value;
  if (!numeric.unit) {
    diag.warn(`${name}: value ${numeric.value} has no unit; left empty`);
    return null;
  }
  const converted = toCanonical(numeric.value, numeric.unit.value, quantity);
  if (converted === null) {
    diag.warn(`${name}: unit "${numeric.unit.value}" is not a known ${CANONICAL_UNIT[quantity]} unit; left empty`);
  }
  return converted;
}

/**
 * The item with the given concept name: a direct child as the template places it, else the first
 * descendant, because some vendors wrap rows in an extra container (e.g. TID 10002 inside its own
 * "Accumulated Fluoroscopy and Acquisition" container).
 */
export function findItem(parent: SrNode | null, concept: ConceptDef): SrNode | null {
  if (!parent) return null;
  return childOf(parent, concept) ?? descendantsOf(parent, concept)[0] ?? null;
}

/** The quantity stated by the item with the given concept name under `parent`. */
export function findQuantity(parent: SrNode | null, concept: ConceptDef, quantity: Quantity, diag: Diagnostics): number | null {
  return quantityOf(findItem(parent, concept), quantity, diag);
}

/** The string value (UID, text, date-time) of the item with the given concept name. */
export function findText(parent: SrNode | null, concept: ConceptDef): string | null {
  return findItem(parent, concept)?.text ?? null;
}
