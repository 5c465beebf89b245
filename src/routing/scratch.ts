/**
 * Working memory of the planner (the assessment's numeric columns, the optimiser's input columns
 * and its own arrays), reused from decision to decision. A typed array longer than a
 * few dozen bytes gets a backing store outside the JavaScript heap, which the garbage collector has
 * to sweep and free one by one: allocating a dozen per decision made every young-generation
 * collection pay for hundreds of them. Each slot keeps one buffer that only grows; callers get a
 * zero-filled view of the length they ask for. Safe because planning is synchronous: a slot is
 * never in use by two decisions at once, and no view outlives the `plan` call that asked for it.
 */

/** One slot per array the optimiser keeps: no two arrays in use at once share one. */
export const Slot = {
  Fixed: 0,
  FixedSorted: 1,
  Prefix: 2,
  Mask: 3,
  MaskSorted: 4,
  SuffixMask: 5,
  SuffixMostBits: 6,
  Order: 7,
  OrderSorted: 8,
  OrderMerge: 9,
  Stock: 10,
  Demand: 11,
  Supply: 12,
  Required: 13,
  Weight: 14,
  Used: 15,
  Quantity: 16,
  BackorderRest: 17,
  TouchRest: 18,
  LocationFixed: 19,
  LocationPerKg: 20,
  LocationStock: 21,
  LocationBalance: 22,
  /** The assessment's numeric columns, one per method planned in a decision (a pickup may fall back to shipping). */
  AvailableShip: 23,
  AvailableInStore: 24,
  KmShip: 25,
  KmInStore: 26,
  FixedScoreShip: 27,
  FixedScoreInStore: 28,
} as const;
type SlotId = (typeof Slot)[keyof typeof Slot];

const float64Buffers: (Float64Array | undefined)[] = [];
const int32Buffers: (Int32Array | undefined)[] = [];
const MIN_LENGTH = 64;

const grown = (current: number, length: number) => Math.max(length, MIN_LENGTH, current * 2);

export function float64s(slot: SlotId, length: number): Float64Array {
  let buffer = float64Buffers[slot];
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float64Array(grown(buffer?.length ?? 0, length));
    float64Buffers[slot] = buffer;
  }
  const view = buffer.subarray(0, length);
  view.fill(0);
  return view;
}

export function int32s(slot: SlotId, length: number): Int32Array {
  let buffer = int32Buffers[slot];
  if (buffer === undefined || buffer.length < length) {
    buffer = new Int32Array(grown(buffer?.length ?? 0, length));
    int32Buffers[slot] = buffer;
  }
  const view = buffer.subarray(0, length);
  view.fill(0);
  return view;
}
