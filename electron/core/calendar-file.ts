/**
 * The birthdays calendar kept in an .ics file on disk, for calendar apps to subscribe to: the user
 * picks the file once (a save dialog, Electron only), the path is remembered in the user folder,
 * and the window writes the calendar there whenever its contacts change. Only calendar text is
 * written, and only to the file the user chose; a write replaces the file whole (a temporary file
 * renamed over it), so a calendar app never reads half a file.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardinalError } from '../../shared/errors';
import type { CalendarFileRequest, CalendarFileState } from '../../shared/ipc/contract';
import type { Platform } from '../platform/platform';

const CONFIG = 'calendar-file.json';

export class CalendarFile {
  constructor(private readonly platform: Platform) {}

  private get config(): string {
    return join(this.platform.userDataDir(), CONFIG);
  }

  private get available(): boolean {
    return this.platform.shell === 'electron';
  }

  private path(): string | null {
    try {
      const saved = JSON.parse(readFileSync(this.config, 'utf8')) as { path?: unknown };
      return typeof saved.path === 'string' && saved.path !== '' ? saved.path : null;
    } catch {
      return null;
    }
  }

  private state(): CalendarFileState {
    return { path: this.available ? this.path() : null, available: this.available };
  }

  async handle(request: CalendarFileRequest): Promise<CalendarFileState> {
    if (request.action === 'state') return this.state();
    if (!this.available) throw new CardinalError('unsupported', 'a calendar file kept up to date needs the desktop app');
    if (request.action === 'stop') {
      rmSync(this.config, { force: true });
      return this.state();
    }
    if (request.action === 'choose') {
      const chosen = await this.platform.showSaveDialog({ title: 'Birthdays calendar', defaultName: request.defaultName, filters: [{ name: 'iCalendar', extensions: ['ics'] }] });
      if (chosen === null) return this.state();
      writeFileSync(this.config, JSON.stringify({ path: chosen }), { mode: 0o600 });
      return this.state();
    }
    const path = this.path();
    if (path === null) throw new CardinalError('not-configured', 'no calendar file has been chosen');
    const temp = `${path}.cardinal-tmp`;
    writeFileSync(temp, request.text, 'utf8');
    renameSync(temp, path);
    if (!existsSync(path)) throw new CardinalError('internal', 'the calendar file could not be written');
    return this.state();
  }
}
