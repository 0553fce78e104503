import * as dimse from 'dcmjs-dimse';

const { Server, Scp } = dimse;
const { CStoreResponse, CEchoResponse } = dimse.responses;
const { PresentationContextResult } = dimse.constants;
dimse.log.setLevel('silent');

export interface CountingScpBehaviour {
  /** Answer this status (e.g. 0xA900) for these SOP Instance UIDs. */
  refuse: Map<string, number>;
  /** Drop the connection (no answer) when this many objects have been received in total. */
  dropAtCount: number | null;
}

/**
 * A real DICOM storage SCP (dcmjs-dimse) that counts what it receives, refuses chosen instances
 * and can hang up mid-association: the destination behaviours forwarding must survive.
 */
export class CountingScp {
  readonly received = new Map<string, number>();
  readonly behaviour: CountingScpBehaviour = { refuse: new Map(), dropAtCount: null };
  private server?: any;
  private total = 0;

  constructor(readonly port: number) {}

  start(): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- dcmjs-dimse instantiates the SCP class itself; it reaches the test's counters through `self`
    const self = this;
    class TestScp extends Scp {
      associationRequested(association: any) {
        (this as any).association = association;
        for (const c of association.getPresentationContexts()) {
          const ctx = association.getPresentationContext(c.id);
          ctx.setResult(PresentationContextResult.Accept, ctx.getTransferSyntaxUids()[0]);
        }
        this.sendAssociationAccept();
      }
      associationReleaseRequested() {
        this.sendAssociationReleaseResponse();
      }
      cEchoRequest(req: any, cb: any) {
        const r = CEchoResponse.fromRequest(req);
        r.setStatus(0);
        cb(r);
      }
      cStoreRequest(req: any, cb: any) {
        const uid = String(req.getAffectedSopInstanceUid()).replace(/\0/g, '');
        self.total++;
        if (self.behaviour.dropAtCount !== null && self.total >= self.behaviour.dropAtCount) {
          self.behaviour.dropAtCount = null;
          (this as any).socket.destroy();
          return;
        }
        const r = CStoreResponse.fromRequest(req);
        const refusal = self.behaviour.refuse.get(uid);
        if (refusal !== undefined) r.setStatus(refusal);
        else {
          self.received.set(uid, (self.received.get(uid) ?? 0) + 1);
          r.setStatus(0);
        }
        cb(r);
      }
    }
    this.server = new Server(TestScp as any);
    this.server.on('networkError', () => undefined);
    this.server.listen(this.port);
  }

  stop(): void {
    this.server?.close();
  }
}
