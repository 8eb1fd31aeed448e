// Did-you-mean for unknown flags. A suggestion must mean the same thing: `--output` is the AWS CLI's output
// *format*, so it points at --format, not at the similar-looking --out (a directory). Flags people bring from
// the AWS CLI and Prowler map by meaning; otherwise only a near-typo (at most 2 edits, a third of the length)
// of a flag the command has.

const SAME_MEANING: Record<string, string[]> = {
  '--format': ['--output', '--output-format', '--output-formats', '--formats', '-M'],
  '--out': ['--output-directory', '--output-dir', '--out-dir', '--outdir', '--output-path', '-o'],
  '--org': ['--organization', '--organisation', '--organizations', '--all-accounts'],
  '--accounts': ['--account', '--account-id', '--account-ids'],
  '--exclude-accounts': ['--excluded-accounts', '--exclude-account'],
  '--checks': ['--check', '--checks-list'],
  '--severity': ['--severities'],
  '--status': ['--statuses'],
  '--service': ['--services'],
  '--region': ['--default-region', '--home-region'],
  '--regions': ['--filter-region', '--filter-regions'],
  '--no-color': ['--no-colour', '--no-colors', '--nocolor'],
  '--endpoint-url': ['--endpoint', '--endpoint-uri'],
  '--role-name': ['--role'],
  '--fail-on': ['--fail-on-severity', '--severity-threshold'],
};

function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The flag to suggest for `typed` among the command's `flags` ("--a or --b" when two are equally near), or null when none means the same. */
export function suggestFlag(typed: string, flags: readonly string[]): string | null {
  const flag = typed.split('=')[0]!.toLowerCase();
  for (const [target, aliases] of Object.entries(SAME_MEANING)) {
    if (aliases.includes(flag)) return flags.includes(target) ? target : null;
  }
  let best: { flags: string[]; distance: number } | null = null;
  for (const candidate of new Set(flags)) {
    const distance = editDistance(flag, candidate);
    if (distance > 2 || distance > Math.floor(candidate.length / 3)) continue;
    if (!best || distance < best.distance) best = { flags: [candidate], distance };
    else if (distance === best.distance) best.flags.push(candidate);
  }
  return best ? best.flags.join(' or ') : null;
}
