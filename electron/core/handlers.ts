/**
 * The main process's request handlers, free of Electron: the IPC binding (Electron) and the
 * harness host (WebSocket) both serve exactly these. Every handler takes `unknown` arguments and
 * validates them before acting.
 */
import { z } from 'zod';
import { CardinalError } from '../../shared/errors';
import type { AppInfo, RequestName, Requests } from '../../shared/ipc/contract';
import { isExternalUrlAllowed } from '../../shared/urls';
import type { Platform } from '../platform/platform';
import { isDiscoveryInput } from '../dav/discovery';
import type { SyncManager } from '../sync/manager';
import { OpenedFileQueue } from './open-files';
import { CalendarFile } from './calendar-file';
import { ExportFolders } from './export-folder';
import { MAX_PRINT_CARDS, PrintJobs } from './print-jobs';
import { printHtml, printLayoutInSlices, type PrintTextKey } from '../../shared/print';
import { safeBaseName } from '../../shared/export';

const PRINT_TEXT_KEYS = ['name', 'phones', 'emails', 'addresses', 'websites', 'birthday', 'anniversary', 'note', 'none', 'type.cell', 'type.home', 'type.work', 'type.fax', 'type.pager', 'type.other'] as const satisfies readonly PrintTextKey[];

/** What may be printed: a job's cards (sent before, in slices: addPrintCards), the layout's words, nothing else. */
const printRequest = z
  .object({
    action: z.enum(['pdf', 'print']),
    fileName: z.string().max(300),
    layout: z.enum(['phone-list', 'cards']),
    lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag like fa or zh-TW'),
    title: z.string().max(300),
    paper: z.enum(['A4', 'Letter']),
    texts: z.object(Object.fromEntries(PRINT_TEXT_KEYS.map((k) => [k, z.string().max(200)])) as Record<PrintTextKey, z.ZodString>).strict(),
    jobId: z.uuid(),
    count: z.number().int().min(0).max(MAX_PRINT_CARDS),
  })
  .strict();

/** A slice of a print job's cards: at most 2,000 cards (the window sends 1,000) and 64 MB. */
const MAX_SLICE_CARDS = 2000;
const printCards = z
  .array(z.string().max(2_000_000))
  .max(MAX_SLICE_CARDS)
  .refine((cards) => cards.reduce((n, c) => n + c.length, 0) <= 64_000_000, 'at most 64 MB of cards at once');

const calendarRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('state') }).strict(),
  z.object({ action: z.literal('choose'), defaultName: z.string().max(200) }).strict(),
  z.object({ action: z.literal('stop') }).strict(),
  z
    .object({ action: z.literal('write'), text: z.string().max(50_000_000).refine((t) => t.startsWith('BEGIN:VCALENDAR\r\n') && t.trimEnd().endsWith('END:VCALENDAR'), 'an iCalendar text') })
    .strict(),
]);

/** Files for an export folder: .vcf names and vCard text, in batches of at most 1,000 files and 64 MB. */
const MAX_BATCH_FILES = 1000;
const MAX_BATCH_CHARS = 64_000_000;
const folderFiles = z
  .array(
    z
      .object({
        name: z.string().min(1).max(300).regex(/\.vcf$/i, 'a .vcf file name'),
        text: z
          .string()
          .max(20_000_000)
          .refine((t) => /^\uFEFF?BEGIN:VCARD\r?\n/i.test(t) && /END:VCARD\s*$/i.test(t), 'vCard text'),
      })
      .strict(),
  )
  .min(1)
  .max(MAX_BATCH_FILES)
  .refine((files) => files.reduce((n, f) => n + f.text.length, 0) <= MAX_BATCH_CHARS, 'at most 64 MB in one batch');

export type RequestHandlers = {
  [K in RequestName]: (args: readonly unknown[]) => Promise<Requests[K]['result']>;
};

/** Parse the arguments of a request or throw `invalid-argument` naming what is wrong. */
function validate<T>(schema: z.ZodType<T>, args: readonly unknown[], channel: string): T {
  const result = schema.safeParse(args);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` (argument ${issue.path.join('.')})` : '';
    throw new CardinalError('invalid-argument', `${channel}: ${issue?.message ?? 'invalid arguments'}${where}`);
  }
  return result.data;
}

const id = z.string().min(1).max(200);

const schemas = {
  getAppInfo: z.tuple([]),
  openExternal: z.tuple([z.string().max(8192)]),
  discoverCardDav: z.tuple([
    z.object({
      url: z.string().max(2048).refine(isDiscoveryInput, 'give the server address (https://…) or your e-mail address'),
      user: z.string().max(512),
      password: z.string().max(4096),
      allowInsecure: z.boolean(),
    }),
  ]),
  continueDiscovery: z.tuple([id, z.boolean()]),
  forgetDiscovery: z.tuple([id]),
  addCardDavAccount: z.tuple([id, z.array(z.string().max(4096)).min(1).max(500)]),
  listAccounts: z.tuple([]),
  secretStorage: z.tuple([]),
  keepSecretsInMemory: z.tuple([]),
  updateAccount: z.tuple([
    id,
    z
      .object({
        user: z.string().max(512).optional(),
        password: z.string().max(4096).optional(),
        allowInsecure: z.boolean().optional(),
        intervalMinutes: z.number().int().min(0).max(24 * 60).optional(),
        bookUrls: z.array(z.string().max(4096)).min(1).max(500).optional(),
      })
      .strict(),
  ]),
  removeAccount: z.tuple([id]),
  syncNow: z.tuple([id.nullable()]),
  confirmDeletions: z.tuple([id]),
  keepRemoved: z.tuple([id]),
  localChanged: z.tuple([z.string().min(1).max(300)]),
  syncStatuses: z.tuple([]),
  googleSetup: z.tuple([]),
  setGoogleClient: z.tuple([z.string().trim().min(1).max(512).regex(/^[\w.-]+$/, 'a client ID has letters, digits, dots and dashes'), z.string().max(512)]),
  signInGoogle: z.tuple([id.nullable()]),
  cancelGoogleSignIn: z.tuple([]),
  takeOpenedFiles: z.tuple([]),
  addSharedContacts: z.tuple([z.string().trim().min(3).max(253).regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'give the Workspace domain, like example.com')]),
  loadPhoto: z.tuple([z.string().min(1).max(300), z.string().max(4096).regex(/^https?:\/\//i, 'a photo URI is http(s)')]),
  addPrintCards: z.tuple([z.uuid().nullable(), printCards]),
  printContacts: z.tuple([printRequest]),
  calendarFile: z.tuple([calendarRequest]),
  chooseExportFolder: z.tuple([z.string().max(200)]),
  writeExportFiles: z.tuple([z.uuid(), folderFiles]),
} satisfies Record<RequestName, z.ZodType>;

export function createRequestHandlers(platform: Platform, sync: SyncManager, opened: OpenedFileQueue = new OpenedFileQueue(() => {})): RequestHandlers {
  const calendar = new CalendarFile(platform);
  const folders = new ExportFolders(platform);
  const printJobs = new PrintJobs();
  return {
    chooseExportFolder: async (args) => {
      const [title] = validate(schemas.chooseExportFolder, args, 'chooseExportFolder');
      return folders.choose(title);
    },
    writeExportFiles: async (args) => {
      const [folderId, files] = validate(schemas.writeExportFiles, args, 'writeExportFiles');
      return folders.write(folderId, files);
    },
    addPrintCards: async (args) => {
      const [jobId, cards] = validate(schemas.addPrintCards, args, 'addPrintCards');
      if (platform.shell !== 'electron') throw new CardinalError('unsupported', 'addPrintCards: the harness prints with window.print');
      return printJobs.add(jobId, cards);
    },
    printContacts: async (args) => {
      const [r] = validate(schemas.printContacts, args, 'printContacts');
      if (platform.shell !== 'electron') throw new CardinalError('unsupported', 'printContacts: the harness prints with window.print');
      const vcards = printJobs.take(r.jobId, r.count);
      // The layout is made here from the cards: the page never hands over HTML to print. In slices,
      // so the main process keeps answering (menus, other requests) while 50,000 cards are laid out.
      const doc = await printLayoutInSlices(vcards, { layout: r.layout, lang: r.lang, title: r.title, paper: r.paper, text: (k) => r.texts[k] }, () => new Promise((resolve) => setImmediate(resolve)));
      return platform.printDocument(printHtml(doc), { action: r.action, fileName: `${safeBaseName(r.fileName.replace(/\.pdf$/i, ''), 'Contacts')}.pdf`, title: r.title });
    },
    calendarFile: async (args) => {
      const [r] = validate(schemas.calendarFile, args, 'calendarFile');
      return calendar.handle(r);
    },
    getAppInfo: async (args): Promise<AppInfo> => {
      validate(schemas.getAppInfo, args, 'getAppInfo');
      return {
        name: 'Cardinal',
        version: platform.appVersion(),
        shell: platform.shell,
        platform: process.platform,
        locale: platform.locale(),
      };
    },
    openExternal: async (args) => {
      const [url] = validate(schemas.openExternal, args, 'openExternal');
      if (!isExternalUrlAllowed(url)) {
        throw new CardinalError('invalid-argument', 'openExternal: only http(s), mailto and tel links can be opened');
      }
      await platform.openExternal(url);
    },
    discoverCardDav: async (args) => {
      const [account] = validate(schemas.discoverCardDav, args, 'discoverCardDav');
      return sync.discover(account);
    },
    continueDiscovery: async (args) => {
      const [discoveryId, allow] = validate(schemas.continueDiscovery, args, 'continueDiscovery');
      return sync.continueDiscovery(discoveryId, allow);
    },
    forgetDiscovery: async (args) => {
      const [discoveryId] = validate(schemas.forgetDiscovery, args, 'forgetDiscovery');
      sync.forgetDiscovery(discoveryId);
    },
    addCardDavAccount: async (args) => {
      const [discoveryId, bookUrls] = validate(schemas.addCardDavAccount, args, 'addCardDavAccount');
      return sync.add(discoveryId, bookUrls);
    },
    updateAccount: async (args) => {
      const [accountId, changes] = validate(schemas.updateAccount, args, 'updateAccount');
      return sync.update(accountId, changes);
    },
    confirmDeletions: async (args) => {
      const [accountId] = validate(schemas.confirmDeletions, args, 'confirmDeletions');
      return sync.confirmDeletions(accountId);
    },
    keepRemoved: async (args) => {
      const [accountId] = validate(schemas.keepRemoved, args, 'keepRemoved');
      return sync.keepRemoved(accountId);
    },
    localChanged: async (args) => {
      const [bookId] = validate(schemas.localChanged, args, 'localChanged');
      sync.localChanged(bookId);
    },
    syncStatuses: async (args) => {
      validate(schemas.syncStatuses, args, 'syncStatuses');
      return sync.statuses();
    },
    listAccounts: async (args) => {
      validate(schemas.listAccounts, args, 'listAccounts');
      return sync.accounts.list();
    },
    secretStorage: async (args) => {
      validate(schemas.secretStorage, args, 'secretStorage');
      return sync.accounts.secretStorage();
    },
    keepSecretsInMemory: async (args) => {
      validate(schemas.keepSecretsInMemory, args, 'keepSecretsInMemory');
      sync.accounts.keepSecretsInMemory();
      return sync.accounts.secretStorage();
    },
    removeAccount: async (args) => {
      const [id] = validate(schemas.removeAccount, args, 'removeAccount');
      await sync.remove(id);
    },
    googleSetup: async (args) => {
      validate(schemas.googleSetup, args, 'googleSetup');
      return sync.googleSetup();
    },
    setGoogleClient: async (args) => {
      const [clientId, clientSecret] = validate(schemas.setGoogleClient, args, 'setGoogleClient');
      return sync.setGoogleClient(clientId, clientSecret);
    },
    signInGoogle: async (args) => {
      const [accountId] = validate(schemas.signInGoogle, args, 'signInGoogle');
      return sync.signInGoogle(accountId);
    },
    cancelGoogleSignIn: async (args) => {
      validate(schemas.cancelGoogleSignIn, args, 'cancelGoogleSignIn');
      sync.cancelGoogleSignIn();
    },
    takeOpenedFiles: async (args) => {
      validate(schemas.takeOpenedFiles, args, 'takeOpenedFiles');
      return opened.take();
    },
    addSharedContacts: async (args) => {
      const [domain] = validate(schemas.addSharedContacts, args, 'addSharedContacts');
      return sync.addSharedContacts(domain);
    },
    loadPhoto: async (args) => {
      const [bookId, uri] = validate(schemas.loadPhoto, args, 'loadPhoto');
      return sync.loadPhoto(bookId, uri);
    },
    syncNow: async (args) => {
      const [id] = validate(schemas.syncNow, args, 'syncNow');
      return id === null ? sync.syncAll() : [await sync.syncNow(id)];
    },
  };
}

export const REQUEST_NAMES = Object.keys(schemas) as RequestName[];
