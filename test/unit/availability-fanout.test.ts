/**
 * Volatile availability crosses processes on the fan-out channel catalog versions use (issue 14 §3): the
 * `availability` message survives its wire form, and a process that receives one re-reads the named game keys'
 * pools and hands the counts to its catalog — while its own changes go out to the others.
 */
import { describe, expect, it } from 'vitest';
import {
  AVAILABILITY_IDS_MAX,
  decodeMessage,
  encodeMessage,
  type FanoutMessage,
} from '../../src/fanout/messages.js';
import { AvailabilityService, type KeyCounts } from '../../src/modules/availability/service.js';

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
    const m: FanoutMessage = { type: 'availability', projectId: 7, itemIds: [3, 5], node: 'abcd' };
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('sends "every item" (no ids) rather than a payload past the NOTIFY limit', () => {
    const ids = Array.from({ length: AVAILABILITY_IDS_MAX + 1 }, (_, i) => 1_000_000_000 + i);
    const wire = encodeMessage({ type: 'availability', projectId: 7, itemIds: ids });
    expect(wire.length).toBeLessThan(8000);
    expect(decodeMessage(wire)).toEqual({ type: 'availability', projectId: 7, itemIds: [], node: undefined });
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
  const counts: KeyCounts = (_projectId, itemIds) =>
    Promise.resolve(new Map([...pools].filter(([id, n]) => n > 0 && (!itemIds || itemIds.includes(id)))));

  it('re-reads the named keys and tells the catalog when another process announces a change', async () => {
    const fanout = fakeFanout();
    const catalog = fakeCatalog();
    const service = new AvailabilityService(counts, catalog, fanout);
    fanout.deliver(encodeMessage({ type: 'availability', projectId: 7, itemIds: [10, 11], node: 'other' }));
    await expect.poll(() => catalog.updates.length).toBe(1);
    expect(catalog.updates[0]).toEqual({ projectId: 7, itemIds: [10, 11], counts: new Map([[11, 4]]) });
    expect(fanout.published).toEqual([]); // a received change is not sent on again
    service.close();
  });

  it('applies its own change locally before announcing it to the other processes', async () => {
    const fanout = fakeFanout();
    const catalog = fakeCatalog();
    const service = new AvailabilityService(counts, catalog, fanout);
    await service.invalidate(7, [10, 10]);
    expect(catalog.updates).toEqual([{ projectId: 7, itemIds: [10], counts: new Map() }]);
    expect(fanout.published).toEqual([{ type: 'availability', projectId: 7, itemIds: [10] }]);
    service.close();
  });
});
