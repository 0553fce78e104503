import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnnexE } from '../libs/deid/src/table/profile-table.parser';
import { ANNEX_E_JSON, STANDARD_XML } from '../libs/deid/src/table/annex-e.source';

/**
 * `npm run deid:table`: regenerates libs/deid/src/table/annex-e.2023b.json from the DocBook
 * source of PS3.15 (../shared/data/dicom-standard/part15-2023b.xml). The unit test
 * profile-table.spec.ts fails when the checked-in JSON and the XML disagree.
 */
const root = join(__dirname, '..');
const tables = parseAnnexE(readFileSync(join(root, STANDARD_XML), 'utf8'));
writeFileSync(join(root, ANNEX_E_JSON), JSON.stringify(tables, null, 1) + '\n');
process.stdout.write(`${tables.profile.length} profile rows, ${tables.safePrivate.length} safe private rows -> ${ANNEX_E_JSON}\n`);
