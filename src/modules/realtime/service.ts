/**
 * The realtime order channel (issue 12 item 1, ADR 0030): who a connection is, which channel it gets, and the
 * delivery of every order status change to the connections of its user, in every process.
 *
 * - A connection authenticates with the connect command's `data: {auth, project_id}` as every Xsolla SDK sends it
 *   (`auth` a user JWT of the project, or a payment token; `project_id` an integer or a string of digits; other
 *   keys such as `user_external_id` are ignored). Without `data.auth`, the Centrifugo connection `token` is used;
 *   without `project_id`, the JWT's `project_id` claim (Itemshop's development tokens carry one).
 * - A user JWT subscribes the connection to the user's channel `orders:<project_id>#<user_id>`: every status of
 *   every order of that user. A payment token subscribes it to `order:<project_id>.<order_id>`: that order only
 *   (a payment token opens one order, never the rest of its user's orders).
 * - Status changes come from OrdersService.onStatusChange (the one order-status mechanism) in the process that
 *   made them, and from the fan-out (src/fanout) for the changes other processes made; each change is sent to the
 *   process's connections on those two channels, as the publication `{"order_id": <int>, "status": <status>}`
 *   with `expired` announced as `canceled` (publicStatus).
 *
 * Delivery is at most once per connection (no replay): a client that connects after a change reads the order with
 * get-order, as every SDK's fallback does.
 */
import { decodeJwt } from 'jose';
import type { FastifyBaseLogger } from 'fastify';
import type { Fanout } from '../../fanout/fanout.js';
import type { OrderStatusMessage } from '../../fanout/messages.js';
import type { OrderStatusChange } from '../orders/model.js';
import type { OrdersService } from '../orders/service.js';
import type { TenancyService } from '../tenancy/service.js';

/** Who a connection is: a user of a project, or the holder of one order's payment token (`orderId`). */
export interface RealtimeIdentity {
  projectId: number;
  userId: string;
  /** Set for a connection authenticated by a payment token: it hears only this order. */
  orderId?: number;
}

/** The publication data of a status change. */
export interface OrderStatusData {
  order_id: number;
  status: 'new' | 'paid' | 'done' | 'canceled';
}

/** Receives the publications of the channel a connection is subscribed to. */
export type PublicationSink = (channel: string, data: OrderStatusData) => void;

/** A connect the server refuses: the Centrifugo disconnect code and reason to close with. */
export class RealtimeRefusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    detail?: string,
  ) {
    super(detail ?? reason);
  }
}

/** Centrifugo's disconnect for a connection whose credentials are not valid (terminal: clients do not retry). */
export const invalidToken = (detail?: string) => new RealtimeRefusal(3500, 'invalid token', detail);

/**
 * The status a client is told: `expired` is announced as `canceled` — the order can no longer be paid, which every
 * SDK understands as the end of tracking (none knows `expired`; ADR 0030).
 */
export function publicStatus(status: string): OrderStatusData['status'] | null {
  switch (status) {
    case 'new':
    case 'paid':
    case 'done':
    case 'canceled':
      return status;
    case 'expired':
      return 'canceled';
    default:
      return null;
  }
}

const PAYMENT_TOKEN = /^[A-Za-z0-9]{1,128}$/;

/** Entries a channel's history keeps (Centrifugo's `history_size`). */
export const HISTORY_SIZE = 100;
/** The epoch of every channel's stream (its offsets never restart). */
export const HISTORY_EPOCH = 'itemshop';

/** An integer project id from a number or a string of digits, else undefined. */
function projectIdOf(v: unknown): number | undefined {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 && n <= 2_147_483_647 ? n : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export class RealtimeService {
  private readonly channels = new Map<string, Set<PublicationSink>>();
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;
  private log?: FastifyBaseLogger;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly orders: Pick<OrdersService, 'onStatusChange' | 'tokenRef' | 'details' | 'statusHistory'>,
    private readonly fanout: Fanout,
  ) {}

  /** The channel of a connection. */
  static channelOf(identity: RealtimeIdentity): string {
    return identity.orderId === undefined
      ? `orders:${identity.projectId}#${identity.userId}`
      : `order:${identity.projectId}.${identity.orderId}`;
  }

  /**
   * Who the connect command's `data` (and `token`) authenticate.
   * @throws RealtimeRefusal 3500 `invalid token` when there is no credential, the project is unknown, the JWT is not
   *   valid for the project (signature, `exp`, `sub`), or the payment token is unknown or expired
   */
  async authenticate(connect: { data?: unknown; token?: string } | undefined): Promise<RealtimeIdentity> {
    const data = isRecord(connect?.data) ? connect.data : {};
    const credential =
      typeof data.auth === 'string' && data.auth.trim() !== '' ? data.auth.trim() : connect?.token?.trim();
    if (!credential) throw invalidToken('no auth in the connect data');
    const projectId = projectIdOf(data.project_id);

    if (PAYMENT_TOKEN.test(credential)) {
      let ref;
      try {
        ref = await this.orders.tokenRef(credential);
      } catch {
        throw invalidToken('unknown or expired payment token');
      }
      if (projectId !== undefined && projectId !== ref.project_id)
        throw invalidToken('payment token of another project');
      const { order } = await this.orders.details(ref.project_id, ref.order_id);
      return { projectId: ref.project_id, userId: order.user_id, orderId: order.order_id };
    }

    let claimed = projectId;
    if (claimed === undefined) {
      try {
        claimed = projectIdOf(decodeJwt(credential).project_id);
      } catch {
        throw invalidToken('malformed token');
      }
    }
    const project = claimed === undefined ? undefined : await this.tenancy.getProject(claimed);
    if (!project) throw invalidToken('unknown project');
    let userId: string;
    try {
      userId = (await this.tenancy.verifyUserToken(project, credential)).userId;
    } catch (e) {
      throw invalidToken(e instanceof Error ? e.message : 'invalid token');
    }
    // `guest:` ids belong to AuthForCart guests (http/auth.ts): a token must not open a guest's orders.
    if (userId.startsWith('guest:')) throw invalidToken('the subject is reserved for guest carts');
    return { projectId: project.project_id, userId };
  }

  /** Subscribes `sink` to the identity's channel; returns the channel and the unsubscribe function. */
  attach(identity: RealtimeIdentity, sink: PublicationSink): { channel: string; detach: () => void } {
    const channel = RealtimeService.channelOf(identity);
    let sinks = this.channels.get(channel);
    if (!sinks) this.channels.set(channel, (sinks = new Set()));
    sinks.add(sink);
    return {
      channel,
      detach: () => {
        sinks.delete(sink);
        if (sinks.size === 0 && this.channels.get(channel) === sinks) this.channels.delete(channel);
      },
    };
  }

  /**
   * The history of a connection's channel (Centrifugo `history`, as Xsolla's web guide calls it on `subscribed`):
   * the statuses its orders took, from the orders' history (OrdersService.statusHistory), as publications whose
   * `offset` is the history entry's id; the stream's `epoch` is constant and its `offset` the newest entry's id.
   * `limit` 0 (or absent) gives only the position, a negative one everything kept (the newest HISTORY_SIZE), a
   * positive one at most that many (≤ HISTORY_SIZE); `since.offset` keeps the entries after it; `reverse` puts the
   * newest first. Live publications carry no offset (the channel is not recoverable: ADR 0030).
   */
  async history(
    identity: RealtimeIdentity,
    req: { limit?: number; since?: { offset?: number }; reverse?: boolean },
  ): Promise<{ publications: { data: OrderStatusData; offset: number }[]; epoch: string; offset: number }> {
    const scope = { projectId: identity.projectId, userId: identity.userId, orderId: identity.orderId };
    const [newest] = await this.orders.statusHistory({ ...scope, afterId: 0, limit: 1, newestFirst: true });
    const position = { epoch: HISTORY_EPOCH, offset: newest?.id ?? 0 };
    const limit = !req.limit ? 0 : req.limit < 0 ? HISTORY_SIZE : Math.min(req.limit, HISTORY_SIZE);
    if (limit === 0) return { publications: [], ...position };
    const since = req.since?.offset;
    let entries;
    if (since !== undefined || req.reverse) {
      entries = await this.orders.statusHistory({
        ...scope,
        afterId: since ?? 0,
        limit: since !== undefined && req.reverse ? HISTORY_SIZE : limit,
        newestFirst: req.reverse === true && since === undefined,
      });
      if (since !== undefined && req.reverse) entries = entries.reverse().slice(0, limit);
    } else {
      // the oldest of what is kept: the newest HISTORY_SIZE entries, oldest first
      entries = (
        await this.orders.statusHistory({ ...scope, afterId: 0, limit: HISTORY_SIZE, newestFirst: true })
      )
        .reverse()
        .slice(0, limit);
    }
    return {
      publications: entries.map((e) => ({
        data: { order_id: e.order_id, status: publicStatus(e.status) ?? 'canceled' },
        offset: e.id,
      })),
      ...position,
    };
  }

  /** This process's id (the fan-out's node id), told to clients in the connect reply. */
  get node(): string {
    return this.fanout.node;
  }

  /** Number of connections subscribed in this process (for tests and metrics). */
  get connections(): number {
    let n = 0;
    for (const sinks of this.channels.values()) n += sinks.size;
    return n;
  }

  /**
   * Starts hearing status changes: this process's own (OrdersService.onStatusChange; also sent to the other
   * processes through the fan-out) and the other processes' (fan-out `order` messages). Idempotent.
   */
  start(log?: FastifyBaseLogger): void {
    if (this.started) return;
    this.started = true;
    this.log = log;
    this.unsubscribe.push(
      this.orders.onStatusChange((change) => this.changed(change)),
      this.fanout.subscribe((m) => {
        if (m.type === 'order') this.deliver(m);
      }),
    );
  }

  /** Stops hearing status changes. */
  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.started = false;
  }

  private changed({ order }: OrderStatusChange) {
    const message: OrderStatusMessage = {
      type: 'order',
      projectId: order.project_id,
      orderId: order.order_id,
      userId: order.user_id,
      status: order.status,
    };
    this.deliver(message);
    this.fanout.publish(message);
  }

  /** Sends a status change to this process's connections of the order's user and of the order. */
  private deliver(m: OrderStatusMessage) {
    const status = publicStatus(m.status);
    if (!status) return;
    const data: OrderStatusData = { order_id: m.orderId, status };
    for (const channel of [
      RealtimeService.channelOf({ projectId: m.projectId, userId: m.userId }),
      RealtimeService.channelOf({ projectId: m.projectId, userId: m.userId, orderId: m.orderId }),
    ]) {
      for (const sink of this.channels.get(channel) ?? []) {
        try {
          sink(channel, data);
        } catch (e) {
          this.log?.warn({ err: e }, 'realtime: a connection failed to take a publication');
        }
      }
    }
  }
}
