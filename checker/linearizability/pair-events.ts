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
  const pairing = new EventPairing(file);
  for (let k = 0; k < events.length; k++) {
    const e = events[k];
    pairing.add(e.process, e.type, e.f, e.value, e.key, e.location);
  }
  return pairing.finish();
}

/**
 * pairEvents one event at a time, for readers that make no event objects (a location that
 * is a number n stands for "line n", made into text only where an operation or an error
 * needs it).
 */
export class EventPairing {
  private position = 0;
  private readonly open = new OpenInvocations();
  /** The invocations, by operation id (an operation's id is its invocation's order). */
  private readonly invocations: Invocation[] = [];
  private readonly ops: Operation<OpCall, unknown>[] = [];
  constructor(private readonly file: string) {}

  /** The next event of the list (a non-integer process, e.g. the nemesis, only takes its position). */
  add(process: number | string, type: HistoryEvent["type"], f: string, value: unknown, key: string | undefined, location: string | number): void {
    const position = this.position++;
    if (typeof process !== "number") return;
    const pending = this.open.get(process);
    if (type === "invoke") {
      if (pending !== undefined) {
        const inv = this.invocations[pending];
        throw new InputError(this.file, locationText(location), `process ${process} invokes ${f} while its ${inv.f} from ${inv.where} has not completed`);
      }
      this.open.set(process, this.ops.length);
      this.invocations.push({ process, f, value, key, where: locationText(location), call: position });
      this.ops.push(undefined as never);
      return;
    }
    if (pending === undefined) throw new InputError(this.file, locationText(location), `${type} ${f} for process ${process} has no matching invoke`);
    const inv = this.invocations[pending];
    if (inv.f !== f) throw new InputError(this.file, locationText(location), `process ${process} completes ${f} but invoked ${inv.f} at ${inv.where}`);
    this.open.delete(process);
    this.ops[pending] = this.operation(pending, type, value, position);
  }

  /** The operations; an invocation still open is indeterminate, like an info completion. */
  finish(): Operation<OpCall, unknown>[] {
    for (const id of this.open.ids()) this.ops[id] = this.operation(id, "info", undefined, Infinity);
    return this.ops;
  }

  private operation(id: number, type: "ok" | "fail" | "info", value: unknown, ret: number): Operation<OpCall, unknown> {
    const inv = this.invocations[id];
    const input: OpCall = inv.key !== undefined ? { f: inv.f, value: inv.value, key: inv.key } : { f: inv.f, value: inv.value };
    return {
      id,
      process: inv.process,
      input,
      output: type === "ok" ? value : undefined,
      call: inv.call,
      ret: type === "info" ? Infinity : ret,
      completion: type,
      source: inv.where,
    };
  }
}

interface Invocation {
  readonly process: number;
  readonly f: string;
  readonly value: unknown;
  readonly key: string | undefined;
  readonly where: string;
  readonly call: number;
}

function locationText(location: string | number): string {
  return typeof location === "number" ? `line ${location}` : location;
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
  ids(): number[] {
    return [...this.small.filter((id) => id >= 0), ...this.other.values()];
  }
}
