/**
 * Turns a Jepsen-style event list (invoke, then ok/fail/info per process) into operations.
 * Times are positions in the list, which is the real-time order the recorder saw. Events of
 * non-client processes (any non-integer process, e.g. the nemesis) are skipped. An invocation
 * still open at the end is indeterminate, like an info completion.
 */
import { InputError } from "../history/input-error.ts";
import type { Operation, OpCall } from "./history.ts";

/** One recorded event; structurally a JepsenOp plus Porcupine kv's optional key. */
export interface HistoryEvent {
  readonly process: number | string;
  readonly type: "invoke" | "ok" | "fail" | "info";
  readonly f: string;
  readonly value: unknown;
  readonly key?: string;
  /** "line 12" or "#/12", for messages. */
  readonly location: string;
}

/**
 * Pairs invocations with completions. Throws InputError(file, location, ...) for a
 * completion with no open invocation, a second invocation while one is open, or a
 * completion whose function differs from its invocation's.
 */
export function pairEvents(events: readonly HistoryEvent[], file: string): Operation<OpCall, unknown>[] {
  // Operation ids are the order of invocation: an invocation takes the next id and its slot
  // in `ops`, filled when it completes (or at the end, still open).
  const open = new OpenInvocations();
  const invocations: HistoryEvent[] = [];
  const calls: number[] = [];
  const ops: Operation<OpCall, unknown>[] = [];
  for (let position = 0; position < events.length; position++) {
    const event = events[position];
    if (typeof event.process !== "number") continue;
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending !== undefined) {
        const inv = invocations[pending];
        throw new InputError(file, event.location, `process ${event.process} invokes ${event.f} while its ${inv.f} from ${inv.location} has not completed`);
      }
      open.set(event.process, ops.length);
      invocations.push(event);
      calls.push(position);
      ops.push(undefined as never);
      continue;
    }
    if (pending === undefined) {
      throw new InputError(file, event.location, `${event.type} ${event.f} for process ${event.process} has no matching invoke`);
    }
    const inv = invocations[pending];
    if (inv.f !== event.f) {
      throw new InputError(file, event.location, `process ${event.process} completes ${event.f} but invoked ${inv.f} at ${inv.location}`);
    }
    open.delete(event.process);
    ops[pending] = toOperation(pending, inv, calls[pending], event.type, event.value, position);
  }
  for (const id of open.values()) ops[id] = toOperation(id, invocations[id], calls[id], "info", undefined, Infinity);
  return ops;
}

/** The open invocation's id per process: an array for the usual small process numbers, a Map for others. */
class OpenInvocations {
  private readonly small: number[] = [];
  private readonly other = new Map<number, number>();
  private static isSmall(p: number): boolean {
    return Number.isInteger(p) && p >= 0 && p < 1 << 16;
  }
  get(p: number): number | undefined {
    if (!OpenInvocations.isSmall(p)) return this.other.get(p);
    const id = this.small[p];
    return id === undefined || id < 0 ? undefined : id;
  }
  set(p: number, id: number): void {
    if (!OpenInvocations.isSmall(p)) this.other.set(p, id);
    else {
      while (this.small.length < p) this.small.push(-1);
      this.small[p] = id;
    }
  }
  delete(p: number): void {
    if (!OpenInvocations.isSmall(p)) this.other.delete(p);
    else if (p < this.small.length) this.small[p] = -1;
  }
  /** The ids still open, each once (in no particular order: each fills its own slot). */
  values(): number[] {
    return [...this.small.filter((id) => id >= 0), ...this.other.values()];
  }
}

function toOperation(id: number, e: HistoryEvent, call: number, type: "ok" | "fail" | "info", value: unknown, ret: number): Operation<OpCall, unknown> {
  const input: OpCall = e.key !== undefined ? { f: e.f, value: e.value, key: e.key } : { f: e.f, value: e.value };
  return {
    id,
    process: e.process,
    input,
    output: type === "ok" ? value : undefined,
    call,
    ret: type === "info" ? Infinity : ret,
    completion: type,
    source: e.location,
  };
}
