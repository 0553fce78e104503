/** Where the generated tables come from and go, relative to the repository root. */
export const STANDARD_XML = '../shared/data/dicom-standard/part15-2023b.xml';
export const ANNEX_E_JSON = 'libs/deid/src/table/annex-e.2023b.json';
