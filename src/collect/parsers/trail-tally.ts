// What collect keeps of a CloudTrail record when nothing asks for the records themselves: how many were read,
// how many fall in the window (analysed) and how many pass the analysis filters (matched). One definition for
// the in-thread reader and the parse workers.
import { eventTimeOf } from './cloudtrail.js';
import { matchesFilter, type EventFilter } from '../filters.js';
import { inWindow, type TimeWindow } from '../layout.js';

export interface TrailTally {
  records: number;
  analysed: number;
  matched: number;
}

export const emptyTally = (): TrailTally => ({ records: 0, analysed: 0, matched: 0 });

/** Whether analysis looks at the record: no readable time (kept, never guessed away) or a time in the window. */
export function inAnalysisWindow(record: Record<string, unknown>, window: TimeWindow): boolean {
  const t = eventTimeOf(record);
  return !t || inWindow(t, window);
}

export function tallyRecord(tally: TrailTally, record: Record<string, unknown>, window: TimeWindow, filter: EventFilter): void {
  tally.records++;
  if (!inAnalysisWindow(record, window)) return;
  tally.analysed++;
  if (matchesFilter(record, filter)) tally.matched++;
}
