/**
 * @module runtime/delay-heap
 * Items waiting until a time, earliest first; one entry per item (re-adding keeps the earlier time),
 * like client-go's delaying queue.
 */

interface Entry<K> {
  item: K;
  readyAt: number;
  /** Insertion order, so equal times come out first-in first-out. */
  seq: number;
  index: number;
}

export class DelayHeap<K> {
  readonly #heap: Entry<K>[] = [];
  readonly #entries = new Map<K, Entry<K>>();
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** The earliest ready time, if any. */
  peekTime(): number | undefined {
    return this.#heap[0]?.readyAt;
  }

  /** Adds the item, or moves it earlier if it is already waiting for a later time. */
  push(item: K, readyAt: number): void {
    const existing = this.#entries.get(item);
    if (existing) {
      if (readyAt < existing.readyAt) {
        existing.readyAt = readyAt;
        this.#up(existing.index);
      }
      return;
    }
    const entry: Entry<K> = { item, readyAt, seq: this.#seq++, index: this.#heap.length };
    this.#heap.push(entry);
    this.#entries.set(item, entry);
    this.#up(entry.index);
  }

  /** Removes and returns every item whose time is ≤ now, earliest first. */
  popReady(now: number): K[] {
    const ready: K[] = [];
    while (this.#heap.length > 0 && this.#heap[0]!.readyAt <= now) ready.push(this.#pop());
    return ready;
  }

  clear(): void {
    this.#heap.length = 0;
    this.#entries.clear();
  }

  #pop(): K {
    const top = this.#heap[0]!;
    const last = this.#heap.pop()!;
    if (last !== top) {
      this.#heap[0] = last;
      last.index = 0;
      this.#down(0);
    }
    this.#entries.delete(top.item);
    return top.item;
  }

  #less(a: Entry<K>, b: Entry<K>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const a = this.#heap[i]!;
    const b = this.#heap[j]!;
    this.#heap[i] = b;
    this.#heap[j] = a;
    a.index = j;
    b.index = i;
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(this.#heap[i]!, this.#heap[parent]!)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.#less(this.#heap[l]!, this.#heap[min]!)) min = l;
      if (r < n && this.#less(this.#heap[r]!, this.#heap[min]!)) min = r;
      if (min === i) return;
      this.#swap(i, min);
      i = min;
    }
  }
}
