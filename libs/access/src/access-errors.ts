/** A break-the-glass request that cannot be granted; `status` is what an HTTP door answers. */
export class EmergencyRefusedError extends Error {
  constructor(
    message: string,
    public readonly status: 403 | 404 = 403,
  ) {
    super(message);
    this.name = 'EmergencyRefusedError';
  }
}
