/**
 * Buffers used again and again for whole objects read from storage: a fresh 0.5 MB buffer per
 * instance costs page faults on first touch, an unmap and garbage collection (measured: a third
 * more CPU to read a CT study's 300 files), the largest cost of a C-STORE send after the copy to
 * the socket. A buffer is given back only once nothing refers to its bytes any more (the socket
 * has written them); one that is never given back is simply collected.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  /**
   * @param minBytes the smallest buffer made, so that one serves objects of slightly different sizes
   * @param maxFreeBytes how many bytes of free buffers are kept at most (the rest go to the garbage collector)
   */
  constructor(
    private readonly minBytes: number,
    private readonly maxFreeBytes: number,
  ) {}

  /** A buffer of at least `size` bytes: a free one large enough, else a new one. */
  take(size: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i];
      if (b.length < size) continue;
      this.free.splice(i, 1);
      this.freeBytes -= b.length;
      return b;
    }
    return Buffer.allocUnsafeSlow(Math.max(size, this.minBytes));
  }

  /** Gives back a buffer from take() whose bytes nothing refers to any more. */
  give(buffer: Buffer): void {
    if (this.freeBytes + buffer.length > this.maxFreeBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.length;
  }
}
