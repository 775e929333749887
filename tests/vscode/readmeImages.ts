// `npm run readme-images`: regenerates the pictures the README and the walkthrough show, from real
// screenshots (tests/vscode/screenshots.ts in code-server + headless Chromium), reduced to a
// 256-colour palette with sharp (libimagequant) so each stays well under 200 KB.
//   media/readme/*.png       the whole window, 1400x900
//   media/walkthrough/*.png  the top left of the editor area (the walkthrough shows it small, beside its steps)
// tests/unit/readme/images.test.ts fails when a README link or walkthrough path names a missing file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { repoRoot } from '../../scripts/vscode/paths';
import { errorMessage } from '../../core/errors';

const maxImageBytes = 200 * 1024;

/** Output file name -> the screenshot it is made from. */
const readmeImages: Record<string, string> = {
  'grid.png': 'grid',
  'sync-queue.png': 'sync-queue',
  'plan.png': 'sync-plan',
  'replay-log.png': 'sync-replay-log',
  'conflicts.png': 'sync-conflicts',
  'sql-completion.png': 'sql-completion',
};
const walkthroughImages: Record<string, string> = {
  'grid.png': 'grid',
  'sync-queue.png': 'sync-queue',
  'plan.png': 'sync-plan',
  'conflicts.png': 'sync-conflicts',
};
/** Toolbar and first rows at their own size: scaled down whole, the text would be unreadable there. */
const walkthroughCrop = { width: 900, height: 600 };

async function writeImage(source: string, out: string, crop?: { width: number; height: number }): Promise<number> {
  let image = sharp(source);
  if (crop) {
    const { width = crop.width, height = crop.height } = await image.metadata();
    image = image.extract({ left: 0, top: 0, width: Math.min(crop.width, width), height: Math.min(crop.height, height) });
  }
  await image.png({ palette: true, colours: 256, effort: 10, compressionLevel: 9 }).toFile(out);
  const bytes = statSync(out).size;
  if (bytes > maxImageBytes) throw new Error(`${out} is ${Math.round(bytes / 1024)} KB, over ${maxImageBytes / 1024} KB`);
  return bytes;
}

async function main(): Promise<number> {
  const shots = [...new Set([...Object.values(readmeImages), ...Object.values(walkthroughImages)])];
  const taken = spawnSync(process.execPath, ['--import', 'tsx', 'tests/vscode/screenshots.ts', ...shots], { cwd: repoRoot, stdio: 'inherit' });
  if (taken.status !== 0) {
    console.error('readme-images: a screenshot failed; media/ is left as it was');
    return 1;
  }
  const screenshots = join(repoRoot, 'screenshots');
  for (const [folder, images, suffix, crop] of [
    ['readme', readmeImages, '', undefined],
    ['walkthrough', walkthroughImages, '.editor', walkthroughCrop],
  ] as const) {
    mkdirSync(join(repoRoot, 'media', folder), { recursive: true });
    for (const [name, shot] of Object.entries(images)) {
      const out = join(repoRoot, 'media', folder, name);
      const bytes = await writeImage(join(screenshots, `${shot}${suffix}.png`), out, crop);
      console.log(`readme-images: media/${folder}/${name} ${Math.round(bytes / 1024)} KB (from ${shot}${suffix}.png)`);
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`readme-images: ${errorMessage(error)}`);
    process.exit(1);
  },
);
