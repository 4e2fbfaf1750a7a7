import fc from "fast-check";

/**
 * Trace lines for the reader tests (fast-paths, read-thread): the first four well-formed and
 * drawn most often, so that files repeat lines; then bad ones (a number beyond 2^53, a list
 * expected, an operation that is no list, cut JSON, not an object, blank, a BOM).
 */
export const LINE_POOL: readonly string[] = [
  '{"event": "RMPrepare", "event_args": ["rm-0"], "rmState": [{"op": "Update", "path": ["rm-0"], "args": ["prepared"]}]}',
  '{"tmPrepared": [{"op": "AddElement", "path": [], "args": ["rm-0"]}], "event": "TMRcvPrepared"}',
  '{"event": "RMRcvAbortMsg", "event_args": ["rm-2"], "note": "é ☃ 𝄞"}',
  '{"event": "TMAbort", "__proto__": {"x": 1}}',
  '{"event": "RMPrepare", "event_args": [9007199254740993]}',
  '{"event": "RMPrepare", "event_args": "rm-0"}',
  '{"tmState": {"op": "Update"}}',
  '{"event": ',
  "[1, 2]",
  "   ",
  "",
  "\uFEFF{}",
];

/** Well-formed lines with stamps the TwoPhase mapping does not read, and a repeated stamp. */
export const STAMPED_LINES: readonly string[] = [
  '{"tmPrepared": [{"op": "AddElement", "path": [], "args": ["rm-0"]}], "event": "TMRcvPrepared", "seq": 1}',
  '{"seq": 2, "tmPrepared": [{"op": "AddElement", "path": [], "args": ["rm-0"]}], "event": "TMRcvPrepared"}',
  '{"event": "RMRcvAbortMsg", "event_args": ["rm-2"], "note": "é ☃ 𝄞", "ts": "2026"}',
  '{"event": "RMPrepare", "event_args": "rm-0", "seq": 3}',
  '{"event": "TMAbort", "seq": 1, "seq": 2}',
];

/**
 * The bytes of a random trace file: lines of `pool` (its first four drawn most often, so that
 * lines repeat), LF or CRLF line ends, sometimes a BOM, sometimes a bad UTF-8 pair anywhere.
 */
export function traceFileBytes(pool: readonly string[], maxLines: number): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pool.slice(0, 4)) }, fc.constantFrom(...pool)), { maxLength: maxLines }), fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.option(fc.nat(), { freq: 3 }))
    .map(([lines, eol, bom, bad]) => {
      const bytes = Buffer.from((bom ? "\uFEFF" : "") + lines.join(eol) + eol);
      if (bad === null || bytes.length === 0) return bytes;
      const at = bad % bytes.length;
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28]), bytes.subarray(at)]);
    });
}
