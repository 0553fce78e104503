import { FindRegistry, streamFindResponses } from './find-responses';

describe('C-FIND responses', () => {
  const ids = [{ n: 1 }, { n: 2 }, { n: 3 }];

  it('sends every match, then Success', async () => {
    const sent: unknown[] = [];
    const status = await streamFindResponses(ids, { sendPending: (i) => sent.push(i), isCancelled: () => false, isClosed: () => false });
    expect(sent).toEqual(ids);
    expect(status).toBe(0x0000);
  });

  it('stops at a C-CANCEL and answers Cancel (0xFE00)', async () => {
    const finds = new FindRegistry();
    const find = finds.begin(7);
    const sent: unknown[] = [];
    const status = await streamFindResponses(ids, {
      sendPending: (i) => {
        sent.push(i);
        // The cancel arrives while the first match is on its way.
        finds.cancel(7);
      },
      isCancelled: find.isCancelled,
      isClosed: () => false,
    });
    expect(sent).toEqual([{ n: 1 }]);
    expect(status).toBe(0xfe00);
  });

  it('answers Cancel when the C-CANCEL came before any match went out', async () => {
    const finds = new FindRegistry();
    const find = finds.begin(1);
    finds.cancel(1);
    expect(await streamFindResponses([], { sendPending: () => undefined, isCancelled: find.isCancelled, isClosed: () => false })).toBe(0xfe00);
  });

  it('ignores a cancel for a message that is not (or no longer) a find in progress', () => {
    const finds = new FindRegistry();
    const find = finds.begin(1);
    find.end();
    expect(finds.cancel(1)).toBe(false);
    expect(finds.cancel(2)).toBe(false);
  });

  it('stops sending when the association is gone', async () => {
    const sent: unknown[] = [];
    await streamFindResponses(ids, { sendPending: (i) => sent.push(i), isCancelled: () => false, isClosed: () => sent.length >= 1 });
    expect(sent).toHaveLength(1);
  });
});
