import { taggedValueText, type JsonValue } from '../../core/protocol/taggedValues';

/** "3d 4h", "12m", "40s": how long ago (or, when negative, in how long). */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1_000, 's'],
  ];
  for (let index = 0; index < units.length; index++) {
    const [size, name] = units[index]!;
    if (abs >= size || index === units.length - 1) {
      const whole = Math.floor(abs / size);
      const next = units[index + 1];
      const rest = next ? Math.floor((abs % size) / next[0]) : 0;
      return next && rest > 0 && whole < 10 ? `${whole}${name} ${rest}${next[1]}` : `${whole}${name}`;
    }
  }
  return '0s';
}

export function dateTime(ms: number | null): string {
  if (ms === null) return '';
  const date = new Date(ms);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A document value indented, tagged values as what they are: `Timestamp(2026-…)`, never a lookalike string. */
export function pretty(value: JsonValue | undefined): string {
  return taggedValueText(value, 2);
}

export function compact(value: JsonValue | undefined): string {
  if (value === undefined) return '—';
  const text = taggedValueText(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
