import { ReportInputError } from './report-errors';
import { SAMPLE_SIGN_INPUT } from './sample-input';
import { checkRequestMatches, checkSignInput } from './sign-report-rules';

describe('signing input rules', () => {
  it('answers the signature instant of a valid input', () => {
    expect(checkSignInput(SAMPLE_SIGN_INPUT).toISOString()).toBe('2026-03-14T14:09:26.000Z');
  });

  it.each([
    ['requestId', { requestId: '42' }],
    ['signedAt', { signedAt: '2026-03-14 15:09' }],
    ['signedAt', { signedAt: '2026-03-14T15:09:26' }],
    ['conclusion', { conclusion: '  ' }],
    ['idemKey', { idemKey: '' }],
    ['exam.studyInstanceUid', { exam: { ...SAMPLE_SIGN_INPUT.exam, studyInstanceUid: '1.02.3' } }],
    ['exam.accessionNumber', { exam: { ...SAMPLE_SIGN_INPUT.exam, accessionNumber: 'X'.repeat(17) } }],
  ])('refuses a bad %s, naming it', (field, over) => {
    try {
      checkSignInput({ ...SAMPLE_SIGN_INPUT, ...over });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(ReportInputError);
      expect(e).toMatchObject({ field, nonRetryable: true });
    }
  });

  it('refuses a study or accession number that is not the request’s, and accepts a request not scheduled yet', () => {
    const req = { id: SAMPLE_SIGN_INPUT.requestId, accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1' };
    expect(() => checkRequestMatches(req, SAMPLE_SIGN_INPUT)).not.toThrow();
    expect(() => checkRequestMatches({ ...req, studyInstanceUid: '2.25.2' }, SAMPLE_SIGN_INPUT)).toThrow(/exam\.studyInstanceUid: request .* has study 2\.25\.2, not 2\.25\.1/);
    expect(() => checkRequestMatches({ ...req, accessionNumber: 'KR00000002' }, SAMPLE_SIGN_INPUT)).toThrow(/exam\.accessionNumber/);
    expect(() => checkRequestMatches({ ...req, accessionNumber: null, studyInstanceUid: null }, SAMPLE_SIGN_INPUT)).not.toThrow();
  });
});
