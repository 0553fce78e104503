import { CommitmentReportError, parseCommitmentReport } from './commitment-report';

describe('parseCommitmentReport', () => {
  it('reads committed and failed references with their reason', () => {
    expect(
      parseCommitmentReport({
        TransactionUID: '2.25.1\0',
        ReferencedSOPSequence: [{ ReferencedSOPClassUID: '1.2', ReferencedSOPInstanceUID: '1.2.3' }],
        FailedSOPSequence: { ReferencedSOPClassUID: '1.2', ReferencedSOPInstanceUID: '1.2.4', FailureReason: 0x0112 },
      }),
    ).toEqual({ transactionUid: '2.25.1', committed: ['1.2.3'], failed: [{ sopInstanceUid: '1.2.4', reason: 0x0112 }] });
  });

  it('refuses a report without a Transaction UID', () => {
    expect(() => parseCommitmentReport({ ReferencedSOPSequence: [] })).toThrow(CommitmentReportError);
  });
});
