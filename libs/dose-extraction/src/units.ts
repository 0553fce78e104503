/**
 * Unit normalisation for dose quantities. Each quantity is stored in one unit (the JSON field
 * names say which: dap_Gy_m2, dlp_mGy_cm, ...). Units come from the Measurement Units Code
 * Sequence, in UCUM — but vendors write "Gym2", "mGycm", "Gy.cm^2" or put "UCM" as the scheme, so
 * the code value is normalised (separators and "^" dropped) before lookup and the scheme is not
 * checked. An unknown unit gives no value (and a warning upstream): guessing a factor of 10^4 on a
 * patient's dose record is worse than leaving it empty.
 */
export type Quantity = 'dap' | 'doseGy' | 'doseMGy' | 'dlp' | 'time' | 'activity' | 'count' | 'effectiveDose';

/** The unit each quantity is normalised to. */
export const CANONICAL_UNIT: Readonly<Record<Quantity, string>> = {
  dap: 'Gy.m2',
  doseGy: 'Gy',
  doseMGy: 'mGy',
  dlp: 'mGy.cm',
  time: 's',
  activity: 'MBq',
  count: '1',
  effectiveDose: 'mSv',
};

/**
 * value_in_canonical = value * mul / div. Factors below one are written as divisions by exact
 * powers of ten so the result is the double nearest the true value (0.2359 Gy.cm2 gives exactly
 * 2.359e-5 Gy.m2, which 0.2359 * 1e-4 would not).
 */
interface Factor {
  readonly mul: number;
  readonly div: number;
}

const f = (mul: number, div = 1): Factor => ({ mul, div });

const FACTORS: Readonly<Record<Quantity, Readonly<Record<string, Factor>>>> = {
  dap: {
    Gym2: f(1),
    dGym2: f(1, 10),
    cGym2: f(1, 100),
    mGym2: f(1, 1e3),
    uGym2: f(1, 1e6),
    Gycm2: f(1, 1e4),
    dGycm2: f(1, 1e5),
    cGycm2: f(1, 1e6),
    mGycm2: f(1, 1e7),
    uGycm2: f(1, 1e10),
  },
  doseGy: { Gy: f(1), dGy: f(1, 10), cGy: f(1, 100), mGy: f(1, 1e3), uGy: f(1, 1e6) },
  doseMGy: { mGy: f(1), Gy: f(1e3), dGy: f(100), cGy: f(10), uGy: f(1, 1e3) },
  dlp: { mGycm: f(1), mGymm: f(1, 10), Gycm: f(1e3), cGycm: f(10), mGym: f(100) },
  time: { s: f(1), ms: f(1, 1e3), us: f(1, 1e6), min: f(60), h: f(3600) },
  activity: {
    MBq: f(1),
    Bq: f(1, 1e6),
    kBq: f(1, 1e3),
    GBq: f(1e3),
    mCi: f(37),
    uCi: f(37, 1e3),
    Ci: f(37e3),
  },
  // UCUM annotations ("{events}") are dimensionless; normaliseUnitCode folds them to "1".
  count: { '1': f(1), events: f(1) },
  effectiveDose: { mSv: f(1), Sv: f(1e3), uSv: f(1, 1e3) },
};

/** "Gy.m^2", "Gy·m²", "Gy*m2", "Gy m2" all become "Gym2"; "µ" becomes UCUM's "u". */
export function normaliseUnitCode(code: string): string {
  const trimmed = code.trim();
  if (/^\{[^}]*\}$/.test(trimmed)) return '1';
  return trimmed
    .replace(/[µμ]/g, 'u')
    .replace(/²/g, '2')
    .replace(/[.·*^ ]/g, '');
}

/** The value in the quantity's canonical unit, or null when the unit is not one we know for it. */
export function toCanonical(value: number, unitCode: string, quantity: Quantity): number | null {
  const factor = FACTORS[quantity][normaliseUnitCode(unitCode)];
  if (!factor) return null;
  const scaled = factor.mul === 1 ? value : value * factor.mul;
  return factor.div === 1 ? scaled : scaled / factor.div;
}

/** ImageAndFluoroscopyAreaDoseProduct (0018,115E) is defined in dGy·cm². */
export function dGyCm2ToGyM2(value: number): number {
  return value / 1e5;
}
