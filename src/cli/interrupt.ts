// Ctrl-C: stop any progress bar, give the terminal back (cursor shown, line wrap on), say which files were
// written, exit 130. Commands register their cleanup (a bar's stop) and every completed output file.
import type { Io } from './common.js';
import { sanitizeInline } from './terminal.js';

/** Shows the cursor and turns auto-wrap back on (cli-progress hides the one and may turn off the other). */
export const TERMINAL_RESTORE = '\u001b[?25h\u001b[?7h';

type Cleanup = () => void | Promise<void>;

interface InterruptState {
  cleanups: Set<Cleanup>;
  written: string[];
}

const state: InterruptState = { cleanups: new Set(), written: [] };

/** Run `cleanup` on Ctrl-C (until the returned function removes it); the exit waits for a returned promise. */
export function onInterrupt(cleanup: Cleanup): () => void {
  state.cleanups.add(cleanup);
  return () => state.cleanups.delete(cleanup);
}

/** Record a finished output file (with what it is, when the path alone does not say), for the message an interrupted run prints. */
export function recordWritten(path: string, note?: string): void {
  state.written.push(note ? `${path} (${note})` : path);
}

/**
 * For a command that finishes its own work on Ctrl-C (collect seals what it collected): the exit waits until
 * `work` settles, then restores the terminal and says what was written.
 */
export async function holdExitUntil<T>(work: Promise<T>): Promise<T> {
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  const release = onInterrupt(() => settled);
  try {
    return await work;
  } finally {
    release();
  }
}

/** What the interrupted run prints and the code it exits with; separate from process handling so it is testable. */
export async function handleInterrupt(io: Io): Promise<number> {
  for (const cleanup of [...state.cleanups]) {
    try {
      await cleanup();
    } catch {
      // a failing cleanup must not keep the terminal broken
    }
  }
  state.cleanups.clear();
  if (io.tty) io.tty.write(TERMINAL_RESTORE);
  const files = state.written.map((f) => `  ${sanitizeInline(f)}`);
  io.stderr.write(
    `\nforensight: interrupted (Ctrl-C). ${files.length === 0 ? 'No output file was written (files are written only once complete).' : `Files written:\n${files.join('\n')}`}\n`,
  );
  return 130;
}

/** Install the SIGINT handler for one CLI run; returns the function that removes it. */
export function installInterruptHandler(io: Io, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  state.written = [];
  let interrupted = false;
  const handler = (): void => {
    if (interrupted) return exit(130); // a second Ctrl-C does not wait for cleanups
    interrupted = true;
    void handleInterrupt(io).then(exit);
  };
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
  };
}
