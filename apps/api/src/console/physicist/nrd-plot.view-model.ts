import type { ProtocolStatistics, QuantitySummary } from '@krypton/dose-registry';

type BoxQuantity = 'ctdiVol_mGy' | 'dlp_mGy_cm' | 'dap_mGy_cm2' | 'agd_mGy';

/** Units as a physicist writes them next to an axis. */
export const QUANTITY_UNITS: Readonly<Record<BoxQuantity | 'activity_MBq', string>> = {
  ctdiVol_mGy: 'mGy',
  dlp_mGy_cm: 'mGy·cm',
  dap_mGy_cm2: 'mGy·cm²',
  agd_mGy: 'mGy',
  activity_MBq: 'MBq',
};

export interface NrdBox {
  /** "device — protocol", the x-axis label and the table's first column. */
  readonly label: string;
  readonly device: string;
  readonly protocol: string | null;
  readonly site: string | null;
  readonly patients: number;
  readonly summary: QuantitySummary;
  /** null: too few patients for a verdict (the regulation's minimum). */
  readonly aboveNrd: boolean | null;
  readonly enoughPatients: boolean;
}

export interface NrdPlot {
  readonly id: string;
  readonly category: string;
  readonly label: string;
  readonly quantity: BoxQuantity;
  readonly unit: string;
  readonly nrd: number;
  readonly vgd: number | null;
  readonly minPatients: number;
  readonly boxes: readonly NrdBox[];
  /** Chart.js configuration (boxplot controller, annotation plugin), serialised into the page. */
  readonly chart: Record<string, unknown>;
}

/** The words the chart draws itself (axis title, the NRD line's label), from the page's catalogue. */
export interface NrdPlotWords {
  readonly nrd: string;
  readonly vgd: string;
  readonly axis: (unit: string) => string;
}

/** Colour choices checked for contrast on white (WCAG AA for the line labels). */
const NRD_COLOUR = '#b00020';
const VGD_COLOUR = '#8a4b00';
const BOX_COLOUR = '#1f5f99';

/**
 * One plot per NRD category: a box per device × protocol that the mapping puts in it (minimum,
 * quartiles, maximum of the quantity the NRD is stated in), and the NRD as a horizontal line.
 * Categories stated in an activity (nuclear medicine) have no box: the events carry no activity.
 */
export function nrdPlots(stats: readonly ProtocolStatistics[], words: NrdPlotWords): NrdPlot[] {
  const byCategory = new Map<string, { first: NonNullable<ProtocolStatistics['nrd']>; rows: ProtocolStatistics[] }>();
  for (const s of stats) {
    if (!s.nrd || s.nrd.quantity === 'activity_MBq') continue;
    const entry = byCategory.get(s.nrd.category) ?? { first: s.nrd, rows: [] };
    entry.rows.push(s);
    byCategory.set(s.nrd.category, entry);
  }
  return [...byCategory.values()].map(({ first, rows }) => {
    const quantity = first.quantity as BoxQuantity;
    const unit = QUANTITY_UNITS[quantity];
    const boxes = rows
      .filter((r) => r[quantity].median !== null)
      .map((r) => ({
        label: `${r.stationName ?? r.model ?? r.device} — ${r.protocol ?? '?'}`,
        device: r.device,
        protocol: r.protocol,
        site: r.site,
        patients: r.patients,
        summary: r[quantity],
        aboveNrd: r.nrd!.medianAboveNrd,
        enoughPatients: r.nrd!.enoughPatients,
      }));
    return {
      id: `nrd-${first.category}`,
      category: first.category,
      label: first.label,
      quantity,
      unit,
      nrd: first.nrd,
      vgd: first.vgd,
      minPatients: first.minPatients,
      boxes,
      chart: boxPlotChart(boxes, first.nrd, first.vgd, unit, words),
    };
  });
}

function line(value: number, colour: string, text: string, dash: number[] = []) {
  return {
    type: 'line',
    yMin: value,
    yMax: value,
    borderColor: colour,
    borderWidth: 2,
    borderDash: dash,
    label: { display: true, content: text, position: 'end', backgroundColor: colour, color: '#ffffff' },
  };
}

function boxPlotChart(boxes: readonly NrdBox[], nrd: number, vgd: number | null, unit: string, words: NrdPlotWords): Record<string, unknown> {
  const annotations: Record<string, unknown> = { nrd: line(nrd, NRD_COLOUR, `${words.nrd} ${nrd} ${unit}`) };
  if (vgd !== null) annotations.vgd = line(vgd, VGD_COLOUR, `${words.vgd} ${vgd} ${unit}`, [6, 4]);
  const top = Math.max(nrd, vgd ?? 0, ...boxes.map((b) => b.summary.max ?? 0));
  return {
    type: 'boxplot',
    data: {
      labels: boxes.map((b) => b.label),
      datasets: [
        {
          label: words.axis(unit),
          backgroundColor: 'rgba(31, 95, 153, 0.25)',
          borderColor: BOX_COLOUR,
          borderWidth: 1.5,
          // Precomputed by PostgreSQL: the page never receives individual patients' values.
          data: boxes.map((b) => ({ min: b.summary.min, q1: b.summary.p25, median: b.summary.median, q3: b.summary.p75, max: b.summary.max })),
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, suggestedMax: top * 1.1, title: { display: true, text: words.axis(unit) } } },
      plugins: { legend: { display: false }, annotation: { annotations } },
    },
  };
}
