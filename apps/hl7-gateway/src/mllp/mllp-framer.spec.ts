import { MllpFramer, frame } from './mllp-framer';

const wrap = (s: string) => frame(Buffer.from(s));
const texts = (frames: ReturnType<MllpFramer['push']>) => frames.map((f) => (f.kind === 'message' ? f.bytes.toString() : `oversized:${f.size}`));

describe('MllpFramer', () => {
  it('yields several messages from one read', () => {
    const f = new MllpFramer(1024);
    expect(texts(f.push(Buffer.concat([wrap('A'), wrap('B'), wrap('C')])))).toEqual(['A', 'B', 'C']);
  });

  it('joins a message split across reads, at every possible cut', () => {
    const bytes = Buffer.concat([wrap('MSH|one'), wrap('MSH|two')]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const f = new MllpFramer(1024);
      expect(texts([...f.push(bytes.subarray(0, cut)), ...f.push(bytes.subarray(cut))])).toEqual(['MSH|one', 'MSH|two']);
    }
  });

  it('ignores bytes outside frames and tolerates a missing final CR', () => {
    const f = new MllpFramer(1024);
    const stream = Buffer.concat([Buffer.from('\r\nnoise'), Buffer.from([0x0b]), Buffer.from('A'), Buffer.from([0x1c]), Buffer.from('junk\n'), wrap('B')]);
    expect(texts(f.push(stream))).toEqual(['A', 'B']);
  });

  it('abandons an unfinished frame when a new one starts', () => {
    const f = new MllpFramer(1024);
    expect(texts(f.push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('half'), wrap('whole')])))).toEqual(['whole']);
  });

  it('reports an oversized frame with its size and head, without keeping the rest, and carries on', () => {
    const f = new MllpFramer(1024, 16);
    const big = 'MSH|' + 'x'.repeat(5000);
    const frames = f.push(Buffer.concat([wrap(big), wrap('next')]));
    expect(frames[0]).toEqual({ kind: 'oversized', size: big.length, head: Buffer.from(big.slice(0, 16)) });
    expect(texts(frames.slice(1))).toEqual(['next']);
  });

  it('counts the bytes a disconnect would drop', () => {
    const f = new MllpFramer(1024);
    f.push(Buffer.from([0x0b, 0x41, 0x42]));
    expect(f.pendingBytes).toBe(2);
    f.push(Buffer.from([0x1c, 0x0d]));
    expect(f.pendingBytes).toBe(0);
  });
});
