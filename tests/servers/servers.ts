/**
 * The real CardDAV servers the tests run against, each from Debian's packages on 127.0.0.1 with
 * its own data (started by the tests, never the system's): Radicale, Xandikos, SabreDAV and
 * DAViCal. Every engine scenario runs on all four (`SERVERS`). Start one per test file and take a
 * fresh address book per test (`newBook`): starting DAViCal or SabreDAV per test would cost more
 * than the tests.
 */
import { startDavical } from './davical';
import { startRadicale } from './radicale';
import { startSabreDav } from './sabredav';
import { startXandikos } from './xandikos';

export type ServerName = 'radicale' | 'xandikos' | 'sabredav' | 'davical';

export interface TestServer {
  name: ServerName;
  /** Where discovery starts. */
  baseUrl: string;
  /** The address book made at start. */
  addressBookUrl: string;
  user: string;
  /** '' where the server takes no authentication (Xandikos here). */
  password: string;
  /** A new, empty address book of the same user: its URL. */
  newBook(): Promise<string>;
  stop(): Promise<void>;
  /** Stop the server, keeping its data and port (a server that goes away mid-sync). */
  pause(): Promise<void>;
  /** Start it again after `pause`. */
  resume(): Promise<void>;
  /**
   * Kill it hard, whatever it is doing (SIGKILL to its process tree: `restartHard`), wait until its
   * port is closed, and start it again on the same data and port, answering. For a server still at
   * work on a request whose client was stopped, which `pause` would wait for.
   */
  restart(): Promise<void>;
  /** Put cards in place (in `book`, else the first), as another client or faster than PUTs. */
  seed(cards: readonly { file: string; vcard: string }[], book?: string): Promise<void>;
}

export { startDavical, startRadicale, startSabreDav, startXandikos };

export const SERVERS = [
  ['radicale', startRadicale],
  ['xandikos', startXandikos],
  ['sabredav', startSabreDav],
  ['davical', startDavical],
] as const;
