// Progress on stderr: a bar on a terminal, plain lines otherwise. stdout is never touched.
import cliProgress from 'cli-progress';
import type { ScanProgress } from '../scan/runner.js';
import type { Io } from './common.js';
import { onInterrupt } from './interrupt.js';
import { sanitizeInline } from './terminal.js';

export interface ProgressDisplay {
  update(progress: ScanProgress): void;
  stop(): void;
}

const SILENT: ProgressDisplay = { update() {}, stop() {} };

export function scanProgressDisplay(io: Io, options: { enabled?: boolean } = {}): ProgressDisplay {
  if (options.enabled === false || io.quiet) return SILENT;
  if (io.stderrIsTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.tty ?? io.stderr,
        format: ' {bar} {value}/{total} accounts | {phase} {message}',
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const removeCleanup = onInterrupt(() => {
      if (started) bar.stop();
    });
    return {
      update(p) {
        if (!started && p.accountsTotal > 0) {
          bar.start(p.accountsTotal, p.accountsDone, { phase: p.phase, message: sanitizeInline(p.message ?? '').slice(0, 40) });
          started = true;
        } else if (started) {
          bar.update(p.accountsDone, { phase: p.phase, message: sanitizeInline(p.message ?? '').slice(0, 40) });
        }
      },
      stop() {
        removeCleanup();
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastPhase = '';
  let lastDone = -1;
  return {
    update(p) {
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        io.stderr.write(`[forensight] ${p.phase}${p.message ? `: ${sanitizeInline(p.message)}` : ''}\n`);
      } else if (p.phase === 'collect' && p.accountsDone !== lastDone) {
        lastDone = p.accountsDone;
        io.stderr.write(`[forensight] collect ${p.accountsDone}/${p.accountsTotal} accounts${p.message ? `: ${sanitizeInline(p.message)}` : ''}\n`);
      }
    },
    stop() {},
  };
}
