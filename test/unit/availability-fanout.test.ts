/**
 * Volatile availability crosses processes on the fan-out channel catalog versions use (issue 14 §3): the
 * `availability` message survives its wire form; a process that receives one re-reads the named game keys' pools
 * and hands the counts to its catalog, or forgets the stock it holds — while its own changes go out to the others.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AVAILABILITY_IDS_MAX,
  decodeMessage,
  encodeMessage,
  type FanoutMessage,
} from '../../src/fanout/messages.js';
import {
  AvailabilityService,
  type AvailabilityCounters,
  type StockLeft,
} from '../../src/modules/availability/service.js';

/** A fan-out of one process: what it published, and a way to deliver another process's message. */
function fakeFanout() {
  const listeners: ((m: FanoutMessage) => void)[] = [];
  const published: FanoutMessage[] = [];
  return {
    published,
    deliver: (payload: string) => {
      const m = decodeMessage(payload);
      if (m) for (const l of listeners) l(m);
    },
    publish: (m: FanoutMessage) => void published.push(m),
    subscribe: (l: (m: FanoutMessage) => void) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
  };
}

/** A catalog that records what it was told. */
function fakeCatalog() {
  const updates: { projectId: number; itemIds: readonly number[] | null; counts: Map<number, number> }[] = [];
  return {
    updates,
    updateAvailableKeys: (
      projectId: number,
      itemIds: readonly number[] | null,
      counts: ReadonlyMap<number, number>,
    ) => void updates.push({ projectId, itemIds, counts: new Map(counts) }),
  };
}

describe('availability fan-out message', () => {
  it('round-trips through its wire form with the sending node', () => {
    for (const counter of ['keys', 'stock'] as const) {
      const m: FanoutMessage = { type: 'availability', projectId: 7, itemIds: [3, 5], counter, node: 'abcd' };
      expect(decodeMessage(encodeMessage(m))).toEqual(m);
    }
  });

  it('sends "every item" (no ids) rather than a payload past the NOTIFY limit', () => {
    const ids = Array.from({ length: AVAILABILITY_IDS_MAX + 1 }, (_, i) => 1_000_000_000 + i);
    const wire = encodeMessage({ type: 'availability', projectId: 7, itemIds: ids, counter: 'stock' });
    expect(wire.length).toBeLessThan(8000);
    expect(decodeMessage(wire)).toEqual({
      type: 'availability',
      projectId: 7,
      itemIds: [],
      counter: 'stock',
      node: undefined,
    });
  });

  it('rejects a malformed availability payload', () => {
    expect(decodeMessage('{"t":"avail","p":7,"i":["x"]}')).toBeNull();
    expect(decodeMessage('{"t":"avail","p":-1,"i":[]}')).toBeNull();
  });
});

describe('AvailabilityService across processes', () => {
  const pools = new Map([
    [10, 0],
    [11, 4],
  ]); // item_id → unclaimed codes in the shared database
  const stockReads: number[] = [];
  let left = 5;
  const usedQueries: string[][] = [];
  const counters: AvailabilityCounters = {
    keyCounts: (_projectId, itemIds) =>
      Promise.resolve(new Map([...pools].filter(([id, n]) => n > 0 && (!itemIds || itemIds.includes(id))))),
    stock: (projectId) => {
      stockReads.push(projectId);
      return Promise.resolve(new Map<number, StockLeft>([[20, { remaining: left, preOrder: null }]]));
    },
    usedByUsers: (_projectId, userIds) => {
      usedQueries.push(userIds);
      return Promise.resolve(new Map(userIds.map((u) => [u, new Map([[20, u.length]])])));
    },
  };
  afterEach(() => {
    vi.useRealTimers();
    stockReads.length = 0;
    usedQueries.length = 0;
  });

  it('re-reads the named keys and tells the catalog when another process announces a change', async () => {
    const fanout = fakeFanout();
    const catalog = fakeCatalog();
    const service = new AvailabilityService(counters, catalog, fanout);
    fanout.deliver(
      encodeMessage({ type: 'availability', projectId: 7, itemIds: [10, 11], counter: 'keys', node: 'other' }),
    );
    await expect.poll(() => catalog.updates.length).toBe(1);
    expect(catalog.updates[0]).toEqual({ projectId: 7, itemIds: [10, 11], counts: new Map([[11, 4]]) });
    expect(fanout.published).toEqual([]); // a received change is not sent on again
    service.close();
  });

  it('applies its own change locally before announcing it to the other processes', async () => {
    const fanout = fakeFanout();
    const catalog = fakeCatalog();
    const service = new AvailabilityService(counters, catalog, fanout);
    await service.keysChanged(7, [10, 10]);
    expect(catalog.updates).toEqual([{ projectId: 7, itemIds: [10], counts: new Map() }]);
    expect(fanout.published).toEqual([{ type: 'availability', projectId: 7, itemIds: [10], counter: 'keys' }]);
    service.close();
  });

  it('keeps stock for a second, reads it again at once after its own purchase, and announces purchases together', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const fanout = fakeFanout();
    const service = new AvailabilityService(counters, fakeCatalog(), fanout);
    expect((await service.stock(7)).get(20)?.remaining).toBe(5);
    left = 4;
    expect((await service.stock(7)).get(20)?.remaining).toBe(5); // cached: one read
    expect(stockReads).toEqual([7]);
    service.stockChanged(7, [20]);
    service.stockChanged(7, [21]);
    service.stockChanged(8, [30]);
    expect((await service.stock(7)).get(20)?.remaining).toBe(4); // forgotten at once in this process
    expect(fanout.published).toEqual([]); // gathered first …
    vi.advanceTimersByTime(60);
    expect(fanout.published).toEqual([
      { type: 'availability', projectId: 7, itemIds: [20, 21], counter: 'stock' },
      { type: 'availability', projectId: 8, itemIds: [30], counter: 'stock' },
    ]); // … then one message per project
    left = 3;
    vi.advanceTimersByTime(1000);
    expect((await service.stock(7)).get(20)?.remaining).toBe(3); // older than a second: read again
    service.close();
    left = 5;
  });

  it("forgets its stock when another process announces a purchase, and keeps it for others' game keys", async () => {
    const fanout = fakeFanout();
    const service = new AvailabilityService(counters, fakeCatalog(), fanout);
    await service.stock(7);
    fanout.deliver(encodeMessage({ type: 'availability', projectId: 7, itemIds: [10], counter: 'keys', node: 'o' }));
    await service.stock(7);
    expect(stockReads).toEqual([7]);
    fanout.deliver(encodeMessage({ type: 'availability', projectId: 7, itemIds: [20], counter: 'stock', node: 'o' }));
    await service.stock(7);
    expect(stockReads).toEqual([7, 7]);
    expect(fanout.published).toEqual([]);
    service.close();
  });

  it('answers usage lookups made together with one query, exact for each user', async () => {
    const service = new AvailabilityService(counters, fakeCatalog(), fakeFanout());
    const [a, b, a2] = await Promise.all([
      service.usedByUser(7, 'ann'),
      service.usedByUser(7, 'bobby'),
      service.usedByUser(7, 'ann'),
    ]);
    expect([a.get(20), b.get(20), a2.get(20)]).toEqual([3, 5, 3]);
    expect(usedQueries).toEqual([['ann', 'bobby']]);
    service.close();
  });
});
