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

interface Open {
  readonly event: HistoryEvent;
  readonly position: number;
}

/**
 * Pairs invocations with completions. Throws InputError(file, location, ...) for a
 * completion with no open invocation, a second invocation while one is open, or a
 * completion whose function differs from its invocation's.
 */
export function pairEvents(events: readonly HistoryEvent[], file: string): Operation<OpCall, unknown>[] {
  const open = new Map<number, Open>();
  const done: { inv: Open; type: "ok" | "fail" | "info"; value: unknown; ret: number }[] = [];
  for (let position = 0; position < events.length; position++) {
    const event = events[position];
    if (typeof event.process !== "number") continue;
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending) {
        throw new InputError(file, event.location, `process ${event.process} invokes ${event.f} while its ${pending.event.f} from ${pending.event.location} has not completed`);
      }
      open.set(event.process, { event, position });
      continue;
    }
    if (!pending) {
      throw new InputError(file, event.location, `${event.type} ${event.f} for process ${event.process} has no matching invoke`);
    }
    if (pending.event.f !== event.f) {
      throw new InputError(file, event.location, `process ${event.process} completes ${event.f} but invoked ${pending.event.f} at ${pending.event.location}`);
    }
    open.delete(event.process);
    done.push({ inv: pending, type: event.type, value: event.value, ret: position });
  }
  for (const pending of open.values()) done.push({ inv: pending, type: "info", value: undefined, ret: Infinity });
  done.sort((a, b) => a.inv.position - b.inv.position);
  return done.map((d, id) => toOperation(id, d.inv, d.type, d.value, d.ret));
}

function toOperation(id: number, inv: Open, type: "ok" | "fail" | "info", value: unknown, ret: number): Operation<OpCall, unknown> {
  const e = inv.event;
  const input: OpCall = e.key !== undefined ? { f: e.f, value: e.value, key: e.key } : { f: e.f, value: e.value };
  return {
    id,
    process: e.process,
    input,
    output: type === "ok" ? value : undefined,
    call: inv.position,
    ret: type === "info" ? Infinity : ret,
    completion: type,
    source: e.location,
  };
}
