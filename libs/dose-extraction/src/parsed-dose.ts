import { DoseEvent, DoseKind, DoseTemplate, DoseTotals } from './dose-report';
import { SrNode } from './sr-tree';
import { Diagnostics } from './measurement';

/** What a template parser contributes; extract-dose.ts adds the object's identity around it. */
export interface ParsedDose {
  readonly kind: DoseKind;
  readonly template: DoseTemplate;
  readonly totals: DoseTotals;
  readonly events: readonly DoseEvent[];
}

export type TemplateParser = (root: SrNode, diag: Diagnostics) => ParsedDose;

/**
 * The stated count when the report gives one, else the events it lists. A stated count can be
 * larger than the list (a "continued" report, or events the device chose not to detail).
 */
export function eventCount(stated: number | null, events: readonly unknown[]): number {
  return stated ?? events.length;
}
