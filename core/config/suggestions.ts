// "Did you mean ...?": the closest known name to a misspelt key, enum value, table or column.

/** The candidate within edit distance 2 (or a third of the word's length) of `word`, if any. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1;
  const lowered = word.toLowerCase();
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skipping those keeps a hostile 100 KB key
    // from costing 100 KB x every table name, and changes no answer.
    const loweredCandidate = candidate.toLowerCase();
    if (Math.abs(loweredCandidate.length - lowered.length) >= bestDistance) continue;
    const distance = editDistance(lowered, loweredCandidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Up to `limit` candidates within the same distance as `closest` allows, closest first (ties keep
 * the candidates' order): the choices of a SQL quick fix (language-server/sql/quickFixes.ts).
 */
export function closestNames(word: string, candidates: readonly string[], limit: number): string[] {
  const allowed = Math.max(2, Math.ceil(word.length / 3));
  const lowered = word.toLowerCase();
  const near: { candidate: string; distance: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const loweredCandidate = candidate.toLowerCase();
    if (seen.has(loweredCandidate) || loweredCandidate === lowered || Math.abs(loweredCandidate.length - lowered.length) > allowed) continue;
    seen.add(loweredCandidate);
    const distance = editDistance(lowered, loweredCandidate);
    if (distance <= allowed) near.push({ candidate, distance });
  }
  return near
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
