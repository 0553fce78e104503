import { encapsulatedFrames, FrameLayoutError, nativeFrames, parseFrameList } from './frames';

describe('frames', () => {
  it('cuts native pixel data into frames', () => {
    const data = Uint8Array.from({ length: 12 }, (_, i) => i);
    const frames = nativeFrames([data], { rows: 1, columns: 3, samplesPerPixel: 1, bitsAllocated: 16, numberOfFrames: 2 });
    expect(frames.map((f) => [...f])).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
  });

  it('re-packs 1-bit frames that do not end on a byte', () => {
    // Two 2x2 frames: bits 1,0,1,1 then 0,1,0,0 packed LSB first into one byte.
    const frames = nativeFrames([new Uint8Array([0b00101101])], { rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 1, numberOfFrames: 2 });
    expect(frames.map((f) => f[0])).toEqual([0b1101, 0b0010]);
  });

  it('refuses pixel data shorter than its frames', () => {
    expect(() => nativeFrames([new Uint8Array(3)], { rows: 2, columns: 2, samplesPerPixel: 1, bitsAllocated: 8, numberOfFrames: 1 })).toThrow(FrameLayoutError);
  });

  it('groups fragments into frames by start-of-image markers when there is no offset table', () => {
    const soi = (n: number) => Buffer.from([0xff, 0xd8, n]);
    const frames = encapsulatedFrames([soi(1), Buffer.from([9]), soi(2)], 2);
    expect(frames.map((f) => [...f])).toEqual([
      [0xff, 0xd8, 1, 9],
      [0xff, 0xd8, 2],
    ]);
    expect(encapsulatedFrames([Buffer.from([1]), Buffer.from([2])], 1)).toEqual([Buffer.from([1, 2])]);
  });

  it('parses frame lists', () => {
    expect(parseFrameList('1,3')).toEqual([1, 3]);
    expect(parseFrameList('0')).toBeNull();
    expect(parseFrameList('1,x')).toBeNull();
  });
});
