// The marketplace icon (package.json `icon`): dist/icon.png, 128x128, rendered from the same
// media/synclens.svg the activity bar uses, so the two never drift apart. The activity-bar glyph
// strokes `currentColor` on a transparent ground (VS Code tints it); a gallery icon needs its own
// ground, so the glyph is drawn white on a rounded square here. resvg is pure WASM: the build needs
// no native module and renders the same pixels on every machine.
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const iconSize = 128;
const ground = '#1f5f8b';
// The glyph's 24-unit box inside the 128 px square, with a margin so the strokes breathe.
const glyphScale = 4;
const glyphOffset = (iconSize - 24 * glyphScale) / 2;

let wasmReady;

/** The SVG the icon is rendered from: the glyph's own drawing, on the gallery ground. */
export function iconSvg(glyphSvg) {
  const root = /<svg\b([^>]*)>([\s\S]*)<\/svg>/.exec(glyphSvg);
  if (!root) throw new Error('media/synclens.svg has no <svg> root');
  const [, attributes, body] = root;
  if (!/viewBox="0 0 24 24"/.test(attributes)) throw new Error('media/synclens.svg is expected to draw in a 24x24 viewBox');
  // Keep the glyph's stroke styling (width, caps, joins) and only change its colour.
  const styling = [...attributes.matchAll(/\b(fill|stroke-width|stroke-linecap|stroke-linejoin)="([^"]*)"/g)]
    .map(([, name, value]) => `${name}="${value}"`)
    .join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${iconSize}" height="${iconSize}" viewBox="0 0 ${iconSize} ${iconSize}">` +
    `<rect width="${iconSize}" height="${iconSize}" rx="24" fill="${ground}"/>` +
    `<g transform="translate(${glyphOffset} ${glyphOffset}) scale(${glyphScale})" ${styling} stroke="#ffffff">${body}</g>` +
    `</svg>`
  );
}

/** Renders media/synclens.svg into dist/icon.png; returns the PNG's path. */
export async function buildIcon(root) {
  wasmReady ??= initWasm(readFileSync(join(root, 'node_modules/@resvg/resvg-wasm/index_bg.wasm')));
  await wasmReady;
  const svg = iconSvg(readFileSync(join(root, 'media/synclens.svg'), 'utf8'));
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: iconSize } }).render();
  const out = join(root, 'dist/icon.png');
  writeFileSync(out, rendered.asPng());
  rendered.free();
  return out;
}
