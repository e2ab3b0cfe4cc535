/**
 * The IPC contract: one declaration, used by the main process (electron/ipc, the harness host),
 * the preload and the harness bridge. Types only.
 *
 * - `Requests`: renderer → main, request/response. The key is the channel and the method name.
 * - `Events`: main → renderer pushes.
 * - `StoreRequests`: main → renderer requests answered by the renderer's store (Dexie); the sync
 *   engine asks through these for what it needs and hands results back.
 */
import type { LabelCardRef, LabelsApplied, LabelSnapshot, LabelSyncWrite } from '../groups/labels';
import type { Reply } from '../errors';
import type { PrintTextKey } from '../print';
import type { AccountChanges, AccountInfo, Discovery, GoogleSetup, LocalCard, MergeConflict, RemoteBatch, RemoteCard, SecretStorage, SentCreate, SyncState, SyncStatus } from '../sync/types';

export type ShellKind = 'electron' | 'harness';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly shell: ShellKind;
  /** `process.platform` of the main process. */
  readonly platform: string;
  /** The operating system's preferred UI language (BCP 47). */
  readonly locale: string;
}

export interface NewCardDavAccount {
  /** A server URL, an e-mail address, or a domain (RFC 6764 discovery). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** The user explicitly allowed plain http to a host that is not this machine. */
  readonly allowInsecure: boolean;
}

export interface Requests {
  getAppInfo: { args: []; result: AppInfo };
  /** Hand a URL to the operating system; only http(s), mailto and tel are accepted. */
  openExternal: { args: [url: string]; result: void };
  /** Find the server's address books; the password stays in the main process from here on. */
  discoverCardDav: { args: [account: NewCardDavAccount]; result: Discovery };
  /** The user's answer to a discovery's `move`: go to that origin (the password with it) or not; discovery goes on. */
  continueDiscovery: { args: [discoveryId: string, allow: boolean]; result: Discovery };
  /** The dialog closed: forget the discovery and the password it holds now, not in 15 minutes. */
  forgetDiscovery: { args: [discoveryId: string]; result: void };
  /** Store the account (password encrypted) with the books the user picked, and sync it. */
  addCardDavAccount: { args: [discoveryId: string, bookUrls: readonly string[]]; result: AccountInfo };
  listAccounts: { args: []; result: AccountInfo[] };
  /** Whether passwords and tokens can be sealed by the OS keyring (Linux may have none). */
  secretStorage: { args: []; result: SecretStorage };
  /** No keyring: the user chose to have secrets remembered in memory until Cardinal quits. */
  keepSecretsInMemory: { args: []; result: SecretStorage };
  /** Change the user, password, http choice, interval or synced books of an account. */
  updateAccount: { args: [accountId: string, changes: AccountChanges]; result: AccountInfo };
  /** Forget an account; its local copies go too (the local book is never touched). */
  removeAccount: { args: [accountId: string]; result: void };
  /** Sync now (all accounts, or one); callers share a run already under way. */
  syncNow: { args: [accountId: string | null]; result: SyncStatus[] };
  /** The user agreed to the deletions a sync stopped for: run it again, letting them through. */
  confirmDeletions: { args: [accountId: string]; result: SyncStatus };
  keepRemoved: { args: [accountId: string]; result: SyncStatus };
  /** A contact in this book changed here: sync its account soon (debounced). */
  localChanged: { args: [bookId: string]; result: void };
  /** The latest status of every account (a window that just opened asks). */
  syncStatuses: { args: []; result: SyncStatus[] };
  /** Whether Google sign-in is set up, and with whose OAuth client. */
  googleSetup: { args: []; result: GoogleSetup };
  /** Save the user's own Google OAuth client ("Desktop app" client ID and secret). */
  setGoogleClient: { args: [clientId: string, clientSecret: string]; result: GoogleSetup };
  /** Sign in with Google in the system browser: a new account (null), or an account again. Resolves
   * when the browser has come back. */
  signInGoogle: { args: [accountId: string | null]; result: AccountInfo };
  /** Stop waiting for the browser. */
  cancelGoogleSignIn: { args: []; result: void };
  /** `.vcf` files the OS handed over before the window could take them (then they are pushed). */
  takeOpenedFiles: { args: []; result: OpenedFile[] };
  /** Add a Workspace domain's shared contacts (a Google sign-in with the shared-contacts scope). */
  addSharedContacts: { args: [domain: string]; result: AccountInfo };
  /** A contact's photo given as an http(s) URI, fetched by the main process (credentials only to the
   * address book's own origin), as a data: URI; null when it cannot be had. */
  loadPhoto: { args: [bookId: string, uri: string]; result: string | null };
  /** The cards of a print job (Electron), a slice of at most 2,000 at a time: null opens a job;
   * the job's id comes back (50,000 cards in one message would be 30 MB cloned in one task). */
  addPrintCards: { args: [jobId: string | null, vcards: readonly string[]]; result: string };
  /** Print a job's contacts (Electron): the main process lays them out (shared/print) in a window
   * of its own with no script, then shows the print dialog or saves a PDF where the user says. */
  printContacts: { args: [request: PrintRequest]; result: PrintOutcome };
  /** Keep the birthdays calendar in an .ics file (Electron): `choose` asks where (a save dialog)
   * and remembers it; `stop` forgets it; `write` writes the text there. */
  calendarFile: { args: [request: CalendarFileRequest]; result: CalendarFileState };
  /** One file per contact (Electron): ask for a folder once (a folder dialog). Null when cancelled.
   * The page gets a handle to the folder, never a path it could name itself. */
  chooseExportFolder: { args: [title: string]; result: ExportFolder | null };
  /** Write vCard files into a folder chosen with `chooseExportFolder`, in batches: main makes each
   * name safe and unique (never replacing a file there) and writes nothing outside that folder. */
  writeExportFiles: { args: [folderId: string, files: readonly FolderFile[]]; result: WrittenFiles };
}

/** A folder the user chose for an export; `path` is for telling them where the files went. */
export interface ExportFolder {
  readonly folderId: string;
  readonly path: string;
}

/** A file to write into an export folder: a .vcf name (main makes it safe) and its vCard text. */
export interface FolderFile {
  readonly name: string;
  readonly text: string;
}

/** The names the files were written under, in order (a name taken there gets " (2)"). */
export interface WrittenFiles {
  readonly names: readonly string[];
}

/** What to print: the cards and the words of the layout in the UI language. */
export interface PrintRequest {
  readonly action: 'pdf' | 'print';
  /** The PDF's proposed file name. */
  readonly fileName: string;
  readonly layout: 'phone-list' | 'cards';
  readonly lang: string;
  readonly title: string;
  readonly paper: 'A4' | 'Letter';
  readonly texts: Readonly<Record<PrintTextKey, string>>;
  /** The job its cards were sent in (`addPrintCards`), and how many were sent: main prints only a whole job. */
  readonly jobId: string;
  readonly count: number;
}

export type PrintOutcome = 'printed' | 'saved' | 'cancelled';

export type CalendarFileRequest = { readonly action: 'state' } | { readonly action: 'choose'; readonly defaultName: string } | { readonly action: 'stop' } | { readonly action: 'write'; readonly text: string };

export interface CalendarFileState {
  /** Where the calendar is kept, or null. */
  readonly path: string | null;
  /** Whether this shell can keep one (the harness cannot). */
  readonly available: boolean;
}

/** A file the operating system asked us to open (a `.vcf` double-clicked or dropped on the icon). */
export interface OpenedFile {
  readonly name: string;
  readonly text: string;
}

/** A menu command the window carries out (the rest run in main). */
/** `save-and-close`: the user chose Save when closing the window with an unsaved edit. */
export type MenuCommand = 'new-contact' | 'find' | 'settings' | 'save-and-close';

export interface Events {
  openFiles: readonly OpenedFile[];
  syncStatus: SyncStatus;
  menu: MenuCommand;
}

export interface StoreStats {
  readonly contacts: number;
}

export interface StoreRequests {
  /** How many contacts the renderer's store holds; also the main process's liveness check. */
  getStoreStats: { args: []; result: StoreStats };
  /** Create (or rename) the local book that mirrors a server address book. */
  ensureBook: { args: [bookId: string, name: string]; result: void };
  /** Remove a synced book and its contacts. */
  removeBook: { args: [bookId: string]; result: void };
  syncState: { args: [bookId: string]; result: SyncState };
  /** The offline queue; cards the server refused are left out until they change, unless `retryRefused`. */
  pendingCards: { args: [bookId: string, retryRefused?: boolean]; result: LocalCard[] };
  knownEtags: { args: [bookId: string]; result: [href: string, etag: string][] };
  /** Whether `knownEtags` would answer any card (one key read). */
  hasServerCards: { args: [bookId: string]; result: boolean };
  /** `knownEtags` for these hrefs only (those of them here), by the etags table's [bookId+href]
   * index in one transaction: what a download whose answer names only removals asks. */
  etagsOf: { args: [bookId: string, hrefs: readonly string[]]; result: [href: string, etag: string][] };
  /** Answers the hrefs of server cards it could not read: not applied (what was here stays), and
   * reported; the others are applied. */
  applyRemote: { args: [bookId: string, batch: RemoteBatch]; result: string[] };
  /** These creates and edits are about to be sent: mark them with the text sent, so a lost answer is
   * recognised next time. Answers the ids no longer here (deleted outright since the engine read
   * them): those are not sent. */
  attemptingUpload: { args: [bookId: string, sent: readonly SentCreate[]]; result: string[] };
  /** `revision`: the row's revision the engine sent (each of these leaves a newer local write alone). */
  uploaded: { args: [bookId: string, id: string, remote: RemoteCard, revision: number]; result: void };
  deletedRemote: { args: [bookId: string, id: string, revision: number]; result: void };
  /** A deletion the server refused (412: the card changed there): the server's version comes back, visible. */
  restoredRemote: { args: [bookId: string, id: string, remote: RemoteCard, revision: number]; result: void };
  failedUpload: { args: [bookId: string, id: string, message: string, revision: number]; result: void };
  conflicted: { args: [bookId: string, id: string, merged: string, remote: RemoteCard, conflicts: readonly MergeConflict[], revision: number]; result: void };
  /** The server moved the address book: hrefs under `fromPath` now live under `toPath`; the next
   * sync is a full one that reuses what is here by ETag. */
  rebaseBook: { args: [bookId: string, fromPath: string, toPath: string]; result: void };
  /** A Google book's labels, favourites, people links and labels-sync state (electron/people). */
  labelsRead: { args: [bookId: string]; result: LabelSnapshot };
  labelCards: { args: [bookId: string]; result: LabelCardRef[] };
  /**
   * `labelsRead` and `labelCards` from one read of the book's rows (what a labels sync asks
   * first), with the store's count of row and labels writes (`written`, '' before any). Given the
   * count it last saw (`known`) and still the count now, the store reads nothing: `unchanged`.
   */
  labelsReadWithCards: { args: [bookId: string, known?: string]; result: { written: string; snapshot: LabelSnapshot; cards: LabelCardRef[] } | { written: string; unchanged: true } };
  labelVcards: { args: [bookId: string, ids: readonly string[]]; result: [id: string, vcard: string][] };
  /** One transaction through `applyLabelSync`, so the user's edits made meanwhile stay. */
  /**
   * With `known` the count the sync read and still the count when the write began, `followed`
   * says so and names the favourites it changed, the count after it in `written`: what the sync
   * read, with this write applied, is what is stored.
   */
  labelsApply: { args: [bookId: string, write: LabelSyncWrite, known?: string]; result: LabelsApplied };
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type StoreRequestName = keyof StoreRequests;

/** What the renderer sees as `window.cardinal`: named methods, never a generic invoke. */
export interface CardinalApi {
  getAppInfo(): Promise<AppInfo>;
  openExternal(url: string): Promise<void>;
  discoverCardDav(account: NewCardDavAccount): Promise<Discovery>;
  continueDiscovery(discoveryId: string, allow: boolean): Promise<Discovery>;
  forgetDiscovery(discoveryId: string): Promise<void>;
  addCardDavAccount(discoveryId: string, bookUrls: readonly string[]): Promise<AccountInfo>;
  listAccounts(): Promise<AccountInfo[]>;
  secretStorage(): Promise<SecretStorage>;
  keepSecretsInMemory(): Promise<SecretStorage>;
  updateAccount(accountId: string, changes: AccountChanges): Promise<AccountInfo>;
  removeAccount(accountId: string): Promise<void>;
  syncNow(accountId: string | null): Promise<SyncStatus[]>;
  confirmDeletions(accountId: string): Promise<SyncStatus>;
  /** "Keep them": the contacts a mass deletion would remove stay here and are put back on the server. */
  keepRemoved(accountId: string): Promise<SyncStatus>;
  localChanged(bookId: string): Promise<void>;
  syncStatuses(): Promise<SyncStatus[]>;
  googleSetup(): Promise<GoogleSetup>;
  setGoogleClient(clientId: string, clientSecret: string): Promise<GoogleSetup>;
  signInGoogle(accountId: string | null): Promise<AccountInfo>;
  cancelGoogleSignIn(): Promise<void>;
  addSharedContacts(domain: string): Promise<AccountInfo>;
  takeOpenedFiles(): Promise<OpenedFile[]>;
  loadPhoto(bookId: string, uri: string): Promise<string | null>;
  addPrintCards(jobId: string | null, vcards: readonly string[]): Promise<string>;
  printContacts(request: PrintRequest): Promise<PrintOutcome>;
  calendarFile(request: CalendarFileRequest): Promise<CalendarFileState>;
  chooseExportFolder(title: string): Promise<ExportFolder | null>;
  writeExportFiles(folderId: string, files: readonly FolderFile[]): Promise<WrittenFiles>;
  onOpenFiles(listener: (files: Events['openFiles']) => void): () => void;
  onSyncStatus(listener: (status: SyncStatus) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Register the renderer's answers to the main process's store requests (once, at start). */
  serveStore(handlers: StoreHandlers): void;
  /**
   * Told when the process that plays main goes away (false) and comes back (true). Only the
   * browser harness's host can go while the window stays (requests then fail with `unavailable`,
   * cause `host-gone`); an Electron window closes with its main process, so there it is never called.
   * `stale`: the host answers but was started again with another key, so this page never gets in.
   */
  onHostConnection(listener: (connected: boolean, stale?: boolean) => void): () => void;
}

export type StoreHandlers = {
  [K in StoreRequestName]: (...args: StoreRequests[K]['args']) => Promise<StoreRequests[K]['result']>;
};

/** A transport carries the contract; the preload and the harness bridge each provide one. */
export interface Transport {
  invoke(channel: RequestName, args: readonly unknown[]): Promise<Reply<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  serve(handler: (name: StoreRequestName, args: readonly unknown[]) => Promise<Reply<unknown>>): void;
  /** Only where the other side can go while the page stays (the harness bridge). */
  onConnection?(listener: (connected: boolean, stale?: boolean) => void): () => void;
}
