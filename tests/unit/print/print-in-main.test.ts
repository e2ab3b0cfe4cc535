/** The window's side of printing in Electron: the cards, asked of the print worker, go to main a slice per message, then the request names the job. */
import { describe, expect, it } from 'vitest';
import { CARDS_PER_IPC, printInMain, type PrintJob } from '../../../renderer/src/features/print/print-job';
import type { PrintRequest } from '../../../shared/ipc/contract';

function fakeMain() {
  const slices: { jobId: string | null; count: number }[] = [];
  const printed: PrintRequest[] = [];
  const api = {
    addPrintCards: async (jobId: string | null, vcards: readonly string[]) => {
      slices.push({ jobId, count: vcards.length });
      return jobId ?? 'job-1';
    },
    printContacts: async (r: PrintRequest) => {
      printed.push(r);
      return 'printed' as const;
    },
  };
  return { api, slices, printed };
}

/** A laid-out job of n cards; `asked` records the slices asked of its worker. */
const laidOut = (n: number, asked: string[] = []): Pick<PrintJob, 'request' | 'cardCount' | 'cards'> => ({
  request: { fileName: 'x.pdf', layout: 'phone-list', lang: 'en', title: 'x', paper: 'A4', texts: {} as PrintJob['request']['texts'] },
  cardCount: n,
  cards: async (from, to) => {
    asked.push(`${from}-${to}`);
    return Array.from({ length: to - from }, (_, i) => `card ${from + i}`);
  },
});

describe('printing 2,500 cards through main', () => {
  it('asks the worker for them and sends them 1,000 a message into one job, then asks main to print that job with the count sent, and no cards', async () => {
    const { api, slices, printed } = fakeMain();
    const asked: string[] = [];
    expect(await printInMain(api, laidOut(2500, asked), 'pdf')).toBe('printed');
    expect(asked).toEqual(['0-1000', '1000-2000', '2000-2500']);
    expect(CARDS_PER_IPC).toBe(1000);
    expect(slices).toEqual([
      { jobId: null, count: 1000 },
      { jobId: 'job-1', count: 1000 },
      { jobId: 'job-1', count: 500 },
    ]);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatchObject({ action: 'pdf', jobId: 'job-1', count: 2500 });
    expect(printed[0]).not.toHaveProperty('vcards');
  });

  it('an empty list still opens a job (main prints "No contacts")', async () => {
    const { api, slices, printed } = fakeMain();
    const asked: string[] = [];
    await printInMain(api, laidOut(0, asked), 'print');
    expect(asked).toEqual([]);
    expect(slices).toEqual([{ jobId: null, count: 0 }]);
    expect(printed[0]).toMatchObject({ jobId: 'job-1', count: 0 });
  });
});
