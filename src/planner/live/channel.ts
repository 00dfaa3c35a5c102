/**
 * A push-to-pull queue: values pushed by the live hub, pulled by a subscription's `for await`.
 * `end` lets what is queued be read, then ends it; the client unsubscribing (`return`) ends it at
 * once. Either way `onEnd` runs once. An error to report is pushed as a value (an `Error`): the
 * subscription's field resolver turns it into the GraphQL error of that event, then it ends.
 */
export class Channel<T> implements AsyncIterableIterator<T | Error> {
  private readonly queue: (T | Error)[] = [];
  private readonly waiting: ((result: IteratorResult<T | Error>) => void)[] = [];
  private ending = false;
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  push(value: T | Error): void {
    if (this.ending) return;
    const resolve = this.waiting.shift();
    if (resolve) resolve({ value, done: false });
    else this.queue.push(value);
  }

  /** Delivers `error` after what is queued, then ends. */
  fail(error: Error): void {
    this.push(error);
    this.ending = true;
    if (this.queue.length === 0) this.finish();
  }

  async next(): Promise<IteratorResult<T | Error>> {
    if (this.queue.length > 0) {
      const value = this.queue.shift()!;
      if (this.ending && this.queue.length === 0) this.finish();
      return { value, done: false };
    }
    if (this.ending) return { value: undefined, done: true };
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async return(): Promise<IteratorResult<T | Error>> {
    this.queue.length = 0;
    this.ending = true;
    for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
    this.finish();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T | Error> {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
