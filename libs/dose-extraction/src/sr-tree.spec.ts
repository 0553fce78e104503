import { matches, PROJECTION, LATERALITY } from './codes';
import { Diagnostics, quantityOf } from './measurement';
import { buildSrTree } from './sr-tree';

const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning = 'x') => [{ CodeValue, CodingSchemeDesignator, CodeMeaning }];

function numItem(measured: object | undefined, extra: object = {}) {
  return {
    ValueType: 'NUM',
    RelationshipType: 'CONTAINS',
    ConceptNameCodeSequence: code('122130', 'DCM', 'Dose Area Product'),
    ...(measured ? { MeasuredValueSequence: [measured] } : {}),
    ...extra,
  };
}

const root = (...children: object[]) => ({
  ValueType: 'CONTAINER',
  ConceptNameCodeSequence: code('113701', 'DCM'),
  ContentSequence: children,
});

describe('SR tree numeric values', () => {
  it('reads value and unit', () => {
    const tree = buildSrTree(root(numItem({ NumericValue: '12.5', MeasurementUnitsCodeSequence: code('dGy.cm2', 'UCUM') })));
    expect(quantityOf(tree.children[0], 'dap', new Diagnostics())).toBeCloseTo(0.000125, 15);
  });

  it('gives null, never 0, for an item without a measured value', () => {
    const tree = buildSrTree(root(numItem(undefined)));
    expect(tree.children[0].numeric?.value).toBeNull();
    expect(quantityOf(tree.children[0], 'dap', new Diagnostics())).toBeNull();
  });

  it('gives null for a qualified value (e.g. 114010 Value unknown)', () => {
    const tree = buildSrTree(root(numItem(undefined, { NumericValueQualifierCodeSequence: code('114010', 'DCM', 'Value unknown') })));
    expect(tree.children[0].numeric?.qualifier?.value).toBe('114010');
    expect(quantityOf(tree.children[0], 'dap', new Diagnostics())).toBeNull();
  });

  it('leaves an unknown unit empty and says why', () => {
    const diag = new Diagnostics();
    const tree = buildSrTree(root(numItem({ NumericValue: '1', MeasurementUnitsCodeSequence: code('R', 'UCUM') })));
    expect(quantityOf(tree.children[0], 'dap', diag)).toBeNull();
    expect(diag.warnings[0]).toMatch(/unit "R"/);
  });
});

describe('concept matching', () => {
  it('matches by code value and scheme, across SNOMED designators, never by meaning', () => {
    expect(matches({ value: '122130', scheme: 'DCM', meaning: 'anything' }, PROJECTION.dap)).toBe(true);
    expect(matches({ value: '122130', scheme: '99VENDOR', meaning: 'Dose Area Product' }, PROJECTION.dap)).toBe(false);
    expect(matches({ value: '7771000', scheme: 'SCT' }, LATERALITY.left)).toBe(true);
    expect(matches({ value: 'G-A101', scheme: 'SRT' }, LATERALITY.left)).toBe(true);
  });
});
