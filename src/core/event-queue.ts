/**
 * FIFO queue for events and transmits: O(1) push and shift without Array#shift's copying.
 * Cores push; the caller drains with `shift()` until it returns undefined.
 *
 * A drained queue keeps its (small) array: most queues go empty after every datagram, and a new
 * array per drain was an allocation per event on the data path (issue 6). Arrays grown past
 * `KEEP` slots are dropped when drained, so a burst does not pin memory.
 */
const KEEP = 1024;

export class Queue<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  private tail = 0;
  /**
   * How many items wait. A field, not a getter, so that a caller's emptiness check is a property
   * read, not a call (issue 6: most polls find their queue empty). Read it; never assign it.
   */
  length = 0;

  push(item: T): void {
    this.items[this.tail++] = item;
    this.length++;
  }

  shift(): T | undefined {
    if (this.head >= this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    this.length--;
    if (this.head === this.tail) {
      this.head = this.tail = 0;
      if (this.items.length > KEEP) this.items = [];
    } else if (this.head > KEEP && this.head * 2 > this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return item;
  }

  peek(): T | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }

  clear(): void {
    this.items = [];
    this.head = this.tail = this.length = 0;
  }
}
