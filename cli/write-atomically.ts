/**
 * Writes a report through a temporary file and a rename, so that a failed run never leaves
 * a half-written file behind. The temporary file is created in the target's directory with
 * an unpredictable name and O_EXCL ("wx"), so a planted file or symlink is never followed
 * or overwritten. A target that is a device or a pipe (`/dev/stdout`, `/dev/null`, a FIFO) is
 * written through instead (see specialFile): a rename would replace it with a regular file
 * (as root, even in /dev). A failure is a WriteError with one line saying why (the CLI exits 2).
 */
import { closeSync, constants, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";

export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot write ${path || "\"\""}: ${code === "ENOENT" ? "its directory does not exist" : code}`);
    this.name = "WriteError";
  }
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? String((e as Error)?.message ?? e);
}

export function writeAtomically(path: string, content: string): void {
  if (path === "") throw new WriteError(path, "an empty file name");
  const special = specialFile(path);
  if (special) return writeThrough(path, content, special === "link");
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
    writeAll(fd, content);
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

/**
 * Whether `path` is a character device, a pipe or a socket: itself, or through a link in
 * /dev (`/dev/stdout`; only root can plant one there). A link elsewhere is replaced, never
 * followed; a block device is refused.
 */
function specialFile(path: string): "itself" | "link" | undefined {
  let own, st;
  try {
    own = lstatSync(path, { throwIfNoEntry: false });
    st = own?.isSymbolicLink() && resolve(path).startsWith("/dev/") ? statSync(path, { throwIfNoEntry: false }) : own;
  } catch {
    return undefined; // Not there to be read (ENOTDIR, EACCES, a link loop): the rename says why.
  }
  const link = st !== own;
  if (st?.isBlockDevice()) throw new WriteError(path, "a block device");
  return st !== undefined && (st.isCharacterDevice() || st.isFIFO() || st.isSocket()) ? (link ? "link" : "itself") : undefined;
}

function writeAll(fd: number, content: string): void {
  const bytes = Buffer.from(content, "utf8");
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function writeThrough(path: string, content: string, followLink: boolean): void {
  let fd = -1;
  try {
    // Not following a link that appeared since the check.
    fd = openSync(path, constants.O_WRONLY | (followLink ? 0 : constants.O_NOFOLLOW));
    writeAll(fd, content);
  } catch (e) {
    throw new WriteError(path, codeOf(e));
  } finally {
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {
        // The write's own error, if any, says why.
      }
    }
  }
}
