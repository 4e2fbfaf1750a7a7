/**
 * How a step of a message-passing spec looks from its processes: who takes the step, what it
 * sends, what it receives. A spec that declares `events` gets space-time diagrams in its
 * reports, and its runs can be written as event logs that `dscheck cuts` reads.
 *
 * The declaration is per step (a pure function of the step, like every spec function);
 * pairing a receive with its send is the consumer's work: a receive names the message by the
 * same `msg` key as its send, and is matched with the earliest unmatched send of that key
 * addressed to the receiver (or broadcast). The same key sent twice is two messages.
 */

export type StepEventKind = "send" | "receive" | "internal" | "checkpoint" | "crash";

export interface StepEvent {
  readonly process: string;
  readonly kind: StepEventKind;
  /** send / receive: the message's key (the same string on the send and on its receive). */
  readonly msg?: string;
  /** send: the receiver(s); absent means every other process may receive it (a broadcast). */
  readonly to?: string | readonly string[];
  /** receive: the sender, when known. */
  readonly from?: string;
  /** checkpoint: its id. */
  readonly id?: string;
  /** checkpoint: its round, for coordinated checkpointing (`dscheck cuts` checks each round). */
  readonly round?: number;
  /** A short text for diagrams; defaults to the action's label. */
  readonly label?: string;
  /**
   * The process's activity after this event, for termination detection (`cuts --stable
   * termination`): a passive process sends nothing, and only a receive makes it active
   * again. A process counts as active until an event says otherwise.
   */
  readonly state?: "active" | "passive";
  /** After this event the process waits for a message from one of these processes (`cuts --stable deadlock`). */
  readonly blocked?: readonly string[];
}

export interface StepContext<S, P> {
  readonly action: string;
  readonly args: readonly unknown[];
  readonly before: S;
  readonly after: S;
  readonly params: P;
}

export interface StepEvents<S, P> {
  /** Every process of a run with these parameters, in lane order. */
  readonly processes: (params: P) => readonly string[];
  /** The events of one step, in the order they happen within it (often exactly one). */
  readonly of: (step: StepContext<S, P>) => readonly StepEvent[];
}

/** How a spec that keeps its messages in one field (a set, an array, per-channel queues) shows them. */
export interface MessageSetOptions<S, P, M> {
  /** Every process of a run with these parameters, in lane order. */
  readonly processes: (params: P) => readonly string[];
  /** The messages in a state (for per-channel queues: every queue's items). Equal messages may repeat. */
  readonly messages: (state: S, params: P) => Iterable<M>;
  /** The message's key and label: equal for equal messages, e.g. `RVReq t1 s0->s2`. */
  readonly key: (m: M, params: P) => string;
  /** The receiver(s); undefined for a broadcast to every other process, [] for nobody in the spec. */
  readonly to?: (m: M, params: P) => string | readonly string[] | undefined;
  /** The sender (shown with a receive; the send itself is the acting process's). */
  readonly from?: (m: M, params: P) => string;
  /** The process that takes a step of this action with these arguments. */
  readonly actor: (action: string, args: readonly unknown[], params: P) => string;
  /**
   * The messages a step receives that stay in the field (specs whose message set is never
   * shrunk, like TwoPhase and Raft). Messages a step removes from the field are receives
   * without it.
   */
  readonly receives?: (step: StepContext<S, P>) => Iterable<M>;
}

/**
 * `events` for a spec with a message field: a step's sends are the messages it adds (by
 * key, counting repeats), its receives the messages it removes plus those `receives` names;
 * all of them happen on the acting process, receives first. A step that neither sends nor
 * receives is one internal event.
 */
export function messageSetEvents<S, P, M>(o: MessageSetOptions<S, P, M>): StepEvents<S, P> {
  const counted = (s: S, p: P) => {
    const out = new Map<string, { m: M; n: number }>();
    for (const m of o.messages(s, p)) {
      const k = o.key(m, p);
      const e = out.get(k);
      if (e) e.n++;
      else out.set(k, { m, n: 1 });
    }
    return out;
  };
  return {
    processes: o.processes,
    of: (step) => {
      const p = step.params;
      const process = o.actor(step.action, step.args, p);
      const before = counted(step.before, p), after = counted(step.after, p);
      const receive = (m: M): StepEvent => ({ process, kind: "receive", msg: o.key(m, p), ...(o.from ? { from: o.from(m, p) } : {}) });
      const out: StepEvent[] = [];
      for (const [k, { m, n }] of before) for (let i = after.get(k)?.n ?? 0; i < n; i++) out.push(receive(m));
      for (const m of o.receives?.(step) ?? []) out.push(receive(m));
      for (const [k, { m, n }] of after) {
        for (let i = before.get(k)?.n ?? 0; i < n; i++) {
          const to = o.to?.(m, p);
          out.push({ process, kind: "send", msg: k, ...(to !== undefined ? { to } : {}) });
        }
      }
      return out.length ? out : [{ process, kind: "internal" }];
    },
  };
}
