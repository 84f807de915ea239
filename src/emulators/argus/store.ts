import type { ArgusApiKey, ArgusCustomer, ArgusDescriptor, ArgusRecord } from './model.js';
import { UNIT_MS } from './model.js';

/** The emulator's data: descriptors by id and shortName, records per descriptor in time order. */
export class ArgusStore {
  readonly customers: ArgusCustomer[] = [];
  readonly descriptors: ArgusDescriptor[] = [];
  readonly apiKeys = new Map<string, ArgusApiKey>();
  readonly #records = new Map<number, ArgusRecord[]>();

  addCustomer(customer: ArgusCustomer): void {
    this.customers.push(customer);
  }

  addDescriptor(descriptor: ArgusDescriptor): void {
    this.descriptors.push(descriptor);
    this.#records.set(descriptor.id, []);
  }

  addApiKey(key: ArgusApiKey): void {
    this.apiKeys.set(key.key, key);
  }

  /** By numeric id or shortName, as the API paths take either. */
  descriptor(idOrShortName: string): ArgusDescriptor | undefined {
    if (/^\d+$/.test(idOrShortName)) return this.descriptors.find((descriptor) => descriptor.id === Number(idOrShortName));
    return this.descriptors.find((descriptor) => descriptor.shortName === idOrShortName);
  }

  /** By numeric id (as number or digits) or shortName. */
  customer(idOrShortName: string | number): ArgusCustomer | undefined {
    const text = String(idOrShortName);
    if (/^\d+$/.test(text)) return this.customers.find((customer) => customer.id === Number(text));
    return this.customers.find((customer) => customer.shortName === text);
  }

  records(descriptor: ArgusDescriptor): readonly ArgusRecord[] {
    return this.#records.get(descriptor.id) ?? [];
  }

  /**
   * Stores a record, keeping time order. Deduplication works per time frame: with `first` a later
   * record for the same customer and keys in the same frame is dropped, with `last` it replaces.
   */
  add(descriptor: ArgusDescriptor, record: ArgusRecord): void {
    const records = this.#records.get(descriptor.id)!;
    if (descriptor.deduplication !== 'none') {
      const frameMs = descriptor.timeFrameSize * UNIT_MS[descriptor.timeFrameSizeUnit];
      const frame = Math.floor(record.timestamp / frameMs);
      // Records are in time order: only the tail can share the frame.
      let same = -1;
      for (let i = records.length - 1; i >= 0 && Math.floor(records[i]!.timestamp / frameMs) >= frame; i--) {
        const other = records[i]!;
        if (
          Math.floor(other.timestamp / frameMs) === frame &&
          other.customer?.id === record.customer?.id &&
          descriptor.keys.every((key) => other.keys[key.name] === record.keys[key.name])
        ) {
          same = i;
          break;
        }
      }
      if (same >= 0) {
        if (descriptor.deduplication === 'first') return;
        records.splice(same, 1);
      }
    }
    let at = records.length;
    while (at > 0 && records[at - 1]!.timestamp > record.timestamp) at--;
    records.splice(at, 0, record);
  }
}
