// Progress of a collection, reported through a callback; src/cli renders it (bar on a TTY, lines otherwise).

export interface CollectProgress {
  phase: 'discover' | 'collect' | 'seal' | 'preserve' | 'done';
  accountsTotal: number;
  accountsDone: number;
  sourcesTotal: number;
  sourcesDone: number;
  items: number;
  bytes: number;
  gaps: number;
  message?: string;
}

export type ProgressListener = (progress: CollectProgress) => void;

export class ProgressTracker {
  readonly state: CollectProgress = {
    phase: 'discover',
    accountsTotal: 0,
    accountsDone: 0,
    sourcesTotal: 0,
    sourcesDone: 0,
    items: 0,
    bytes: 0,
    gaps: 0,
  };
  private lastEmit = 0;

  constructor(private readonly listener: ProgressListener | undefined) {}

  update(change: Partial<CollectProgress>, force = true): void {
    Object.assign(this.state, change);
    this.emit(force);
  }

  item(bytes: number): void {
    this.state.items++;
    this.state.bytes += bytes;
    this.emit(false);
  }

  private emit(force: boolean): void {
    if (!this.listener) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < 100) return;
    this.lastEmit = now;
    this.listener({ ...this.state });
  }
}
