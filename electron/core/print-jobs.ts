/**
 * The cards of a print job, handed to main in slices (`addPrintCards`) before `printContacts`
 * lays them out: 50,000 cards (30 MB) in one IPC message would be one structured clone of that
 * size on the window's thread and on main's. The first slice opens a job and gets its id (made
 * here: the window cannot name a job it was not given); `printContacts` takes the job whole, and
 * only when it holds the count the window says it sent, so a lost slice never prints a short list.
 */
import { randomUUID } from 'node:crypto';
import { CardinalError } from '../../shared/errors';

/** A job is forgotten this long after its last slice (a window closed mid-way). */
export const PRINT_JOB_IDLE_MS = 10 * 60_000;
/** Jobs kept at once; the oldest goes first. */
const MAX_JOBS = 3;
/** The most cards one job may hold: as many as one import may bring (shared/csv MAX_ROWS). */
export const MAX_PRINT_CARDS = 200_000;

interface Job {
  readonly cards: string[];
  used: number;
}

export class PrintJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly now: () => number = Date.now) {}

  private forgetIdle(): void {
    const now = this.now();
    for (const [id, job] of this.jobs) if (now - job.used > PRINT_JOB_IDLE_MS) this.jobs.delete(id);
  }

  /** Add a slice of cards to a job (null: a new one); the job's id. */
  add(jobId: string | null, cards: readonly string[]): string {
    this.forgetIdle();
    let id = jobId;
    let job = id === null ? undefined : this.jobs.get(id);
    if (id !== null && job === undefined) throw new CardinalError('invalid-argument', 'addPrintCards: no such print job (or it was idle too long)');
    if (job === undefined) {
      while (this.jobs.size >= MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
      id = randomUUID();
      job = { cards: [], used: 0 };
      this.jobs.set(id, job);
    }
    if (job.cards.length + cards.length > MAX_PRINT_CARDS) throw new CardinalError('invalid-argument', `addPrintCards: more than ${MAX_PRINT_CARDS} cards in one print job`);
    for (const c of cards) job.cards.push(c);
    job.used = this.now();
    return id!;
  }

  /** The job's cards, once: it is forgotten here. Only when it holds `count` cards. */
  take(jobId: string, count: number): string[] {
    this.forgetIdle();
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new CardinalError('invalid-argument', 'printContacts: no such print job (or it was idle too long)');
    this.jobs.delete(jobId);
    if (job.cards.length !== count) throw new CardinalError('invalid-argument', `printContacts: the job holds ${job.cards.length} cards, not the ${count} sent`);
    return job.cards;
  }
}
