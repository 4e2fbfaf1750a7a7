/**
 * Writes a report through a temporary file and a rename, so that a failed run never leaves
 * a half-written file behind.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";

export function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
