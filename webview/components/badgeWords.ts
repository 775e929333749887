/**
 * Plain words for the badge values whose name is not one: what happens to the local change, never
 * "win"/"lose" or "remote-kept". Other values read with their hyphens as spaces ("dead-lettered"
 * stays, "backing-off" reads "backing off").
 */
export const badgeWords: Readonly<Record<string, string>> = {
  win: 'local pushed',
  lose: 'local dropped',
  held: 'held for you',
  'remote-kept': 'local dropped',
  'dead-lettered': 'dead-lettered',
};

export function badgeText(value: string): string {
  return badgeWords[value] ?? value.replace(/-/g, ' ');
}
