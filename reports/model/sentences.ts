// The sentences for leadership: the score, the gaps in plain words, the scenarios we would be blind to, the accounts
// not assessed and the change since the previous scan.
import type { ScanDocument } from '../../src/model/scan.js';
import { atOrAbove } from '../../src/model/severity.js';
import { phraseFor, SCENARIO_PHRASES } from '../phrases.js';
import { gradeFor, round1 } from './grade.js';
import type { CheckView, InvestigabilityMatrix, NotAssessedAccount, TopGap, TrendView } from './types.js';

export interface SentenceInputs {
  scan: ScanDocument;
  accountsAssessed: number;
  gaps: TopGap[];
  checks: CheckView[];
  checkIndex: Map<string, number>;
  investigability: InvestigabilityMatrix;
  notAssessed: NotAssessedAccount[];
  trend: TrendView | null;
}

/** Gap sentences shown at most. */
const MAX_GAP_SENTENCES = 6;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function leadershipSentences(input: SentenceInputs): string[] {
  return [scoreSentence(input), ...gapSentences(input), ...blindSentences(input), ...notAssessedSentences(input), ...trendSentences(input.trend)];
}

function scoreSentence({ scan, accountsAssessed }: SentenceInputs): string {
  const score = scan.score.organization;
  if (score === null) return 'No account could be assessed, so this scan gives no readiness score.';
  return (
    `The organization scores ${round1(score)} out of 100 (grade ${gradeFor(score)}), ` +
    `based on ${plural(accountsAssessed, 'assessed account', 'assessed accounts')} of ${scan.accounts.length} ` +
    `and ${Math.round(scan.score.coverage * 100)}% of checks that could be evaluated.`
  );
}

function gapSentences({ gaps, checks, checkIndex }: SentenceInputs): string[] {
  // A gap at a lower severity than its check's own (e.g. no Bedrock use there) does not lose what the phrase says.
  return gaps
    .filter((g) => g.severity === checks[checkIndex.get(g.checkId)!]!.severity || atOrAbove(g.severity, 'high'))
    .slice(0, MAX_GAP_SENTENCES)
    .map((g) => `In ${g.accountsAffected} of ${g.accountsConsidered} accounts we ${phraseFor(g.checkId, g.title).lost}.`);
}

function blindSentences({ investigability, accountsAssessed }: SentenceInputs): string[] {
  return investigability.columns.flatMap((c, i) => {
    const blind = investigability.totals[i]!.BLIND;
    if (c.kind !== 'scenario' || blind === 0) return [];
    const what = SCENARIO_PHRASES[c.key] ?? c.label.toLowerCase();
    return [`In ${blind} of ${accountsAssessed} accounts we would be blind to ${what}.`];
  });
}

function notAssessedSentences({ notAssessed, scan }: SentenceInputs): string[] {
  if (notAssessed.length === 0) return [];
  return [
    `We could not assess ${notAssessed.length} of ${scan.accounts.length} accounts; their readiness is unknown and they are left out of the score.`,
  ];
}

function trendSentences(trend: TrendView | null): string[] {
  if (!trend) return [];
  const changes = `${plural(trend.fixedGaps.length, 'gap was', 'gaps were')} fixed and ${plural(trend.newGaps.length, 'new gap appeared', 'new gaps appeared')}.`;
  const d = trend.orgScoreDelta;
  if (d === null) return [`Since the previous scan ${changes}`];
  const moved = d > 0 ? `rose by ${d}` : d < 0 ? `fell by ${-d}` : 'did not change';
  return [`Since the previous scan (${trend.baselineDate.slice(0, 10)}) the score ${moved}; ${changes}`];
}
