import { describe, expect, it } from 'vitest';
import { DescriptorCache } from '../../src/sources/darktrace/descriptors.js';

/** The /metrics list is read once per TTL, shared by concurrent readers, and survives outages. */
describe('the Darktrace metric list cache', () => {
  const list = [{ mlid: 5, name: 'datatransfervolume', label: 'Data Transfer', units: 'bytes', filtertypes: ['Direction'], unitsinterval: 3600, lengthscale: 1 }];

  function rig(answers: Array<unknown | Error>) {
    let clock = 0;
    let reads = 0;
    const cache = new DescriptorCache('dt', async () => {
      const answer = answers[Math.min(reads++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    }, 60_000, () => clock);
    return { cache, reads: () => reads, advance: (ms: number) => (clock += ms) };
  }

  it('reads once for concurrent callers and again only after the TTL', async () => {
    const { cache, reads, advance } = rig([list]);
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(a.get('datatransfervolume')).toEqual({ mlid: 5, name: 'datatransfervolume', label: 'Data Transfer', units: 'bytes', filtertypes: ['Direction'], unitsinterval: 3600 });
    advance(59_999);
    await cache.get();
    expect(reads()).toBe(1);
    advance(1);
    await cache.get();
    expect(reads()).toBe(2);
  });

  it('keeps serving the old list when a refresh fails', async () => {
    const { cache, reads, advance } = rig([list, new Error('appliance down')]);
    await cache.get();
    advance(60_000);
    expect((await cache.get()).has('datatransfervolume')).toBe(true);
    expect(reads()).toBe(2);
  });

  it('remembers a failure with no list for 30 s, then tries again', async () => {
    const { cache, reads, advance } = rig([new Error('appliance down'), list]);
    await expect(cache.get()).rejects.toThrow('appliance down');
    advance(29_999);
    await expect(cache.get()).rejects.toThrow('appliance down');
    expect(reads()).toBe(1);
    advance(1);
    expect((await cache.get()).size).toBe(1);
    expect(reads()).toBe(2);
  });

  it('refuses an answer that is not a list of named metrics', async () => {
    await expect(rig([{ metrics: [] }]).cache.get()).rejects.toThrow('dt answered /metrics in an unexpected shape: expected a list of metrics');
    await expect(rig([[{ mlid: 1 }]]).cache.get()).rejects.toThrow('item 0 has no name');
  });
});
