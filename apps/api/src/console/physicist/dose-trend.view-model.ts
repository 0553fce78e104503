import { QUANTITY_UNITS } from './nrd-plot.view-model';

export interface TrendMonth {
  readonly month: string;
  readonly events: number;
  readonly patients: number;
  readonly ctdiVol_mGy: number | null;
  readonly dlp_mGy_cm: number | null;
  readonly dap_mGy_cm2: number | null;
  readonly agd_mGy: number | null;
}

type TrendQuantity = 'ctdiVol_mGy' | 'dlp_mGy_cm' | 'dap_mGy_cm2' | 'agd_mGy';

/** The quantity a trend shows: the NRD's when there is one, else the first the months carry. */
export function trendQuantity(months: readonly TrendMonth[], nrdQuantity: string | null): TrendQuantity | null {
  const order: TrendQuantity[] = ['ctdiVol_mGy', 'dlp_mGy_cm', 'dap_mGy_cm2', 'agd_mGy'];
  if (nrdQuantity && (order as string[]).includes(nrdQuantity)) return nrdQuantity as TrendQuantity;
  return order.find((q) => months.some((m) => m[q] !== null)) ?? null;
}

/** Monthly medians as a line chart (Chart.js), with the NRD as a line when the protocol has one. */
export function trendChart(months: readonly TrendMonth[], quantity: TrendQuantity, nrd: number | null, words: { median: string; nrd: string }): Record<string, unknown> {
  const unit = QUANTITY_UNITS[quantity];
  const annotations: Record<string, unknown> = {};
  if (nrd !== null) {
    annotations.nrd = {
      type: 'line',
      yMin: nrd,
      yMax: nrd,
      borderColor: '#b00020',
      borderWidth: 2,
      label: { display: true, content: `${words.nrd} ${nrd} ${unit}`, position: 'end', backgroundColor: '#b00020', color: '#ffffff' },
    };
  }
  return {
    type: 'line',
    data: {
      labels: months.map((m) => m.month),
      datasets: [{ label: `${words.median} (${unit})`, data: months.map((m) => m[quantity]), borderColor: '#1f5f99', backgroundColor: '#1f5f99', spanGaps: true }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: unit } } },
      plugins: { annotation: { annotations } },
    },
  };
}
