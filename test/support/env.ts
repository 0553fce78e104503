import { join } from 'node:path';

/** Where the suites find shared things; set by global-setup, read by every suite. */
export const ROOT = join(__dirname, '../..');
export const SHARED_DATA = join(ROOT, '../shared/data');
export const TEST_TEMPORAL_ADDRESS = process.env.KRYPTON_TEST_TEMPORAL_ADDRESS ?? '127.0.0.1:17233';
export const WORKFLOW_BUNDLE = process.env.KRYPTON_WORKFLOW_BUNDLE ?? join(ROOT, 'data/test/workflow-bundle.js');
export const TEST_DATA_DIR = join(ROOT, 'data/test');
