/**
 * Writes a report through a temporary file and a rename, so that a failed run never leaves
 * a half-written file behind. The temporary file is created in the target's directory with
 * an unpredictable name and O_EXCL ("wx"), so a planted file or symlink is never followed
 * or overwritten. A failure is a WriteError with one line saying why (the CLI exits 2).
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot write ${path}: ${code === "ENOENT" ? "its directory does not exist" : code}`);
    this.name = "WriteError";
  }
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? String((e as Error)?.message ?? e);
}

export function writeAtomically(path: string, content: string): void {
  const dir = dirname(path);
  let tmp = "";
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    tmp = join(dir, `.${basename(path)}.${randomBytes(12).toString("hex")}.tmp`);
    try {
      fd = openSync(tmp, "wx", 0o644);
    } catch (e) {
      if (codeOf(e) === "EEXIST" && attempt < 5) continue;
      throw new WriteError(path, codeOf(e));
    }
  }
  try {
    const bytes = Buffer.from(content, "utf8");
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
  } catch (e) {
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {
        // Already failing; the original error says why.
      }
    }
    rmSync(tmp, { force: true });
    throw new WriteError(path, codeOf(e));
  }
}
