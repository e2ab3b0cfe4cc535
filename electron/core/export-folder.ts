/**
 * One file per contact, written by main into a folder the user chose (Electron): the window asks
 * for a folder once (`chooseExportFolder`), gets a handle, and hands the files over in batches
 * (`writeExportFiles`). The window never names a path. Each name is made safe here whatever the
 * window sent (`safeBaseName`: no separators, no leading dots so no `..`, no Windows device names,
 * at most 100 UTF-8 bytes, no trailing dots or spaces), unique case-insensitively within the
 * export, and created with O_EXCL: a file already there, or a symlink (to anywhere), is never
 * written through or replaced; the next free name " (2)", " (3)"… is taken instead. The folder
 * itself must still be the directory chosen (its real path unchanged: not swapped for a symlink
 * that leads elsewhere). Only vCard text is written, only as .vcf.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CardinalError } from '../../shared/errors';
import { FileNamer } from '../../shared/export';
import type { ExportFolder, FolderFile, WrittenFiles } from '../../shared/ipc/contract';
import type { Platform } from '../platform/platform';

/** A folder is forgotten this long after its last use (an export of 50,000 files writes all the while). */
export const FOLDER_IDLE_MS = 30 * 60_000;
/** Folders remembered at once; the oldest goes first. */
const MAX_FOLDERS = 4;
/** How many names to try before giving up on one file (a folder full of "Ann (n).vcf"). */
const MAX_TRIES = 10_000;

// Create only, never open what exists; on POSIX also never follow a symlink in the last part.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

interface Session {
  readonly chosen: string;
  /** The folder's real path when chosen: every write checks it is still that. */
  readonly real: string;
  readonly namer: FileNamer;
  used: number;
}

export class ExportFolders {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly platform: Platform,
    private readonly now: () => number = Date.now,
  ) {}

  private get available(): boolean {
    return this.platform.shell === 'electron';
  }

  async choose(title: string): Promise<ExportFolder | null> {
    if (!this.available) throw new CardinalError('unsupported', 'the harness saves one file per contact as downloads');
    const chosen = await this.platform.showFolderDialog({ title });
    if (chosen === null) return null;
    const real = await realpath(chosen).catch(() => null);
    if (real === null || !(await lstat(real)).isDirectory()) throw new CardinalError('invalid-argument', 'chooseExportFolder: that is not a folder');
    this.forgetIdle();
    while (this.sessions.size >= MAX_FOLDERS) this.sessions.delete(this.sessions.keys().next().value!);
    const folderId = randomUUID();
    this.sessions.set(folderId, { chosen, real, namer: new FileNamer('.vcf'), used: this.now() });
    return { folderId, path: chosen };
  }

  async write(folderId: string, files: readonly FolderFile[]): Promise<WrittenFiles> {
    if (!this.available) throw new CardinalError('unsupported', 'the harness saves one file per contact as downloads');
    this.forgetIdle();
    const session = this.sessions.get(folderId);
    if (session === undefined) throw new CardinalError('not-found', 'writeExportFiles: no such export folder (choose it again)');
    session.used = this.now();
    // Still the folder the user chose: not removed, not replaced by a symlink leading elsewhere.
    const real = await realpath(session.chosen).catch(() => null);
    if (real !== session.real || !(await lstat(real)).isDirectory()) {
      this.sessions.delete(folderId);
      throw new CardinalError('invalid-argument', 'writeExportFiles: the chosen folder has changed; choose it again');
    }
    const names: string[] = [];
    for (const file of files) names.push(await this.writeOne(session, file));
    return { names };
  }

  private async writeOne(session: Session, file: FolderFile): Promise<string> {
    const base = file.name.replace(/\.vcf$/i, '');
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const name = session.namer.next(base, 'contact');
      const target = join(session.real, name);
      // safeBaseName leaves no separator or dot segment; this is the last word on it.
      if (dirname(target) !== session.real) throw new CardinalError('invalid-argument', 'writeExportFiles: a file name leads out of the folder');
      try {
        await writeFile(target, file.text, { encoding: 'utf8', flag: CREATE_NEW, mode: 0o644 });
        return name;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Taken (a file, a folder, a symlink, dangling or not): try the next name; ELOOP is O_NOFOLLOW's answer to a symlink.
        if (code === 'EEXIST' || code === 'ELOOP' || code === 'EISDIR') continue;
        throw new CardinalError('internal', `writeExportFiles: ${name} could not be written (${code ?? 'error'})`);
      }
    }
    throw new CardinalError('internal', 'writeExportFiles: no free file name');
  }

  private forgetIdle(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (now - s.used > FOLDER_IDLE_MS) this.sessions.delete(id);
  }
}
