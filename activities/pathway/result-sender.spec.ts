import { oruControlId } from './result-sender';

describe('oruControlId', () => {
  it('is at most 20 characters, the same for every attempt of a version, different per version', () => {
    const id = oruControlId('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', 1);
    expect(id).toBe('KR6f1c2a3b4d5e4fV1');
    expect(id.length).toBeLessThanOrEqual(20);
    expect(oruControlId('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', 1)).toBe(id);
    expect(oruControlId('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', 12)).toBe('KR6f1c2a3b4d5e4fV12');
  });
});
