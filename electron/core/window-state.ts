/**
 * The window's size and position, remembered between runs, and put back only where a display can
 * show it (a monitor unplugged since must not leave the window off screen).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW: WindowState = { width: 1200, height: 800, maximized: false };

export function loadWindowState(file: string): WindowState {
  try {
    if (!existsSync(file)) return DEFAULT_WINDOW;
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
    const width = num(s.width);
    const height = num(s.height);
    if (width === undefined || height === undefined) return DEFAULT_WINDOW;
    return { x: num(s.x), y: num(s.y), width: Math.max(720, Math.min(width, 10_000)), height: Math.max(480, Math.min(height, 10_000)), maximized: s.maximized === true };
  } catch {
    return DEFAULT_WINDOW;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

/**
 * The saved state if at least a title bar's worth of it (100×50 px from its top-left corner) is on
 * one of the displays' work areas; else the same size, centred by the OS (no position), shrunk to
 * fit the first display.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const visible = (a: Rect) =>
    state.x !== undefined && state.y !== undefined && state.x + 100 > a.x && state.x < a.x + a.width - 100 && state.y >= a.y - 10 && state.y < a.y + a.height - 50;
  if (workAreas.some(visible)) return state;
  const first = workAreas[0];
  return {
    width: first === undefined ? state.width : Math.min(state.width, first.width),
    height: first === undefined ? state.height : Math.min(state.height, first.height),
    maximized: state.maximized,
  };
}
